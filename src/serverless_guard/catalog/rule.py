"""How a rule is declared: metadata on a decorator, a function over facts that returns a Verdict."""

from __future__ import annotations

import dataclasses
import inspect
import re
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Generic, TypeVar, Union

from serverless_guard.catalog.fix import Fix
from serverless_guard.catalog.params import NoParams
from serverless_guard.facts.base import Resource
from serverless_guard.facts.graph import Graph
from serverless_guard.facts.value import Absent, Known, Path, Unknown, Value

P = TypeVar("P")
Q = TypeVar("Q")
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)+$")


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class Domain(StrEnum):
    ENCRYPTION = "encryption"
    NETWORK = "network-access"
    IAM = "iam"
    LOGGING = "logging"
    HARDENING = "hardening"


class Enforcement(StrEnum):
    MANDATORY = "mandatory"
    ADVISORY = "advisory"
    DISABLED = "disabled"


class Outcome(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not-applicable"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class Verdict:
    """A rule's verdict on one fact. `message` says what is wrong in engine-neutral words;
    `fix` says how to fix it, rendered in the user's engine's words after the message."""

    outcome: Outcome
    message: str = ""
    at: Path = ()
    fix: Fix | None = None


def _path(at: Value[Any] | Path | None) -> Path:
    if at is None:
        return ()
    if isinstance(at, Known | Absent | Unknown):
        return at.at
    return at


def passed(message: str = "") -> Verdict:
    return Verdict(Outcome.PASS, message)


def failed(message: str, at: Value[Any] | Path | None = None, fix: Fix | None = None) -> Verdict:
    """The rule fails: `message` says what is wrong (never an engine's property names), `at`
    where, and `fix` which fact fields fix it."""
    return Verdict(Outcome.FAIL, message, _path(at), fix)


def unknown(value: Unknown, message: str = "") -> Verdict:
    """The rule needs a value that is only known at deployment."""
    text = message or f"cannot be checked before deployment ({value.reason})"
    return Verdict(Outcome.UNKNOWN, text, value.at)


def not_applicable(reason: str) -> Verdict:
    return Verdict(Outcome.NOT_APPLICABLE, reason)


def required(
    value: Value[Any],
    what: str,
    missing: str,
    at: Value[Any] | Path | None = None,
    fix: Fix | None = None,
) -> Verdict:
    """A presence check: pass when `value` is set (a value only known at deployment counts as
    set), else fail with `missing` and `fix`, pointing at `at` (default: the value itself)."""
    match value:
        case Known():
            return passed()
        case Unknown() as u:
            return passed(f"{what} set ({u.reason})")
    return failed(missing, at=value if at is None else at, fix=fix)


@dataclass(frozen=True, slots=True)
class Remediation:
    cdk: str
    pulumi: str
    cloudformation: str = ""


@dataclass(frozen=True, slots=True)
class Anchors:
    """Matching controls of other tools, for the documentation only."""

    fsbp: tuple[str, ...] = ()
    cdk_nag: tuple[str, ...] = ()
    checkov: tuple[str, ...] = ()


class Context(Generic[P]):
    """What a rule may read besides its subject: the stack's graph, its parameters, and the
    configured parameters of other rules (for rules defined in terms of another). It notes
    whether the rule read the graph."""

    __slots__ = ("_graph", "all_params", "params", "read_graph")

    def __init__(self, graph: Graph, params: P, all_params: Mapping[str, object] | None = None):
        self._graph = graph
        self.params = params
        self.all_params: Mapping[str, object] = all_params or {}
        self.read_graph = False

    @property
    def graph(self) -> Graph:
        self.read_graph = True
        return self._graph

    def params_of(self, rule_id: str, kind: type[Q]) -> Q:
        found = self.all_params.get(rule_id)
        if isinstance(found, kind):
            return found
        return kind()


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    title: str
    severity: Severity
    domain: Domain
    rationale: str
    remediation: Remediation
    references: tuple[str, ...]
    subjects: tuple[type[Resource], ...]
    check: Callable[..., Verdict]
    wants_context: bool
    params: type[Any] = NoParams
    anchors: Anchors = field(default_factory=Anchors)
    enabled_by_default: bool = True
    fixes: tuple[Fix, ...] = ()

    @property
    def default_enforcement(self) -> Enforcement:
        if not self.enabled_by_default:
            return Enforcement.DISABLED
        if self.severity in (Severity.HIGH, Severity.CRITICAL):
            return Enforcement.MANDATORY
        return Enforcement.ADVISORY

    def run(
        self,
        subject: Resource,
        graph: Graph,
        params: object,
        all_params: Mapping[str, object] | None = None,
    ) -> Verdict:
        """The rule's verdict on `subject`. A rule that reads other resources must hold in every
        deployment: unless it already fails, it is judged again without the resources that
        exist under a condition of their own (a bucket policy with `Condition: EnableTls`), and
        the worse verdict counts (a subject under another condition of its own makes it
        unknown)."""
        if not self.wants_context:
            return self.check(subject)
        context = Context(graph, params, all_params)
        verdict = self.check(subject, context)
        if not context.read_graph or _WORSE.index(verdict.outcome) >= _WORSE.index(Outcome.FAIL):
            return verdict
        conditional = graph.conditional(subject)
        if not conditional:
            return verdict
        again = self.check(subject, Context(graph.deployed_with(subject), params, all_params))
        if _WORSE.index(again.outcome) <= _WORSE.index(verdict.outcome):
            return verdict
        return _without(subject, conditional, again)


# Outcomes from the best to the worst.
_WORSE = (Outcome.NOT_APPLICABLE, Outcome.PASS, Outcome.UNKNOWN, Outcome.FAIL, Outcome.ERROR)


def _without(subject: Resource, conditional: tuple[Resource, ...], again: Verdict) -> Verdict:
    """The verdict of a rule that holds only with resources that exist under a condition."""
    reasons = sorted({f.deployed.reason for f in conditional if isinstance(f.deployed, Unknown)})
    names = ", ".join(sorted({f.name for f in conditional})[:3])
    note = f"{names}: {'; '.join(reasons[:3])}"
    if isinstance(subject.deployed, Unknown):
        reason = (
            f"{subject.name} relies on resources deployed under other conditions than its own "
            f"({note}; for {subject.name}: {subject.deployed.reason})"
        )
        return unknown(Unknown(reason, again.at), reason)
    if again.outcome is Outcome.UNKNOWN:
        return Verdict(Outcome.UNKNOWN, f"{again.message} (without {note})", again.at)
    message = f"{again.message} (in a deployment without {note})"
    return Verdict(again.outcome, message, again.at, again.fix)


def _subjects(check: Callable[..., Verdict]) -> tuple[type[Resource], ...]:
    hints = typing.get_type_hints(check)
    first = next(iter(inspect.signature(check).parameters))
    tp = hints[first]
    kinds = typing.get_args(tp) if typing.get_origin(tp) in (Union, types.UnionType) else (tp,)
    for kind in kinds:
        if not (isinstance(kind, type) and issubclass(kind, Resource)):
            raise TypeError(f"{check.__name__}: subject {kind!r} is not a fact type")
    return tuple(kinds)


def rule(
    *,
    id: str,
    title: str,
    severity: Severity,
    domain: Domain,
    rationale: str,
    remediation: Remediation,
    references: tuple[str, ...],
    params: type[Any] = NoParams,
    anchors: Anchors | None = None,
    enabled_by_default: bool = True,
    fixes: tuple[Fix, ...] = (),
) -> Callable[[Callable[..., Verdict]], Rule]:
    """Declare a rule. The function's first parameter's type names the facts it reads; a second
    parameter, if any, receives a `Context` with the graph and the parameters. `fixes` lists
    the fixes its failures give (the fact fields they set), for documentation and checks."""

    def wrap(check: Callable[..., Verdict]) -> Rule:
        if not _ID.match(id):
            raise ValueError(f"rule id {id!r} is not kebab-case")
        if check.__name__ != id.replace("-", "_"):
            raise ValueError(f"rule {id}: function must be named {id.replace('-', '_')}")
        if title.lower().startswith("ensure"):
            raise ValueError(f"rule {id}: a title states the good state")
        if not references or not rationale or not remediation.cdk or not remediation.pulumi:
            raise ValueError(f"rule {id}: rationale, remediation and references are required")
        if not dataclasses.is_dataclass(params):
            raise TypeError(f"rule {id}: params must be a dataclass")
        arity = len(inspect.signature(check).parameters)
        return Rule(
            id=id,
            title=title,
            severity=severity,
            domain=domain,
            rationale=rationale,
            remediation=remediation,
            references=references,
            subjects=_subjects(check),
            check=check,
            wants_context=arity == 2,
            params=params,
            anchors=anchors or Anchors(),
            enabled_by_default=enabled_by_default,
            fixes=fixes,
        )

    return wrap
