"""The pack's configuration for one request: rule parameters, `strict_unknowns`, exemptions.

Pulumi's configuration is per policy, so the pack-wide settings are the properties of the pack's
own policy, `serverless-guard` (`{"serverless-guard": {"strict_unknowns": true, "exemptions":
[...]}}`); the CLI reads the same spelling, so one guard.json serves both. What is wrong with the
configuration (exemptions that exempt nothing, ill-typed settings and parameters) is kept as
problems for that policy to report.

`framework_resources` and `baseline` are accepted so that the same guard.json serves every front
end, and checked, but change nothing here: a Pulumi program has no aws-cdk-lib resources, and a
baseline needs every finding of a stack at once (each entry absorbs one finding), while Pulumi
asks each policy, and each resource policy per resource, separately. A baseline suppresses
nothing in the pack: `serverless-guard pulumi --baseline` applies it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from serverless_guard.catalog.params import parse
from serverless_guard.catalog.rule import Enforcement, Rule
from serverless_guard.config import (
    FRAMEWORK_CHECK,
    FRAMEWORK_SUPPRESS,
    SETTINGS,
    SETTINGS_KEYS,
    Config,
)
from serverless_guard.waivers import MIN_REASON, Waivers
from serverless_guard.waivers.exemptions import exemption_waivers

SETTINGS_POLICY = SETTINGS


@dataclass(frozen=True, slots=True)
class PackSettings:
    """The pack's configuration for one request: rule parameters, `strict_unknowns`, the
    exemptions, and what is wrong with them."""

    config: Config = field(default_factory=Config)
    waivers: Waivers = field(default_factory=Waivers)
    problems: tuple[str, ...] = ()

    @property
    def strict_unknowns(self) -> bool:
        return self.config.strict_unknowns


def parse_params(rule: Rule, raw: Mapping[str, Any] | None) -> tuple[object, str | None]:
    """A rule's parameters from its policy's properties; the defaults and the problem when they
    do not parse."""
    values = {str(k): v for k, v in (raw or {}).items() if k != "enforcementLevel"}
    try:
        return parse(rule.params, values), None
    except Exception as err:
        return rule.params(), str(err)


def settings_from(
    policy_config: Mapping[str, Mapping[str, Any]] | None,
    levels: Mapping[str, str],
    rules: Sequence[Rule],
    today: date | None = None,
) -> PackSettings:
    """The pack's settings from every policy's configured properties (as `Configure` sent them)."""
    policy_config = policy_config or {}
    today = today or datetime.now(UTC).date()
    problems: list[str] = []
    own = dict(policy_config.get(SETTINGS_POLICY) or {})
    extra = sorted(set(own) - {*SETTINGS_KEYS, "enforcementLevel"})
    if extra:
        problems.append(f"{SETTINGS_POLICY}: unknown setting {extra[0]!r}")
    if own.get("framework_resources", FRAMEWORK_SUPPRESS) not in (
        FRAMEWORK_SUPPRESS,
        FRAMEWORK_CHECK,
    ):
        problems.append(
            f"{SETTINGS_POLICY}: framework_resources must be {FRAMEWORK_SUPPRESS!r} or "
            f"{FRAMEWORK_CHECK!r}"
        )
    if not isinstance(own.get("baseline", ""), str):
        problems.append(f"{SETTINGS_POLICY}: baseline must be the path of a baseline file")
    strict = own.get("strict_unknowns", False)
    if not isinstance(strict, bool):
        problems.append(
            f"{SETTINGS_POLICY}: strict_unknowns must be true or false, not {strict!r}; "
            "unknowns are treated as under strict_unknowns"
        )
        strict = True
    waivers = Waivers(exemption_waivers(own.get("exemptions"), {r.id for r in rules}, today))
    problems.extend(defect.message for defect in waivers.defects())
    params: dict[str, object] = {}
    for rule in rules:
        value, problem = parse_params(rule, policy_config.get(rule.id))
        if problem:
            problems.append(f"{rule.id}: {problem}")
        else:
            params[rule.id] = value
    known = {r.id for r in rules}
    parsed_levels: dict[str, Enforcement] = {}
    for name, level in levels.items():
        if name in known and level in {e.value for e in Enforcement}:
            parsed_levels[name] = Enforcement(level)
    raw_exemptions = own.get("exemptions")
    config = Config(
        levels=parsed_levels,
        params=params,
        strict_unknowns=strict,
        exemptions=tuple(
            e
            for e in (raw_exemptions if isinstance(raw_exemptions, list) else ())
            if isinstance(e, Mapping)
        ),
    )
    return PackSettings(config, waivers, tuple(problems))


def settings_schema() -> dict[str, dict[str, Any]]:
    """The configuration schema of the pack's own policy: the pack-wide settings."""
    text = {"type": "string"}
    return {
        "strict_unknowns": {
            "type": "boolean",
            "default": False,
            "description": "Report an unknown (a value only known after deployment) at the "
            "rule's level, so that it blocks for a mandatory rule; otherwise it is advisory.",
        },
        "exemptions": {
            "type": "array",
            "default": [],
            "description": "Rules waived on resources: {rule, urn (a glob), reason (at least "
            f"{MIN_REASON} visible characters), expires (YYYY-MM-DD, optional)}}. An exempted "
            "violation is reported as advisory with its reason.",
            "items": {
                "type": "object",
                "properties": {"rule": text, "urn": text, "reason": text, "expires": text},
            },
        },
        "framework_resources": {
            "type": "string",
            "enum": [FRAMEWORK_SUPPRESS, FRAMEWORK_CHECK],
            "default": FRAMEWORK_SUPPRESS,
            "description": "For the CLI and the CDK plugin: whether the resources aws-cdk-lib "
            "creates on its own are judged (`check`) or their findings suppressed. No effect on "
            "Pulumi programs.",
        },
        "baseline": {
            "type": "string",
            "description": "For the CLI and the CDK plugin: a baseline file of the findings "
            "that already existed. The policy pack does not apply it.",
        },
    }
