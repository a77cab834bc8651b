"""Whether a resource's policies deny requests made without TLS (`aws:SecureTransport` false)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import IntEnum

from serverless_guard.catalog.checks.iam_patterns import concrete
from serverless_guard.catalog.checks.wildcards import glob_covers, glob_matches
from serverless_guard.catalog.rule import Verdict, failed, passed, unknown
from serverless_guard.facts.base import Resource
from serverless_guard.facts.graph import Graph
from serverless_guard.facts.nodes import OPAQUE_PART, is_opaque_text
from serverless_guard.facts.policy import Condition, Statement
from serverless_guard.facts.resource_policy import PolicyService, ResourcePolicy
from serverless_guard.facts.value import Absent, Known, Path, Unknown


class Fit(IntEnum):
    """How well a policy (or a statement) denies requests without TLS."""

    NO = 0
    MAYBE = 1  # only known at deployment
    YES = 2


@dataclass(frozen=True, slots=True)
class Judgement:
    fit: Fit
    why: str = ""


ResourceCheck = Callable[[Statement], Judgement]
_NO = Judgement(Fit.NO)
_SECURE_TRANSPORT = "aws:securetransport"


def _could_be(text: str, accepted: Iterable[str]) -> bool:
    """Whether a rendered string with parts only known at deployment may be an accepted value
    (its unknown parts may be anything, its literal parts must fit)."""
    pattern = "*".join(part.replace("*", "?").lower() for part in OPAQUE_PART.split(text))
    return any(glob_matches(pattern, value) for value in accepted)


def _principal(statement: Statement) -> Judgement:
    """A Deny applies to every caller only with principal `*` (or AWS `*`)."""
    values = [p.value for p in statement.principals if p.kind in ("*", "AWS")]
    if "*" in values:
        return Judgement(Fit.YES)
    opaque = next((v for v in values if is_opaque_text(v) and _could_be(v, ("*",))), None)
    if opaque is not None:
        return Judgement(Fit.MAYBE, f"principal {opaque} is only known at deployment")
    return Judgement(Fit.NO, "it does not apply to every principal")


def _actions(statement: Statement, actions: tuple[str, ...]) -> Judgement:
    """A Deny applies to every request only if one of its actions covers all of `actions`
    (`s3:*` covers `s3:*`, `*` and `s*` too)."""
    if any(all(glob_covers(a, wanted) for wanted in actions) for a in statement.actions):
        return Judgement(Fit.YES)
    opaque = next(
        (
            a
            for a in statement.actions
            if is_opaque_text(a) and all(glob_covers(concrete(a, worst=True), w) for w in actions)
        ),
        None,
    )
    if opaque is not None:
        return Judgement(Fit.MAYBE, f"action {opaque} is only known at deployment")
    return Judgement(Fit.NO, "it covers only some actions")


def _holds_without_tls(condition: Condition) -> Judgement:
    """Whether a condition is true for every request made without TLS. The statement's
    conditions must all be (they are ANDed): a second condition that requires TLS, or narrows
    the deny to some callers, makes it deny fewer requests, or none."""
    if is_opaque_text(condition.key):
        return Judgement(Fit.MAYBE, "its condition is only known at deployment")
    if condition.key.lower() != _SECURE_TRANSPORT:
        return Judgement(Fit.NO, f"its condition on {condition.key} narrows the deny")
    operator = condition.operator.lower().rsplit(":", 1)[-1]
    if operator == "null":  # the key is always present: Null false holds, Null true never
        wanted, missing = "false", "it requires aws:SecureTransport to be absent"
    elif operator in ("bool", "boolifexists"):
        wanted, missing = "false", "it does not test aws:SecureTransport for false"
    else:
        return Judgement(Fit.NO, f"it tests aws:SecureTransport with {condition.operator}")
    values = [v.strip() for v in condition.values]
    if any(v.lower() == wanted for v in values):
        return Judgement(Fit.YES)
    if operator != "null" and any(v.lower() == "true" for v in values):
        return Judgement(
            Fit.NO,
            f"its condition {condition.operator} requires aws:SecureTransport true, so it "
            "denies no request without TLS",
        )
    opaque = next((v for v in values if is_opaque_text(v) and _could_be(v, (wanted,))), None)
    if opaque is not None:
        return Judgement(
            Fit.MAYBE, f"aws:SecureTransport value {opaque} is only known at deployment"
        )
    return Judgement(Fit.NO, missing)


def denies_insecure_transport(
    statement: Statement, actions: tuple[str, ...], resources: ResourceCheck | None = None
) -> Judgement:
    """Whether a statement denies every principal the given actions without TLS, for every
    such request: every condition must hold without TLS. A statement that tests
    aws:SecureTransport but falls short says why."""
    if not any(c.key.lower() == _SECURE_TRANSPORT for c in statement.conditions):
        return _NO
    if statement.effect != "Deny":
        if is_opaque_text(statement.effect):
            return Judgement(Fit.MAYBE, "the statement's Effect is only known at deployment")
        return Judgement(Fit.NO, f"its statement on aws:SecureTransport is {statement.effect}")
    if statement.not_principals or statement.not_actions or statement.not_resources:
        return Judgement(Fit.NO, "it uses NotPrincipal, NotAction or NotResource")
    checks = (
        _principal(statement),
        _actions(statement, actions),
        *(_holds_without_tls(c) for c in statement.conditions),
        resources(statement) if resources is not None else Judgement(Fit.YES),
    )
    return min(checks, key=lambda j: j.fit)


def _rank(judgement: Judgement) -> tuple[Fit, bool]:
    return judgement.fit, bool(judgement.why)


def _policy(
    policy: ResourcePolicy, actions: tuple[str, ...], resources: ResourceCheck | None
) -> Judgement:
    match policy.document:
        case Absent():
            return _NO
        case Unknown() as u:
            return Judgement(Fit.MAYBE, f"policy {policy.name}: {u.reason}")
        case Known(value=document):
            judgements = [
                denies_insecure_transport(s, actions, resources) for s in document.statements
            ]
            best = max(judgements, key=_rank, default=_NO)
            if best.fit is Fit.YES:
                return Judgement(Fit.YES, policy.name)
            if best.fit is Fit.MAYBE:
                return Judgement(Fit.MAYBE, f"policy {policy.name}: {best.why}")
            return best


def tls_only(
    subject: Resource,
    graph: Graph,
    service: PolicyService,
    actions: tuple[str, ...],
    fix: str,
    resources: ResourceCheck | None = None,
) -> Verdict:
    """Pass when a resource policy of `service` attached to `subject` denies requests without
    TLS. Each policy counts only when every condition variant of it does; a policy attached to
    a resource named only at deployment may be this one's, which makes the verdict unknown."""
    noun = {PolicyService.S3: "bucket", PolicyService.SQS: "queue"}.get(service, "topic")
    linked = [
        p
        for p in graph.linked(ResourcePolicy, lambda p: p.targets, subject)
        if p.service is service
    ]
    variants: dict[tuple[str, Path], list[Judgement]] = defaultdict(list)
    for policy in linked:
        variants[(policy.id, policy.at)].append(_policy(policy, actions, resources))
    judgements = [min(found, key=lambda j: j.fit) for found in variants.values()]
    named_at_deployment = graph.memo(
        ("tls-only: policies on resources named at deployment", service),
        lambda: tuple(
            p
            for p in graph.of_kind(ResourcePolicy)
            if p.service is service and any(is_opaque_text(t) for t in p.targets)
        ),
    )
    for policy in named_at_deployment:
        if (policy.id, policy.at) not in variants and _policy(
            policy, actions, resources
        ).fit is not Fit.NO:
            judgements.append(
                Judgement(
                    Fit.MAYBE, f"policy {policy.name} applies to a {noun} named at deployment"
                )
            )
    best = max(judgements, key=_rank, default=_NO)
    if best.fit is Fit.YES:
        return passed(f"{noun} policy {best.why} denies requests without TLS")
    if best.fit is Fit.MAYBE:
        return unknown(Unknown(best.why))
    if not linked:
        return failed(
            f"{noun} {subject.name} has no {noun} policy that denies requests without TLS: {fix}"
        )
    names = ", ".join(sorted({p.name for p in linked}))
    detail = f" ({best.why})" if best.why else ""
    return failed(
        f"the policy of {noun} {subject.name} ({names}) does not deny every request without "
        f"TLS{detail}: {fix}"
    )
