"""The Pulumi policy pack: one pulumi-policy policy per catalog rule, plus the pack's settings.

`policypack/__main__.py` calls `build_pack()`, which starts pulumi-policy's Analyzer server and
blocks; everything else here is importable and testable without a server.

Decisions:

- **Resource or stack policy.** A rule whose verdict on a fact can depend on other resources
  reads the stack's graph (`ctx.graph`); it becomes a stack validation policy, run once per
  `AnalyzeStack` with every resource and the property dependencies between them. Every other
  rule becomes a resource validation policy, run by `Analyze` on each resource as `pulumi
  preview` registers it (earlier feedback, one resource's facts). `reads_graph` decides from the
  rule's code: its check function, the functions defined in the package that it calls by name
  (transitively, so a helper that receives `ctx` counts), and the functions nested in them,
  looking for an access to `graph`. Anything it cannot analyse counts as reading the graph. A
  test runs every rule on every rule fixture with a graph that records access and checks that no
  rule classified as a resource policy touches it.
- **One evaluation per request.** pulumi-policy calls each policy separately, with its own copy
  of the request's resources. The facts (and the graph) are extracted once per engine request
  and shared by all policies of that request; each policy then runs its own rule.
- **Unknowns.** pulumi-policy wraps inputs in proxies that raise on unknown values; the pack
  reads what the proxies wrap, so unknown sentinels reach the extractors intact and become
  `Unknown` values. An `unknown` verdict is an advisory diagnostic naming the value that could
  not be checked; under `strict_unknowns` it is reported at the rule's level (so it blocks for a
  mandatory rule). See `diagnostics` for how a level is set per diagnostic.
- **Pack-wide settings.** Pulumi's configuration is per policy, so `strict_unknowns` and
  `exemptions` are the properties of the pack's own policy, `serverless-guard`
  (`{"serverless-guard": {"strict_unknowns": true, "exemptions": [...]}}`); the CLI reads the
  same spelling, so one guard.json serves both. That policy reports, at its level (mandatory
  unless configured otherwise), exemptions that exempt nothing, ill-typed settings and resources
  whose properties could not be read.
- **Fail closed.** A rule that raises, a rule whose parameters do not parse, or a resource an
  extractor cannot read gives an `error` diagnostic for that rule, at the rule's level; nothing
  raised by a rule, an extractor or odd property shapes escapes to the Analyzer server.
"""

from __future__ import annotations

import functools
import inspect
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from types import CodeType, FunctionType, ModuleType
from typing import Any, TypeVar, cast

from serverless_guard.catalog import CATALOG
from serverless_guard.catalog.params import parse, schema
from serverless_guard.catalog.rule import Enforcement, Outcome, Rule, Verdict
from serverless_guard.config import SETTINGS, Config
from serverless_guard.engines.pulumi.diagnostics import Channel, Diagnostic, ReportViolation
from serverless_guard.engines.pulumi.extract import facts_of
from serverless_guard.engines.pulumi.model import PulumiResource
from serverless_guard.evaluate import MIN_REASON, run_rule
from serverless_guard.exemptions import Exemptions, parse_exemptions
from serverless_guard.facts.base import Resource
from serverless_guard.facts.graph import Graph
from serverless_guard.facts.value import Path, path_text

PACK_NAME = "serverless-guard"
SETTINGS_POLICY = SETTINGS

# The engine's sentinel for an unknown object: what a value the pack cannot read becomes.
UNKNOWN_OBJECT = "dd056dcd-154b-4c76-9bd3-c8f88648b5ff"
MAX_DEPTH = 100

T = TypeVar("T")

# fail > error > unknown > pass > not-applicable, as in `evaluate.results`.
_RANK = {
    Outcome.FAIL: 4,
    Outcome.ERROR: 3,
    Outcome.UNKNOWN: 2,
    Outcome.PASS: 1,
    Outcome.NOT_APPLICABLE: 0,
}


# --- which rules need the stack ------------------------------------------------------------


def reads_graph(rule: Rule) -> bool:
    """True when the rule may read the stack's graph (see the module docstring)."""
    if not rule.wants_context:
        return False
    check = inspect.unwrap(rule.check)
    if not isinstance(check, FunctionType):
        return True
    return _function_reads_graph(check, set())


def _codes(code: CodeType) -> Iterator[CodeType]:
    yield code
    for const in code.co_consts:
        if isinstance(const, CodeType):
            yield from _codes(const)


def _own(obj: object) -> bool:
    return str(getattr(obj, "__module__", "") or "").startswith("serverless_guard.")


def _callees(target: object, names: Sequence[str], module: str) -> Iterator[FunctionType]:
    """The functions a name in a rule's code may call: functions of the package (or of the
    rule's own module), and the named members of the package's modules."""
    target = inspect.unwrap(target) if callable(target) else target
    if isinstance(target, FunctionType) and (_own(target) or target.__module__ == module):
        yield target
    elif isinstance(target, ModuleType) and target.__name__.startswith("serverless_guard."):
        for name in names:
            member = getattr(target, name, None)
            if isinstance(member, FunctionType):
                yield member


def _function_reads_graph(function: FunctionType, seen: set[CodeType]) -> bool:
    if function.__code__ in seen:
        return False
    seen.add(function.__code__)
    for code in _codes(function.__code__):
        if "graph" in code.co_names or "graph" in code.co_consts:
            return True
        for name in code.co_names:
            target = function.__globals__.get(name)
            for callee in _callees(target, code.co_names, function.__module__):
                if _function_reads_graph(callee, seen):
                    return True
    return False


# --- from pulumi-policy's arguments to resources ----------------------------------------------


def _target(value: object) -> object:
    """What one of pulumi-policy's read-only proxies wraps (they answer `["__target"]`)."""
    try:
        return cast(Any, value)["__target"]
    except Exception:
        return None


def _items(value: Mapping[Any, Any]) -> list[tuple[Any, Any]]:
    if isinstance(value, dict):
        return list(value.items())
    target = _target(value)
    if isinstance(target, dict):
        return list(target.items())
    out: list[tuple[Any, Any]] = []
    for key in list(value):
        try:
            out.append((key, value[key]))
        except Exception:  # an unknown value behind a proxy
            out.append((key, UNKNOWN_OBJECT))
    return out


def _elements(value: Sequence[Any]) -> list[Any]:
    if isinstance(value, list | tuple):
        return list(value)
    target = _target(value)
    if isinstance(target, list):
        return target
    out: list[Any] = []
    for index in range(len(value)):
        try:
            out.append(value[index])
        except Exception:
            out.append(UNKNOWN_OBJECT)
    return out


def plain(value: object, depth: int = 0) -> Any:
    """Plain data (dict, list, scalars) from pulumi-policy's proxied inputs, with the engine's
    unknown sentinels left in place. Assets and archives stay as they are."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if depth >= MAX_DEPTH:
        return UNKNOWN_OBJECT
    if isinstance(value, Mapping):
        return {str(k): plain(v, depth + 1) for k, v in _items(value)}
    if isinstance(value, Sequence) and not isinstance(value, bytes | bytearray):
        return [plain(v, depth + 1) for v in _elements(value)]
    return value


def _props(value: object) -> dict[str, Any]:
    data = plain(value)
    return data if isinstance(data, dict) else {}


def resource_of(args: Any) -> PulumiResource:
    """The resource of a `ResourceValidationArgs` (Analyze: no property dependencies)."""
    parent = getattr(getattr(args, "opts", None), "parent", None)
    return PulumiResource(
        urn=str(args.urn),
        type=str(args.resource_type),
        name=str(args.name),
        props=_props(args.props),
        parent=str(parent) if parent else None,
    )


def stack_resources(args: Any) -> list[PulumiResource]:
    """The resources of a `StackValidationArgs`, with their property dependencies."""
    out: list[PulumiResource] = []
    for r in args.resources:
        deps = getattr(r, "property_dependencies", None) or {}
        out.append(
            PulumiResource(
                urn=str(r.urn),
                type=str(r.resource_type),
                name=str(r.name),
                props=_props(r.props),
                property_dependencies={
                    str(key): tuple(str(d.urn) for d in value) for key, value in deps.items()
                },
                dependencies=tuple(str(d.urn) for d in (getattr(r, "dependencies", None) or ())),
                parent=str(r.parent.urn) if getattr(r, "parent", None) is not None else None,
            )
        )
    return out


# --- facts -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Failure:
    """A resource whose properties an extractor could not read."""

    urn: str
    type: str
    name: str
    error: str


@dataclass(frozen=True, slots=True)
class Extracted:
    facts: tuple[Resource, ...] = ()
    failures: tuple[Failure, ...] = ()
    graph: Graph = field(default_factory=lambda: Graph(()))


def extract(resources: Sequence[PulumiResource]) -> Extracted:
    """The facts of some resources; an extractor that raises is a `Failure`, and the facts it
    yielded before raising are kept."""
    facts: list[Resource] = []
    failures: list[Failure] = []
    for resource in resources:
        try:
            for fact in facts_of(resource):
                facts.append(fact)
        except Exception as err:
            failures.append(
                Failure(resource.urn, resource.type, resource.name, f"{type(err).__name__}: {err}")
            )
    return Extracted(tuple(facts), tuple(failures), Graph(facts))


@functools.cache
def kinds_of_type(type_token: str) -> frozenset[type[Resource]] | None:
    """The fact kinds an extractor yields for a resource type (probed on empty inputs), or None
    when the probe fails."""
    probe = PulumiResource(
        urn=f"urn:pulumi:probe::probe::{type_token}::probe",
        type=type_token,
        name="probe",
        props={},
    )
    try:
        return frozenset(type(fact) for fact in facts_of(probe))
    except Exception:
        return None


# --- settings ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PackSettings:
    """The pack's configuration for one request: rule parameters, `strict_unknowns`, the
    exemptions, and what is wrong with them."""

    config: Config = field(default_factory=Config)
    exemptions: Exemptions = field(default_factory=Exemptions)
    problems: tuple[str, ...] = ()

    @property
    def strict_unknowns(self) -> bool:
        return self.config.strict_unknowns


def parse_params(rule: Rule, raw: Mapping[str, Any] | None) -> tuple[object, str | None]:
    """A rule's parameters from its policy's properties; the defaults and the problem when they
    do not parse."""
    values = {str(k): v for k, v in (raw or {}).items() if k != "enforcementLevel"}
    try:
        return parse(rule.params, values), None
    except Exception as err:
        return rule.params(), str(err)


def settings_from(
    policy_config: Mapping[str, Mapping[str, Any]] | None,
    levels: Mapping[str, str],
    rules: Sequence[Rule],
    today: date | None = None,
) -> PackSettings:
    """The pack's settings from every policy's configured properties (as `Configure` sent them)."""
    policy_config = policy_config or {}
    today = today or datetime.now(UTC).date()
    problems: list[str] = []
    own = dict(policy_config.get(SETTINGS_POLICY) or {})
    extra = sorted(set(own) - {"strict_unknowns", "exemptions", "enforcementLevel"})
    if extra:
        problems.append(f"{SETTINGS_POLICY}: unknown setting {extra[0]!r}")
    strict = own.get("strict_unknowns", False)
    if not isinstance(strict, bool):
        problems.append(
            f"{SETTINGS_POLICY}: strict_unknowns must be true or false, not {strict!r}; "
            "unknowns are treated as under strict_unknowns"
        )
        strict = True
    exemptions = parse_exemptions(own.get("exemptions"), {r.id for r in rules}, today)
    problems.extend(exemptions.problems)
    params: dict[str, object] = {}
    for rule in rules:
        value, problem = parse_params(rule, policy_config.get(rule.id))
        if problem:
            problems.append(f"{rule.id}: {problem}")
        else:
            params[rule.id] = value
    known = {r.id for r in rules}
    parsed_levels: dict[str, Enforcement] = {}
    for name, level in levels.items():
        if name in known and level in {e.value for e in Enforcement}:
            parsed_levels[name] = Enforcement(level)
    raw_exemptions = own.get("exemptions")
    config = Config(
        levels=parsed_levels,
        params=params,
        strict_unknowns=strict,
        exemptions=tuple(
            e
            for e in (raw_exemptions if isinstance(raw_exemptions, list) else ())
            if isinstance(e, Mapping)
        ),
    )
    return PackSettings(config, exemptions, tuple(problems))


# --- verdicts to diagnostics -------------------------------------------------------------------


def _where(at: Path) -> str:
    return f" (at {path_text(at)})" if at else ""


def to_diagnostic(
    rule: Rule, resource_id: str, verdict: Verdict, settings: PackSettings, at: Path = ()
) -> Diagnostic | None:
    """A reportable verdict as a diagnostic: fail and error at the rule's level, unknown
    advisory unless `strict_unknowns`, anything exempted advisory with its reason."""
    outcome = verdict.outcome
    if outcome in (Outcome.PASS, Outcome.NOT_APPLICABLE):
        return None
    where = _where(verdict.at or at)
    advisory = False
    if outcome is Outcome.FAIL:
        text = f"{verdict.message}{where}"
    elif outcome is Outcome.ERROR:
        text = f"error: {verdict.message}{where}"
    else:
        text = f"unknown: {verdict.message}{where}"
        if not settings.strict_unknowns:
            advisory = True
            text += " [advisory while strict_unknowns is off]"
    exemption = settings.exemptions.match(rule.id, resource_id)
    if exemption is not None and exemption.valid:
        return Diagnostic(f"exempted ({exemption.reason}): {text}", resource_id, advisory=True)
    if exemption is not None:
        text += f" [{exemption.label} ignored: {exemption.problem}]"
    return Diagnostic(text, resource_id, advisory)


def rule_diagnostics(
    rule: Rule,
    extracted: Extracted,
    settings: PackSettings,
    own_config: Mapping[str, Any] | None = None,
) -> list[Diagnostic]:
    """One rule on some facts: the worst verdict per fact, as diagnostics."""
    params, problem = parse_params(rule, own_config)
    all_params = {**settings.config.params, rule.id: params}
    worst: dict[tuple[str, Path], tuple[Resource, Verdict]] = {}
    for fact in extracted.facts:
        if type(fact) not in rule.subjects:
            continue
        if problem is not None:
            verdict = Verdict(Outcome.ERROR, f"rule {rule.id} is misconfigured: {problem}")
        else:
            verdict = run_rule(rule, fact, extracted.graph, params, all_params)
        key = (fact.id, fact.at)
        seen = worst.get(key)
        if seen is None or _RANK[verdict.outcome] > _RANK[seen[1].outcome]:
            worst[key] = (fact, verdict)
    out: list[Diagnostic] = []
    for fact, verdict in worst.values():
        diagnostic = to_diagnostic(rule, fact.id, verdict, settings, fact.at)
        if diagnostic is not None:
            out.append(diagnostic)
    for failure in extracted.failures:
        kinds = kinds_of_type(failure.type)
        if kinds is None or kinds & set(rule.subjects):
            verdict = Verdict(
                Outcome.ERROR,
                f"could not read {failure.type} {failure.name} to check it: {failure.error}",
            )
            diagnostic = to_diagnostic(rule, failure.urn, verdict, settings)
            if diagnostic is not None:
                out.append(diagnostic)
    return sorted(out, key=lambda d: (d.urn, d.message))


def settings_diagnostics(settings: PackSettings, extracted: Extracted) -> list[Diagnostic]:
    """What the pack's own policy reports: configuration problems (exemptions that exempt
    nothing, ill-typed settings and parameters) and resources no rule could read."""
    out = [Diagnostic(problem) for problem in settings.problems]
    out.extend(
        Diagnostic(
            f"could not read {f.type} {f.name}: {f.error}; the rules that read it did not run",
            f.urn,
        )
        for f in extracted.failures
    )
    return out


# --- the policies --------------------------------------------------------------------------------


class _RequestCache:
    """Values computed once per engine request, keyed by an object unique to the request."""

    def __init__(self, size: int = 32) -> None:
        self._lock = threading.Lock()
        self._size = size
        self._entries: OrderedDict[tuple[int, Hashable], tuple[object, object]] = OrderedDict()

    def get(self, request: object | None, key: Hashable, build: Callable[[], T]) -> T:
        if request is None:
            return build()
        slot = (id(request), key)
        with self._lock:
            hit = self._entries.get(slot)
            if hit is not None and hit[0] is request:
                self._entries.move_to_end(slot)
                return cast(T, hit[1])
        value = build()
        with self._lock:
            self._entries[slot] = (request, value)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return value


class Pack:
    """The policies' shared state: the rules, and one evaluation per engine request."""

    def __init__(self, rules: Sequence[Rule] = CATALOG) -> None:
        self.rules = tuple(rules)
        self._cache = _RequestCache()

    def settings(self, channel: Channel) -> PackSettings:
        return self._cache.get(
            channel.request,
            "settings",
            lambda: settings_from(channel.policy_config(), channel.levels(), self.rules),
        )

    def resource_facts(self, channel: Channel, args: Any) -> Extracted:
        return self._cache.get(
            channel.request, ("resource", str(args.urn)), lambda: extract([resource_of(args)])
        )

    def stack_facts(self, channel: Channel, args: Any) -> Extracted:
        return self._cache.get(channel.request, "stack", lambda: extract(stack_resources(args)))

    def policies(self) -> list[Any]:
        """One policy per rule, after the pack's own settings policy."""
        return [settings_policy(self), *(rule_policy(self, rule) for rule in self.rules)]


class _Check:
    """A policy's `validate`: never raises; whatever goes wrong is an `error` diagnostic."""

    def __init__(self, pack: Pack, rule: Rule | None) -> None:
        self.pack = pack
        self.rule = rule

    def __call__(self, args: Any, report_violation: ReportViolation) -> None:
        channel = Channel(report_violation)
        try:
            diagnostics = self.diagnostics(channel, args)
        except Exception as err:
            name = self.rule.id if self.rule else SETTINGS_POLICY
            urn = str(getattr(args, "urn", "") or "")
            diagnostics = [
                Diagnostic(f"error: {name} could not run: {type(err).__name__}: {err}", urn)
            ]
        channel.emit(diagnostics)

    def diagnostics(self, channel: Channel, args: Any) -> list[Diagnostic]:
        raise NotImplementedError


class _ResourceCheck(_Check):
    def diagnostics(self, channel: Channel, args: Any) -> list[Diagnostic]:
        assert self.rule is not None
        settings = self.pack.settings(channel)
        facts = self.pack.resource_facts(channel, args)
        return rule_diagnostics(self.rule, facts, settings, args.get_config())


class _StackCheck(_Check):
    def diagnostics(self, channel: Channel, args: Any) -> list[Diagnostic]:
        assert self.rule is not None
        settings = self.pack.settings(channel)
        facts = self.pack.stack_facts(channel, args)
        return rule_diagnostics(self.rule, facts, settings, args.get_config())


class _SettingsCheck(_Check):
    def diagnostics(self, channel: Channel, args: Any) -> list[Diagnostic]:
        return settings_diagnostics(
            self.pack.settings(channel), self.pack.stack_facts(channel, args)
        )


def _severity(rule: Rule) -> Any:
    from pulumi_policy import Severity

    return Severity(rule.severity.value)


def rule_policy(pack: Pack, rule: Rule) -> Any:
    """The policy of one rule: named by its id, described by its title, at its default level."""
    from pulumi_policy import (
        EnforcementLevel,
        PolicyConfigSchema,
        ResourceValidationPolicy,
        StackValidationPolicy,
    )

    properties = schema(rule.params)
    common: dict[str, Any] = {
        "name": rule.id,
        "description": rule.title,
        "enforcement_level": EnforcementLevel(rule.default_enforcement.value),
        "config_schema": PolicyConfigSchema(properties) if properties else None,
        "severity": _severity(rule),
        "tags": [rule.domain.value],
        "remediation_steps": rule.remediation.pulumi,
        "url": rule.references[0] if rule.references else None,
    }
    if reads_graph(rule):
        return StackValidationPolicy(validate=_StackCheck(pack, rule), **common)
    return ResourceValidationPolicy(validate=_ResourceCheck(pack, rule), **common)


def settings_schema() -> dict[str, dict[str, Any]]:
    text = {"type": "string"}
    return {
        "strict_unknowns": {
            "type": "boolean",
            "default": False,
            "description": "Report an unknown (a value only known after deployment) at the "
            "rule's level, so that it blocks for a mandatory rule; otherwise it is advisory.",
        },
        "exemptions": {
            "type": "array",
            "default": [],
            "description": "Rules waived on resources: {rule, urn (a glob), reason (at least "
            f"{MIN_REASON} characters), expires (YYYY-MM-DD, optional)}}. An exempted violation "
            "is reported as advisory with its reason.",
            "items": {
                "type": "object",
                "properties": {"rule": text, "urn": text, "reason": text, "expires": text},
            },
        },
    }


def settings_policy(pack: Pack) -> Any:
    """The pack's own policy: its properties are the pack-wide settings; it reports what is
    wrong with them and resources no rule could read."""
    from pulumi_policy import (
        EnforcementLevel,
        PolicyConfigSchema,
        Severity,
        StackValidationPolicy,
    )

    return StackValidationPolicy(
        name=SETTINGS_POLICY,
        description="Exemptions name a catalog rule, give a reason and have not expired; "
        "every resource's properties can be read",
        validate=_SettingsCheck(pack, None),
        enforcement_level=EnforcementLevel.MANDATORY,
        config_schema=PolicyConfigSchema(settings_schema()),
        severity=Severity.HIGH,
        tags=["settings"],
        remediation_steps="Fix the exemption in the policy pack configuration: a catalog rule "
        f"id, a URN glob, a reason of at least {MIN_REASON} characters and an expiry date that "
        "has not passed.",
    )


def policies(rules: Sequence[Rule] = CATALOG) -> list[Any]:
    return Pack(rules).policies()


def build_pack() -> None:
    """Start the policy pack's Analyzer server (prints its port, then serves until killed)."""
    from pulumi_policy import EnforcementLevel, PolicyPack

    PolicyPack(
        name=PACK_NAME,
        policies=policies(),
        enforcement_level=EnforcementLevel.ADVISORY,
        provider="aws",
        tags=["aws", "serverless", "security"],
    )
