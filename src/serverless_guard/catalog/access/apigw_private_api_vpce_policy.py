from __future__ import annotations

from dataclasses import dataclass

from serverless_guard.catalog.checks.conditions import (
    VPC_KEYS,
    Limit,
    Pin,
    caller_limit,
    condition_pin,
)
from serverless_guard.catalog.checks.iam_patterns import all_resources, concrete
from serverless_guard.catalog.checks.wildcards import glob_covers, glob_matches, has_wildcard
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
_INVOKE = "execute-api:Invoke"
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


def _path(resource: str) -> str:
    """The stage/method/path pattern of an execute-api resource of this API's policy
    (`execute-api:/prod/GET/*`, `arn:aws:execute-api:*:*:*/prod/GET/*`, `*`); empty when it
    names nothing of the API. A policy only applies to its own API, so the partition, region,
    account and API id it writes are this API's."""
    text = concrete(resource, worst=False)
    if text.startswith("execute-api:/"):
        return text[len("execute-api:/") :]
    parts = text.split(":", 5)
    if len(parts) == 6 and glob_matches(parts[2], "execute-api"):
        _, slash, path = parts[5].partition("/")
        return path if slash else ("*" if has_wildcard(parts[5]) else "")
    return "*" if all_resources(text) else ""


def _paths(statement: Statement) -> tuple[str, ...]:
    return tuple(p for p in map(_path, statement.resources) if p)


def _denied(condition: Condition) -> Condition | None:
    """For a Deny's condition on the caller's endpoint or VPC (`StringNotEquals`, with or
    without IfExists), the Allow condition it stands for: the callers it does not deny."""
    qualifier, _, operator = condition.operator.rpartition(":")
    base = operator.lower().removesuffix("ifexists")
    if condition.key.lower() not in VPC_KEYS or base not in ("stringnotequals", "stringnotlike"):
        return None
    allowed = "StringEquals" if base == "stringnotequals" else "StringLike"
    return Condition(
        f"{qualifier}:{allowed}" if qualifier else allowed, condition.key, condition.values
    )


def _deny_limit(statement: Statement) -> Limit:
    """Whether a Deny keeps every caller outside known endpoints (or VPCs) out of the API: it
    applies to everyone and to execute-api:Invoke, and its only conditions are negated tests
    of aws:SourceVpce or aws:SourceVpc with fixed values (any other condition narrows it)."""
    everyone = any(p.value == "*" and p.kind in ("*", "AWS") for p in statement.principals)
    if statement.not_principals or not everyone:
        return Limit(Pin.NONE)
    if statement.not_actions:
        if any(glob_matches(concrete(a, worst=True), _INVOKE) for a in statement.not_actions):
            return Limit(Pin.NONE)
    elif not any(glob_matches(concrete(a, worst=False), _INVOKE) for a in statement.actions):
        return Limit(Pin.NONE)
    allowed = [_denied(c) for c in statement.conditions]
    if not allowed or any(c is None for c in allowed):
        return Limit(Pin.NONE)
    return caller_limit([c for c in allowed if c is not None], VPC_KEYS)


def _restricting(statement: Statement) -> tuple[Condition, ...]:
    """The conditions by which a statement keeps callers to VPC endpoints or VPCs (in a Deny,
    as the Allow conditions they stand for)."""
    if statement.denies:
        found = [_denied(c) for c in statement.conditions]
    else:
        found = list(statement.conditions)
    return tuple(c for c in found if c is not None and condition_pin(c, VPC_KEYS) is not Pin.NONE)


def _where(statement: Statement) -> str:
    return f"statement {statement.sid}" if statement.sid else "a statement"


def _check(api: RestApi, document: PolicyDocument, allowed: tuple[str, ...]) -> Verdict:
    """Every Allow must either pin its callers to endpoints itself, or be covered (for every
    path it grants) by a Deny that keeps everyone else out."""
    denies: list[Statement] = []
    pending: Unknown | None = None
    for statement in document.statements:
        if not statement.denies:
            continue
        limit = _deny_limit(statement)
        if limit.pin is Pin.PINNED:
            denies.append(statement)
        elif limit.pin is Pin.MAYBE and pending is None:
            pending = Unknown(f"{_where(statement)}: {limit.why}", statement.at)
    denied = [p for s in denies for p in _paths(s)]
    restricting = list(denies)
    for statement in document.statements:
        if not statement.allows:
            continue
        limit = caller_limit(statement.conditions, VPC_KEYS)
        if limit.pin is Pin.PINNED:
            restricting.append(statement)
            continue
        open_paths = [p for p in _paths(statement) if not any(glob_covers(d, p) for d in denied)]
        if not open_paths:
            continue
        if limit.pin is Pin.MAYBE or pending is not None:
            pending = pending or Unknown(f"{_where(statement)}: {limit.why}", statement.at)
            continue
        scope = "" if open_paths[0] == "*" else f" on {open_paths[0]}"
        return failed(
            f"private REST API {api.name}'s resource policy: {_where(statement)} allows "
            f"callers from any VPC endpoint{scope}: add a Deny with StringNotEquals on "
            "aws:SourceVpce for execute-api:/* (or condition every Allow on aws:SourceVpce)",
            at=statement.at,
        )
    if pending is not None:
        return unknown(pending)
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
        "otherwise. A policy that conditions access on aws:SourceVpce (or aws:SourceVpc) with "
        "fixed ids keeps the API to the networks meant to call it, when every Allow is either "
        "conditioned so or covered, path by path, by a Deny to everyone outside those "
        "endpoints; the allowed endpoint ids can be pinned."
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
