from __future__ import annotations

from dataclasses import dataclass

from serverless_guard.catalog.fix import Choice, Fix
from serverless_guard.catalog.params import param
from serverless_guard.catalog.rule import (
    Context,
    Domain,
    Outcome,
    Remediation,
    Severity,
    Verdict,
    failed,
    not_applicable,
    passed,
    rule,
    unknown,
)
from serverless_guard.facts.apigw import RestApi, rest_api_policy_of
from serverless_guard.facts.nodes import is_opaque_text
from serverless_guard.facts.policy import Condition, PolicyDocument, Statement
from serverless_guard.facts.value import Absent, Known, Path, Unknown

_VPCE = "aws:sourcevpce"
_VPC = "aws:sourcevpc"
_INVOKE = {"*", "execute-api:*", "execute-api:invoke"}
POLICY = Fix.set(
    RestApi,
    "policy",
    Choice(
        "a policy that denies execute-api:Invoke unless aws:SourceVpce is one of your endpoints"
    ),
)


@dataclass(frozen=True, slots=True)
class VpcePolicyParams:
    allowed_vpc_endpoints: tuple[str, ...] = param(
        [],
        "VPC endpoint ids a private API's resource policy may admit. Empty: any restriction "
        "by aws:SourceVpce or aws:SourceVpc passes. When set, the policy must restrict by "
        "aws:SourceVpce to these ids only (a restriction by aws:SourceVpc alone fails).",
    )


def _restricting(statement: Statement) -> tuple[Condition, ...]:
    """The conditions by which a statement limits callers to VPC endpoints or VPCs: an Allow
    with StringEquals/StringLike on aws:SourceVpce or aws:SourceVpc, or a Deny to everyone
    with StringNotEquals/StringNotLike on them."""
    if statement.denies:
        if not any(p.value == "*" for p in statement.principals):
            return ()
        if statement.actions and not any(a.lower() in _INVOKE for a in statement.actions):
            return ()
        wanted = ("stringnotequals", "stringnotlike")
    elif statement.allows:
        wanted = ("stringequals", "stringlike")
    else:
        return ()
    found: list[Condition] = []
    for cond in statement.conditions:
        operator = cond.operator.lower().split(":")[-1].removesuffix("ifexists")
        if cond.key.lower() not in (_VPCE, _VPC) or operator not in wanted:
            continue
        if operator.endswith("like") and "*" in cond.values:
            continue  # matches every endpoint
        found.append(cond)
    return tuple(found)


def _where(statement: Statement) -> str:
    return f"statement {statement.sid}" if statement.sid else "a statement"


def _check(api: RestApi, document: PolicyDocument, allowed: tuple[str, ...]) -> Verdict:
    denies = [s for s in document.statements if s.denies and _restricting(s)]
    allows = [s for s in document.statements if s.allows]
    if denies:
        restricting = denies
    else:
        open_allows = [s for s in allows if not _restricting(s)]
        if open_allows:
            return failed(
                f"private REST API {api.name}'s resource policy: {_where(open_allows[0])} "
                "allows callers from any VPC endpoint: add a Deny with StringNotEquals on "
                "aws:SourceVpce (or condition every Allow on aws:SourceVpce)",
                at=open_allows[0].at,
            )
        restricting = allows
    if not allowed or not restricting:
        return passed()
    return _check_endpoints(api, restricting, allowed)


def _check_endpoints(
    api: RestApi, statements: list[Statement], allowed: tuple[str, ...]
) -> Verdict:
    named: list[tuple[str, Path]] = []
    for statement in statements:
        for cond in _restricting(statement):
            if cond.key.lower() == _VPCE:
                named.extend((value, statement.at) for value in cond.values)
    if not named:
        at = statements[0].at
        return failed(
            f"private REST API {api.name}'s resource policy restricts callers by VPC, not by "
            f"VPC endpoint: restrict aws:SourceVpce to {', '.join(allowed)}",
            at=at,
        )
    for value, at in named:
        if value in allowed:
            continue
        if is_opaque_text(value) or value.startswith("${"):
            return unknown(
                Unknown(f"VPC endpoint {value} is only known at deployment", at),
            )
        return failed(
            f"private REST API {api.name}'s resource policy admits VPC endpoint {value}, "
            f"which is not among the allowed endpoints ({', '.join(allowed)})",
            at=at,
        )
    return passed()


@rule(
    id="apigw-private-api-vpce-policy",
    title="Private REST APIs admit only callers from known VPC endpoints",
    severity=Severity.HIGH,
    domain=Domain.NETWORK,
    rationale=(
        "A PRIVATE REST API is reachable through any execute-api interface VPC endpoint, "
        "including endpoints in other accounts' VPCs, unless its resource policy says "
        "otherwise. A policy that conditions access on aws:SourceVpce (or aws:SourceVpc) keeps "
        "the API to the networks meant to call it; the allowed endpoint ids can be pinned."
    ),
    remediation=Remediation(
        cdk="Pass `policy=iam.PolicyDocument(...)` with a Deny on `execute-api:Invoke` when "
        "`aws:SourceVpce` is not your endpoint (PrivateRestApi builds it from its endpoints).",
        pulumi="Attach `aws.apigateway.RestApiPolicy` with a Deny for `StringNotEquals` "
        "`aws:SourceVpce` and an Allow for `execute-api:Invoke`.",
        cloudformation="Set `Policy` on `AWS::ApiGateway::RestApi` with a Deny on "
        "`StringNotEquals: {aws:SourceVpce: vpce-...}` (SAM: `Auth.ResourcePolicy."
        "SourceVpcWhitelist`).",
    ),
    references=(
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-api-create.html",
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-examples.html",
    ),
    params=VpcePolicyParams,
    fixes=(POLICY,),
)
def apigw_private_api_vpce_policy(api: RestApi, ctx: Context[VpcePolicyParams]) -> Verdict:
    private: Unknown | None = None
    match api.endpoint_types:
        case Absent():
            return not_applicable("the API is EDGE, not PRIVATE")
        case Unknown() as u:
            private = u
        case Known(value=types) if not any(t.upper() == "PRIVATE" for t in types):
            opaque = [t for t in types if is_opaque_text(t)]
            if not opaque:
                return not_applicable(f"the API is {', '.join(types) or 'EDGE'}, not PRIVATE")
            private = Unknown(
                f"endpoint type {opaque[0]} is only known at deployment", api.endpoint_types.at
            )
    policy = rest_api_policy_of(api, ctx.graph)
    match policy:
        case Unknown() as u:
            return unknown(u)
        case Absent():
            verdict = failed(
                f"private REST API {api.name} has no resource policy", at=policy, fix=POLICY
            )
        case Known(value=document):
            verdict = _check(api, document, ctx.params.allowed_vpc_endpoints)
    if private is not None and verdict.outcome is Outcome.FAIL:
        return unknown(private)
    return verdict
