"""pulumi-aws (classic) IAM: roles, users, groups, managed and inline policies and their
attachments.

A role's inline policy (`RolePolicy`), a managed policy's attachment (`RolePolicyAttachment`,
`PolicyAttachment`) and the user and group variants give the same facts as the policies and
managed-policy ARNs written inside a CloudFormation role.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from serverless_guard.engines.inline_policies import inline_policies
from serverless_guard.engines.props import link_text, scalar_text
from serverless_guard.engines.pulumi.extract.base import Extractor, PulumiView
from serverless_guard.engines.pulumi.extract.classic.common import (
    dependency,
    identity,
    own_link,
    policy_input,
)
from serverless_guard.engines.pulumi.extract.classic.inputs import plain_inputs
from serverless_guard.engines.pulumi.resolve import plain
from serverless_guard.facts.base import Resource
from serverless_guard.facts.iam import Identity, IdentityKind, IdentityPolicy, PolicyAttachment
from serverless_guard.facts.nodes import Opaque, Ref
from serverless_guard.facts.value import Absent, Known, Path, Unknown, Value

_LIST_INPUTS = frozenset({"managedPolicyArns", "roles", "users", "groups"})


def _items(view: PulumiView, key: str) -> list[Value[str]]:
    """The items of an input that takes one name or ARN or a list of them (a role's
    `managedPolicyArns`, an attachment's `role` or `roles`), rendered: an item only known at
    deployment is a reference to the input's only dependency, else unknown. A whole list only
    known at deployment is unknown (it may hold anything)."""
    node = plain(view.resource.props.get(key))
    only = dependency(view, key)
    if node is None:
        return []
    if isinstance(node, Opaque) and key in _LIST_INPUTS:
        return [Unknown(node.what, (key,))]
    listed = isinstance(node, Sequence) and not isinstance(node, str)
    out: list[Value[str]] = []
    for index, item in enumerate(node if listed else [node]):
        at: Path = (key, index) if listed else (key,)
        if isinstance(item, Opaque):
            out.append(Known(Ref(only).render(), at) if only else Unknown(item.what, at))
        elif item is not None:
            out.append(Known(scalar_text(item) or Opaque("structured value").render(), at))
    return out


def _links(view: PulumiView, *keys: str) -> list[tuple[str, Path]]:
    """Links (see `_items`) from the inputs `keys` that are set; unknown items are opaque."""
    return [
        (link_text(item, item.reason if isinstance(item, Unknown) else "link"), item.at)
        for key in keys
        for item in _items(view, key)
    ]


def _identity_facts(view: PulumiView, kind: IdentityKind) -> Iterable[Resource]:
    ident = identity(view, "name")
    own = own_link(view)
    yield Identity(
        **ident,
        kind=kind,
        trust_policy=policy_input(view, "assumeRolePolicy")
        if kind is IdentityKind.ROLE
        else Absent(()),
    )
    if kind is not IdentityKind.ROLE:
        return
    yield from inline_policies(plain_inputs(view), "inlinePolicies", "policy", ident, own)
    for arn in _items(view, "managedPolicyArns"):
        yield PolicyAttachment(**{**ident, "at": arn.at}, identity=own, policy_arn=arn)


def role(view: PulumiView) -> Iterable[Resource]:
    return _identity_facts(view, IdentityKind.ROLE)


def user(view: PulumiView) -> Iterable[Resource]:
    return _identity_facts(view, IdentityKind.USER)


def group(view: PulumiView) -> Iterable[Resource]:
    return _identity_facts(view, IdentityKind.GROUP)


def managed_policy(view: PulumiView) -> Iterable[Resource]:
    """`iam.Policy`: a customer-managed policy, attached by the attachment resources."""
    yield IdentityPolicy(
        **identity(view, "name"), attached_to=(), document=policy_input(view, "policy")
    )


def identity_policy(view: PulumiView) -> Iterable[Resource]:
    """`iam.RolePolicy`, `UserPolicy`, `GroupPolicy`: an inline policy of one identity."""
    yield IdentityPolicy(
        **view.identity(),
        attached_to=tuple(owner for owner, _ in _links(view, "role", "user", "group")),
        document=policy_input(view, "policy"),
    )


def policy_attachment(view: PulumiView) -> Iterable[Resource]:
    """`iam.RolePolicyAttachment` and its user and group variants, and `iam.PolicyAttachment`
    (one attachment per identity it names)."""
    ident = view.identity()
    arn = view.props.link("policyArn")
    owners = _links(view, "role", "user", "group", "roles", "users", "groups")
    for owner, at in owners or [(Opaque("identity").render(), ())]:
        yield PolicyAttachment(**{**ident, "at": at}, identity=owner, policy_arn=arn)


EXTRACTORS: dict[str, Extractor] = {
    "aws:iam/role:Role": role,
    "aws:iam/user:User": user,
    "aws:iam/group:Group": group,
    "aws:iam/policy:Policy": managed_policy,
    "aws:iam/rolePolicy:RolePolicy": identity_policy,
    "aws:iam/userPolicy:UserPolicy": identity_policy,
    "aws:iam/groupPolicy:GroupPolicy": identity_policy,
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": policy_attachment,
    "aws:iam/userPolicyAttachment:UserPolicyAttachment": policy_attachment,
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": policy_attachment,
    "aws:iam/policyAttachment:PolicyAttachment": policy_attachment,
}
