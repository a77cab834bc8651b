"""AWS::AppSync::GraphQLApi."""

from __future__ import annotations

from collections.abc import Iterable

from serverless_guard.engines.cloudformation.extract.base import CfnResource, Extractor
from serverless_guard.engines.props import Props, item_strings
from serverless_guard.facts.appsync import GraphqlApi
from serverless_guard.facts.base import Resource


def graphql_api(res: CfnResource) -> Iterable[Resource]:
    """Ref gives the API's ARN; `ApiId` its id."""
    props = res.props
    log = props.child("LogConfig")
    yield GraphqlApi(
        **res.identity(extra_aliases=(f"${{{res.id}.ApiId}}",)),
        authentication_type=props.string("AuthenticationType"),
        additional_authentication_types=item_strings(
            props, "AdditionalAuthenticationProviders", "AuthenticationType"
        ),
        log_role=log.link("CloudWatchLogsRoleArn") if isinstance(log, Props) else log,
        field_log_level=log.string("FieldLogLevel") if isinstance(log, Props) else log,
        xray=props.boolean("XrayEnabled"),
        visibility=props.string("Visibility"),
        api_type=props.string("ApiType"),
    )


EXTRACTORS: dict[str, Extractor] = {"AWS::AppSync::GraphQLApi": graphql_api}
