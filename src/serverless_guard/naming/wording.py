"""Who wrote a resource, and how: the dialect a finding is rendered in, and its spellings.

A finding is written in the dialect of the resource it is about: CloudFormation for a template's
resource, SAM for a resource generated from a SAM resource, the CDK for a resource of a cloud
assembly (with the L2 construct that made it, when known), Pulumi's input names for a resource
seen by the policy pack (as `pulumi preview` shows them), and Pulumi's Python argument names
for a resource of a Python program run by `serverless-guard pulumi`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from serverless_guard.catalog.fix import Setting
from serverless_guard.naming.spelling import Spelling


class Dialect(StrEnum):
    CLOUDFORMATION = "cloudformation"
    SAM = "sam"
    CDK = "cdk"
    PULUMI = "pulumi"
    """The provider's input names (`pointInTimeRecovery.enabled`), in any program language."""
    PULUMI_PYTHON = "pulumi-python"
    """Pulumi's Python argument names (`point_in_time_recovery={"enabled": True}`)."""


@dataclass(frozen=True, slots=True)
class SamSource:
    """The SAM resource a generated resource comes from: its type, the properties it sets
    itself, those the template's `Globals` set for its kind, and its logical id."""

    type: str
    own: frozenset[str] = frozenset()
    globals: frozenset[str] = frozenset()
    id: str = ""


@dataclass(frozen=True, slots=True)
class Wording:
    """How to word a finding on one resource: its dialect and type token (`AWS::SQS::Queue`,
    `aws:sqs/queue:Queue`, `aws-native:sqs:Queue`), the SAM resource it was generated from, and
    (CDK) the constructs from the one that made it up to its stack, as `(id, fqn)` pairs."""

    dialect: Dialect
    type: str
    sam: SamSource | None = None
    constructs: tuple[tuple[str, str], ...] = ()


def spellings(wording: Wording, setting: Setting) -> tuple[Spelling, ...]:
    """Every way the engine spells `setting` on the wording's resource (the renderer picks the
    one the finding's path points into); empty when it has no spelling."""
    from serverless_guard.naming import cdk, cloudformation, native, pulumi_aws, sam

    dialect = wording.dialect
    if dialect is Dialect.SAM and wording.sam is not None:
        return sam.spellings(wording.sam, wording.type, setting.key)
    if dialect is Dialect.CDK:
        return cdk.spellings(wording.constructs, wording.type, setting.key)
    if dialect in (Dialect.PULUMI, Dialect.PULUMI_PYTHON):
        if native.is_native(wording.type):
            return native.spellings(wording.type, setting.key)
        return pulumi_aws.spellings(wording.type, setting.key)
    return cloudformation.spellings(wording.type, setting.key)
