"""A permission given by its parts, as a policy document.

The parts of EventBridge's PutPermission API (an action, a principal, and a condition of one
type, key and value) are how CloudFormation's legacy form of `AWS::Events::EventBusPolicy` and
pulumi-aws's `cloudwatch.EventPermission` grant access to a bus: each is one statement of the
bus's policy. A Lambda layer version permission (an action, a principal and an organization id,
which Lambda writes as a `StringEquals` condition on `aws:PrincipalOrgID`) is one statement of
the layer version's policy in the same way.
"""

from __future__ import annotations

from typing import Any


def permission_document(
    action: Any,
    principal: Any,
    condition: tuple[Any, Any, Any] | None,
    default_action: str = "events:PutEvents",
) -> dict[str, Any]:
    """The policy of one statement: the action defaults to `default_action`, a principal other
    than `*` is an account, and the condition (type, key, value) to type `StringEquals`."""
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Action": action or default_action,
        "Principal": "*" if principal == "*" else {"AWS": principal},
        "Resource": "*",
    }
    if condition is not None:
        type_, key, value = condition
        statement["Condition"] = {str(type_ or "StringEquals"): {str(key or ""): value}}
    return {"Statement": [statement]}


LAYER_ACTION = "lambda:GetLayerVersion"


def layer_permission_document(action: Any, principal: Any, organization: Any) -> dict[str, Any]:
    """A layer version permission as the statement Lambda adds to the layer version's policy:
    an organization id is a `StringEquals` condition on `aws:PrincipalOrgID`."""
    condition = (
        None if organization is None else ("StringEquals", "aws:PrincipalOrgID", organization)
    )
    return permission_document(action, principal, condition, default_action=LAYER_ACTION)
