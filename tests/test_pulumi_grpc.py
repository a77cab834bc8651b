"""The policy pack over its real Analyzer gRPC protocol, started as the Pulumi CLI starts a
Python policy pack (see `pack_process`): in the pack folder, `python3 -u -m pulumi.policy
<engine address> .`, the port read from the first line of stdout."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

pytest.importorskip("pulumi_policy")

import grpc
from google.protobuf import empty_pb2, json_format
from pack_process import (
    INSECURE_PROGRAM_BLOCKS,
    Grpc,
    mandatory,
    program_diagnostics,
    serving,
)
from pulumi.runtime.proto import analyzer_pb2
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
from serverless_guard.engines.pulumi.pack import SETTINGS_POLICY, reads_graph

PACK_DIR = Path(__file__).resolve().parents[1] / "policypack"
SEVERITIES = {
    "low": analyzer_pb2.POLICY_SEVERITY_LOW,
    "medium": analyzer_pb2.POLICY_SEVERITY_MEDIUM,
    "high": analyzer_pb2.POLICY_SEVERITY_HIGH,
    "critical": analyzer_pb2.POLICY_SEVERITY_CRITICAL,
}


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Grpc, int]]:
    """The pack process, once for the module, started as the CLI starts a pack without a
    virtualenv option whose python3 on PATH is this test's environment."""
    log = tmp_path_factory.mktemp("pack") / "stderr.log"
    venv_bin = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": f"{venv_bin}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("PYTHONHOME", None)
    with serving(PACK_DIR, env, log) as served:
        yield served


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
        "framework_resources",
        "baseline",
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


def test_the_pack_passes_the_root_program(driver: Grpc) -> None:
    assert program_diagnostics(driver, ROOT) == []


def test_the_pack_blocks_the_insecure_program(driver: Grpc) -> None:
    seen = program_diagnostics(driver, ROOT / "examples" / "pulumi" / "insecure")
    assert mandatory(seen) >= INSECURE_PROGRAM_BLOCKS


def test_the_pack_blocks_the_hostile_program(driver: Grpc) -> None:
    """The program written to slip past a scanner (tests/test_pulumi_hostile.py): the pack
    catches what `serverless-guard pulumi` catches."""
    from test_pulumi_hostile import CAUGHT, HOSTILE

    seen = program_diagnostics(driver, HOSTILE)
    assert {(policy, name) for policy, name, _ in seen} >= CAUGHT
    assert {
        ("resource-policy-not-public", "uploads-policy"),
        ("resource-policy-not-public", "jobs-policy"),
        ("iam-passrole-scoped", "deployer-policy"),
        ("iam-role-trust-scoped", "github"),
        ("apigw-http-route-authorization", "chat"),
    } <= mandatory(seen)
    assert not [d for d in seen if d[:2] == ("resource-policy-not-public", "good-jobs-policy")]
