"""End to end: the real CDK CLI (npm `aws-cdk`, pinned in package.json and installed into
node_modules/ by `make test`) synthesizes the example apps in examples/cdk/.

`cdk synth` of the insecure app fails with the plugin's report; the secure app (the plain app
with the class names of the secure constructs swapped in, every secure construct in one app)
synthesizes with no finding on the resources the app's code created. The
CLI runs offline: no notices, no telemetry, no version check, a CDK home of its own, and no
instance-metadata lookups for credentials. The CDK's built-in CloudFormation validator is
switched off (`--no-validation`): it is not part of this project and costs several seconds per
synth. Each synth costs the app's start (importing aws-cdk-lib) plus the CLI's own start.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
CDK = ROOT / "node_modules" / ".bin" / "cdk"
EXAMPLES = ROOT / "examples" / "cdk"
TIMEOUT = 600


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    outdir: Path

    @property
    def report(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.outdir / "validation-report.json").read_text())
        return data


def cli_environment(home: Path) -> dict[str, str]:
    """The environment of the CLI: this interpreter's venv first on PATH (the example's cdk.json
    runs `python3 app.py`), nothing of pytest (the CDK would think it runs in a unit test), and
    no CDK settings of the caller's (the CLI reads every `CDK_*` variable as an option)."""
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("PYTEST_", "CDK"))
    }
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["CDK_HOME"] = str(home)
    env["CDK_DISABLE_CLI_TELEMETRY"] = "1"
    env["CDK_DISABLE_VERSION_CHECK"] = "1"
    env["AWS_EC2_METADATA_DISABLED"] = "true"
    env["JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"] = "20"
    env["NO_COLOR"] = "1"
    return env


def synth_all(examples: dict[str, Path], tmp: Path) -> dict[str, Run]:
    """`cdk synth` of each app folder, all at once (each spends most of its time starting up)."""
    if not CDK.exists():
        pytest.fail(
            f"the CDK CLI is not installed ({CDK.relative_to(ROOT)} is missing): run `make test`, "
            "which installs it with `npm ci` from package-lock.json"
        )
    started: dict[str, tuple[subprocess.Popen[str], Path]] = {}
    for example, folder in examples.items():
        outdir = tmp / example / "cdk.out"
        command = [str(CDK), "synth", "--no-notices", "--no-validation", "--quiet"]
        process = subprocess.Popen(
            [*command, "--output", str(outdir)],
            cwd=folder,
            env=cli_environment(tmp / example / "cdk-home"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        started[example] = (process, outdir)
    runs: dict[str, Run] = {}
    for example, (process, outdir) in started.items():
        try:
            stdout, stderr = process.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            stdout, stderr = process.communicate()
        runs[example] = Run(process.returncode, stdout, stderr, outdir)
    return runs


def misconfigured_app(folder: Path) -> Path:
    """The insecure example, its plugin given a rule id with a typo."""
    folder.mkdir(parents=True)
    (folder / "cdk.json").write_text((EXAMPLES / "insecure" / "cdk.json").read_text())
    app = (EXAMPLES / "insecure" / "app.py").read_text()
    guard = "ServerlessGuard()"
    assert guard in app
    (folder / "app.py").write_text(
        app.replace(guard, 'ServerlessGuard(config={"lamda-in-vpc": "advisory"})')
    )
    return folder


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    tmp = tmp_path_factory.mktemp("cdk-cli")
    apps = {
        "insecure": EXAMPLES / "insecure",
        "secure": EXAMPLES / "secure",
        "misconfigured": misconfigured_app(tmp / "misconfigured-app"),
    }
    return synth_all(apps, tmp)


@pytest.fixture
def insecure(runs: dict[str, Run]) -> Run:
    return runs["insecure"]


@pytest.fixture
def secure(runs: dict[str, Run]) -> Run:
    return runs["secure"]


def test_cdk_synth_of_the_insecure_app_fails_with_the_report(insecure: Run) -> None:
    assert insecure.returncode != 0, insecure.stderr
    output = insecure.stdout + insecure.stderr
    assert "ERROR [s3-bucket-public-access-blocked, high, mandatory]" in output
    assert "InsecureOrders/Documents/Resource (Documents" in output
    assert "Acknowledge with 'serverless-guard::apigw-method-authorization'" in output
    assert "WARNING [lambda-tracing-active, low, advisory]" in output
    assert "Suggested fix: " in output


def test_the_report_file_names_rules_and_construct_paths(insecure: Run) -> None:
    (report,) = insecure.report["pluginReports"]
    assert report["pluginName"] == "serverless-guard"
    assert report["conclusion"] == "failure"
    blocking = {
        (v["ruleName"], c["constructPath"])
        for v in report["violations"]
        if v["severity"] == "error"
        for c in v["violatingConstructs"]
    }
    assert ("sqs-queue-encrypted", "InsecureOrders/Work/Resource") in blocking
    assert ("lambda-env-no-secrets", "InsecureOrders/Handler/Resource") in blocking
    assert ("apigw-rest-private-endpoint", "InsecureOrders/Api/Resource") in blocking


def count_line(run: Run) -> str:
    """The plugin's count line, as the report's violations count it."""
    (report,) = run.report["pluginReports"]
    severities = [v["severity"] for v in report["violations"]]
    blocking = severities.count("error")
    advisory = severities.count("warning") + severities.count("info")
    suppressed = len(report.get("suppressedViolations") or [])
    suppressed += int(report["metadata"].get("suppressed by resource metadata", "0"))
    return (
        f"serverless-guard: {blocking} blocking, {advisory} advisory, {suppressed} suppressed "
        f"({report['metadata']['scanned']})"
    )


def test_the_plugin_counts_the_findings_in_one_line(insecure: Run) -> None:
    (line,) = [x for x in insecure.stderr.splitlines() if x.startswith("serverless-guard: ")]
    assert line == count_line(insecure)
    assert not line.startswith("serverless-guard: 0 blocking")
    (report,) = insecure.report["pluginReports"]
    assert report["metadata"]["summary"] == line.removeprefix("serverless-guard: ")


def test_a_configuration_error_is_one_message_not_a_traceback(runs: dict[str, Run]) -> None:
    """It fails the synth (a failed report without violations would pass under the CLI)."""
    misconfigured = runs["misconfigured"]
    assert misconfigured.returncode != 0
    output = misconfigured.stdout + misconfigured.stderr
    assert "Traceback" not in output
    expected = (
        "FATAL ServerlessGuard(config=...): unknown rule id 'lamda-in-vpc' "
        "(did you mean lambda-in-vpc?) (serverless-guard)"
    )
    assert expected in output.splitlines(), output
    assert "ERROR [" not in output  # nothing was checked with a configuration that is wrong


def test_cdk_synth_of_the_secure_app_passes(secure: Run) -> None:
    assert secure.returncode == 0, secure.stderr
    # aws-cdk-lib's own resources are suppressed by the plugin: nothing is left to report, and
    # the CDK leaves a successful report without violations out of validation-report.json
    assert secure.report["pluginReports"] == []
    mentions = [line for line in secure.stderr.splitlines() if "serverless-guard: " in line]
    assert len(mentions) == 1, secure.stderr
    assert re.match(r"serverless-guard: 0 blocking, 0 advisory, \d+ suppressed", mentions[0])
    assert (secure.outdir / "Orders.template.json").exists()
