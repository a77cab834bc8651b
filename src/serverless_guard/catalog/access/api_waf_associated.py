from __future__ import annotations

from serverless_guard.catalog.checks.stages import stage_label
from serverless_guard.catalog.checks.web_acl import Fit, protection
from serverless_guard.catalog.fix import Choice, Fix
from serverless_guard.catalog.params import NoParams
from serverless_guard.catalog.rule import (
    Anchors,
    Context,
    Domain,
    Remediation,
    Severity,
    Verdict,
    failed,
    not_applicable,
    passed,
    rule,
    unknown,
)
from serverless_guard.facts.apigw import ApiKind, RestApi, Stage
from serverless_guard.facts.appsync import GraphqlApi
from serverless_guard.facts.graph import Graph
from serverless_guard.facts.nodes import is_opaque_text
from serverless_guard.facts.value import Known, Unknown
from serverless_guard.facts.waf import WebAclAssociation

ASSOCIATE = Fix.set(WebAclAssociation, "web_acl", Choice("a WAFv2 web ACL's ARN (scope REGIONAL)"))


def _private(stage: Stage, graph: Graph) -> bool | Unknown:
    """Whether the stage's REST API is private in every deployment: true, false, or unknown
    (an API not in the stack, an endpoint type only known at deployment)."""
    apis = graph.resolve(stage.api, RestApi)
    if not apis:
        return Unknown(f"the REST API of {stage_label(stage)} is not in this stack")
    for api in apis:
        match api.endpoint_types:
            case Unknown() as u:
                return u
            case Known(value=types) if any(is_opaque_text(t) for t in types):
                return Unknown("endpoint type only known at deployment", api.endpoint_types.at)
            case Known(value=types) if any(t.strip().upper() == "PRIVATE" for t in types):
                continue
        return False
    return True


@rule(
    id="api-waf-associated",
    title="Public REST API stages and AppSync APIs are protected by an AWS WAF web ACL",
    severity=Severity.MEDIUM,
    domain=Domain.NETWORK,
    rationale=(
        "A REST API stage or an AppSync API that anyone can reach takes every request to its "
        "authorizers and backends: injection attempts, scanners, bots and floods included. A "
        "WAFv2 web ACL filters them first (managed rule groups for known bad inputs, rate-based "
        "rules per client address) and is the only layer-7 filter API Gateway and AppSync "
        "offer. Private REST APIs, reachable only through VPC endpoints, and HTTP and "
        "WebSocket APIs, which AWS WAF does not support, are not judged."
    ),
    remediation=Remediation(
        cdk="Create a `wafv2.CfnWebACL` (scope REGIONAL) and a `wafv2.CfnWebACLAssociation(..., "
        "resource_arn=api.deployment_stage.stage_arn, web_acl_arn=acl.attr_arn)` (for AppSync, "
        "`resource_arn=api.arn`; SecureGraphqlApi does this).",
        pulumi="Create an `aws.wafv2.WebAcl` (scope REGIONAL) and an "
        "`aws.wafv2.WebAclAssociation(resource_arn=stage.arn, web_acl_arn=acl.arn)` (for "
        "AppSync, `resource_arn=api.arn`).",
        cloudformation="Add an `AWS::WAFv2::WebACL` (Scope: REGIONAL) and an "
        "`AWS::WAFv2::WebACLAssociation` with `ResourceArn: !Sub arn:${AWS::Partition}:"
        "apigateway:${AWS::Region}::/restapis/${Api}/stages/${Stage}` (for AppSync, "
        "`!GetAtt Api.Arn`) and `WebACLArn: !GetAtt Acl.Arn`.",
    ),
    references=(
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-aws-waf.html",
        "https://docs.aws.amazon.com/appsync/latest/devguide/WAF-Integration.html",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/apigateway-controls.html#apigateway-4",
    ),
    anchors=Anchors(
        fsbp=("APIGateway.4",),
        cdk_nag=(
            "AwsSolutions-APIG3",
            "NIST.800.53.R5-APIGWAssociatedWithWAF",
            "PCI.DSS.321-APIGWAssociatedWithWAF",
        ),
        checkov=("CKV2_AWS_29", "CKV2_AWS_33"),
    ),
    fixes=(ASSOCIATE,),
)
def api_waf_associated(subject: Stage | GraphqlApi, ctx: Context[NoParams]) -> Verdict:
    if isinstance(subject, Stage):
        if subject.api_kind is not ApiKind.REST:
            return not_applicable("AWS WAF does not support HTTP and WebSocket APIs")
        private = _private(subject, ctx.graph)
        if private is True:
            return not_applicable("private REST APIs are reachable only through VPC endpoints")
        label = stage_label(subject)
    else:
        private = False
        label = f"GraphQL API {subject.name}"
    found, association = protection(ctx.graph, subject)
    if found is Fit.YES and association is not None:
        return passed(f"web ACL associated by {association.name}")
    if found is Fit.MAYBE and association is not None:
        reason = f"web ACL association {association.name} names a resource only known at deployment"
        return unknown(Unknown(reason), f"{reason}, which may be {label}")
    if isinstance(private, Unknown):
        return unknown(
            private,
            f"{label} has no web ACL, and whether its REST API is private is only known at "
            f"deployment ({private.reason})",
        )
    return failed(f"{label} has no AWS WAF web ACL", fix=ASSOCIATE)
