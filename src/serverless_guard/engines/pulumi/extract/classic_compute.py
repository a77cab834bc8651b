"""pulumi-aws (classic) compute and API resources: Lambda, IAM, API Gateway (REST and v2) and
Step Functions.

The facts carry the same values as the CloudFormation extractors give for the same situation.
Where pulumi-aws declares a part of a resource as a resource of its own, the part links to its
owner through the input that names it: by property dependency (`${urn}`, which every fact of
the owner has among its aliases) or by the owner's literal name or ARN.

- A role's inline policy (`RolePolicy`), a managed policy's attachment (`RolePolicyAttachment`,
  `PolicyAttachment`) and the user and group variants give the same facts as the policies and
  managed-policy ARNs written inside a CloudFormation role.
- A stage's method settings (`apigateway.MethodSettings`) give a `StageMethodSettings` fact
  linked to the stage by reference or by (API, stage name); a REST API's policy
  (`apigateway.RestApiPolicy`) gives a `RestApiPolicy` fact. Rules read them through
  `facts.apigw.method_settings_of` and `rest_api_policy_of`.
- A function's whole resource policy (`lambda_.ResourcePolicy`) gives one `Permission` per
  principal of each Allow statement, as the `lambda_.Permission` resources would.
- A function without a `name` is named by Pulumi: its default log group renders
  `/aws/lambda/${<urn>}`, and so does a log group whose name is computed from that function
  alone (see `function_log_group`).

Inputs read as physical names and JSON documents come from the raw inputs, not the resolved
nodes: a known string computed from another resource (a policy built from a table's ARN) is that
string, not a reference to the other resource.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import yaml

from serverless_guard.engines.cloudformation.extract.lambda_ import (
    _function_link as function_link,
)
from serverless_guard.engines.cloudformation.extract.openapi import (
    document_policy,
    document_vpc_endpoint_ids,
    parse_body,
    rest_methods,
    v2_routes,
)
from serverless_guard.engines.policy_document import policy_document
from serverless_guard.engines.props import Props, first_child, scalar_text, text_map
from serverless_guard.engines.pulumi.extract.base import Extractor, PulumiView
from serverless_guard.engines.pulumi.model import is_unknown
from serverless_guard.engines.pulumi.resolve import plain
from serverless_guard.facts.apigw import (
    ApiKind,
    DomainName,
    HttpApi,
    MethodSetting,
    RestApi,
    RestApiPolicy,
    RestMethod,
    Route,
    Stage,
    StageMethodSettings,
)
from serverless_guard.facts.base import Resource
from serverless_guard.facts.iam import Identity, IdentityKind, IdentityPolicy, PolicyAttachment
from serverless_guard.facts.lambda_ import EventInvokeConfig, Function, FunctionUrl, Permission
from serverless_guard.facts.nodes import Opaque, Ref, is_opaque_text
from serverless_guard.facts.policy import PolicyDocument, Principal, Statement
from serverless_guard.facts.stepfunctions import StateMachine
from serverless_guard.facts.value import Absent, Known, Path, Unknown, Value

FUNCTION_TYPE = "aws:lambda/function:Function"
LOG_GROUP_TYPE = "aws:cloudwatch/logGroup:LogGroup"
_LAMBDA_LOGS = "/aws/lambda/"
_LIST_INPUTS = frozenset({"managedPolicyArns", "roles", "users", "groups"})


# -- shared -----------------------------------------------------------------------------------


def type_of(urn: str) -> str:
    """The resource type a URN names (`urn:pulumi:<stack>::<project>::<type>::<name>`; a
    child's type is qualified by its parents' types, `parent$child`)."""
    parts = urn.split("::", 3)
    return parts[2].rsplit("$", 1)[-1] if len(parts) == 4 else ""


def _literal(view: PulumiView, key: str) -> str | None:
    """A string input's literal value when it is known (whatever it was computed from)."""
    raw = view.resource.props.get(key)
    if isinstance(raw, str) and not is_unknown(raw):
        return raw
    return None


def _dependency(view: PulumiView, key: str, type_: str | None = None) -> str | None:
    """The one resource (of `type_`, if given) an input was computed from, if there is one."""
    urns = set(view.resource.property_dependencies.get(key, ()))
    if len(urns) != 1:
        return None
    urn = next(iter(urns))
    return urn if type_ is None or type_of(urn) == type_ else None


def _identity(view: PulumiView, name_key: str | None = None) -> dict[str, Any]:
    """The resource's identity; a known physical name is an alias, and what a reference to the
    resource stands for."""
    ident = view.identity()
    name = _literal(view, name_key) if name_key is not None else None
    if name:
        ident["aliases"] = frozenset({*ident["aliases"], name})
        ident["ref_value"] = name
    return ident


def _own_link(view: PulumiView) -> str:
    return Ref(view.urn).render()


def _link(value: Value[str], what: str) -> str:
    return value.value if isinstance(value, Known) else Opaque(what).render()


def _referencing(node: Any, urn: str | None) -> Any:
    """`node` with the values inside it that are only known at deployment as references to
    `urn`, the one resource they were computed from (when there is one)."""
    if urn is None:
        return node
    if isinstance(node, Opaque):
        return Ref(urn)
    if isinstance(node, Mapping):
        return {key: _referencing(value, urn) for key, value in node.items()}
    if isinstance(node, list):
        return [_referencing(value, urn) for value in node]
    return node


def _document(view: PulumiView, key: str) -> Value[PolicyDocument]:
    """A policy document input: a JSON string or a policy object (unknown as a whole during
    preview when computed). In an object, a value only known at deployment that was computed
    from the one resource the input depends on (a role's or a table's ARN) refers to it."""
    node = plain(view.resource.props.get(key))
    if isinstance(node, Mapping):
        node = _referencing(node, _dependency(view, key))
    return policy_document(node, (key,))


def _nested_link(view: PulumiView, key: str, parent: Props, nested: str, type_: str) -> Value[str]:
    """A link read from a nested input: a value only known at deployment that was computed
    from one resource of `type_` (the top-level input's only dependency) links to it."""
    value = parent.link(nested)
    if isinstance(value, Unknown):
        urn = _dependency(view, key, type_)
        if urn is not None:
            return Known(Ref(urn).render(), value.at)
    return value


def _items(view: PulumiView, key: str) -> list[Value[str]]:
    """The items of an input that takes one name or ARN or a list of them (a role's
    `managedPolicyArns`, an attachment's `role` or `roles`), rendered: an item only known at
    deployment is a reference to the input's only dependency, else unknown. A whole list only
    known at deployment is unknown (it may hold anything)."""
    node = plain(view.resource.props.get(key))
    only = _dependency(view, key)
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
        (_link(item, item.reason if isinstance(item, Unknown) else "link"), item.at)
        for key in keys
        for item in _items(view, key)
    ]


# -- Lambda -----------------------------------------------------------------------------------


def _environment(props: Props) -> Value[Mapping[str, str]]:
    return text_map(first_child(props.child("environment"), "variables"))


def _default_log_group(view: PulumiView) -> str:
    """`/aws/lambda/<name>`; a function Pulumi names (no `name`, or one only known at
    deployment) is denoted by its URN."""
    name = _literal(view, "name")
    return f"{_LAMBDA_LOGS}{name if name else _own_link(view)}"


def _function_log_group(view: PulumiView) -> Value[str]:
    props = view.props
    logging = props.child("loggingConfig")
    if isinstance(logging, Unknown):
        return logging
    if isinstance(logging, Props) and "logGroup" in logging:
        return _nested_link(view, "loggingConfig", logging, "logGroup", LOG_GROUP_TYPE)
    return Known(_default_log_group(view), ())


def function_log_group(view: PulumiView, key: str = "name") -> str | None:
    """The link a log group's computed name stands for, when it is the default log group of a
    function of the stack: a name computed from one Lambda function alone, either only known
    at deployment or of the form `/aws/lambda/<name>`, renders `/aws/lambda/${<urn>}` (which
    is how that function denotes its log group). None for any other name."""
    urn = _dependency(view, key, FUNCTION_TYPE)
    if urn is None:
        return None
    raw = view.resource.props.get(key)
    if is_unknown(raw) or (
        isinstance(raw, str)
        and raw.startswith(_LAMBDA_LOGS)
        and "/" not in raw[len(_LAMBDA_LOGS) :]
    ):
        return f"{_LAMBDA_LOGS}{Ref(urn).render()}"
    return None


def function(view: PulumiView) -> Iterable[Resource]:
    props = view.props
    tracing = props.child("tracingConfig")
    dlq = props.child("deadLetterConfig")
    vpc = props.child("vpcConfig")
    reserved = props.integer("reservedConcurrentExecutions")
    if isinstance(reserved, Known) and reserved.value == -1:  # the provider's "unreserved"
        reserved = Absent(reserved.at)
    yield Function(
        **_identity(view, "name"),
        runtime=props.string("runtime"),
        package_type=props.string("packageType"),
        environment=_environment(props),
        kms_key=props.link("kmsKeyArn"),
        tracing_mode=tracing.string("mode") if isinstance(tracing, Props) else tracing,
        dead_letter_target=dlq.link("targetArn") if isinstance(dlq, Props) else dlq,
        role=props.link("role"),
        log_group=_function_log_group(view),
        reserved_concurrency=reserved,
        vpc_subnets=vpc.strings("subnetIds") if isinstance(vpc, Props) else vpc,
    )


def _function(view: PulumiView, key: str) -> str:
    """A link to the function an input names (a name, an ARN, or a reference)."""
    return function_link(view.props.link(key))


def function_url(view: PulumiView) -> Iterable[Resource]:
    yield FunctionUrl(
        **view.identity(),
        function=_function(view, "functionName"),
        auth_type=view.props.string("authorizationType"),
    )


def _principal(props: Props) -> Value[str]:
    """The rendered principal; one only known at deployment stays rendered (`${?...}`) so that
    rules can tell an account from an unknown principal."""
    node = props.raw("principal")
    if isinstance(node, Opaque):
        return Known(node.render(), props.path("principal"))
    return props.link("principal")


def permission(view: PulumiView) -> Iterable[Resource]:
    props = view.props
    yield Permission(
        **view.identity(),
        function=_function(view, "function"),
        action=props.string("action"),
        principal=_principal(props),
        source_arn=props.link("sourceArn"),
        source_account=props.link("sourceAccount"),
        principal_org_id=props.link("principalOrgId"),
        function_url_auth_type=props.string("functionUrlAuthType"),
        event_source_token=props.link("eventSourceToken"),
    )


def event_invoke_config(view: PulumiView) -> Iterable[Resource]:
    props = view.props
    on_failure = first_child(props.child("destinationConfig"), "onFailure")
    yield EventInvokeConfig(
        **view.identity(),
        function=_function(view, "functionName"),
        on_failure=on_failure.link("destination")
        if isinstance(on_failure, Props)
        else (on_failure if isinstance(on_failure, Unknown) else Absent(("destinationConfig",))),
    )


def _condition(statement: Statement, key: str) -> Value[str]:
    """The first value a statement's conditions give `key` (any operator), rendered."""
    for condition in statement.conditions:
        if condition.key.lower() == key.lower() and condition.values:
            return Known(condition.values[0], statement.at)
    if any(is_opaque_text(c.key) for c in statement.conditions):
        return Unknown("condition built at deployment", statement.at)
    return Absent(statement.at)


def resource_policy(view: PulumiView) -> Iterable[Resource]:
    """`lambda_.ResourcePolicy`: a function's whole resource policy. Each principal of each
    Allow statement gives a `Permission`, scoped by the statement's conditions on
    aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID, lambda:FunctionUrlAuthType and
    lambda:EventSourceToken, as `AWS::Lambda::Permission` scopes it."""
    ident = view.identity()
    target = _function(view, "resourceArn")
    document = _document(view, "policy")
    if not isinstance(document, Known):
        yield Permission(**ident, function=target, principal=document, action=document)
        return
    for statement in document.value.statements:
        if statement.denies:
            continue
        principals = statement.principals or (Principal("*", Opaque("principal").render()),)
        for principal in principals:
            yield Permission(
                **{**ident, "at": statement.at},
                function=target,
                action=Known(statement.actions[0], statement.at)
                if statement.actions
                else Absent(statement.at),
                principal=Known(principal.value, statement.at)
                if statement.allows
                else Unknown("effect only known at deployment", statement.at),
                source_arn=_condition(statement, "aws:SourceArn"),
                source_account=_condition(statement, "aws:SourceAccount"),
                principal_org_id=_condition(statement, "aws:PrincipalOrgID"),
                function_url_auth_type=_condition(statement, "lambda:FunctionUrlAuthType"),
                event_source_token=_condition(statement, "lambda:EventSourceToken"),
            )


# -- IAM --------------------------------------------------------------------------------------


def _identity_facts(view: PulumiView, kind: IdentityKind) -> Iterable[Resource]:
    ident = _identity(view, "name")
    link = _own_link(view)
    yield Identity(
        **ident,
        kind=kind,
        trust_policy=_document(view, "assumeRolePolicy")
        if kind is IdentityKind.ROLE
        else Absent(()),
    )
    if kind is not IdentityKind.ROLE:
        return
    yield from _inline_policies(view, ident, link)
    for arn in _items(view, "managedPolicyArns"):
        yield PolicyAttachment(**{**ident, "at": arn.at}, identity=link, policy_arn=arn)


def _inline_policies(view: PulumiView, ident: dict[str, Any], link: str) -> Iterable[Resource]:
    """One IdentityPolicy per entry of a role's `inlinePolicies`; a list or an entry only known
    at deployment gives a policy whose document is unknown."""
    node = plain(view.resource.props.get("inlinePolicies"))
    if node is None:
        return
    at: Path = ("inlinePolicies",)
    if not isinstance(node, Sequence) or isinstance(node, str):
        reason = node.what if isinstance(node, Opaque) else "inlinePolicies is not a list"
        yield IdentityPolicy(
            **{**ident, "at": at}, attached_to=(link,), document=Unknown(reason, at)
        )
        return
    for index, item in enumerate(node):
        where: Path = (*at, index)
        document: Value[PolicyDocument]
        if isinstance(item, Mapping):
            document = policy_document(item.get("policy"), (*where, "policy"))
        else:
            reason = item.what if isinstance(item, Opaque) else "policy is not a mapping"
            document = Unknown(reason, where)
        yield IdentityPolicy(**{**ident, "at": where}, attached_to=(link,), document=document)


def role(view: PulumiView) -> Iterable[Resource]:
    return _identity_facts(view, IdentityKind.ROLE)


def user(view: PulumiView) -> Iterable[Resource]:
    return _identity_facts(view, IdentityKind.USER)


def group(view: PulumiView) -> Iterable[Resource]:
    return _identity_facts(view, IdentityKind.GROUP)


def managed_policy(view: PulumiView) -> Iterable[Resource]:
    """`iam.Policy`: a customer-managed policy, attached by the attachment resources."""
    yield IdentityPolicy(
        **_identity(view, "name"), attached_to=(), document=_document(view, "policy")
    )


def identity_policy(view: PulumiView) -> Iterable[Resource]:
    """`iam.RolePolicy`, `UserPolicy`, `GroupPolicy`: an inline policy of one identity."""
    yield IdentityPolicy(
        **view.identity(),
        attached_to=tuple(link for link, _ in _links(view, "role", "user", "group")),
        document=_document(view, "policy"),
    )


def policy_attachment(view: PulumiView) -> Iterable[Resource]:
    """`iam.RolePolicyAttachment` and its user and group variants, and `iam.PolicyAttachment`
    (one attachment per identity it names)."""
    ident = view.identity()
    arn = view.props.link("policyArn")
    owners = _links(view, "role", "user", "group", "roles", "users", "groups")
    for link, at in owners or [(Opaque("identity").render(), ())]:
        yield PolicyAttachment(**{**ident, "at": at}, identity=link, policy_arn=arn)


# -- API Gateway (REST) -----------------------------------------------------------------------


def _body(view: PulumiView) -> Props | Unknown | Absent:
    """An API's OpenAPI `body` (a JSON or YAML string, unknown during preview when computed)."""
    node = plain(view.resource.props.get("body"))
    if isinstance(node, str):
        try:
            node = json.loads(node)
        except ValueError:
            try:
                node = yaml.safe_load(node)
            except yaml.YAMLError:
                return Unknown("body is neither JSON nor YAML", ("body",))
    return parse_body(node, ("body",))


def rest_api(view: PulumiView) -> Iterable[Resource]:
    """The endpoint type, VPC endpoints and policy come from the inputs, else from the OpenAPI
    body's import parameters and extensions."""
    props = view.props
    body = _body(view)
    endpoint = props.child("endpointConfiguration")
    types = endpoint.strings("types") if isinstance(endpoint, Props) else endpoint
    if isinstance(types, Absent):
        parameters = props.child("parameters")
        if isinstance(parameters, Props) and "endpointConfigurationTypes" in parameters:
            types = parameters.strings("endpointConfigurationTypes")
    vpc_endpoints = endpoint.strings("vpcEndpointIds") if isinstance(endpoint, Props) else endpoint
    if isinstance(vpc_endpoints, Absent):
        from_body = document_vpc_endpoint_ids(body)
        vpc_endpoints = vpc_endpoints if isinstance(from_body, Absent) else from_body
    policy = _document(view, "policy")
    if isinstance(policy, Absent):
        in_body = document_policy(body)
        policy = policy if isinstance(in_body, Absent) else in_body
    ident = view.identity()
    yield RestApi(**ident, endpoint_types=types, vpc_endpoint_ids=vpc_endpoints, policy=policy)
    yield from rest_methods(body, ident, _own_link(view), view.resource.name)


def rest_api_policy(view: PulumiView) -> Iterable[Resource]:
    yield RestApiPolicy(
        **view.identity(),
        api=_link(view.props.link("restApiId"), "API"),
        document=_document(view, "policy"),
    )


def method(view: PulumiView) -> Iterable[Resource]:
    props = view.props
    yield RestMethod(
        **view.identity(),
        api=_link(props.link("restApi"), "API"),
        http_method=props.string("httpMethod"),
        authorization_type=props.string("authorization"),
    )


def stage(view: PulumiView) -> Iterable[Resource]:
    """A REST API stage; its method settings are separate resources (`method_settings`)."""
    props = view.props
    log = props.child("accessLogSettings")
    yield Stage(
        **view.identity(),
        api_kind=ApiKind.REST,
        api=_link(props.link("restApi"), "API"),
        access_log_destination=log.link("destinationArn") if isinstance(log, Props) else log,
        method_settings=Absent(()),
        tracing=props.boolean("xrayTracingEnabled"),
        cache_cluster=props.boolean("cacheClusterEnabled"),
        stage_name=_stage_name(view, "stageName"),
    )


def _stage_name(view: PulumiView, key: str) -> Value[str]:
    name = _literal(view, key)
    return Known(name, (key,)) if name is not None else view.props.string(key)


def _method_path(path: str) -> tuple[str, str]:
    """`*/*` -> (`/*`, `*`); `orders/{id}/GET` -> (`/orders/{id}`, `GET`)."""
    resource, _, http_method = path.strip().rpartition("/")
    return "/" + resource.lstrip("/"), http_method or "*"


def method_settings(view: PulumiView) -> Iterable[Resource]:
    """`apigateway.MethodSettings`: settings of one stage for all methods (`*/*`) or for one
    (`<resource path>/<HTTP method>`)."""
    props = view.props
    path = props.string("methodPath")
    settings_node = props.child("settings")
    listed: Value[tuple[MethodSetting, ...]]
    if isinstance(path, Unknown):
        listed = path
    elif isinstance(settings_node, Unknown):
        listed = settings_node
    else:
        resource_path, http_method = _method_path(path.value if isinstance(path, Known) else "*/*")
        values = settings_node if isinstance(settings_node, Props) else Props({}, ("settings",))
        listed = Known(
            (
                MethodSetting(
                    resource_path=resource_path,
                    http_method=http_method,
                    logging_level=values.string("loggingLevel"),
                    data_trace=values.boolean("dataTraceEnabled"),
                    caching=values.boolean("cachingEnabled"),
                    cache_encrypted=values.boolean("cacheDataEncrypted"),
                ),
            ),
            ("settings",),
        )
    yield StageMethodSettings(
        **view.identity(),
        api=_link(props.link("restApi"), "API"),
        stage=_link(props.link("stageName"), "stage"),
        settings=listed,
    )


def domain_name(view: PulumiView) -> Iterable[Resource]:
    yield DomainName(
        **_identity(view, "domainName"),
        api_kind=ApiKind.REST,
        security_policy=view.props.string("securityPolicy"),
    )


# -- API Gateway v2 (HTTP and WebSocket) ------------------------------------------------------


def v2_api(view: PulumiView) -> Iterable[Resource]:
    props = view.props
    protocol = props.string("protocolType")
    kind = (
        ApiKind.WEBSOCKET
        if isinstance(protocol, Known) and protocol.value.upper() == "WEBSOCKET"
        else ApiKind.HTTP
    )
    ident = view.identity()
    own = _own_link(view)
    yield HttpApi(**ident, api_kind=kind)
    if "target" in props:  # quick create: a route (`$default` unless `routeKey`) with no auth
        key = props.string("routeKey")
        yield Route(
            **{**ident, "at": ("target",)},
            api=own,
            route_key=key if not isinstance(key, Absent) else Known("$default", ("target",)),
            authorization_type=Absent(("target",)),
        )
    yield from v2_routes(_body(view), ident, own, view.resource.name)


def v2_route(view: PulumiView) -> Iterable[Resource]:
    props = view.props
    yield Route(
        **view.identity(),
        api=_link(props.link("apiId"), "API"),
        route_key=props.string("routeKey"),
        authorization_type=props.string("authorizationType"),
    )


def _route_setting(settings: Props, route_key: str = "/*") -> MethodSetting:
    return MethodSetting(
        resource_path=route_key,
        http_method="*",
        logging_level=settings.string("loggingLevel"),
        data_trace=settings.boolean("dataTraceEnabled"),
    )


def _route_settings(props: Props) -> Value[tuple[MethodSetting, ...]]:
    """A v2 stage's default route settings (for all routes) and its per-route settings."""
    if "defaultRouteSettings" not in props and "routeSettings" not in props:
        return Absent(props.path("defaultRouteSettings"))
    out: list[MethodSetting] = []
    default = props.child("defaultRouteSettings")
    if isinstance(default, Unknown):
        return default
    if isinstance(default, Props):
        out.append(_route_setting(default))
    raw = props.raw("routeSettings")
    if raw is not None:
        if not isinstance(raw, Sequence) or isinstance(raw, str):
            return Unknown("route settings built at deployment", props.path("routeSettings"))
        for index, item in enumerate(raw):
            at = props.path("routeSettings", index)
            if not isinstance(item, Mapping):
                return Unknown("route setting built at deployment", at)
            setting = Props(item, at)
            key = setting.string("routeKey")
            if isinstance(key, Unknown):
                return key
            out.append(_route_setting(setting, key.value if isinstance(key, Known) else "/*"))
    first = "defaultRouteSettings" if "defaultRouteSettings" in props else "routeSettings"
    return Known(tuple(out), props.path(first))


def v2_stage(view: PulumiView) -> Iterable[Resource]:
    props = view.props
    log = props.child("accessLogSettings")
    yield Stage(
        **view.identity(),
        api_kind=ApiKind.HTTP,
        api=_link(props.link("apiId"), "API"),
        access_log_destination=log.link("destinationArn") if isinstance(log, Props) else log,
        method_settings=_route_settings(props),
        stage_name=_stage_name(view, "name"),
    )


def v2_domain_name(view: PulumiView) -> Iterable[Resource]:
    config = view.props.child("domainNameConfiguration")
    yield DomainName(
        **_identity(view, "domainName"),
        api_kind=ApiKind.HTTP,
        security_policy=config.string("securityPolicy") if isinstance(config, Props) else config,
    )


# -- Step Functions ---------------------------------------------------------------------------


def state_machine(view: PulumiView) -> Iterable[Resource]:
    """`sfn.StateMachine`: one log destination, a log group's ARN ending in `:*`."""
    props = view.props
    logging = props.child("loggingConfiguration")
    destinations: Value[tuple[str, ...]]
    if isinstance(logging, Props):
        destination = _nested_link(
            view, "loggingConfiguration", logging, "logDestination", LOG_GROUP_TYPE
        )
        destinations = (
            Known((destination.value,), destination.at)
            if isinstance(destination, Known)
            else destination
        )
    else:
        destinations = logging
    tracing = props.child("tracingConfiguration")
    yield StateMachine(
        **_identity(view, "name"),
        logging_level=logging.string("level") if isinstance(logging, Props) else logging,
        log_destinations=destinations,
        tracing=tracing.boolean("enabled") if isinstance(tracing, Props) else tracing,
    )


EXTRACTORS: dict[str, Extractor] = {
    FUNCTION_TYPE: function,
    "aws:lambda/functionUrl:FunctionUrl": function_url,
    "aws:lambda/permission:Permission": permission,
    "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig": event_invoke_config,
    "aws:lambda/resourcePolicy:ResourcePolicy": resource_policy,
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
    "aws:apigateway/restApi:RestApi": rest_api,
    "aws:apigateway/restApiPolicy:RestApiPolicy": rest_api_policy,
    "aws:apigateway/method:Method": method,
    "aws:apigateway/stage:Stage": stage,
    "aws:apigateway/methodSettings:MethodSettings": method_settings,
    "aws:apigateway/domainName:DomainName": domain_name,
    "aws:apigatewayv2/api:Api": v2_api,
    "aws:apigatewayv2/route:Route": v2_route,
    "aws:apigatewayv2/stage:Stage": v2_stage,
    "aws:apigatewayv2/domainName:DomainName": v2_domain_name,
    "aws:sfn/stateMachine:StateMachine": state_machine,
}
