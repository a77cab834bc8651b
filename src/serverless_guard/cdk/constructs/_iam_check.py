"""Check a role's trust, managed policies and permissions with the catalog's own IAM rules.

The role is checked at synthesis (`RoleChecks`, an aspect), when every statement has been added
(`initial_policy`, `add_to_policy`, `add_to_role_policy`, grants). Its settings are resolved
to CloudFormation (`Stack.resolve`), put in a template of a role and its policies, and
evaluated exactly as a scan would evaluate them: what a construct warns about is what the
validation plugin and the CLI report.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import jsii
from aws_cdk import IAspect, Stack
from aws_cdk import aws_iam as iam
from constructs import Construct, IConstruct

from serverless_guard.catalog import iam as iam_rules
from serverless_guard.cdk.constructs._catalog_check import warn_failures


def check_role(
    scope: Construct,
    *,
    trust: object | None = None,
    managed_policy_arns: Sequence[object] = (),
    policies: Mapping[str, object] | None = None,
) -> None:
    """Warn on `scope` for every IAM rule that the given role settings break. Settings are CDK
    values (documents, statements' JSON, ARNs); tokens are resolved in `scope`'s stack.
    `policies` are permission policies by name (messages call them by it)."""
    stack = Stack.of(scope)
    role_id = _logical_id(scope.node.id) or "Role"
    role: dict[str, object] = {}
    if trust is not None:
        role["AssumeRolePolicyDocument"] = stack.resolve(trust)
    if managed_policy_arns:
        role["ManagedPolicyArns"] = [stack.resolve(arn) for arn in managed_policy_arns]
    resources: dict[str, object] = {}
    if role:
        resources[role_id] = {"Type": "AWS::IAM::Role", "Properties": role}
    for index, (name, doc) in enumerate((policies or {}).items()):
        policy_id = _logical_id(name) or f"Policy{index}"
        if policy_id in resources:
            policy_id += str(index)
        resources[policy_id] = {
            "Type": "AWS::IAM::Policy",
            "Properties": {"PolicyName": name, "PolicyDocument": stack.resolve(doc)},
        }
    warn_failures(scope, resources, iam_rules.RULES)


def _logical_id(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", text)


@jsii.implements(IAspect)
class RoleChecks:
    """At synthesis, warn on `role` for every IAM rule that its trust, managed policies, inline
    policies and the policies created under it (its `DefaultPolicy`) break. Added with
    `Aspects.of(role).add(...)`: every construct under the role is visited, the role only is
    checked."""

    def __init__(self, role: iam.Role) -> None:
        self._path = role.node.path

    def visit(self, node: IConstruct) -> None:
        if not isinstance(node, iam.Role) or node.node.path != self._path:
            return
        resource = node.node.default_child
        if not isinstance(resource, iam.CfnRole):
            return
        stack = Stack.of(node)
        policies: dict[str, object] = {}
        for inline in stack.resolve(resource.policies) or ():
            policies[str(inline["policyName"])] = inline["policyDocument"]
        for child in node.node.find_all():
            if isinstance(child, iam.Policy):
                policies[child.node.path.removeprefix(f"{self._path}/")] = child.document
        check_role(
            node,
            trust=node.assume_role_policy,
            managed_policy_arns=stack.resolve(resource.managed_policy_arns) or (),
            policies=policies,
        )
