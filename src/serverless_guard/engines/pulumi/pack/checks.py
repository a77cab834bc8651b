"""The policies' `validate` callables, which fail closed.

A rule that raises, a rule whose parameters do not parse, or a resource an extractor cannot read
gives an `error` diagnostic for that rule, at the rule's level; nothing raised by a rule, an
extractor or odd property shapes escapes to the Analyzer server.
"""

from __future__ import annotations

from typing import Any

from serverless_guard.catalog.rule import Rule
from serverless_guard.engines.pulumi.pack.channel import Channel, Diagnostic, ReportViolation
from serverless_guard.engines.pulumi.pack.report import rule_diagnostics, settings_diagnostics
from serverless_guard.engines.pulumi.pack.settings import SETTINGS_POLICY
from serverless_guard.engines.pulumi.pack.state import PackState


class Check:
    """A policy's `validate`: never raises; whatever goes wrong is an `error` diagnostic."""

    def __init__(self, state: PackState, rule: Rule | None) -> None:
        self.state = state
        self.rule = rule

    def __call__(self, args: Any, report_violation: ReportViolation) -> None:
        channel = Channel(report_violation)
        try:
            diagnostics = self.diagnostics(channel, args)
        except Exception as err:
            name = self.rule.id if self.rule else SETTINGS_POLICY
            urn = str(getattr(args, "urn", "") or "")
            diagnostics = [
                Diagnostic(f"error: {name} could not run: {type(err).__name__}: {err}", urn)
            ]
        channel.emit(diagnostics)

    def diagnostics(self, channel: Channel, args: Any) -> list[Diagnostic]:
        raise NotImplementedError


class ResourceCheck(Check):
    """A rule on the one resource of an `Analyze` request."""

    def diagnostics(self, channel: Channel, args: Any) -> list[Diagnostic]:
        assert self.rule is not None
        settings = self.state.settings(channel)
        facts = self.state.resource_facts(channel, args)
        return rule_diagnostics(self.rule, facts, settings, args.get_config())


class StackCheck(Check):
    """A rule on every resource of an `AnalyzeStack` request."""

    def diagnostics(self, channel: Channel, args: Any) -> list[Diagnostic]:
        assert self.rule is not None
        settings = self.state.settings(channel)
        facts = self.state.stack_facts(channel, args)
        return rule_diagnostics(self.rule, facts, settings, args.get_config())


class SettingsCheck(Check):
    """The pack's own policy: the settings' problems and the resources no rule could read."""

    def diagnostics(self, channel: Channel, args: Any) -> list[Diagnostic]:
        return settings_diagnostics(
            self.state.settings(channel), self.state.stack_facts(channel, args)
        )
