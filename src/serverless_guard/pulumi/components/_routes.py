"""Routes of the API components: `"GET /orders/{id}"` -> a Lambda function, with how callers are
authorized, and the Lambda permission that lets API Gateway invoke the function for that route
only (its source ARN and account)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NotRequired, Required, TypedDict

import pulumi
import pulumi_aws as aws

from serverless_guard.pulumi.components._base import SecureComponent
from serverless_guard.pulumi.components._inputs import LATER
from serverless_guard.pulumi.components.function import Handler, SecureFunction

APIGATEWAY = "apigateway.amazonaws.com"
_METHODS = frozenset({"ANY", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})


class RestRoute(TypedDict):
    """A route of a PrivateRestApi that is not simply a function: how callers are authorized
    (`aws.apigateway.Method`'s `authorization`, `authorizer_id`, `authorization_scopes`)."""

    function: Required[Handler]
    authorization: NotRequired[str]
    authorizer_id: NotRequired[pulumi.Input[str]]
    authorization_scopes: NotRequired[Sequence[pulumi.Input[str]]]


class HttpRoute(TypedDict):
    """A route of a SecureHttpApi that is not simply a function: how callers are authorized
    (`aws.apigatewayv2.Route`'s `authorization_type`, `authorizer_id`,
    `authorization_scopes`)."""

    function: Required[Handler]
    authorization_type: NotRequired[str]
    authorizer_id: NotRequired[pulumi.Input[str]]
    authorization_scopes: NotRequired[Sequence[pulumi.Input[str]]]


@dataclass(frozen=True, slots=True)
class Route:
    """One route key, parsed: `GET /orders/{id}` -> method GET, path `/orders/{id}`."""

    key: str
    method: str
    path: str

    @property
    def segments(self) -> tuple[str, ...]:
        return tuple(part for part in self.path.split("/") if part)

    @property
    def slug(self) -> str:
        """The route in resource names: letters, digits and dashes (what a Lambda permission's
        statement id, which Pulumi derives from its name, may hold), with a digest of the key
        so that `/a-b` and `/a/b` differ."""
        text = re.sub(r"[^A-Za-z0-9]+", "-", self.key).strip("-")[:60]
        return f"{text}-{hashlib.sha256(self.key.encode()).hexdigest()[:6]}"

    @property
    def source_path(self) -> str:
        """The path in the execute-api ARN a permission names: path parameters are `*`."""
        method = "*" if self.method == "ANY" else self.method
        if self.key == "$default":
            return "$default"
        path = "/".join("*" if part.startswith("{") else part for part in self.segments)
        return f"{method}/{path}"


def parse(key: str, *, http: bool) -> Route:
    """A route key `METHOD /path` (`$default` for an HTTP API's catch-all route)."""
    if http and key == "$default":
        return Route(key, "ANY", "")
    method, _, path = key.strip().partition(" ")
    method = method.upper()
    if method not in _METHODS or not path.startswith("/"):
        raise ValueError(f"route {key!r} is not 'METHOD /path' (methods: {sorted(_METHODS)})")
    if re.search(r"\s", path):
        raise ValueError(f"route {key!r}: the path has spaces")
    return Route(f"{method} {path}", method, path)


def permission(
    owner: SecureComponent,
    name: str,
    function: Handler,
    execution_arn: pulumi.Output[str],
    route: Route,
    api_name: str,
) -> aws.lambda_.Permission:
    """Let API Gateway invoke the function for this route of this API only, from this
    account."""
    source_arn = execution_arn.apply(lambda arn: f"{arn}/*/{route.source_path}")
    account = owner.where.apply(lambda where: where.account)
    created = aws.lambda_.Permission(
        name,
        action="lambda:InvokeFunction",
        function=function.name,
        principal=APIGATEWAY,
        source_arn=source_arn,
        source_account=account,
        opts=owner.child(),
    )
    owner.plan.add(
        aws.lambda_.Permission,
        name,
        {
            "action": "lambda:InvokeFunction",
            "function": LATER,
            "principal": APIGATEWAY,
            "source_arn": LATER,
            "source_account": LATER,
        },
        links={"source_arn": api_name},
    )
    return created


def target_of(value: Handler | Mapping[str, object]) -> tuple[Handler, Mapping[str, object]]:
    """The function a route invokes, and its other settings."""
    if not isinstance(value, Mapping):
        return value, {}
    settings = dict(value)
    function = settings.pop("function", None)
    if not isinstance(function, SecureFunction | aws.lambda_.Function):
        raise ValueError(
            f"a route's function is a SecureFunction or aws.lambda_.Function, not {function!r}"
        )
    return function, settings
