"""IAM policy elements as patterns: rendered elements made concrete, and what a pattern covers.

Policy elements are rendered strings (see `facts.nodes`): `${Id}` and `${Id.Attr}` denote stack
resources, `${?what}` parts are only known at deployment. The IAM rules read each element twice:
as it is certainly (references and deployment-time parts stand for specific values), and at
worst (a deployment-time part that a user supplies, such as a parameter without default, may be
`*`). A rule fails on what is certain and is unknown on what is only possible.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from serverless_guard.catalog.checks.wildcards import (
    ANY_VALUE,
    FREE,
    glob_covers,
    glob_matches,
    has_wildcard,
    matches_every,
)
from serverless_guard.facts.nodes import INSIDE, OPAQUE_PART

_REFERENCE = re.compile(r"\$\{[^?}$]" + INSIDE + r"\}")
SPECIFIC = "\x00"
"""Stands for a part that is one specific value: it matches no wildcard test."""

__all__ = [
    "SPECIFIC",
    "action_on_every_resource",
    "all_resources",
    "concrete",
    "every_action_of",
    "glob_covers",
    "glob_matches",
    "on_concrete",
    "resources_of",
    "service_resources",
]


def concrete(text: str, *, worst: bool) -> str:
    """`text` with its non-literal parts replaced. References to stack resources and pseudo
    parameters (`AWS::Region`, ...) are specific values. Other deployment-time parts are `*` when
    `worst`, and specific otherwise."""

    def opaque(match: re.Match[str]) -> str:
        pseudo = match.group(0).startswith("${?AWS::")
        return "*" if worst and not pseudo else SPECIFIC

    return OPAQUE_PART.sub(opaque, _REFERENCE.sub(SPECIFIC, text))


def on_concrete(test: Callable[[str], bool]) -> Callable[[str, bool], bool]:
    """A test of rendered elements from a test of concrete text (see `concrete`)."""
    return lambda element, worst: test(concrete(element, worst=worst))


def _fields(pattern: str) -> tuple[str, ...]:
    """The partition, region and account a pattern writes out (wildcard-free ARN fields)."""
    parts = pattern.split(":", 5)
    return tuple(
        parts[i] if len(parts) == 6 and not has_wildcard(parts[i]) else "" for i in (1, 3, 4)
    )


def _locations(pattern: str) -> list[tuple[str, str, str]]:
    """The (partition, region, account) values to try a pattern on: any partition (or `aws`),
    any region (or none, for global services), any account (or none), and the ones the pattern
    writes out. A pattern covers "every resource" of a kind when it does so in one of them."""
    partition, region, account = _fields(pattern)
    partitions = dict.fromkeys((ANY_VALUE, "aws", partition or "aws"))
    regions = dict.fromkeys((ANY_VALUE, "", region))
    accounts = dict.fromkeys((ACCOUNT, "", account))
    return [(p, r, a) for p in partitions for r in regions for a in accounts]


ACCOUNT = FREE * 12
"""Any account id (twelve characters that only a wildcard matches)."""


@lru_cache(maxsize=4096)
def resources_of(resource: str, service: str, kind: str = "") -> bool:
    """Whether a resource pattern matches every resource of `service` (`*`: of any service)
    whose resource part starts with `kind` (`role/`, `table/`; empty: any), in some partition,
    region and account. IAM's `*` crosses colons: `arn:aws:iam::*` covers every IAM resource,
    `arn:*` every resource."""
    if not has_wildcard(resource):
        return False
    name = ANY_VALUE if service == "*" else service
    return any(
        matches_every(resource, f"arn:{p}:{name}:{r}:{a}:{kind}{ANY_VALUE}")
        for p, r, a in _locations(resource)
    )


# Services whose ARNs name resources without a type (`arn:aws:s3:::bucket/key`,
# `arn:aws:sqs:region:account:queue`, `arn:aws:execute-api:region:account:api/stage/...`).
_UNTYPED = frozenset({"s3", "sqs", "sns", "execute-api"})
# Services whose actions commonly act on many resource types (ec2:CreateTags tags instances,
# volumes, peering connections...): there, every resource of one type is a scope.
_MIXED = frozenset({"ec2"})


def _kind_of(resource: str) -> str | None:
    """The resource type an ARN pattern writes out (`table` of `...:table/orders-*`)."""
    parts = resource.split(":", 5)
    if len(parts) != 6:
        return None
    end = min((i for i in (parts[5].find("/"), parts[5].find(":")) if i > 0), default=-1)
    kind = parts[5][:end] if end > 0 else ""
    return kind if kind and not has_wildcard(kind) else None


def all_resources(resource: str) -> bool:
    """`*`, or a pattern that matches every resource of every service (`arn:*`,
    `arn:aws:*:*:*:*`, `arn:aws:*:us-east-1:123456789012:*`)."""
    return matches_every(resource, ANY_VALUE) or resources_of(resource, "*")


def service_resources(resource: str, service: str | None) -> bool:
    """Whether a resource pattern covers every resource (of one account) that actions of
    `service` act on, or every resource of one of its types: `arn:aws:s3:::*` for s3,
    `arn:aws:logs:*:*:*` for logs, `arn:aws:dynamodb:*:*:table/*` (every table). A name prefix
    (`table/orders-*`) is a scope. None: any service."""
    if all_resources(resource):
        return True
    if service is None:
        return False
    if resources_of(resource, service):
        return True
    if service in _UNTYPED:  # every object of every bucket: `arn:aws:s3:::*/*`
        return resources_of(resource, service, f"{ANY_VALUE}/")
    kind = _kind_of(resource) if service not in _MIXED else None
    return kind is not None and (
        resources_of(resource, service, f"{kind}/") or resources_of(resource, service, f"{kind}:")
    )


def service_of(action: str) -> str | None:
    """The service an action pattern names (`s3` of `s3:Put*`), None when it is a wildcard."""
    service, colon, _ = action.partition(":")
    return service.lower() if colon and service and not has_wildcard(service) else None


def resource_service(resource: str) -> str | None:
    """The service an ARN pattern names, when written out (`s3` of `arn:aws:s3:::*`)."""
    parts = resource.split(":", 3)
    if len(parts) == 4 and parts[0].lower() == "arn" and parts[2] and not has_wildcard(parts[2]):
        return parts[2].lower()
    return None


def action_on_every_resource(action: str, resource: str) -> bool:
    """Whether an action pattern on a resource pattern reaches every resource the action's
    service has: `s3:PutObject` on `arn:aws:s3:::*`, `*` on `arn:aws:dynamodb:*:*:*`."""
    service = service_of(action)
    if service is None:
        service = resource_service(resource)
        if service is not None and not glob_matches(action.partition(":")[0], service):
            service = None
    return service_resources(resource, service)


def every_action_of(action: str, service: str) -> bool:
    """Whether an action pattern matches every action of `service`, or every action of the
    service it names: `sqs:*`, `SQS:*`, `sqs:?*`, `*`, `*:*`, `s*` (IAM's `*` crosses the
    colon), but not `sqs:Send*` or `s3:*Object*`."""
    if matches_every(action, f"{service}:{ANY_VALUE}"):
        return True
    named = service_of(action)
    return named is not None and matches_every(action, f"{named}:{ANY_VALUE}")
