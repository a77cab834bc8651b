"""Extractors from Pulumi resource types (pulumi-aws classic, aws-native) to facts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from serverless_guard.engines.pulumi.extract import classic, native
from serverless_guard.engines.pulumi.extract.base import Extractor, PulumiView
from serverless_guard.engines.pulumi.model import PulumiResource
from serverless_guard.facts.base import Resource

EXTRACTORS: Mapping[str, Extractor] = {
    **native.EXTRACTORS,
    **classic.EXTRACTORS,
}


def facts_of(resource: PulumiResource) -> Iterable[Resource]:
    extractor = EXTRACTORS.get(resource.type)
    if extractor is None:
        return ()
    return extractor(PulumiView(resource))


def facts_from(resources: Sequence[PulumiResource]) -> list[Resource]:
    """The facts of a stack's resources (types no rule reads give none)."""
    return [fact for resource in resources for fact in facts_of(resource)]


__all__ = ["EXTRACTORS", "Extractor", "PulumiView", "facts_from", "facts_of"]
