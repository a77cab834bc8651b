"""AWS::Lambda::Function, Url, Permission, EventInvokeConfig and LayerVersionPermission."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from serverless_guard.engines.cloudformation.extract.base import CfnResource, Extractor
from serverless_guard.engines.event_permission import layer_permission_document
from serverless_guard.engines.policy_document import policy_document
from serverless_guard.engines.props import (
    Props,
    first_child,
    link_text,
    link_texts,
    rendered_link,
    text_map,
)
from serverless_guard.facts.base import Resource
from serverless_guard.facts.lambda_ import EventInvokeConfig, Function, FunctionUrl, Permission
from serverless_guard.facts.nodes import INSIDE, render
from serverless_guard.facts.resource_policy import PolicyService, ResourcePolicy
from serverless_guard.facts.value import Absent, Known, Unknown, Value


def _environment(props: Props) -> Value[Mapping[str, str]]:
    return text_map(first_child(props.child("Environment"), "Variables"))


def _log_group(props: Props, logical_id: str) -> Value[str]:
    logging = props.child("LoggingConfig")
    if isinstance(logging, Unknown):
        return logging
    if isinstance(logging, Props) and "LogGroup" in logging:
        return logging.link("LogGroup")
    name_node = props.raw("FunctionName")
    name = render(name_node) if name_node is not None else f"${{{logical_id}}}"
    return Known(f"/aws/lambda/{name}", ())


def function(res: CfnResource) -> Iterable[Resource]:
    props = res.props
    tracing = props.child("TracingConfig")
    dlq = props.child("DeadLetterConfig")
    vpc = props.child("VpcConfig")
    yield Function(
        **res.identity(name_property="FunctionName"),
        runtime=props.string("Runtime"),
        package_type=props.string("PackageType"),
        environment=_environment(props),
        kms_key=props.link("KmsKeyArn"),
        tracing_mode=tracing.string("Mode") if isinstance(tracing, Props) else tracing,
        dead_letter_target=dlq.link("TargetArn") if isinstance(dlq, Props) else dlq,
        role=props.link("Role"),
        log_group=_log_group(props, res.id),
        reserved_concurrency=props.integer("ReservedConcurrentExecutions"),
        vpc_subnets=vpc.strings("SubnetIds") if isinstance(vpc, Props) else vpc,
    )


def url(res: CfnResource) -> Iterable[Resource]:
    props = res.props
    yield FunctionUrl(
        **res.identity(),
        function=link_text(props.link("TargetFunctionArn"), "function"),
        auth_type=props.string("AuthType"),
    )


def permission(res: CfnResource) -> Iterable[Resource]:
    props = res.props
    yield Permission(
        **res.identity(),
        function=link_text(props.link("FunctionName"), "function"),
        action=props.string("Action"),
        principal=rendered_link(props, "Principal"),
        source_arn=props.link("SourceArn"),
        source_account=props.link("SourceAccount"),
        principal_org_id=props.link("PrincipalOrgID"),
        function_url_auth_type=props.string("FunctionUrlAuthType"),
        event_source_token=props.link("EventSourceToken"),
    )


# A rendered part: `${...}` references and deployment-time values (which may hold colons) and
# characters other than a colon.
_ARN_PART = r"(?:\$\{" + INSIDE + r"\}|\$(?!\{)|[^:$])*+"
# `arn:<partition>:lambda:<region>:<account>:function:<name>[:<qualifier>]` and the partial
# `<account>:function:<name>[:<qualifier>]` that a FunctionName property also accepts.
_FUNCTION_ARN = re.compile(
    rf"^(?:arn:{_ARN_PART}:lambda:{_ARN_PART}:)?{_ARN_PART}:function:"
    rf"(?P<name>{_ARN_PART})(?::{_ARN_PART})?$"
)


def function_link(value: Value[str]) -> str:
    """A function link from a property that takes a name, an ARN or a partial ARN: ARN forms
    are reduced to the function's name, which the function's aliases hold."""
    link = link_text(value, "function")
    match = _FUNCTION_ARN.match(link)
    return match.group("name") if match and match.group("name") else link


def event_invoke_config(res: CfnResource) -> Iterable[Resource]:
    props = res.props
    on_failure = first_child(props.child("DestinationConfig"), "OnFailure")
    yield EventInvokeConfig(
        **res.identity(),
        function=function_link(props.link("FunctionName")),
        on_failure=on_failure.link("Destination")
        if isinstance(on_failure, Props)
        else (on_failure if isinstance(on_failure, Unknown) else Absent(("DestinationConfig",))),
    )


def layer_version_permission(res: CfnResource) -> Iterable[Resource]:
    props = res.props
    document = layer_permission_document(
        props.raw("Action"), props.raw("Principal"), props.raw("OrganizationId")
    )
    yield ResourcePolicy(
        **res.identity(),
        service=PolicyService.LAMBDA_LAYER,
        targets=link_texts(props, "LayerVersionArn"),
        document=policy_document(document, ()),
    )


EXTRACTORS: dict[str, Extractor] = {
    "AWS::Lambda::Function": function,
    "AWS::Lambda::Url": url,
    "AWS::Lambda::Permission": permission,
    "AWS::Lambda::EventInvokeConfig": event_invoke_config,
    "AWS::Lambda::LayerVersionPermission": layer_version_permission,
}
