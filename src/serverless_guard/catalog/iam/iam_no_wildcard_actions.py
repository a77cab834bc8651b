"""Wildcard actions in identity policies, and the statement readers the IAM rules share.

Policy elements are rendered strings (see `facts.nodes`): `${Id}` and `${Id.Attr}` denote stack
resources, `${?what}` parts are only known at deployment. The IAM rules read each element twice:
as it is certainly (references and deployment-time parts stand for specific values), and at
worst (a deployment-time part that a user supplies, such as a parameter without default, may be
`*`). A rule fails on what is certain and is unknown on what is only possible.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from serverless_guard.catalog.rule import (
    Anchors,
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
from serverless_guard.facts.iam import IdentityPolicy
from serverless_guard.facts.policy import PolicyDocument, Statement
from serverless_guard.facts.value import Absent, Known, Unknown, path_text

_OPAQUE = re.compile(r"\$\{\?([^}]*)\}")
_REFERENCE = re.compile(r"\$\{[^?}][^}]*\}")
SPECIFIC = "\x00"
"""Stands for a part that is one specific value: it matches no wildcard test."""


def concrete(text: str, *, worst: bool) -> str:
    """`text` with its non-literal parts replaced. References to stack resources and pseudo
    parameters (`AWS::Region`, ...) are specific values. Other deployment-time parts are `*` when
    `worst`, and specific otherwise."""

    def opaque(match: re.Match[str]) -> str:
        pseudo = match.group(1).startswith("AWS::")
        return "*" if worst and not pseudo else SPECIFIC

    return _OPAQUE.sub(opaque, _REFERENCE.sub(SPECIFIC, text))


def on_concrete(test: Callable[[str], bool]) -> Callable[[str, bool], bool]:
    """A test of rendered elements from a test of concrete text (see `concrete`)."""
    return lambda element, worst: test(concrete(element, worst=worst))


@lru_cache(maxsize=1024)
def _glob(pattern: str, star_only: bool) -> re.Pattern[str]:
    """A pattern's regex. With `star_only`, the text matched is itself a pattern, and only a
    `*` of `pattern` may match one of its `*`s (a `?` stands for one character, not for many)."""
    out = []
    for char in pattern:
        if char == "*":
            out.append(".*")
        elif char == "?":
            out.append("[^*]" if star_only else ".")
        else:
            out.append(re.escape(char))
    return re.compile("".join(out), re.IGNORECASE | re.DOTALL)


def glob_matches(pattern: str, text: str) -> bool:
    """IAM wildcard matching, case-insensitive: `*` is any run of characters, `?` one."""
    if "*" not in pattern and "?" not in pattern:
        return pattern.lower() == text.lower()
    if text == "*":  # the common question "does this pattern match everything?"
        return pattern.replace("*", "") in ("", "?")
    return _glob(pattern, False).fullmatch(text) is not None


def glob_covers(pattern: str, granted: str) -> bool:
    """True when every action that `granted` (itself a pattern) matches, `pattern` matches."""
    if "*" not in pattern and "?" not in pattern:
        return pattern.lower() == granted.lower()
    return _glob(pattern, True).fullmatch(granted) is not None


def service_wide(action: str) -> bool:
    """`*`, `*:*` or `svc:*`: every action, or every action of one service."""
    _, colon, name = action.partition(":")
    rest = name if colon else action
    return "*" in rest and set(rest) <= {"*", "?"}


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
        elif _OPAQUE.search(statement.effect):
            yield statement, False


def breach(
    statement: Statement,
    allows: bool,
    elements: Sequence[str],
    test: Callable[[str, bool], bool],
) -> Breach | None:
    """The elements for which `test(element, worst=False)` holds, else those for which
    `test(element, worst=True)` holds (see `concrete`); None when there are none."""
    certain = tuple(e for e in elements if test(e, False))
    if certain:
        return Breach(statement, certain, allows)
    possible = tuple(e for e in elements if test(e, True))
    return Breach(statement, possible, False) if possible else None


def subject_label(policy: IdentityPolicy) -> str:
    if policy.at:
        return f"{policy.name}'s inline policy {path_text(policy.at)}"
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


@rule(
    id="iam-no-wildcard-actions",
    title="Identity policies grant named actions, not every action of a service",
    severity=Severity.HIGH,
    domain=Domain.IAM,
    rationale=(
        '`Action: "*"` or `s3:*` grants every action of every service, or of one service, '
        "including the ones added after the policy was written: deleting data, changing "
        "policies, disabling logging. A function needs a handful of actions; naming them "
        "bounds what a stolen credential or a code-injection bug can do."
    ),
    remediation=Remediation(
        cdk="Use the grant methods (`table.grant_read_write_data(fn)`, `bucket.grant_read(fn)`) "
        "or `iam.PolicyStatement(actions=[...])` with named actions instead of `*`.",
        pulumi="List the actions by name in the policy document's `Action` "
        "(`dynamodb:GetItem`, `dynamodb:PutItem`, ...).",
        cloudformation="Replace `*` and `service:*` in `Action` with the actions the code calls "
        "(SAM: prefer policy templates such as `DynamoDBCrudPolicy`).",
    ),
    references=(
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
        "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
    ),
    anchors=Anchors(
        fsbp=("IAM.21",),
        cdk_nag=("AwsSolutions-IAM5", "NIST.800.53.R5-IAMPolicyNoStatementsWithFullAccess"),
        checkov=("CKV_AWS_63",),
    ),
)
def iam_no_wildcard_actions(policy: IdentityPolicy) -> Verdict:
    document = document_of(policy)
    if isinstance(document, Verdict):
        return document
    breaches = [
        found
        for statement, allows in allowing(document)
        if (found := breach(statement, allows, statement.actions, on_concrete(service_wide)))
        is not None
    ]
    return verdict_of(
        subject_label(policy),
        breaches,
        "(every action, or every action of a service)",
        "list the actions the code needs by name",
    )
