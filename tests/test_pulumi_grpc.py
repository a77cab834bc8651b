"""The policy pack over its real Analyzer gRPC protocol, started as the Pulumi CLI starts a
Python policy pack: in the pack folder, `python -u -m pulumi.policy <engine address> .`, the
port read from the first line of stdout. The engine address is never called back."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

pytest.importorskip("pulumi_policy")

import grpc
from google.protobuf import empty_pb2, json_format
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc
from pulumi_cases import (
    CASES,
    LOG_GROUP,
    MALFORMED,
    Case,
    Res,
    analyze_request,
    check,
    configure_request,
    level_name,
    log_group,
    observe,
    stack_request,
)

from serverless_guard.catalog import CATALOG
from serverless_guard.catalog.params import schema
from serverless_guard.engines.pulumi.model import PulumiResource
from serverless_guard.engines.pulumi.pack import SETTINGS_POLICY, reads_graph

PACK_DIR = Path(__file__).resolve().parents[1] / "policypack"
SEVERITIES = {
    "low": analyzer_pb2.POLICY_SEVERITY_LOW,
    "medium": analyzer_pb2.POLICY_SEVERITY_MEDIUM,
    "high": analyzer_pb2.POLICY_SEVERITY_HIGH,
    "critical": analyzer_pb2.POLICY_SEVERITY_CRITICAL,
}


class Grpc:
    """The pack's Analyzer, through a gRPC channel to its process."""

    def __init__(self, stub: analyzer_pb2_grpc.AnalyzerStub) -> None:
        self.stub = stub
        self._info: analyzer_pb2.AnalyzerInfo | None = None

    def info(self) -> analyzer_pb2.AnalyzerInfo:
        if self._info is None:
            self._info = self.stub.GetAnalyzerInfo(empty_pb2.Empty(), timeout=30)
        return self._info

    def configure(self, request: analyzer_pb2.ConfigureAnalyzerRequest) -> None:
        self.stub.Configure(request, timeout=30)

    def analyze(self, request: analyzer_pb2.AnalyzeRequest) -> analyzer_pb2.AnalyzeResponse:
        return self.stub.Analyze(request, timeout=60)

    def analyze_stack(
        self, request: analyzer_pb2.AnalyzeStackRequest
    ) -> analyzer_pb2.AnalyzeResponse:
        return self.stub.AnalyzeStack(request, timeout=60)


def _read_port(process: subprocess.Popen[bytes], log: Path, timeout: float) -> int:
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    line = b""
    while not line.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or process.poll() is not None:
            break
        ready, _, _ = select.select([process.stdout], [], [], left)
        if ready:
            chunk = os.read(process.stdout.fileno(), 1)
            if not chunk:
                break
            line += chunk
    if not line.strip().isdigit():
        process.kill()
        process.wait(timeout=10)
        err = log.read_text(errors="replace")[-3000:]
        raise AssertionError(f"the pack printed no port ({line!r}): {err}")
    return int(line)


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Grpc, int]]:
    """The pack process, once for the module: the command `pulumi-analyzer-policy-python`
    runs for a pack whose virtualenv is this test's environment. At the end, its log must not
    show a request that failed inside the server."""
    log = tmp_path_factory.mktemp("pack") / "stderr.log"
    venv_bin = str(Path(sys.executable).parent)
    env = {
        **os.environ,
        "PATH": f"{venv_bin}{os.pathsep}{os.environ.get('PATH', '')}",
        "PULUMI_PROJECT": "shop",
        "PULUMI_STACK": "dev",
        "PULUMI_DRY_RUN": "true",
        "PULUMI_ORGANIZATION": "organization",
    }
    env.pop("PYTHONHOME", None)
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-u", "-m", "pulumi.policy", "127.0.0.1:1", "."],
            cwd=PACK_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=stderr,
        )
    try:
        port = _read_port(process, log, timeout=120)
        channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        grpc.channel_ready_future(channel).result(timeout=30)
        yield Grpc(analyzer_pb2_grpc.AnalyzerStub(channel)), port
        channel.close()
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()
    errors = log.read_text(errors="replace")
    assert "Exception calling application" not in errors, errors[-3000:]
    assert "Traceback" not in errors, errors[-3000:]


@pytest.fixture
def driver(pack: tuple[Grpc, int]) -> Grpc:
    return pack[0]


def test_the_pack_serves_on_the_port_it_printed(pack: tuple[Grpc, int]) -> None:
    driver, port = pack
    assert port > 0
    assert driver.info().name == "serverless-guard"
    assert driver.stub.GetPluginInfo(empty_pb2.Empty(), timeout=30).version


def test_handshake_is_left_to_the_engine_fallback(driver: Grpc) -> None:
    """The engine falls back to the command-line protocol when Handshake is unimplemented."""
    with pytest.raises(grpc.RpcError) as raised:
        driver.stub.Handshake(analyzer_pb2.AnalyzerHandshakeRequest(), timeout=30)
    assert raised.value.code() is grpc.StatusCode.UNIMPLEMENTED


def test_analyzer_info_lists_every_rule(driver: Grpc) -> None:
    info = driver.info()
    assert info.supportsConfig
    by_name = {p.name: p for p in info.policies}
    assert set(by_name) == {r.id for r in CATALOG} | {SETTINGS_POLICY}
    for r in CATALOG:
        policy = by_name[r.id]
        assert policy.description == r.title
        assert policy.severity == SEVERITIES[r.severity.value], r.id
        assert level_name(policy.enforcementLevel) == r.default_enforcement.value, r.id
        assert policy.remediation_steps == r.remediation.pulumi
        assert policy.url == r.references[0]
        expected_type = (
            analyzer_pb2.POLICY_TYPE_STACK if reads_graph(r) else analyzer_pb2.POLICY_TYPE_RESOURCE
        )
        assert policy.policy_type == expected_type, r.id
        got = json_format.MessageToDict(policy.configSchema.properties)
        want = json_format.MessageToDict(configure_struct(schema(r.params)))
        assert got == want, r.id
    settings = by_name[SETTINGS_POLICY]
    assert settings.enforcementLevel == analyzer_pb2.MANDATORY
    assert settings.policy_type == analyzer_pb2.POLICY_TYPE_STACK
    assert set(json_format.MessageToDict(settings.configSchema.properties)) == {
        "strict_unknowns",
        "exemptions",
    }


def configure_struct(data: dict[str, object]) -> object:
    from google.protobuf import struct_pb2

    out = struct_pb2.Struct()
    out.update(data)
    return out


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(driver: Grpc, case: Case) -> None:
    check(case, observe(driver, case.resources, case.config))


def test_configure_replaces_the_previous_configuration(driver: Grpc) -> None:
    app = [log_group("app", kmsKeyId="k")]
    first = observe(driver, app, {"all": "disabled"})
    assert first == []
    second = observe(driver, app, {})
    assert [(s.policy, s.level) for s in second] == [("logs-retention-set", "advisory")]


@pytest.mark.parametrize("res", MALFORMED, ids=[r.name for r in MALFORMED])
def test_malformed_inputs_never_crash(driver: Grpc, res: Res) -> None:
    seen = observe(driver, [res], {"all": "mandatory"})
    names = {p.name for p in driver.info().policies}
    for s in seen:
        assert s.policy in names
        assert "could not run" not in s.message, s
        assert len(s.message) < 10_000
    # and the pack still answers
    after = observe(driver, [log_group("app", retentionInDays=365, kmsKeyId="k")], {})
    assert after == []


def test_unknowns_of_every_kind_are_read(driver: Grpc) -> None:
    sentinels = [
        "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
        "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
        "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
        "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
        "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
    ]
    for sentinel in sentinels:
        seen = observe(
            driver, [log_group("app", retentionInDays=sentinel, kmsKeyId="k")], {"all": "mandatory"}
        )
        assert [(s.policy, s.level) for s in seen] == [("logs-retention-set", "advisory")]
        assert seen[0].message.split("\n")[-1].startswith("unknown: ")


def test_concurrent_requests_get_their_own_answers(driver: Grpc) -> None:
    """The engine analyzes resources in parallel; each request is evaluated on its own."""
    driver.configure(configure_request({"all": "mandatory"}, driver.info()))
    groups = [log_group(f"app-{i}", retentionInDays=30 + i, kmsKeyId="k") for i in range(40)]

    def one(res: Res) -> list[str]:
        response = driver.analyze(analyze_request(res))
        return [d.message for d in response.diagnostics if d.urn == res.urn]

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(one, groups))
    for i, messages in enumerate(answers):
        assert len(messages) == 1
        assert f"keeps logs {30 + i} days" in messages[0]


def test_a_large_stack_is_analyzed_quickly(driver: Grpc) -> None:
    resources = [
        Res(LOG_GROUP, f"logs-{i}", {"name": f"/aws/lambda/fn-{i}", "retentionInDays": 30})
        for i in range(300)
    ] + [
        Res("aws:lambda/function:Function", f"fn-{i}", {"name": f"fn-{i}", "runtime": "nodejs22.x"})
        for i in range(300)
    ]
    driver.configure(configure_request({}, driver.info()))
    started = time.monotonic()
    response = driver.analyze_stack(stack_request(resources))
    elapsed = time.monotonic() - started
    retention = [d for d in response.diagnostics if d.policyName == "lambda-log-retention"]
    assert len(retention) == 300
    assert elapsed < 20, elapsed


# --- the bundled programs, as `pulumi preview --policy-pack policypack` would send them ------

ROOT = Path(__file__).resolve().parents[1]


def program_diagnostics(driver: Grpc, project: Path) -> list[tuple[str, str, str]]:
    """(policy, resource name, level) of every diagnostic for the resources a program registers
    (run under mocks), sent as the engine sends them (see `diagnostics`)."""
    from serverless_guard.engines.pulumi.program import run_program

    return diagnostics(driver, run_program(project))


def diagnostics(driver: Grpc, registered: list[PulumiResource]) -> list[tuple[str, str, str]]:
    """(policy, resource name, level) of every diagnostic for registered resources, sent as the
    engine sends them: Analyze per resource, then AnalyzeStack with the property dependencies,
    after Configure with the default configuration."""
    from pulumi_cases import struct

    resources = [r for r in registered if not r.type.startswith("pulumi:")]
    names = {r.urn: r.name for r in resources}
    driver.configure(configure_request({}, driver.info()))
    seen: list[tuple[str, str, str]] = []
    stack = []
    for r in resources:
        response = driver.analyze(
            analyzer_pb2.AnalyzeRequest(
                urn=r.urn, type=r.type, name=r.name, properties=struct(r.props)
            )
        )
        seen += [
            (d.policyName, r.name, level_name(d.enforcementLevel)) for d in response.diagnostics
        ]
        stack.append(
            analyzer_pb2.AnalyzerResource(
                urn=r.urn,
                type=r.type,
                name=r.name,
                properties=struct(r.props),
                dependencies=list(r.dependencies),
                propertyDependencies={
                    key: analyzer_pb2.AnalyzerPropertyDependencies(urns=list(urns))
                    for key, urns in r.property_dependencies.items()
                },
            )
        )
    response = driver.analyze_stack(analyzer_pb2.AnalyzeStackRequest(resources=stack))
    seen += [
        (d.policyName, names.get(d.urn, d.urn), level_name(d.enforcementLevel))
        for d in response.diagnostics
    ]
    return seen


def test_the_pack_passes_the_root_program(driver: Grpc) -> None:
    assert program_diagnostics(driver, ROOT) == []


def test_the_pack_blocks_the_insecure_program(driver: Grpc) -> None:
    seen = program_diagnostics(driver, ROOT / "examples" / "pulumi" / "insecure")
    mandatory = {(policy, name) for policy, name, level in seen if level == "mandatory"}
    assert {
        ("apigw-rest-private-endpoint", "orders-api"),
        ("apigw-method-authorization", "list-orders"),
        ("iam-no-admin-policies", "orders-function-role"),
        ("lambda-url-auth-iam", "orders-url"),
        ("s3-bucket-tls-only", "documents"),
    } <= mandatory
