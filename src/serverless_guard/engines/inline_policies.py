"""The policies written inside an IAM role (CloudFormation `Policies`, pulumi-aws
`inlinePolicies`), as one `IdentityPolicy` fact each."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from serverless_guard.engines.policy_document import policy_document
from serverless_guard.engines.props import Props, opaque_reason
from serverless_guard.facts.iam import IdentityPolicy
from serverless_guard.facts.value import Unknown


def inline_policies(
    props: Props, key: str, document_key: str, ident: Mapping[str, Any], link: str
) -> Iterator[IdentityPolicy]:
    """One IdentityPolicy per entry of the list `key`, attached to `link`, its document under
    `document_key`; a list or an entry only known at deployment gives a policy whose document
    is unknown."""
    node = props.raw(key)
    if node is None:
        return
    if not isinstance(node, Sequence) or isinstance(node, str):
        at = props.path(key)
        reason = opaque_reason(node) or f"{key} is not a list"
        yield IdentityPolicy(
            **{**ident, "at": at}, attached_to=(link,), document=Unknown(reason, at)
        )
        return
    for index, item in enumerate(node):
        at = props.path(key, index)
        if isinstance(item, Mapping):
            document = policy_document(item.get(document_key), (*at, document_key))
        else:
            document = Unknown(opaque_reason(item) or "policy is not a mapping", at)
        yield IdentityPolicy(**{**ident, "at": at}, attached_to=(link,), document=document)
