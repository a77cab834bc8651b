"""The statements of an IAM policy that a rule reads, and the verdict on the ones that break it."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from serverless_guard.catalog.rule import Verdict, failed, not_applicable, passed, unknown
from serverless_guard.facts.iam import IdentityPolicy
from serverless_guard.facts.nodes import OPAQUE_PART
from serverless_guard.facts.policy import PolicyDocument, Statement
from serverless_guard.facts.value import Absent, Known, Unknown


@dataclass(frozen=True, slots=True)
class Breach:
    """Elements of one statement that break a rule; `certain` is False when they only may."""

    statement: Statement
    items: tuple[str, ...]
    certain: bool


def allowing(document: PolicyDocument) -> Iterator[tuple[Statement, bool]]:
    """Statements that allow, with True, and statements whose effect is only known at
    deployment, with False."""
    for statement in document.statements:
        if statement.allows:
            yield statement, True
        elif OPAQUE_PART.search(statement.effect):
            yield statement, False


def breach(
    statement: Statement,
    allows: bool,
    elements: Sequence[str],
    test: Callable[[str, bool], bool],
) -> Breach | None:
    """The elements for which `test(element, worst=False)` holds, else those for which
    `test(element, worst=True)` holds (see `iam_patterns.concrete`); None when there are none."""
    certain = tuple(e for e in elements if test(e, False))
    if certain:
        return Breach(statement, certain, allows)
    possible = tuple(e for e in elements if test(e, True))
    return Breach(statement, possible, False) if possible else None


def subject_label(policy: IdentityPolicy) -> str:
    """`FnRole's inline policy 0` (by its position, which every engine's path gives), or
    `policy ReadOrders`; the finding's path says where, in the engine's own names."""
    if policy.at:
        index = next((p for p in reversed(policy.at) if isinstance(p, int)), None)
        return f"{policy.name}'s inline policy" + (f" {index}" if index is not None else "")
    return f"policy {policy.name}"


def statement_label(statement: Statement) -> str:
    if statement.sid:
        return f'statement "{statement.sid}"'
    index = statement.at[-1] if statement.at else 0
    return f"statement {index}"


def quoted(items: Sequence[str], limit: int = 4) -> str:
    shown = ", ".join(f"`{item}`" for item in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def document_of(policy: IdentityPolicy) -> PolicyDocument | Verdict:
    """The policy's document, or the verdict when there is none to read."""
    match policy.document:
        case Known(value=document):
            return document
        case Unknown() as u:
            return unknown(u)
        case Absent():
            return not_applicable("no policy document")


def verdict_of(
    label: str, breaches: Sequence[Breach], wrong: str, fix: str, verb: str = "grants"
) -> Verdict:
    """Fail on certain breaches, unknown on possible ones, else pass. The message reads
    `{label} {verb} {items} {wrong} in statement 1: {fix}`."""
    certain = [b for b in breaches if b.certain]
    if certain:
        parts = "; ".join(
            f"{quoted(b.items)} {wrong} in {statement_label(b.statement)}" for b in certain
        )
        return failed(f"{label} {verb} {parts}: {fix}", at=certain[0].statement.at)
    if breaches:
        first = breaches[0]
        where = statement_label(first.statement)
        reason = (
            f"{label} may {verb.removesuffix('s')} {quoted(first.items)} {wrong} in {where}, "
            "depending on values known only at deployment"
        )
        return unknown(Unknown(reason, first.statement.at), reason)
    return passed()
