"""aws-native's names, derived from CloudFormation's by aws-native's own rule.

aws-native generates its resources from the CloudFormation resource schemas: a property's name
is the CloudFormation name with its first letter in lower case (`KmsKeyArn` -> `kmsKeyArn`),
except the few acronyms its schema spells otherwise (`SSESpecification` -> `sseSpecification`),
and keys inside free-form values (documents) stay as written. The aws-native extractor
(`engines.pulumi.extract.native`) turns inputs back into CloudFormation by the same rule; the
names here apply it the other way (`native_path`, with the extractor's exceptions), so the two
cannot disagree. tests/test_naming.py checks each spelling against that extractor.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from functools import cache

from serverless_guard.engines.pulumi.extract.native import (
    NATIVE_KINDS,
    PREFIX,
    RENAMES,
    cfn_type,
    native_path,
)
from serverless_guard.naming import cloudformation
from serverless_guard.naming.spelling import Spelling


def is_native(token: str) -> bool:
    return token.startswith(PREFIX)


def native_type(cfn: str) -> str:
    """`AWS::Lambda::EventInvokeConfig` -> `aws-native:lambda:EventInvokeConfig` (aws-native's
    modules are the services in lower case; its type names spell initialisms in title case,
    `GraphQlApi`)."""
    parts = cfn.split("::")
    kind = NATIVE_KINDS.get(parts[-1], parts[-1])
    token = f"{PREFIX}{parts[1].lower()}:{kind}" if len(parts) == 3 else cfn
    return token if cfn_type(token) == cfn else cfn


@cache
def _renamer(cfn: str) -> dict[str, str]:
    return {cfn_name: name for name, cfn_name in RENAMES.get(cfn, {}).items()}


def spellings(token: str, key: str) -> tuple[Spelling, ...]:
    cfn = cfn_type(token)
    if cfn is None:
        return ()

    def renamer(owner: str) -> Callable[[str], str]:
        """aws-native's name of a property of `owner` (a spelling's other resource has the
        exceptions of its own type)."""
        renames = _renamer(owner)
        return lambda name: str(native_path((name,), renames)[0])

    # A finding's path on an aws-native resource is in aws-native's names already.
    return tuple(
        dataclasses.replace(
            s.renamed(renamer(s.resource or cfn), native_type(s.resource) if s.resource else None),
            matches=None,
        )
        for s in cloudformation.spellings(cfn, key)
    )
