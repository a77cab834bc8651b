"""Serverless hardening: tracing, failure handling, runtimes, secrets, recovery."""

from __future__ import annotations

from serverless_guard.catalog.rule import Rule

RULES: tuple[Rule, ...] = ()
