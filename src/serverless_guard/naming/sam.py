"""SAM's names for the fields of the resources it generates, on the SAM resource the user wrote.

Most SAM properties pass through to the generated resource under the CloudFormation name
(`KmsKeyArn`, `VpcConfig`, an API's `MethodSettings`): those are derived, a CloudFormation
spelling whose first name is a property of the SAM resource type in the SAM translator's own
model (`samtranslator.model.sam_resources`). SAM's own properties (`Tracing: Active`,
`DeadLetterQueue`) are listed here, each checked against SAM's schema and by transforming a SAM
resource that sets it (tests/test_naming.py). A property that the template's `Globals` set for
the resource's kind (and the resource does not set itself) is fixed in `Globals`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from functools import cache

from serverless_guard.catalog.fix import AnyOf, Choice
from serverless_guard.naming import cloudformation
from serverless_guard.naming.spelling import Segments, Spelling, Table, cannot, lookup, spell
from serverless_guard.naming.wording import SamSource

PREFIX = "AWS::Serverless::"
FUNCTION = "AWS::Serverless::Function"
API = "AWS::Serverless::Api"
HTTP_API = "AWS::Serverless::HttpApi"
STATE_MACHINE = "AWS::Serverless::StateMachine"
GRAPHQL_API = "AWS::Serverless::GraphQLApi"
ANY_FIELD = "*"

# The generated resources that a SAM type's pass-through properties land on.
MAIN_RESOURCES: Mapping[str, frozenset[str]] = {
    FUNCTION: frozenset({"AWS::Lambda::Function"}),
    API: frozenset({"AWS::ApiGateway::RestApi", "AWS::ApiGateway::Stage"}),
    HTTP_API: frozenset({"AWS::ApiGatewayV2::Api", "AWS::ApiGatewayV2::Stage"}),
    "AWS::Serverless::WebSocketApi": frozenset(
        {"AWS::ApiGatewayV2::Api", "AWS::ApiGatewayV2::Stage"}
    ),
    "AWS::Serverless::SimpleTable": frozenset({"AWS::DynamoDB::Table"}),
    STATE_MACHINE: frozenset({"AWS::StepFunctions::StateMachine"}),
    GRAPHQL_API: frozenset({"AWS::AppSync::GraphQLApi"}),
}

# A function's API events make an implicit API: fixed on an API of the template instead.
IMPLICIT_APIS: Mapping[str, tuple[str, str]] = {
    "AWS::ApiGateway::": (API, "RestApiId"),
    "AWS::ApiGatewayV2::": (HTTP_API, "ApiId"),
}

_AUTHORIZER = {"*": Choice("an authorizer of Auth.Authorizers, or AWS_IAM")}
_ON_FAILURE = "EventInvokeConfig.DestinationConfig.OnFailure"
_DESTINATION = {
    "EventInvokeConfig.on_failure": spell(
        f"{_ON_FAILURE}.Destination",
        companions={f"{_ON_FAILURE}.Type": AnyOf(("SQS", "SNS", "Lambda", "EventBridge"))},
    ),
}

# SAM properties that are not a CloudFormation property of the same name, by SAM type and
# generated type (`*`: every field).
NAMES: Mapping[str, Table] = {
    FUNCTION: {
        "AWS::Lambda::Function": {
            "Function.tracing_mode": spell("Tracing"),
            "Function.dead_letter_target": spell(
                "DeadLetterQueue.TargetArn",
                companions={"DeadLetterQueue.Type": AnyOf(("SQS", "SNS"))},
            ),
            **_DESTINATION,
        },
        "AWS::Lambda::EventInvokeConfig": _DESTINATION,
        "AWS::Lambda::Url": {"FunctionUrl.auth_type": spell("FunctionUrlConfig.AuthType")},
        "AWS::Lambda::Permission": {
            "Permission.function_url_auth_type": spell("FunctionUrlConfig.AuthType"),
            ANY_FIELD: cannot(
                "narrow what makes this permission: the function's FunctionUrlConfig (AuthType "
                "AWS_IAM), or its event in Events (an AlexaSkill event's SkillId)"
            ),
        },
    },
    API: {
        "AWS::ApiGateway::RestApi": {
            "RestMethod.authorization_type": spell("Auth.DefaultAuthorizer", values=_AUTHORIZER),
            "RestApi.endpoint_types": spell("EndpointConfiguration.Type"),
        },
        "AWS::ApiGateway::Deployment": {
            ANY_FIELD: cannot(
                "set OpenApiVersion (3.0, for example in Globals.Api): without it SAM makes "
                "this extra stage"
            ),
        },
        "AWS::ApiGateway::DomainName": {
            "DomainName.security_policy": spell("Domain.SecurityPolicy"),
        },
        "AWS::ApiGateway::Stage": {
            "WebAclAssociation.web_acl": cannot(
                "associate a WAFv2 web ACL (scope REGIONAL) with the stage's ARN in an "
                "AWS::WAFv2::WebACLAssociation (the API's stage attribute names the stage)"
            ),
        },
    },
    HTTP_API: {
        "AWS::ApiGatewayV2::Api": {
            "Route.authorization_type": spell("Auth.DefaultAuthorizer", values=_AUTHORIZER),
            "Route.route_key": cannot("HTTP APIs have no $connect route"),
        },
        "AWS::ApiGatewayV2::DomainName": {
            "DomainName.security_policy": spell("Domain.SecurityPolicy"),
        },
    },
    "AWS::Serverless::WebSocketApi": {
        "AWS::ApiGatewayV2::Api": {
            ANY_FIELD: cannot("add a $connect entry to Routes, and an authorizer to it in Auth"),
        },
    },
    GRAPHQL_API: {
        "AWS::AppSync::GraphQLApi": {
            "GraphqlApi.authentication_type": spell("Auth.Type"),
            "GraphqlApi.additional_authentication_types": cannot(
                "remove the API_KEY entry from Auth.Additional"
            ),
            "GraphqlApi.field_log_level": spell("Logging.FieldLogLevel"),
            "GraphqlApi.log_role": spell("Logging.CloudWatchLogsRoleArn"),
            "WebAclAssociation.web_acl": cannot(
                "associate a WAFv2 web ACL (scope REGIONAL) with the API's ARN in an "
                "AWS::WAFv2::WebACLAssociation"
            ),
        },
    },
    STATE_MACHINE: {
        "AWS::StepFunctions::StateMachine": {
            "StateMachine.tracing": spell("Tracing.Enabled"),
            "StateMachine.logging_level": spell("Logging.Level"),
            "StateMachine.log_destinations": spell(
                "Logging.Destinations[*].CloudWatchLogsLogGroup.LogGroupArn"
            ),
        },
    },
}


@cache
def sam_properties() -> Mapping[str, frozenset[str]]:
    """The properties of each SAM resource type, as the SAM translator's model declares them."""
    from samtranslator.model import sam_resources

    out: dict[str, frozenset[str]] = {}
    for value in vars(sam_resources).values():
        kind = getattr(value, "resource_type", None)
        types = getattr(value, "property_types", None)
        if isinstance(value, type) and isinstance(kind, str) and isinstance(types, dict):
            out[kind] = frozenset(types)
    return out


def explicit(sam_type: str, generated: str, key: str) -> tuple[Spelling, ...]:
    table = NAMES.get(sam_type, {})
    return lookup(table, generated, key) or lookup(table, generated, ANY_FIELD)


def passthrough(sam_type: str, generated: str, key: str) -> tuple[Spelling, ...]:
    """The CloudFormation spellings that SAM passes through under the same name."""
    if generated not in MAIN_RESOURCES.get(sam_type, frozenset()):
        return ()
    names = sam_properties().get(sam_type, frozenset())
    return tuple(
        s
        for s in cloudformation.spellings(generated, key)
        if s.instead or (s.resource is None and isinstance(s.path[0], str) and s.path[0] in names)
    )


def spellings(source: SamSource, generated: str, key: str) -> tuple[Spelling, ...]:
    """How the SAM resource `source` sets `key` of a resource it generated (`generated` is
    that resource's CloudFormation type)."""
    found = explicit(source.type, generated, key) or passthrough(source.type, generated, key)
    if found:
        return tuple(_in_globals(s, source) for s in found)
    for prefix, (api_type, event_property) in IMPLICIT_APIS.items():
        if source.type in (FUNCTION, STATE_MACHINE) and generated.startswith(prefix):
            api = SamSource(api_type)
            note = (
                f"on an {api_type} that the events name in {event_property} (SAM makes an "
                "implicit API otherwise)"
            )
            return tuple(
                s if s.instead else dataclasses.replace(s, note=note)
                for s in spellings(api, generated, key)
            )
    return ()


def _in_globals(spelling: Spelling, source: SamSource) -> Spelling:
    """The spelling under `Globals.<kind>` when the template's Globals set its property for
    the resource's kind and the resource does not set it itself."""
    top = spelling.path[0] if spelling.path else None
    if not isinstance(top, str) or top not in source.globals or top in source.own:
        return spelling
    section: Segments = ("Globals", source.type.removeprefix(PREFIX))
    return dataclasses.replace(
        spelling,
        path=section + spelling.path,
        companions=tuple((section + path, value) for path, value in spelling.companions),
        document=None if spelling.document is None else spelling.document + 2,
    )
