"""pulumi-aws (classic) AppSync GraphQL APIs."""

from __future__ import annotations

from collections.abc import Iterable

from serverless_guard.engines.props import item_strings
from serverless_guard.engines.pulumi.extract.base import Extractor, PulumiView
from serverless_guard.engines.pulumi.extract.classic.inputs import plain_inputs, read
from serverless_guard.facts.appsync import GraphqlApi
from serverless_guard.facts.base import Resource


def graphql_api(view: PulumiView) -> Iterable[Resource]:
    """`appsync.GraphQLApi`: the log configuration's role is a link (a role of the stack or
    not); everything else is read as written."""
    inputs = plain_inputs(view)
    log = view.props.child("logConfig")
    plain_log = inputs.child("logConfig")
    yield GraphqlApi(
        **view.identity(),
        authentication_type=inputs.string("authenticationType"),
        additional_authentication_types=item_strings(
            inputs, "additionalAuthenticationProviders", "authenticationType"
        ),
        log_role=read(log, lambda c: c.link("cloudwatchLogsRoleArn")),
        field_log_level=read(plain_log, lambda c: c.string("fieldLogLevel")),
        xray=inputs.boolean("xrayEnabled"),
        visibility=inputs.string("visibility"),
        api_type=inputs.string("apiType"),
    )


EXTRACTORS: dict[str, Extractor] = {"aws:appsync/graphQLApi:GraphQLApi": graphql_api}
