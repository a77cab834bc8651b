"""pulumi-aws (classic) Lambda: functions, function URLs, permissions, event invoke configs,
resource policies and layer version permissions.

- A function's whole resource policy (`lambda_.ResourcePolicy`) gives one `Permission` per
  principal of each Allow statement, as the `lambda_.Permission` resources would.
- A function without a `name` is named by Pulumi: its default log group renders
  `/aws/lambda/${<urn>}`, and so does a log group whose name is computed from that function
  alone (see `function_log_group`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from serverless_guard.engines.cloudformation.extract.lambda_ import (
    function_link,
)
from serverless_guard.engines.event_permission import layer_permission_document
from serverless_guard.engines.policy_document import policy_document
from serverless_guard.engines.props import Props, first_child, rendered_link, text_map
from serverless_guard.engines.pulumi.extract.base import Extractor, PulumiView
from serverless_guard.engines.pulumi.extract.classic.common import (
    LOG_GROUP_TYPE,
    dependency,
    identity,
    literal,
    nested_link,
    own_link,
    policy_input,
)
from serverless_guard.engines.pulumi.extract.classic.inputs import plain_inputs
from serverless_guard.engines.pulumi.extract.classic.owners import target
from serverless_guard.engines.pulumi.model import is_unknown
from serverless_guard.facts.base import Resource
from serverless_guard.facts.lambda_ import EventInvokeConfig, Function, FunctionUrl, Permission
from serverless_guard.facts.nodes import Opaque, Ref, is_opaque_text
from serverless_guard.facts.policy import Principal, Statement
from serverless_guard.facts.resource_policy import PolicyService, ResourcePolicy
from serverless_guard.facts.value import Absent, Known, Unknown, Value

FUNCTION_TYPE = "aws:lambda/function:Function"
# What a function's dead-letter queue can be: an SQS queue or an SNS topic.
DEAD_LETTER_TYPES = ("aws:sqs/queue:Queue", "aws:sns/topic:Topic")
_LAMBDA_LOGS = "/aws/lambda/"


def _environment(props: Props) -> Value[Mapping[str, str]]:
    return text_map(first_child(props.child("environment"), "variables"))


def _default_log_group(view: PulumiView) -> str:
    """`/aws/lambda/<name>`; a function Pulumi names (no `name`, or one only known at
    deployment) is denoted by its URN."""
    name = literal(view, "name")
    return f"{_LAMBDA_LOGS}{name if name else own_link(view)}"


def _function_log_group(view: PulumiView) -> Value[str]:
    props = view.props
    logging = props.child("loggingConfig")
    if isinstance(logging, Unknown):
        return logging
    if isinstance(logging, Props) and "logGroup" in logging:
        return nested_link(view, "loggingConfig", logging, "logGroup", LOG_GROUP_TYPE)
    return Known(_default_log_group(view), ())


def function_log_group(view: PulumiView, key: str = "name") -> str | None:
    """The link a log group's name stands for when it is only known at deployment and computed
    from one Lambda function of the stack alone: `/aws/lambda/${<urn>}`, that function's
    default log group (how `name=fn.name.apply(lambda n: f"/aws/lambda/{n}")` reads at a first
    preview). A known name is compared with the function's as it is (`/aws/lambda/orders-x` is
    not the log group of `orders`). None otherwise."""
    urn = dependency(view, key, FUNCTION_TYPE)
    if urn is None or not is_unknown(view.resource.props.get(key)):
        return None
    return f"{_LAMBDA_LOGS}{Ref(urn).render()}"


def function(view: PulumiView) -> Iterable[Resource]:
    props = view.props
    tracing = props.child("tracingConfig")
    dlq = props.child("deadLetterConfig")
    vpc = props.child("vpcConfig")
    reserved = props.integer("reservedConcurrentExecutions")
    if isinstance(reserved, Known) and reserved.value == -1:  # the provider's "unreserved"
        reserved = Absent(reserved.at)
    yield Function(
        **identity(view, "name"),
        runtime=props.string("runtime"),
        package_type=props.string("packageType"),
        environment=_environment(props),
        kms_key=props.link("kmsKeyArn"),
        tracing_mode=tracing.string("mode") if isinstance(tracing, Props) else tracing,
        dead_letter_target=(
            nested_link(view, "deadLetterConfig", dlq, "targetArn", DEAD_LETTER_TYPES)
            if isinstance(dlq, Props)
            else dlq
        ),
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


def permission(view: PulumiView) -> Iterable[Resource]:
    props = view.props
    yield Permission(
        **view.identity(),
        function=_function(view, "function"),
        action=props.string("action"),
        principal=rendered_link(props, "principal"),
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
    Allow statement gives a `Permission` scoped by the statement's conditions (the rules judge
    them as they judge the scoping fields of `AWS::Lambda::Permission`); its
    lambda:FunctionUrlAuthType condition says whether it is for the function's URL."""
    ident = view.identity()
    target = _function(view, "resourceArn")
    document = policy_input(view, "policy")
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
                function_url_auth_type=_condition(statement, "lambda:FunctionUrlAuthType"),
                conditions=statement.conditions,
            )


def layer_version_permission(view: PulumiView) -> Iterable[Resource]:
    """`lambda_.LayerVersionPermission`: one statement of a layer version's policy, given by its
    parts (a principal computed from one resource is a reference to it)."""
    inputs = plain_inputs(view)
    principal = inputs.raw("principal")
    if isinstance(principal, Opaque):
        principal = view.properties.get("principal")
    document = layer_permission_document(
        inputs.raw("action"), principal, inputs.raw("organizationId")
    )
    yield ResourcePolicy(
        **view.identity(),
        service=PolicyService.LAMBDA_LAYER,
        targets=target(view, "layerName"),
        document=policy_document(document, ()),
    )


EXTRACTORS: dict[str, Extractor] = {
    FUNCTION_TYPE: function,
    "aws:lambda/functionUrl:FunctionUrl": function_url,
    "aws:lambda/permission:Permission": permission,
    "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig": event_invoke_config,
    "aws:lambda/resourcePolicy:ResourcePolicy": resource_policy,
    "aws:lambda/layerVersionPermission:LayerVersionPermission": layer_version_permission,
}
