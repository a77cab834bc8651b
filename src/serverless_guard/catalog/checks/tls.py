"""Whether a resource's policies deny requests made without TLS (`aws:SecureTransport` false)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import IntEnum

from serverless_guard.catalog.rule import Verdict, failed, passed, unknown
from serverless_guard.facts.base import Resource
from serverless_guard.facts.graph import Graph
from serverless_guard.facts.nodes import OPAQUE_PART, is_opaque_text
from serverless_guard.facts.policy import Statement
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

"""A part of a rendered string that is only known at deployment."""


def _could_be(text: str, accepted: frozenset[str]) -> bool:
    """Whether a rendered string with parts only known at deployment may be an accepted value."""
    pattern = ".*".join(re.escape(part) for part in OPAQUE_PART.split(text.lower()))
    return any(re.fullmatch(pattern, value, re.DOTALL) for value in accepted)


def _any(values: Iterable[str], accepted: frozenset[str], what: str, missing: str) -> Judgement:
    """YES when a value is accepted (case-insensitive), MAYBE when one may be at deployment."""
    items = tuple(values)
    if any(v.lower() in accepted for v in items):
        return Judgement(Fit.YES)
    opaque = next((v for v in items if is_opaque_text(v) and _could_be(v, accepted)), None)
    if opaque is not None:
        return Judgement(Fit.MAYBE, f"{what} {opaque} is only known at deployment")
    return Judgement(Fit.NO, missing)


def _secure_transport_false(statement: Statement) -> Judgement:
    """The statement's only condition is aws:SecureTransport false (a Bool operator)."""
    for condition in statement.conditions:
        if condition.key.lower() != _SECURE_TRANSPORT:
            return Judgement(Fit.NO, f"its condition on {condition.key} narrows the deny")
        if not condition.operator.endswith(("Bool", "BoolIfExists")):
            return Judgement(Fit.NO, f"it tests aws:SecureTransport with {condition.operator}")
    values = (v for c in statement.conditions for v in c.values)
    return _any(
        values,
        frozenset({"false"}),
        "aws:SecureTransport value",
        "it does not test aws:SecureTransport for false",
    )


def denies_insecure_transport(
    statement: Statement, actions: frozenset[str], resources: ResourceCheck | None = None
) -> Judgement:
    """Whether a statement denies every principal the given actions without TLS. A statement
    that tests aws:SecureTransport but falls short says why."""
    if not any(c.key.lower() == _SECURE_TRANSPORT for c in statement.conditions):
        return _NO
    if statement.effect != "Deny":
        if is_opaque_text(statement.effect):
            return Judgement(Fit.MAYBE, "the statement's Effect is only known at deployment")
        return Judgement(Fit.NO, f"its statement on aws:SecureTransport is {statement.effect}")
    if statement.not_principals or statement.not_actions or statement.not_resources:
        return Judgement(Fit.NO, "it uses NotPrincipal, NotAction or NotResource")
    checks = (
        _any(
            (p.value for p in statement.principals if p.kind in ("*", "AWS")),
            frozenset({"*"}),
            "principal",
            "it does not apply to every principal",
        ),
        _any(
            statement.actions,
            actions,
            "action",
            "it covers only some actions",
        ),
        _secure_transport_false(statement),
        resources(statement) if resources is not None else Judgement(Fit.YES),
    )
    return min(checks, key=lambda j: j.fit)


def _rank(judgement: Judgement) -> tuple[Fit, bool]:
    return judgement.fit, bool(judgement.why)


def _policy(
    policy: ResourcePolicy, actions: frozenset[str], resources: ResourceCheck | None
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
    actions: frozenset[str],
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
