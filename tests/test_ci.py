"""The CI integrations: the GitHub Action (action.yml and its script, run here as the runner runs
it, with serverless-guard already installed), the example GitHub workflow and the GitLab job."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "github_action.py"
EXAMPLES = ROOT / "examples"
INSECURE = EXAMPLES / "cloudformation" / "insecure" / "template.yaml"
SECURE = EXAMPLES / "cloudformation" / "secure" / "template.yaml"
SCHEMA_FILE = Path(__file__).resolve().parent / "data" / "schemas" / "sarif-schema-2.1.0.json"


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("github_action", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["github_action"] = module
    spec.loader.exec_module(module)
    return module


action_script = load_script()


def action() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "action.yml").read_text())
    return data


def run(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def run_action(cwd: Path, **inputs: str) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    """The script, as the action's step runs it: inputs as INPUT_* variables, outputs to
    $GITHUB_OUTPUT; serverless-guard is this environment's (install: false)."""
    output = cwd / "github-output"
    output.write_text("")
    env = {k: v for k, v in os.environ.items() if not k.startswith("INPUT_")}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["GITHUB_OUTPUT"] = str(output)
    env["INPUT_INSTALL"] = "false"
    for name, value in inputs.items():
        env["INPUT_" + name.upper()] = value
    done = run([sys.executable, str(SCRIPT)], cwd, env)
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines())
    return done, outputs


def sarif_results(path: Path) -> list[dict[str, Any]]:
    doc = json.loads(path.read_text())
    jsonschema.Draft7Validator(json.loads(SCHEMA_FILE.read_text())).validate(doc)
    results: list[dict[str, Any]] = doc["runs"][0]["results"]
    return results


# --- action.yml and the script agree ---------------------------------------------------------


def test_every_input_reaches_the_script_by_its_variable() -> None:
    spec = action()
    (step,) = spec["runs"]["steps"]
    assert spec["runs"]["using"] == "composite"
    env = step["env"]
    for name in spec["inputs"]:
        variable = "INPUT_" + name.upper().replace("-", "_")
        assert env[variable] == "${{ inputs." + name + " }}"
    assert set(action_script.Inputs.ENV.values()) == {
        "INPUT_" + n.upper().replace("-", "_") for n in spec["inputs"]
    }
    # the inputs reach the script as variables, never as text of its command line
    assert "inputs." not in step["run"]
    assert step["run"] == 'python3 "$ACTION_PATH/scripts/github_action.py"'


def test_the_outputs_are_those_the_script_writes(tmp_path: Path) -> None:
    _, outputs = run_action(tmp_path, paths=str(SECURE))
    for name, output in action()["outputs"].items():
        assert output["value"] == "${{ steps.check.outputs." + name + " }}"
        assert name in outputs


def test_install_into_a_virtualenv_that_sees_the_runner_packages(tmp_path: Path) -> None:
    commands = action_script.install_commands(Path("/a"), tmp_path / "venv", True)
    assert commands[0][1:] == ["-m", "venv", "--system-site-packages", str(tmp_path / "venv")]
    assert commands[1][0] == str(tmp_path / "venv" / "bin" / "python")
    assert commands[1][-1] == "/a[pulumi]"
    assert action_script.install_commands(Path("/a"), tmp_path, False)[1][-1] == "/a"


# --- the script, run ---------------------------------------------------------------------------


def test_blocking_findings_fail_the_step_with_a_valid_sarif(tmp_path: Path) -> None:
    done, outputs = run_action(tmp_path, paths=str(INSECURE), sarif_file="out/guard.sarif")
    assert done.returncode == 1, done.stderr
    assert re.search(r"[1-9]\d* blocking; 1 file", done.stdout)  # the text report, in the log
    assert "::error title=serverless-guard::blocking findings" in done.stdout
    assert outputs == {"sarif-file": "out/guard.sarif", "exit-code": "1", "blocking": "true"}
    results = sarif_results(tmp_path / "out" / "guard.sarif")
    assert {r["ruleId"] for r in results} >= {"apigw-rest-private-endpoint", "s3-bucket-tls-only"}


def test_nothing_blocking_passes(tmp_path: Path) -> None:
    done, outputs = run_action(tmp_path, paths=f"{SECURE}\n")
    assert done.returncode == 0, done.stdout + done.stderr
    assert outputs == {
        "sarif-file": "serverless-guard.sarif",
        "exit-code": "0",
        "blocking": "false",
    }
    assert sarif_results(tmp_path / "serverless-guard.sarif") == []


def test_fail_on_blocking_false_reports_without_failing(tmp_path: Path) -> None:
    done, outputs = run_action(tmp_path, paths=f"{SECURE} {INSECURE}", fail_on_blocking="false")
    assert done.returncode == 0
    assert outputs["blocking"] == "true"
    assert "::warning title=serverless-guard::blocking findings" in done.stdout
    assert sarif_results(tmp_path / "serverless-guard.sarif")


def test_bad_input_always_fails_and_leaves_no_report(tmp_path: Path) -> None:
    (tmp_path / "serverless-guard.sarif").write_text("{}")  # of an earlier run: removed
    done, outputs = run_action(tmp_path, paths="missing.yaml", fail_on_blocking="false")
    assert done.returncode == 2
    assert "no such file or folder" in done.stderr
    assert outputs == {"sarif-file": "", "exit-code": "2", "blocking": "false"}
    assert not (tmp_path / "serverless-guard.sarif").exists()


def test_an_input_that_is_not_a_boolean_fails(tmp_path: Path) -> None:
    done, _ = run_action(tmp_path, paths=str(SECURE), fail_on_blocking="sometimes")
    assert done.returncode == 2
    assert "fail-on-blocking must be true or false" in done.stdout


def test_a_pulumi_project(tmp_path: Path) -> None:
    project = shutil.copytree(EXAMPLES / "pulumi" / "insecure", tmp_path / "infra")
    done, outputs = run_action(
        tmp_path, pulumi_project="infra", config=str(project / "guard.json"), paths="ignored"
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert outputs["blocking"] == "true"
    results = sarif_results(tmp_path / "serverless-guard.sarif")
    assert "lambda-url-auth-iam" in {r["ruleId"] for r in results}


# --- the example workflow and the GitLab job -----------------------------------------------------


def test_the_example_workflow_uses_the_action_as_declared() -> None:
    workflow = yaml.safe_load((EXAMPLES / "ci" / "github-workflow.yml").read_text())
    steps = workflow["jobs"]["serverless-guard"]["steps"]
    guard = next(s for s in steps if s.get("id") == "guard")
    assert set(guard["with"]) <= set(action()["inputs"])
    upload = next(s for s in steps if "upload-sarif" in s.get("uses", ""))
    assert upload["with"]["sarif_file"] == "${{ steps.guard.outputs.sarif-file }}"
    assert upload["if"].startswith("always()")
    assert workflow["permissions"]["security-events"] == "write"


def test_the_gitlab_job_writes_a_code_quality_report_and_fails_on_blocking(
    tmp_path: Path,
) -> None:
    """The job's script lines after the installation, run in a repository holding the
    insecure template: the job fails, and the artifact is GitLab's Code Quality report."""
    job = yaml.safe_load((EXAMPLES / "ci" / "gitlab-ci.yml").read_text())["serverless-guard"]
    script = [line for line in job["script"] if not line.startswith("pip install")]
    shutil.copy(INSECURE, tmp_path / "template.yaml")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = run(["bash", "-ec", "\n".join(script)], tmp_path, env)
    assert done.returncode == 1, done.stdout + done.stderr
    report = tmp_path / job["artifacts"]["reports"]["codequality"]
    issues = json.loads(report.read_text())
    assert {i["location"]["path"] for i in issues} == {"template.yaml"}
    assert "apigw-rest-private-endpoint" in {i["check_name"] for i in issues}
    assert job["artifacts"]["when"] == "always"


@pytest.mark.parametrize("name", ["github-workflow.yml", "gitlab-ci.yml", "pre-commit-config.yaml"])
def test_the_examples_pin_this_release(name: str) -> None:
    from serverless_guard import __version__

    assert __version__ in (EXAMPLES / "ci" / name).read_text()
