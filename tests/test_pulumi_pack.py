"""The Pulumi policy pack's policies, called directly and through pulumi-policy's servicer in
process (no gRPC; tests/test_pulumi_grpc.py drives the real protocol)."""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pulumi_policy")

from fixture_cases import all_cases
from pulumi.runtime.proto import analyzer_pb2
from pulumi_cases import (
    CASES,
    LOG_GROUP,
    MALFORMED,
    UNKNOWN_NUMBER,
    Case,
    Res,
    check,
    observe,
)
from pulumi_policy import (
    EnforcementLevel,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationPolicy,
)
from pulumi_policy.policy import (
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    StackValidationArgs,
    _PolicyAnalyzerServicer,
)
from pulumi_policy.proxy import unknown_checking_proxy

from serverless_guard import policypack
from serverless_guard.catalog import BY_ID, CATALOG
from serverless_guard.catalog.params import NoParams, schema
from serverless_guard.catalog.rule import (
    Context,
    Domain,
    Remediation,
    Rule,
    Severity,
    Verdict,
    failed,
    passed,
    rule,
)
from serverless_guard.config import config_from_mapping
from serverless_guard.engines.cloudformation.stack import load_file
from serverless_guard.engines.pulumi import extract as pulumi_extract
from serverless_guard.engines.pulumi.extract import PulumiView
from serverless_guard.engines.pulumi.pack import PACK_NAME, SETTINGS_POLICY, policies, reads_graph
from serverless_guard.engines.pulumi.pack import state as pack_state
from serverless_guard.engines.pulumi.pack.args import MAX_DEPTH, UNKNOWN_OBJECT, plain, resource_of
from serverless_guard.engines.pulumi.pack.channel import Channel, Diagnostic, clip
from serverless_guard.engines.pulumi.pack.extraction import extract, kinds_of_type
from serverless_guard.engines.pulumi.pack.settings import settings_from
from serverless_guard.facts.graph import Graph
from serverless_guard.facts.logs import LogGroup
from serverless_guard.facts.value import Known

ROOT = Path(__file__).resolve().parents[1]
PACK_DIR = ROOT / "policypack"


class InProcess:
    """pulumi-policy's Analyzer servicer for the pack's policies, called without gRPC."""

    def __init__(self, rules: tuple[Rule, ...] = CATALOG) -> None:
        self.policies = policies(rules)
        self.servicer = _PolicyAnalyzerServicer(
            PACK_NAME, "0.0.1", self.policies, EnforcementLevel.ADVISORY
        )

    def info(self) -> analyzer_pb2.AnalyzerInfo:
        return self.servicer.GetAnalyzerInfo(None, None)

    def configure(self, request: analyzer_pb2.ConfigureAnalyzerRequest) -> None:
        self.servicer.Configure(request, None)

    def analyze(self, request: analyzer_pb2.AnalyzeRequest) -> analyzer_pb2.AnalyzeResponse:
        return self.servicer.Analyze(request, None)

    def analyze_stack(
        self, request: analyzer_pb2.AnalyzeStackRequest
    ) -> analyzer_pb2.AnalyzeResponse:
        return self.servicer.AnalyzeStack(request, None)


@pytest.fixture(scope="module")
def driver() -> InProcess:
    return InProcess()


def _remediation() -> Remediation:
    return Remediation(cdk="Fix it in CDK.", pulumi="Fix it in Pulumi.", cloudformation="Fix.")


def _test_rule(check: Any, *, severity: Severity = Severity.HIGH) -> Rule:
    return rule(
        id=check.__name__.replace("_", "-"),
        title="Test rules judge log groups",
        severity=severity,
        domain=Domain.LOGGING,
        rationale="For tests.",
        remediation=_remediation(),
        references=("https://docs.aws.amazon.com/",),
    )(check)


# --- the policies' metadata ------------------------------------------------------------------


def test_one_policy_per_rule_after_the_settings_policy() -> None:
    made = policies()
    assert made[0].name == SETTINGS_POLICY
    assert isinstance(made[0], StackValidationPolicy)
    assert made[0].enforcement_level is EnforcementLevel.MANDATORY
    assert set(made[0].config_schema.properties) == {
        "strict_unknowns",
        "exemptions",
        "framework_resources",
        "baseline",
    }
    assert [p.name for p in made[1:]] == [r.id for r in CATALOG]
    for policy, r in zip(made[1:], CATALOG, strict=True):
        assert policy.description == r.title
        assert policy.severity.value == r.severity.value
        assert policy.enforcement_level.value == r.default_enforcement.value
        assert policy.remediation_steps == r.remediation.pulumi
        assert policy.url == r.references[0]
        kind = StackValidationPolicy if reads_graph(r) else ResourceValidationPolicy
        assert isinstance(policy, kind), r.id
        properties = schema(r.params)
        if properties:
            assert policy.config_schema.properties == properties
        else:
            assert policy.config_schema is None


def test_levels_follow_the_catalog_defaults() -> None:
    made = {p.name: p for p in policies()}
    assert made["lambda-url-auth-iam"].enforcement_level is EnforcementLevel.MANDATORY
    assert made["logs-retention-set"].enforcement_level is EnforcementLevel.ADVISORY
    assert made["lambda-in-vpc"].enforcement_level is EnforcementLevel.DISABLED


# --- which rules are stack policies ----------------------------------------------------------


def _reads_in_helper(group: LogGroup, ctx: Context[NoParams]) -> bool:
    return bool(ctx.graph.of_kind(LogGroup))


def via_helper(group: LogGroup, ctx: Context[NoParams]) -> Verdict:
    return passed() if _reads_in_helper(group, ctx) else failed("alone")


def via_graph(group: LogGroup, ctx: Context[NoParams]) -> Verdict:
    others = [g for g in ctx.graph.of_kind(LogGroup) if g.id != group.id]
    return passed() if others else failed("alone")


def via_lambda(group: LogGroup, ctx: Context[NoParams]) -> Verdict:
    count = (lambda c: len(c.graph.facts))(ctx)
    return passed() if count else failed("alone")


def params_only(group: LogGroup, ctx: Context[NoParams]) -> Verdict:
    return passed(repr(ctx.params))


def no_context(group: LogGroup) -> Verdict:
    return passed()


@pytest.mark.parametrize(
    ("check", "expected"),
    [
        (via_graph, True),
        (via_helper, True),
        (via_lambda, True),
        (params_only, False),
        (no_context, False),
    ],
)
def test_reads_graph(check: Any, expected: bool) -> None:
    assert reads_graph(_test_rule(check)) is expected


def test_the_split_is_not_trivial() -> None:
    assert not reads_graph(BY_ID["logs-retention-set"])
    assert not reads_graph(BY_ID["logs-group-encrypted"])
    assert reads_graph(BY_ID["lambda-log-retention"])
    assert reads_graph(BY_ID["lambda-role-not-shared"])


class RecordingGraph(Graph):
    """A graph that notes any use of its public interface."""

    touched = False

    def __getattribute__(self, name: str) -> Any:
        if not name.startswith("_") and name != "touched":
            object.__setattr__(self, "touched", True)
        return super().__getattribute__(name)


def test_no_resource_policy_reads_the_graph() -> None:
    """Every rule a resource policy runs, on every CloudFormation rule fixture: none of them
    reads the graph (a resource policy sees one resource's facts only)."""
    resource_rules = [r for r in CATALOG if r.wants_context and not reads_graph(r)]
    runs = 0
    touched_by_stack_rules: set[str] = set()
    paths = sorted({c.path for c in all_cases() if c.engine == "cloudformation"})
    for path in paths:
        try:
            facts = load_file(str(path)).facts
        except Exception:  # a fixture another test reports
            continue
        graph = RecordingGraph(facts)
        for r in CATALOG:
            for fact in facts:
                if type(fact) not in r.subjects:
                    continue
                object.__setattr__(graph, "touched", False)
                with contextlib.suppress(Exception):
                    r.run(fact, graph, r.params(), {})
                if r in resource_rules:
                    runs += 1
                    assert not graph.touched, f"{r.id} read the graph on {path.name}"
                elif graph.touched:
                    touched_by_stack_rules.add(r.id)
    assert runs > 100
    assert "lambda-log-retention" in touched_by_stack_rules  # the recording works


# --- the cases, in process ---------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(driver: InProcess, case: Case) -> None:
    check(case, observe(driver, case.resources, case.config))


def test_resource_policies_answer_analyze_and_stack_policies_analyze_stack(
    driver: InProcess,
) -> None:
    kinds = {p.name: isinstance(p, StackValidationPolicy) for p in driver.policies}
    resources = [r for case in CASES for r in case.resources]
    unique = list({r.urn: r for r in resources}.values())
    seen = observe(driver, unique, {"all": "mandatory"})
    assert {s.request for s in seen} == {"analyze", "stack"}
    for s in seen:
        assert kinds[s.policy] is (s.request == "stack"), s


@pytest.mark.parametrize("res", MALFORMED, ids=[r.name for r in MALFORMED])
def test_malformed_inputs_never_crash(driver: InProcess, res: Res) -> None:
    seen = observe(driver, [res], {"all": "mandatory", "serverless-guard": {}})
    names = {p.name for p in driver.policies}
    for s in seen:
        assert s.policy in names
        assert "could not run" not in s.message, s
        assert len(s.message) < 10_000


def test_a_rule_that_raises_is_an_error_for_that_rule() -> None:
    def always_boom(group: LogGroup) -> Verdict:
        raise ValueError("no such luck")

    driver = InProcess((_test_rule(always_boom), BY_ID["logs-retention-set"]))
    seen = observe(driver, [Res(LOG_GROUP, "app", {"retentionInDays": 365})], {})
    assert [(s.policy, s.level) for s in seen] == [("always-boom", "mandatory")]
    assert "error: rule always-boom raised ValueError: no such luck" in seen[0].message


def test_a_misconfigured_rule_is_an_error_for_that_rule(driver: InProcess) -> None:
    res = Res(LOG_GROUP, "app", {"retentionInDays": 365, "kmsKeyId": "k"})
    seen = observe(driver, [res], {"logs-retention-set": {"min_days": "a year"}})
    errors = [s for s in seen if s.policy == "logs-retention-set"]
    assert [s.level for s in errors] == ["advisory"]
    assert "misconfigured: min_days must be an integer" in errors[0].message
    settings = [s for s in seen if s.policy == SETTINGS_POLICY]
    assert len(settings) == 1
    assert "logs-retention-set: min_days" in settings[0].message


@pytest.fixture
def odd_type(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A resource type whose extractor raises on one input's shape."""
    token = "serverless-guard-test:index:Odd"

    def odd(view: PulumiView) -> Any:
        yield LogGroup(**view.identity(), retention_days=view.props.integer("days"))
        if "boom" in view.resource.props:
            raise KeyError(view.resource.props["boom"])

    monkeypatch.setitem(pulumi_extract.EXTRACTORS, token, odd)  # type: ignore[index]
    kinds_of_type.cache_clear()
    yield token
    kinds_of_type.cache_clear()


def test_an_extractor_that_raises_is_an_error_for_the_rules_of_its_kinds(
    driver: InProcess, odd_type: str
) -> None:
    res = Res(odd_type, "odd", {"days": 365, "boom": "the shape"})
    seen = observe(driver, [res], {"all": "mandatory"})
    by_policy = {s.policy: s for s in seen}
    assert set(by_policy) == {"logs-retention-set", "logs-group-encrypted", SETTINGS_POLICY}
    assert "error: could not read" in by_policy["logs-retention-set"].message
    assert "KeyError" in by_policy[SETTINGS_POLICY].message
    assert by_policy[SETTINGS_POLICY].request == "stack"


def test_facts_are_extracted_once_per_request(
    driver: InProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = extract

    def counting(resources: Any) -> Any:
        calls.append(len(resources))
        return real(resources)

    monkeypatch.setattr(pack_state, "extract", counting)
    case = next(c for c in CASES if "property dependency" in c.id)
    observe(driver, case.resources, {"all": "mandatory"})
    assert calls == [1] * len(case.resources) + [len(case.resources)]


# --- direct calls of a policy ---------------------------------------------------------------------


def _options() -> PolicyResourceOptions:
    return PolicyResourceOptions(False, [], None, [], PolicyCustomTimeouts(0, 0, 0), [])


def _resource_args(props: dict[str, Any], config: dict[str, Any] | None = None) -> Any:
    opts = _options()
    return ResourceValidationArgs(
        LOG_GROUP,
        unknown_checking_proxy(props),
        "urn:pulumi:dev::shop::aws:cloudwatch/logGroup:LogGroup::app",
        "app",
        opts,
        None,
        config,
    )


@dataclass
class Recorded:
    message: str
    urn: str | None


def _policy(name: str) -> Any:
    return next(p for p in policies() if p.name == name)


def test_unknowns_behind_the_proxy_never_escape() -> None:
    """The SDK's proxy raises on unknown values; the policy reads past it. A plain callback
    cannot set a level per diagnostic, so the unknown is reported at the policy's level."""
    recorded: list[Recorded] = []
    args = _resource_args({"name": "app", "retentionInDays": UNKNOWN_NUMBER})
    _policy("logs-retention-set").validate(args, lambda m, u=None: recorded.append(Recorded(m, u)))
    assert len(recorded) == 1
    assert recorded[0].message.startswith("unknown: cannot be checked before deployment")
    assert "(at retentionInDays)" in recorded[0].message
    assert recorded[0].urn == args.urn


def test_a_policy_reads_its_own_parameters_from_its_config() -> None:
    recorded: list[str] = []
    policy = _policy("logs-retention-set")
    args = _resource_args({"retentionInDays": 30})
    policy.validate(args, lambda m, u=None: recorded.append(m))
    assert len(recorded) == 1
    recorded.clear()
    policy.validate(_resource_args({"retentionInDays": 30}, {"min_days": 30}), recorded.append)
    assert recorded == []


def test_the_servicer_callback_sets_advisory_per_diagnostic() -> None:
    policy = _policy("logs-retention-set")
    servicer = _PolicyAnalyzerServicer(PACK_NAME, "0.0.1", [policy], EnforcementLevel.ADVISORY)
    response = analyzer_pb2.AnalyzeResponse()
    report = servicer._create_report_violation(
        response, policy.name, policy.description, EnforcementLevel.MANDATORY, policy.severity
    )
    channel = Channel(report)
    assert channel.levels_adjustable
    channel.emit([Diagnostic("blocks", "urn:a"), Diagnostic("informs", "urn:b", advisory=True)])
    levels = [(d.message.split("\n")[-1], d.enforcementLevel) for d in response.diagnostics]
    assert levels == [("blocks", analyzer_pb2.MANDATORY), ("informs", analyzer_pb2.ADVISORY)]


def test_a_stack_policy_called_directly_links_by_property_dependencies() -> None:
    opts = _options()
    fn_urn = "urn:pulumi:dev::shop::aws:lambda/function:Function::orders"
    fn = PolicyResource(
        "aws:lambda/function:Function",
        unknown_checking_proxy({"runtime": "python3.13"}),
        fn_urn,
        "orders",
        opts,
        None,
        None,
        [],
        {},
    )
    logs = PolicyResource(
        LOG_GROUP,
        unknown_checking_proxy({"name": "04da6b54-80e4-46f7-96ec-b56ff0331ba9"}),
        "urn:pulumi:dev::shop::aws:cloudwatch/logGroup:LogGroup::orders-logs",
        "orders-logs",
        opts,
        None,
        None,
        [fn],
        {"name": [fn]},
    )
    recorded: list[Recorded] = []
    _policy("lambda-log-retention").validate(
        StackValidationArgs([fn, logs]), lambda m, u=None: recorded.append(Recorded(m, u))
    )
    assert [(r.urn, "keeps logs forever" in r.message) for r in recorded] == [(fn_urn, True)]


def test_plain_reads_through_the_proxies() -> None:
    data = {
        "a": [1, {"b": UNKNOWN_NUMBER, "c": [UNKNOWN_NUMBER, "x"]}],
        "d": None,
        "e": {"f": {"g": True}},
    }
    assert plain(unknown_checking_proxy(data)) == data


def test_plain_bounds_depth() -> None:
    value: dict[str, Any] = {}
    deep = value
    for _ in range(500):
        deep["x"] = {}
        deep = deep["x"]
    out = plain(value)
    depth = 0
    while isinstance(out, dict) and "x" in out:
        out = out["x"]
        depth += 1
    assert depth == MAX_DEPTH
    assert out == UNKNOWN_OBJECT


def test_messages_are_clipped() -> None:
    assert clip("x" * 10) == "x" * 10
    long = clip("x" * 100_000)
    assert len(long) < 4100
    assert long.endswith("more characters)")


def test_invalid_settings_fail_closed() -> None:
    settings = settings_from(
        {SETTINGS_POLICY: {"strict_unknowns": "yes", "exemptions": {"rule": "x"}, "x": 1}},
        {},
        CATALOG,
    )
    assert settings.strict_unknowns is True
    assert len(settings.problems) == 3


# --- one guard.json for the CLI and the pack ---------------------------------------------------


def test_the_settings_spelling_is_accepted_by_the_cli_config() -> None:
    guard = {
        "all": "advisory",
        "serverless-guard": {
            "strict_unknowns": True,
            "exemptions": [{"rule": "lambda-in-vpc", "urn": "*", "reason": "x" * 12}],
        },
        "logs-retention-set": {"min_days": 30},
    }
    config = config_from_mapping(json.loads(json.dumps(guard)))
    assert config.strict_unknowns is True
    assert len(config.exemptions) == 1
    assert config.params_for(BY_ID["logs-retention-set"]).min_days == 30  # type: ignore[attr-defined]


# --- the pack folder ----------------------------------------------------------------------------


def test_pack_folder() -> None:
    version = importlib.metadata.version("serverless-guard")
    project = (PACK_DIR / "PulumiPolicy.yaml").read_text()
    assert "runtime: python" in project
    assert f"version: {version}" in project
    requirements = [
        line
        for line in (PACK_DIR / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert requirements == [f"serverless-guard[pulumi]=={version}"]
    main = (PACK_DIR / "__main__.py").read_text()
    assert "build_pack()" in main


def test_the_repository_pack_is_the_packaged_pack() -> None:
    """policypack/ is what `serverless-guard policy-pack new` writes: the pack in the package."""
    for name in policypack.PACK_FILES:
        assert (PACK_DIR / name).read_bytes() == (policypack.PACK_DIR / name).read_bytes(), name
    assert sorted(p.name for p in PACK_DIR.iterdir() if p.name != "__pycache__") == sorted(
        policypack.PACK_FILES
    )


def test_known_values_round_trip_through_a_resource() -> None:
    """The log group extractor reads what the pack hands it."""
    resource = resource_of(_resource_args({"retentionInDays": 30.0}))
    facts = extract([resource]).facts
    assert isinstance(facts[0], LogGroup)
    assert facts[0].retention_days == Known(30, ("retentionInDays",))
