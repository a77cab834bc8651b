"""Encryption at rest and in transit."""

from __future__ import annotations

from serverless_guard.catalog.encryption.apigw_cache_encrypted import apigw_cache_encrypted
from serverless_guard.catalog.encryption.apigw_domain_tls12 import apigw_domain_tls12
from serverless_guard.catalog.encryption.dynamodb_table_encryption_kms import (
    dynamodb_table_encryption_kms,
)
from serverless_guard.catalog.encryption.eventbridge_bus_encrypted import (
    eventbridge_bus_encrypted,
)
from serverless_guard.catalog.encryption.kinesis_stream_encrypted import kinesis_stream_encrypted
from serverless_guard.catalog.encryption.kms_key_rotation import kms_key_rotation
from serverless_guard.catalog.encryption.lambda_env_encrypted import lambda_env_encrypted
from serverless_guard.catalog.encryption.logs_group_encrypted import logs_group_encrypted
from serverless_guard.catalog.encryption.s3_bucket_encryption_kms import s3_bucket_encryption_kms
from serverless_guard.catalog.encryption.s3_bucket_tls_only import s3_bucket_tls_only
from serverless_guard.catalog.encryption.secretsmanager_secret_cmk import (
    secretsmanager_secret_cmk,
)
from serverless_guard.catalog.encryption.sns_topic_encrypted import sns_topic_encrypted
from serverless_guard.catalog.encryption.sns_topic_tls_only import sns_topic_tls_only
from serverless_guard.catalog.encryption.sqs_queue_encrypted import sqs_queue_encrypted
from serverless_guard.catalog.encryption.sqs_queue_tls_only import sqs_queue_tls_only
from serverless_guard.catalog.rule import Rule

RULES: tuple[Rule, ...] = (
    lambda_env_encrypted,
    s3_bucket_encryption_kms,
    s3_bucket_tls_only,
    dynamodb_table_encryption_kms,
    sqs_queue_encrypted,
    sqs_queue_tls_only,
    sns_topic_encrypted,
    sns_topic_tls_only,
    apigw_cache_encrypted,
    apigw_domain_tls12,
    logs_group_encrypted,
    kms_key_rotation,
    kinesis_stream_encrypted,
    eventbridge_bus_encrypted,
    secretsmanager_secret_cmk,
)
