"""Methods, routes, policy and endpoint settings declared in an API's OpenAPI `Body`.

SAM writes every `AWS::Serverless::Api` and `AWS::Serverless::HttpApi` as an OpenAPI body (Swagger
2.0 or OpenAPI 3), and users import their own. API Gateway reads, per operation:
- `x-amazon-apigateway-auth` (`NONE` or `AWS_IAM`), which wins when present;
- otherwise the operation's `security` (or the document's global `security`): every scheme it
  names counts, whatever alternative it sits in (SAM lists an API key as a second alternative
  next to the authorizer). A scheme with `x-amazon-apigateway-authtype: awsSigv4` is IAM, one
  with an `x-amazon-apigateway-authorizer` is a Cognito, Lambda or JWT authorizer; an API key is
  not an authorization, and the name `NONE` (as SAM writes it) means none.

A body that is only known at deployment (`BodyS3Location`, `Fn::Transform`, a computed value)
gives one fact whose authorization is unknown, so that no rule passes what it cannot see.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from serverless_guard.engines.cloudformation.extract.base import CfnResource
from serverless_guard.engines.policy_document import policy_document
from serverless_guard.engines.props import Props, opaque_reason
from serverless_guard.facts.apigw import RestMethod, Route
from serverless_guard.facts.base import Resource
from serverless_guard.facts.policy import PolicyDocument
from serverless_guard.facts.value import Absent, Known, Path, Unknown, Value

_OPERATIONS = {
    "get": "GET",
    "put": "PUT",
    "post": "POST",
    "delete": "DELETE",
    "options": "OPTIONS",
    "head": "HEAD",
    "patch": "PATCH",
    "trace": "TRACE",
    "x-amazon-apigateway-any-method": "ANY",
}
_NONE = "NONE"
_API_KEY = "api key"
_POLICY = "x-amazon-apigateway-policy"
_ENDPOINT = "x-amazon-apigateway-endpoint-configuration"


def body(res: CfnResource) -> Props | Unknown | Absent:
    """The API's OpenAPI body: Props, Unknown when only known at deployment, Absent if none."""
    props = res.props
    if "BodyS3Location" in props:
        return Unknown("API definition read from S3 (BodyS3Location)", ("BodyS3Location",))
    return parse_body(props.raw("Body"), ("Body",))


def parse_body(node: Any, at: Path) -> Props | Unknown | Absent:
    """An OpenAPI document from a resolved node (a mapping or a JSON string) at `at`."""
    if node is None:
        return Absent(at)
    if isinstance(node, str):
        try:
            node = json.loads(node)
        except ValueError:
            return Unknown("Body is not a JSON document", at)
    if isinstance(node, Mapping):
        return Props(node, at)
    return Unknown(opaque_reason(node) or "Body built at deployment", at)


def body_policy(res: CfnResource) -> Value[PolicyDocument]:
    """The resource policy a REST API's body carries (`x-amazon-apigateway-policy`)."""
    return document_policy(body(res))


def document_policy(document: Props | Unknown | Absent) -> Value[PolicyDocument]:
    """The resource policy of an OpenAPI document (see `parse_body`)."""
    if not isinstance(document, Props):
        return document
    return policy_document(document.raw(_POLICY), document.path(_POLICY))


def body_vpc_endpoint_ids(res: CfnResource) -> Value[tuple[str, ...]]:
    """VPC endpoint ids of the body's `x-amazon-apigateway-endpoint-configuration` (at the top
    level in Swagger 2.0, under `servers` in OpenAPI 3)."""
    return document_vpc_endpoint_ids(body(res))


def document_vpc_endpoint_ids(document: Props | Unknown | Absent) -> Value[tuple[str, ...]]:
    """VPC endpoint ids of an OpenAPI document (see `parse_body`)."""
    if not isinstance(document, Props):
        return document
    configs: list[Props | Unknown | Absent] = [document.child(_ENDPOINT)]
    configs.extend(server.child(_ENDPOINT) for server in document.children("servers"))
    for config in configs:
        if isinstance(config, Unknown):
            return config
        if isinstance(config, Props) and "vpcEndpointIds" in config:
            return config.strings("vpcEndpointIds")
    return Absent(document.path(_ENDPOINT))


# -- security schemes ------------------------------------------------------------------------


def _schemes(document: Props) -> Mapping[str, Props] | Unknown:
    """Security schemes by name, from `securityDefinitions` and `components.securitySchemes`."""
    out: dict[str, Props] = {}
    components = document.child("components")
    if isinstance(components, Unknown):
        return components
    sources = [document.child("securityDefinitions")]
    if isinstance(components, Props):
        sources.append(components.child("securitySchemes"))
    for source in sources:
        if isinstance(source, Unknown):
            return source
        if isinstance(source, Props):
            for name in source.data:
                scheme = source.child(str(name))
                if isinstance(scheme, Unknown):
                    return scheme
                if isinstance(scheme, Props):
                    out[str(name)] = scheme
    return out


def _scheme_kind(scheme: Props) -> Value[str] | None:
    """The authorization type a scheme gives, `_API_KEY` for an API key, None for a scheme API
    Gateway does not use for authorization."""
    authtype = scheme.string("x-amazon-apigateway-authtype")
    if isinstance(authtype, Unknown):
        return authtype
    if isinstance(authtype, Known) and authtype.value.lower() == "awssigv4":
        return Known("AWS_IAM", authtype.at)
    authorizer = scheme.child("x-amazon-apigateway-authorizer")
    if isinstance(authorizer, Unknown):
        return authorizer
    if isinstance(authorizer, Props):
        kind = authorizer.string("type")
        if isinstance(kind, Unknown):
            return kind
        value = kind.value.lower() if isinstance(kind, Known) else "token"
        if value == "cognito_user_pools":
            return Known("COGNITO_USER_POOLS", authorizer.at)
        if value == "jwt":
            return Known("JWT", authorizer.at)
        return Known("CUSTOM", authorizer.at)
    if isinstance(authtype, Known) and authtype.value.lower() == "cognito_user_pools":
        return Known("COGNITO_USER_POOLS", authtype.at)
    kind = scheme.string("type")
    key_name = scheme.string("name")
    if (
        isinstance(kind, Known)
        and kind.value == "apiKey"
        and isinstance(key_name, Known)
        and key_name.value.lower() == "x-api-key"
    ):
        return Known(_API_KEY, scheme.at)
    return None


def _security_names(node: Any, at: Path) -> list[str] | Unknown:
    if isinstance(node, Mapping):
        node = [node]
    if not isinstance(node, Sequence) or isinstance(node, str):
        return Unknown(opaque_reason(node) or "security requirements built at deployment", at)
    names: list[str] = []
    for index, requirement in enumerate(node):
        if not isinstance(requirement, Mapping):
            reason = opaque_reason(requirement) or "security requirement built at deployment"
            return Unknown(reason, (*at, index))
        names.extend(str(name) for name in requirement)
    return names


def _authorization(
    operation: Props,
    default: tuple[Any, Path] | None,
    schemes: Mapping[str, Props] | Unknown,
) -> Value[str]:
    auth = operation.child("x-amazon-apigateway-auth")
    if isinstance(auth, Unknown):
        return auth
    if isinstance(auth, Props):
        declared = auth.string("type")
        return (
            Known(declared.value.upper(), declared.at) if isinstance(declared, Known) else declared
        )
    if "security" in operation:
        node, at = operation.raw("security"), operation.path("security")
    elif default is not None:
        node, at = default
    else:
        return Known(_NONE, operation.at)
    names = _security_names(node, at)
    if isinstance(names, Unknown):
        return names
    names = [name for name in names if name.upper() != _NONE]
    if isinstance(schemes, Unknown):
        return schemes if names else Known(_NONE, at)
    kinds: list[str] = []
    for name in names:
        scheme = schemes.get(name)
        if scheme is None:
            return Unknown(f"security scheme {name} is not defined in the body", at)
        kind = _scheme_kind(scheme)
        if isinstance(kind, Unknown):
            return kind
        if isinstance(kind, Known) and kind.value != _API_KEY:
            kinds.append(kind.value)
    return Known(kinds[0] if kinds else _NONE, at)


# -- operations ------------------------------------------------------------------------------

Operation = tuple[str, str, Props]


def _operations(document: Props) -> tuple[list[Operation], Unknown | None]:
    """The body's operations as (path, method, operation), and why some cannot be read."""
    found: list[Operation] = []
    paths = document.child("paths")
    if isinstance(paths, Unknown):
        return found, paths
    if isinstance(paths, Absent):
        return found, None
    unreadable: Unknown | None = None
    for path in paths.data:
        item = paths.child(str(path))
        if isinstance(item, Unknown):
            unreadable = unreadable or item
            continue
        if isinstance(item, Absent):
            continue
        for key in item.data:
            method = _OPERATIONS.get(str(key).lower())
            if method is None:
                continue
            operation = item.child(str(key))
            if isinstance(operation, Props):
                found.append((str(path), method, operation))
            elif isinstance(operation, Unknown):
                unreadable = unreadable or operation
    return found, unreadable


def _default_security(document: Props) -> tuple[Any, Path] | None:
    if "security" in document:
        return document.raw("security"), document.path("security")
    return None


def rest_body_methods(res: CfnResource) -> Iterable[Resource]:
    """RestMethod facts for the operations of a REST API's OpenAPI body."""
    ident = res.identity(name_property=None, extra_aliases=(f"${{{res.id}.RestApiId}}",))
    return rest_methods(body(res), ident, f"${{{res.id}}}", res.id)


def _operation_facts(
    document: Props | Unknown | Absent,
    label: str,
    noun: str,
    describe: Callable[[str, str], tuple[str, str]],
) -> Iterator[tuple[str, Path, Value[str], Value[str]]]:
    """(name, at, key, authorization) of each operation of an OpenAPI document (see
    `parse_body`); `describe(path, method)` gives an operation's key and its name after
    `label`. One entry whose key and authorization are unknown stands for the operations
    (`noun`) that are only known at deployment."""
    if isinstance(document, Absent):
        return
    if isinstance(document, Unknown):
        yield f"{label} (all {noun})", document.at, document, document
        return
    operations, unreadable = _operations(document)
    if unreadable is not None:
        yield f"{label} (some {noun})", unreadable.at, unreadable, unreadable
    schemes = _schemes(document)
    default = _default_security(document)
    for path, method, operation in operations:
        key, name = describe(path, method)
        yield (
            f"{label} {name}",
            operation.at,
            Known(key, operation.at),
            _authorization(operation, default, schemes),
        )


def rest_methods(
    document: Props | Unknown | Absent, ident: Mapping[str, Any], api: str, label: str
) -> Iterable[Resource]:
    """RestMethod facts for the operations of an OpenAPI document (see `parse_body`): `ident`
    is the API's identity, `api` the methods' link to it, `label` its name in method names."""
    for name, at, method, authorization in _operation_facts(
        document, label, "methods", lambda path, method: (method, f"{method} {path}")
    ):
        yield RestMethod(
            **{**ident, "at": at, "name": name},
            api=api,
            http_method=method,
            authorization_type=authorization,
        )


def _route(path: str, method: str) -> tuple[str, str]:
    """A route's key, which is also its name."""
    key = "$default" if method == "ANY" and path == "/$default" else f"{method} {path}"
    return key, key


def v2_body_routes(res: CfnResource) -> Iterable[Resource]:
    """Route facts for the operations of an HTTP API's OpenAPI body."""
    ident = res.identity(extra_aliases=(f"${{{res.id}.ApiId}}",))
    return v2_routes(body(res), ident, f"${{{res.id}}}", res.id)


def v2_routes(
    document: Props | Unknown | Absent, ident: Mapping[str, Any], api: str, label: str
) -> Iterable[Resource]:
    """Route facts for the operations of an OpenAPI document (see `rest_methods`)."""
    for name, at, key, authorization in _operation_facts(document, label, "routes", _route):
        yield Route(
            **{**ident, "at": at, "name": name},
            api=api,
            route_key=key,
            authorization_type=authorization,
        )
