from __future__ import annotations

from serverless_guard.catalog.fix import Fix
from serverless_guard.catalog.rule import (
    Anchors,
    Domain,
    Remediation,
    Severity,
    Verdict,
    failed,
    passed,
    rule,
    unknown,
)
from serverless_guard.facts.appsync import GraphqlApi
from serverless_guard.facts.value import Absent, Known, Unknown

TRACE = Fix.set(GraphqlApi, "xray", True)


@rule(
    id="appsync-tracing",
    title="AppSync GraphQL APIs trace requests with AWS X-Ray",
    severity=Severity.LOW,
    domain=Domain.HARDENING,
    rationale=(
        "X-Ray tracing follows each GraphQL request through its resolvers and the data sources "
        "they call (Lambda, DynamoDB, HTTP), so a slow or failing resolver, or an unexpected "
        "call, can be found during an incident. Without it the API is a gap in every trace "
        "that passes through it."
    ),
    remediation=Remediation(
        cdk="Set `xray_enabled=True` on `appsync.GraphqlApi` (SecureGraphqlApi does this).",
        pulumi="Set `xray_enabled=True` on `aws.appsync.GraphQLApi`.",
        cloudformation="Set `XrayEnabled: true` on `AWS::AppSync::GraphQLApi` (SAM: "
        "`XrayEnabled` on `AWS::Serverless::GraphQLApi`).",
    ),
    references=("https://docs.aws.amazon.com/appsync/latest/devguide/x-ray-tracing.html",),
    anchors=Anchors(cdk_nag=("Serverless-AppSyncTracing",)),
    fixes=(TRACE,),
)
def appsync_tracing(api: GraphqlApi) -> Verdict:
    match api.xray:
        case Known(value=True):
            return passed()
        case Unknown() as u:
            return unknown(u)
        case Known() | Absent():
            return failed(
                f"GraphQL API {api.name} does not trace requests with X-Ray", at=api.xray, fix=TRACE
            )
