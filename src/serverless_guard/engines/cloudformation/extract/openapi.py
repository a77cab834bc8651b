"""Methods and routes declared in an API's OpenAPI `Body` (as SAM generates them)."""

from __future__ import annotations

from collections.abc import Iterable

from serverless_guard.engines.cloudformation.extract.base import CfnResource
from serverless_guard.facts.base import Resource


def rest_body_methods(res: CfnResource) -> Iterable[Resource]:
    """RestMethod facts for the operations of a REST API's OpenAPI body."""
    return ()


def v2_body_routes(res: CfnResource) -> Iterable[Resource]:
    """Route facts for the operations of an HTTP API's OpenAPI body."""
    return ()
