"""Logs that exist, are kept and are useful."""

from __future__ import annotations

from serverless_guard.catalog.logging.apigw_no_data_trace import apigw_no_data_trace
from serverless_guard.catalog.logging.apigw_stage_access_logging import apigw_stage_access_logging
from serverless_guard.catalog.logging.apigw_stage_execution_logging import (
    apigw_stage_execution_logging,
)
from serverless_guard.catalog.logging.appsync_logging import appsync_logging
from serverless_guard.catalog.logging.lambda_log_retention import lambda_log_retention
from serverless_guard.catalog.logging.logs_retention_set import logs_retention_set
from serverless_guard.catalog.logging.sfn_logging import sfn_logging
from serverless_guard.catalog.rule import Rule

RULES: tuple[Rule, ...] = (
    lambda_log_retention,
    logs_retention_set,
    apigw_stage_access_logging,
    apigw_stage_execution_logging,
    apigw_no_data_trace,
    sfn_logging,
    appsync_logging,
)
