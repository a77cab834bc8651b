"""Check a component's children with the catalog itself, as the policy pack will.

A component records each child it creates in a `Plan`: its pulumi-aws class, its arguments as
given, and which of its arguments were computed from which sibling (the property dependencies
the engine will send). `Plan.check` turns them into the records the pack receives, extracts
their facts with the Pulumi engine's own extractors, runs the catalog with the default
configuration, and logs a Pulumi warning on the component for each rule that fails, naming the
rule: what a component warns about is what `pulumi preview --policy-pack` reports.

Values a program only knows later are unknown here too, so a rule that needs one says nothing.
Where a child's argument is built from a sibling's name or ARN (a policy naming its bucket), the
component records it built from a stand-in name (`Plan.stand_in`), which the sibling's record
carries as its physical name, so that the rule still sees the whole document.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
from pulumi import _types
from pulumi.type_token import get_type_token

from serverless_guard.catalog import BY_ID
from serverless_guard.catalog.rule import Outcome
from serverless_guard.config import Config
from serverless_guard.engines.pulumi.extract import facts_from
from serverless_guard.engines.pulumi.model import PulumiResource
from serverless_guard.evaluate import results
from serverless_guard.naming import Dialect, words_in
from serverless_guard.naming import message as worded
from serverless_guard.pulumi.components._inputs import engine_props

WARNING_PREFIX = "serverless-guard::"
"""Warnings name the rule they break as `serverless-guard::<rule-id>`, as the CDK constructs'
warnings do."""


def warning_text(rule_id: str, message: str) -> str:
    """A warning that names the catalog rule a setting breaks."""
    rule = BY_ID[rule_id]
    return f"{WARNING_PREFIX}{rule_id}: {message}: this breaks {rule_id} ({rule.title})"


def args_type(resource_type: type) -> type:
    """The arguments class of a pulumi-aws resource class (`Table` -> `TableArgs`; the module's
    `...InitArgs` where the name is taken by a nested argument class)."""
    module = sys.modules[resource_type.__module__]
    for name in getattr(module, "__all__", ()):
        found = getattr(module, name)
        if (
            name.endswith("Args")
            and isinstance(found, type)
            and found.__module__ == module.__name__
        ):
            return found
    raise TypeError(f"{resource_type.__name__} has no arguments class")  # pragma: no cover


@dataclass(frozen=True, slots=True)
class _Record:
    type: str
    name: str
    props: Mapping[str, object]
    links: Mapping[str, str]  # engine input -> the sibling (resource name) it is computed from


@dataclass
class Plan:
    """The children of one component, as the engine will hand them to the policy pack."""

    owner: pulumi.ComponentResource
    records: list[_Record] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.owner.pulumi_resource_name

    def stand_in(self, child: str) -> str:
        """The physical name a child the provider names is given here (lower case, as S3
        bucket names must be)."""
        return re.sub(r"[^a-z0-9-]", "-", child.lower()) + "-0000000"

    def add(
        self,
        resource_type: type[pulumi.CustomResource],
        name: str,
        values: Mapping[str, object],
        links: Mapping[str, str] | None = None,
    ) -> None:
        """Record a child: `values` are its arguments (Python names); `links` name, for each
        argument computed from a sibling, that sibling (by resource name)."""
        kind = args_type(resource_type)
        names = _types.input_type_py_to_pulumi_names(kind)
        self.records.append(
            _Record(
                type=get_type_token(resource_type) or "",
                name=name,
                props=engine_props(kind, values),
                links={names.get(key, key): sibling for key, sibling in (links or {}).items()},
            )
        )

    def resources(self) -> list[PulumiResource]:
        """The records as the policy pack receives them (URNs of a stack named `check`)."""
        urns = {r.name: f"urn:pulumi:check::{self.name}::{r.type}::{r.name}" for r in self.records}
        return [
            PulumiResource(
                urn=urns[r.name],
                type=r.type,
                name=r.name,
                props=r.props,
                property_dependencies={key: (urns[sibling],) for key, sibling in r.links.items()},
            )
            for r in self.records
        ]

    def failures(self) -> list[tuple[str, str]]:
        """(rule id, message) of every rule that fails on the children, once each."""
        found: dict[tuple[str, str], None] = {}
        for result in results(facts_from(self.resources()), Config()):
            if result.verdict.outcome is Outcome.FAIL:
                text = worded(result.verdict, result.subject, words_in(Dialect.PULUMI_PYTHON))
                found[(result.rule.id, text)] = None
        return list(found)

    def check(self) -> None:
        """Log a warning on the component for each rule its children break."""
        for rule_id, message in self.failures():
            pulumi.log.warn(warning_text(rule_id, message), resource=self.owner)
