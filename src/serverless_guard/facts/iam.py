"""IAM facts: identities (roles, users, groups), their policies and managed-policy attachments."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from serverless_guard.facts.base import Resource
from serverless_guard.facts.policy import PolicyDocument
from serverless_guard.facts.value import Absent, Value


class IdentityKind(StrEnum):
    ROLE = "role"
    USER = "user"
    GROUP = "group"


@dataclass(frozen=True, slots=True, kw_only=True)
class Identity(Resource):
    """A role, user or group. `trust_policy` is a role's assume-role policy."""

    kind: IdentityKind
    trust_policy: Value[PolicyDocument] = field(default_factory=Absent)


@dataclass(frozen=True, slots=True, kw_only=True)
class IdentityPolicy(Resource):
    """A permissions policy: inline in an identity, a standalone policy, or a managed policy.
    `attached_to` are links to the identities it applies to."""

    attached_to: tuple[str, ...] = ()
    document: Value[PolicyDocument] = field(default_factory=Absent)


@dataclass(frozen=True, slots=True, kw_only=True)
class PolicyAttachment(Resource):
    """A managed policy (by ARN) attached to an identity (a link)."""

    identity: str
    policy_arn: Value[str] = field(default_factory=Absent)
