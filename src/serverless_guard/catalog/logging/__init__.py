"""Logs that exist, are kept and are useful."""

from __future__ import annotations

from serverless_guard.catalog.logging.lambda_log_retention import lambda_log_retention
from serverless_guard.catalog.logging.logs_retention_set import logs_retention_set
from serverless_guard.catalog.rule import Rule

RULES: tuple[Rule, ...] = (lambda_log_retention, logs_retention_set)
