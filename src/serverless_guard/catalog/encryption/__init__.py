"""Encryption at rest and in transit."""

from __future__ import annotations

from serverless_guard.catalog.encryption.lambda_env_encrypted import lambda_env_encrypted
from serverless_guard.catalog.rule import Rule

RULES: tuple[Rule, ...] = (lambda_env_encrypted,)
