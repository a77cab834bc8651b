from __future__ import annotations

from dataclasses import dataclass

from serverless_guard.catalog.fix import AnyOf, Choice, Fix, FixValue
from serverless_guard.catalog.params import param
from serverless_guard.catalog.rule import (
    Context,
    Domain,
    Remediation,
    Severity,
    Verdict,
    failed,
    passed,
    rule,
    unknown,
)
from serverless_guard.facts.apigw import RestApi
from serverless_guard.facts.nodes import is_opaque_text
from serverless_guard.facts.value import Absent, Known, Unknown

PRIVATE = Fix.set(RestApi, "endpoint_types", "PRIVATE")


def _allowed(types: set[str]) -> Fix:
    value: FixValue = AnyOf(tuple(sorted(types))) if types else Choice("an allowed type")
    return Fix.set(RestApi, "endpoint_types", value)


@dataclass(frozen=True, slots=True)
class EndpointParams:
    allowed_types: tuple[str, ...] = param(
        ["PRIVATE"], "Endpoint types a REST API may use (PRIVATE, REGIONAL, EDGE)."
    )


@rule(
    id="apigw-rest-private-endpoint",
    title="REST APIs are private, reachable only through VPC endpoints",
    severity=Severity.HIGH,
    domain=Domain.NETWORK,
    rationale=(
        "An EDGE or REGIONAL REST API answers on a public hostname: anyone on the internet can "
        "reach it, and only its authorization stands between them and the backend. A PRIVATE "
        "API is reachable only through interface VPC endpoints for execute-api, so internal "
        "services stay off the internet. Without an EndpointConfiguration a REST API is EDGE. "
        "Allow other types per stack when an API must be public."
    ),
    remediation=Remediation(
        cdk="Use `apigw.RestApi(..., endpoint_types=[apigw.EndpointType.PRIVATE], policy=...)` "
        "(PrivateRestApi does this and adds the VPC endpoint policy).",
        pulumi="Set `endpoint_configuration={'types': 'PRIVATE', 'vpc_endpoint_ids': [...]}` "
        "on `aws.apigateway.RestApi`.",
        cloudformation="Set `EndpointConfiguration.Types: [PRIVATE]` on "
        "`AWS::ApiGateway::RestApi` (SAM: `EndpointConfiguration.Type: PRIVATE`).",
    ),
    references=(
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-apis.html",
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-endpoint-types.html",
    ),
    params=EndpointParams,
    fixes=(PRIVATE,),
)
def apigw_rest_private_endpoint(api: RestApi, ctx: Context[EndpointParams]) -> Verdict:
    allowed = {t.upper() for t in ctx.params.allowed_types}
    match api.endpoint_types:
        case Unknown() as u:
            return unknown(u)
        case Absent():
            types: tuple[str, ...] = ()
        case Known(value=listed):
            types = listed
    if not types:
        if "EDGE" in allowed:
            return passed()
        return failed(
            f"REST API {api.name} has no endpoint type, so it is EDGE (public)",
            at=api.endpoint_types,
            fix=_allowed(allowed),
        )
    other = [t for t in types if t.upper() not in allowed]
    opaque = [t for t in other if is_opaque_text(t)]
    if opaque:
        return unknown(
            Unknown(f"endpoint type {opaque[0]} is only known at deployment", api.endpoint_types.at)
        )
    if other:
        return failed(
            f"REST API {api.name} uses endpoint type {', '.join(other)}",
            at=api.endpoint_types,
            fix=_allowed(allowed),
        )
    return passed()
