"""AWS::IAM roles, users, groups and their policies."""

from __future__ import annotations

from collections.abc import Iterable

from serverless_guard.engines.cloudformation.extract.base import CfnResource, Extractor
from serverless_guard.engines.inline_policies import inline_policies
from serverless_guard.engines.policy_document import policy_document
from serverless_guard.engines.props import link_texts, scalar_text
from serverless_guard.facts.base import Resource
from serverless_guard.facts.iam import Identity, IdentityKind, IdentityPolicy, PolicyAttachment
from serverless_guard.facts.value import Known, Unknown

_NAME = {
    IdentityKind.ROLE: "RoleName",
    IdentityKind.USER: "UserName",
    IdentityKind.GROUP: "GroupName",
}
_ARN = {IdentityKind.ROLE: "role", IdentityKind.USER: "user", IdentityKind.GROUP: "group"}


def _identity(res: CfnResource, kind: IdentityKind) -> Iterable[Resource]:
    props = res.props
    ident = res.identity(
        name_property=_NAME[kind],
        arn=lambda n: f"arn:${{?AWS::Partition}}:iam::${{?AWS::AccountId}}:{_ARN[kind]}/{n}",
    )
    link = f"${{{res.id}}}"
    yield Identity(
        **ident,
        kind=kind,
        trust_policy=policy_document(
            res.properties.get("AssumeRolePolicyDocument"), ("AssumeRolePolicyDocument",)
        )
        if kind is IdentityKind.ROLE
        else policy_document(None, ()),
    )
    yield from inline_policies(props, "Policies", "PolicyDocument", ident, link)
    arns = props.strings("ManagedPolicyArns")
    if isinstance(arns, Known):
        for index, arn in enumerate(arns.value):
            at = ("ManagedPolicyArns", index)
            yield PolicyAttachment(**{**ident, "at": at}, identity=link, policy_arn=Known(arn, at))
    elif isinstance(arns, Unknown):
        yield PolicyAttachment(**{**ident, "at": arns.at}, identity=link, policy_arn=arns)


def role(res: CfnResource) -> Iterable[Resource]:
    return _identity(res, IdentityKind.ROLE)


def user(res: CfnResource) -> Iterable[Resource]:
    return _identity(res, IdentityKind.USER)


def group(res: CfnResource) -> Iterable[Resource]:
    return _identity(res, IdentityKind.GROUP)


def policy(res: CfnResource) -> Iterable[Resource]:
    """AWS::IAM::Policy, AWS::IAM::ManagedPolicy and the per-identity policy resources."""
    props = res.props
    single = [
        scalar_text(props.raw(k)) for k in ("RoleName", "UserName", "GroupName") if k in props
    ]
    yield IdentityPolicy(
        **res.identity(name_property="ManagedPolicyName"),
        attached_to=link_texts(props, "Roles", "Users", "Groups")
        + tuple(s for s in single if s is not None),
        document=policy_document(props.raw("PolicyDocument"), ("PolicyDocument",)),
    )


EXTRACTORS: dict[str, Extractor] = {
    "AWS::IAM::Role": role,
    "AWS::IAM::User": user,
    "AWS::IAM::Group": group,
    "AWS::IAM::Policy": policy,
    "AWS::IAM::ManagedPolicy": policy,
    "AWS::IAM::RolePolicy": policy,
    "AWS::IAM::UserPolicy": policy,
    "AWS::IAM::GroupPolicy": policy,
}
