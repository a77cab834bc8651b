"""An EventBridge bus permission given by its parts, as a policy document.

The parts of the PutPermission API (an action, a principal, and a condition of one type, key and
value) are how CloudFormation's legacy form of `AWS::Events::EventBusPolicy` and pulumi-aws's
`cloudwatch.EventPermission` grant access to a bus: each is one statement of the bus's policy.
"""

from __future__ import annotations

from typing import Any


def permission_document(
    action: Any, principal: Any, condition: tuple[Any, Any, Any] | None
) -> dict[str, Any]:
    """The policy of one statement: the action defaults to `events:PutEvents`, a principal other
    than `*` is an account, and the condition (type, key, value) to type `StringEquals`."""
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Action": action or "events:PutEvents",
        "Principal": "*" if principal == "*" else {"AWS": principal},
        "Resource": "*",
    }
    if condition is not None:
        type_, key, value = condition
        statement["Condition"] = {str(type_ or "StringEquals"): {str(key or ""): value}}
    return {"Statement": [statement]}
