"""The pulumi-policy objects: one policy per catalog rule after the pack's own settings policy,
and the policy pack that serves them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from serverless_guard.catalog import CATALOG
from serverless_guard.catalog.params import schema
from serverless_guard.catalog.rule import Rule
from serverless_guard.engines.pulumi.pack.checks import ResourceCheck, SettingsCheck, StackCheck
from serverless_guard.engines.pulumi.pack.classify import reads_graph
from serverless_guard.engines.pulumi.pack.settings import SETTINGS_POLICY, settings_schema
from serverless_guard.engines.pulumi.pack.state import PackState
from serverless_guard.waivers.reasons import MIN_REASON

PACK_NAME = "serverless-guard"


def _severity(rule: Rule) -> Any:
    from pulumi_policy import Severity

    return Severity(rule.severity.value)


def rule_policy(state: PackState, rule: Rule) -> Any:
    """The policy of one rule: named by its id, described by its title, at its default level."""
    from pulumi_policy import (
        EnforcementLevel,
        PolicyConfigSchema,
        ResourceValidationPolicy,
        StackValidationPolicy,
    )

    properties = schema(rule.params)
    common: dict[str, Any] = {
        "name": rule.id,
        "description": rule.title,
        "enforcement_level": EnforcementLevel(rule.default_enforcement.value),
        "config_schema": PolicyConfigSchema(properties) if properties else None,
        "severity": _severity(rule),
        "tags": [rule.domain.value],
        "remediation_steps": rule.remediation.pulumi,
        "url": rule.references[0] if rule.references else None,
    }
    if reads_graph(rule):
        return StackValidationPolicy(validate=StackCheck(state, rule), **common)
    return ResourceValidationPolicy(validate=ResourceCheck(state, rule), **common)


def settings_policy(state: PackState) -> Any:
    """The pack's own policy: its properties are the pack-wide settings; it reports, at its
    level (mandatory unless configured otherwise), what is wrong with them and resources no rule
    could read."""
    from pulumi_policy import (
        EnforcementLevel,
        PolicyConfigSchema,
        Severity,
        StackValidationPolicy,
    )

    return StackValidationPolicy(
        name=SETTINGS_POLICY,
        description="Exemptions name a catalog rule, give a reason and have not expired; "
        "every resource's properties can be read",
        validate=SettingsCheck(state, None),
        enforcement_level=EnforcementLevel.MANDATORY,
        config_schema=PolicyConfigSchema(settings_schema()),
        severity=Severity.HIGH,
        tags=["settings"],
        remediation_steps="Fix the exemption in the policy pack configuration: a catalog rule "
        f"id, a URN glob, a reason of at least {MIN_REASON} characters and an expiry date that "
        "has not passed.",
    )


def policies(rules: Sequence[Rule] = CATALOG) -> list[Any]:
    """One policy per rule, after the pack's own settings policy, sharing one state."""
    state = PackState(rules)
    return [settings_policy(state), *(rule_policy(state, rule) for rule in state.rules)]


def build_pack() -> None:
    """Start the policy pack's Analyzer server (prints its port, then serves until killed)."""
    from pulumi_policy import EnforcementLevel, PolicyPack

    PolicyPack(
        name=PACK_NAME,
        policies=policies(),
        enforcement_level=EnforcementLevel.ADVISORY,
        provider="aws",
        tags=["aws", "serverless", "security"],
    )
