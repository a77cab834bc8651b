"""The policy documents the components write: resource policies that refuse requests without TLS,
trust policies pinned to the account, and the user's own policies merged with them."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

import pulumi_aws as aws

from serverless_guard.pulumi.components._base import Where
from serverless_guard.pulumi.components._inputs import engine_value

VERSION = "2012-10-17"
Statement = dict[str, object]


def document(statements: Sequence[Mapping[str, object]]) -> dict[str, object]:
    return {"Version": VERSION, "Statement": [dict(s) for s in statements]}


def allow(actions: Sequence[str], resources: Sequence[str]) -> Statement:
    """An identity policy statement that allows named actions on named resources."""
    return {"Effect": "Allow", "Action": list(actions), "Resource": list(resources)}


def deny_insecure_transport(action: str, resources: Sequence[str]) -> Statement:
    """The standard statement that refuses every request made without TLS."""
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": action,
        "Resource": list(resources) if len(resources) > 1 else resources[0],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def service_trust(service: str, where: Where, source_arn: str | None = None) -> dict[str, object]:
    """A trust policy that lets an AWS service assume the role on behalf of this account's
    resources only (`aws:SourceAccount`, and `aws:SourceArn` when the service sends it)."""
    condition: dict[str, object] = {"StringEquals": {"aws:SourceAccount": where.account}}
    if source_arn is not None:
        condition["ArnLike"] = {"aws:SourceArn": source_arn}
    return document(
        [
            {
                "Effect": "Allow",
                "Principal": {"Service": service},
                "Action": "sts:AssumeRole",
                "Condition": condition,
            }
        ]
    )


def statements_of(policy: object) -> list[Statement]:
    """The statements of a policy document the user gave (a JSON string, a dict or an
    `aws.iam.PolicyDocumentArgs`), to merge with the component's own."""
    if policy is None or policy == "":
        return []
    if isinstance(policy, str):
        policy = json.loads(policy)
    else:  # an `aws.iam.PolicyDocumentArgs`, or its dict form: AWS names, or Python names
        policy = engine_value(policy, aws.iam.PolicyDocumentArgs)
    if not isinstance(policy, Mapping):
        raise TypeError(f"a policy document is a JSON object, not {type(policy).__name__}")
    found = policy.get("Statement", [])
    listed = found if isinstance(found, list) else [found]
    return [dict(s) for s in listed if isinstance(s, Mapping)]
