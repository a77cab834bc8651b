"""Least-privilege IAM: roles, policies and trust."""

from __future__ import annotations

from serverless_guard.catalog.rule import Rule

RULES: tuple[Rule, ...] = ()
