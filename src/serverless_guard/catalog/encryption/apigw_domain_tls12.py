from __future__ import annotations

from serverless_guard.catalog.checks.domain_tls import modern
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
from serverless_guard.facts.apigw import ApiKind, DomainName
from serverless_guard.facts.value import Absent, Known, Unknown

TLS_1_2 = Fix.set(DomainName, "security_policy", "TLS_1_2")


@rule(
    id="apigw-domain-tls12",
    title="API Gateway custom domains accept TLS 1.2 or later only",
    severity=Severity.HIGH,
    domain=Domain.ENCRYPTION,
    rationale=(
        "A REST API custom domain without a security policy, or with TLS_1_0, accepts TLS 1.0 "
        "and 1.1, which have known weaknesses and are deprecated (RFC 8996). TLS_1_2, or an "
        "enhanced security policy, rejects them so clients cannot be downgraded."
    ),
    remediation=Remediation(
        cdk="Set `security_policy=apigateway.SecurityPolicy.TLS_1_2` on `apigateway.DomainName` "
        "(or in the RestApi's `domain_name` options); for HTTP APIs "
        "`apigwv2.SecurityPolicy.TLS_1_2`.",
        pulumi="Set `security_policy='TLS_1_2'` on `aws.apigateway.DomainName`, and in "
        "`domain_name_configuration` of `aws.apigatewayv2.DomainName`.",
        cloudformation="Set `SecurityPolicy: TLS_1_2` on `AWS::ApiGateway::DomainName`, and in "
        "each `DomainNameConfigurations` entry of `AWS::ApiGatewayV2::DomainName` (SAM: "
        "`Domain.SecurityPolicy`).",
    ),
    references=(
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-custom-domain-tls-version.html",
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-ciphers.html",
    ),
    anchors=Anchors(checkov=("CKV_AWS_206",)),
    fixes=(TLS_1_2,),
)
def apigw_domain_tls12(domain: DomainName) -> Verdict:
    label = f"{domain.ref_value} ({domain.name})" if domain.ref_value else domain.name
    match domain.security_policy:
        case Known(value=policy) if modern(policy):
            return passed()
        case Known(value=policy):
            return failed(
                f"custom domain {label} uses security policy {policy}, which accepts TLS older "
                "than 1.2",
                at=domain.security_policy,
                fix=TLS_1_2,
            )
        case Unknown() as u:
            return unknown(u)
        case Absent() if domain.api_kind is not ApiKind.REST:
            return passed("API Gateway v2 domain names only support TLS_1_2")
        case Absent():
            return failed(
                f"custom domain {label} has no security policy, so it accepts TLS 1.0",
                at=domain.security_policy,
                fix=TLS_1_2,
            )
