"""The facts of the resources of one request, with the resources an extractor could not read."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field

from serverless_guard.engines.pulumi.extract import facts_of
from serverless_guard.engines.pulumi.model import PulumiResource
from serverless_guard.facts.base import Resource
from serverless_guard.facts.graph import Graph


@dataclass(frozen=True, slots=True)
class Failure:
    """A resource whose properties an extractor could not read."""

    urn: str
    type: str
    name: str
    error: str


@dataclass(frozen=True, slots=True)
class Extracted:
    facts: tuple[Resource, ...] = ()
    failures: tuple[Failure, ...] = ()
    graph: Graph = field(default_factory=lambda: Graph(()))


def extract(resources: Sequence[PulumiResource]) -> Extracted:
    """The facts of some resources; an extractor that raises is a `Failure`, and the facts it
    yielded before raising are kept."""
    facts: list[Resource] = []
    failures: list[Failure] = []
    for resource in resources:
        try:
            for fact in facts_of(resource):
                facts.append(fact)
        except Exception as err:
            failures.append(
                Failure(resource.urn, resource.type, resource.name, f"{type(err).__name__}: {err}")
            )
    return Extracted(tuple(facts), tuple(failures), Graph(facts))


@functools.cache
def kinds_of_type(type_token: str) -> frozenset[type[Resource]] | None:
    """The fact kinds an extractor yields for a resource type (probed on empty inputs), or None
    when the probe fails."""
    probe = PulumiResource(
        urn=f"urn:pulumi:probe::probe::{type_token}::probe",
        type=type_token,
        name="probe",
        props={},
    )
    try:
        return frozenset(type(fact) for fact in facts_of(probe))
    except Exception:
        return None
