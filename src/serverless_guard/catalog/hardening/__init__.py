"""Serverless hardening: tracing, failure handling, runtimes, secrets and their rotation,
recovery."""

from __future__ import annotations

from serverless_guard.catalog.hardening.apigw_stage_tracing import apigw_stage_tracing
from serverless_guard.catalog.hardening.appsync_tracing import appsync_tracing
from serverless_guard.catalog.hardening.cognito_user_pool_threat_protection import (
    cognito_user_pool_threat_protection,
)
from serverless_guard.catalog.hardening.dynamodb_pitr import dynamodb_pitr
from serverless_guard.catalog.hardening.lambda_async_failure_handling import (
    lambda_async_failure_handling,
)
from serverless_guard.catalog.hardening.lambda_env_no_secrets import lambda_env_no_secrets
from serverless_guard.catalog.hardening.lambda_in_vpc import lambda_in_vpc
from serverless_guard.catalog.hardening.lambda_reserved_concurrency import (
    lambda_reserved_concurrency,
)
from serverless_guard.catalog.hardening.lambda_runtime_supported import lambda_runtime_supported
from serverless_guard.catalog.hardening.lambda_tracing_active import lambda_tracing_active
from serverless_guard.catalog.hardening.secretsmanager_secret_rotation import (
    secretsmanager_secret_rotation,
)
from serverless_guard.catalog.hardening.sfn_tracing import sfn_tracing
from serverless_guard.catalog.hardening.sqs_queue_dlq import sqs_queue_dlq
from serverless_guard.catalog.rule import Rule

RULES: tuple[Rule, ...] = (
    lambda_env_no_secrets,
    lambda_tracing_active,
    lambda_runtime_supported,
    lambda_async_failure_handling,
    lambda_reserved_concurrency,
    lambda_in_vpc,
    apigw_stage_tracing,
    sfn_tracing,
    dynamodb_pitr,
    sqs_queue_dlq,
    secretsmanager_secret_rotation,
    appsync_tracing,
    cognito_user_pool_threat_protection,
)
