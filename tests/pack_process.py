"""A Python policy pack started as the Pulumi CLI starts one, and driven over its real Analyzer
gRPC protocol.

The CLI runs the `pulumi-analyzer-policy-python` shim in the pack's folder with two arguments,
the engine's address and `.`, plus one `-<option>=<value>` per runtime option of
PulumiPolicy.yaml, in its own environment with `PULUMI_PROJECT`, `PULUMI_STACK`,
`PULUMI_DRY_RUN`, `PULUMI_ORGANIZATION` (and `PULUMI_CONFIG`) added. Without a `virtualenv`
option the shim runs `python3 -u -m pulumi.policy <address> .` with the python3 on PATH; with
one, that virtualenv's python, its bin folder first on PATH and PYTHONHOME unset. The pack
prints its port on the first line of stdout; the engine address is never called back.
"""

from __future__ import annotations

import os
import select
import subprocess
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import grpc
from google.protobuf import empty_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc
from pulumi_cases import configure_request, level_name, struct

from serverless_guard.engines.pulumi.model import PulumiResource

ENGINE = "127.0.0.1:1"
ENGINE_ENV = {
    "PULUMI_PROJECT": "shop",
    "PULUMI_STACK": "dev",
    "PULUMI_DRY_RUN": "true",
    "PULUMI_ORGANIZATION": "organization",
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


def shim_command(
    pack_dir: Path, options: Mapping[str, str], env: Mapping[str, str]
) -> tuple[list[str], dict[str, str]]:
    """The command and environment the shim runs for a pack with these runtime options."""
    env = {**env, **ENGINE_ENV}
    virtualenv = options.get("virtualenv")
    if not virtualenv:
        return ["python3", "-u", "-m", "pulumi.policy", ENGINE, "."], env
    venv = Path(virtualenv) if Path(virtualenv).is_absolute() else pack_dir / virtualenv
    env["PATH"] = os.pathsep.join([str(venv / "bin"), env.get("PATH", "")])
    env.pop("PYTHONHOME", None)
    return [str(venv / "bin" / "python"), "-u", "-m", "pulumi.policy", ENGINE, "."], env


def read_port(process: subprocess.Popen[bytes], log: Path, timeout: float) -> int:
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


@contextmanager
def serving(
    pack_dir: Path, env: Mapping[str, str], log: Path, options: Mapping[str, str] | None = None
) -> Iterator[tuple[Grpc, int]]:
    """The pack in `pack_dir` started as the CLI starts it (the shim, with these runtime options,
    in `env`), and a gRPC driver connected to it. At the end its log must show no request that
    failed inside the server."""
    command, full_env = shim_command(pack_dir, options or {}, env)
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            command, cwd=pack_dir, env=full_env, stdout=subprocess.PIPE, stderr=stderr
        )
    try:
        port = read_port(process, log, timeout=120)
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


def program_diagnostics(driver: Grpc, project: Path) -> list[tuple[str, str, str]]:
    """(policy, resource name, level) of every diagnostic for the resources a program registers
    (run under mocks), sent as the engine sends them (see `diagnostics`)."""
    from serverless_guard.engines.pulumi.program import run_program

    return diagnostics(driver, run_program(project))


def diagnostics(driver: Grpc, registered: list[PulumiResource]) -> list[tuple[str, str, str]]:
    """(policy, resource name, level) of every diagnostic for registered resources, sent as the
    engine sends them: Analyze per resource, then AnalyzeStack with the property dependencies,
    after Configure with the default configuration."""
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


INSECURE_PROGRAM_BLOCKS = {
    ("apigw-rest-private-endpoint", "orders-api"),
    ("apigw-method-authorization", "list-orders"),
    ("iam-no-admin-policies", "orders-function-role"),
    ("lambda-url-auth-iam", "orders-url"),
    ("s3-bucket-tls-only", "documents"),
}


def mandatory(seen: list[tuple[str, str, str]]) -> set[tuple[str, str]]:
    return {(policy, name) for policy, name, level in seen if level == "mandatory"}
