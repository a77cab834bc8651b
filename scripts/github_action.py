"""The work of the GitHub Action (action.yml): install serverless-guard, check, write SARIF,
and decide whether the step fails.

The action passes its inputs as `INPUT_*` variables (never into the script's text, so that no
input is read as shell code) and the action's own folder as `ACTION_PATH`; this script writes
the step's outputs to `$GITHUB_OUTPUT`. It needs only the standard library and a Python 3.11 or
later on PATH.

- install: `true` creates a virtualenv under `$RUNNER_TEMP` that also sees the runner Python's
  packages (those a Pulumi program imports, installed by an earlier step), and installs
  serverless-guard there from the action's folder, with the `pulumi` extra for a Pulumi project.
  `false` uses the `serverless-guard` on PATH.
- The check runs twice: once as text, for the log, once as SARIF into `sarif-file`. Its exit
  code decides: 0 passes, 1 (a blocking finding) fails unless `fail-on-blocking` is `false`,
  anything else (bad input or configuration) always fails.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

TRUE = ("true", "yes", "1")
FALSE = ("false", "no", "0")


@dataclass(frozen=True)
class Inputs:
    """The action's inputs (see action.yml), as the step's environment carries them."""

    paths: tuple[str, ...]
    pulumi_project: str
    stack: str
    config: str
    sarif_file: str
    fail_on_blocking: bool
    strict_unknowns: bool
    install: bool

    ENV: ClassVar[dict[str, str]] = {
        "paths": "INPUT_PATHS",
        "pulumi_project": "INPUT_PULUMI_PROJECT",
        "stack": "INPUT_STACK",
        "config": "INPUT_CONFIG",
        "sarif_file": "INPUT_SARIF_FILE",
        "fail_on_blocking": "INPUT_FAIL_ON_BLOCKING",
        "strict_unknowns": "INPUT_STRICT_UNKNOWNS",
        "install": "INPUT_INSTALL",
    }

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Inputs:
        def text(name: str, default: str = "") -> str:
            return env.get(cls.ENV[name], "").strip() or default

        return cls(
            paths=tuple(shlex.split(text("paths", "."))),
            pulumi_project=text("pulumi_project"),
            stack=text("stack"),
            config=text("config"),
            sarif_file=text("sarif_file", "serverless-guard.sarif"),
            fail_on_blocking=flag(text("fail_on_blocking", "true"), "fail-on-blocking"),
            strict_unknowns=flag(text("strict_unknowns", "false"), "strict-unknowns"),
            install=flag(text("install", "true"), "install"),
        )


class InputError(Exception):
    """An input the action cannot use."""


def flag(value: str, name: str) -> bool:
    if value.lower() in TRUE:
        return True
    if value.lower() in FALSE:
        return False
    raise InputError(f"input {name} must be true or false, not {value!r}")


def check_command(guard: str, inputs: Inputs) -> list[str]:
    """The serverless-guard command line, without its report format."""
    if inputs.pulumi_project:
        command = [guard, "pulumi", inputs.pulumi_project]
        if inputs.stack:
            command += ["--stack", inputs.stack]
    else:
        if not inputs.paths:
            raise InputError("input paths names nothing to scan")
        command = [guard, "scan", *inputs.paths]
    if inputs.config:
        command += ["--config", inputs.config]
    if inputs.strict_unknowns:
        command.append("--strict-unknowns")
    return command


def install_commands(action_path: Path, venv: Path, pulumi: bool) -> list[list[str]]:
    """Create the virtualenv (seeing the runner Python's packages), install the action's own
    serverless-guard into it."""
    source = f"{action_path}[pulumi]" if pulumi else str(action_path)
    python = str(venv_bin(venv) / "python")
    return [
        [sys.executable, "-m", "venv", "--system-site-packages", str(venv)],
        [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", source],
    ]


def venv_bin(venv: Path) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin")


def install(env: Mapping[str, str], inputs: Inputs) -> str:
    action_path = Path(env.get("ACTION_PATH") or Path(__file__).resolve().parents[1])
    venv = Path(env.get("RUNNER_TEMP") or action_path / "build") / "serverless-guard-venv"
    for command in install_commands(action_path, venv, bool(inputs.pulumi_project)):
        subprocess.run(command, check=True)
    return str(venv_bin(venv) / "serverless-guard")


def outcome(code: int, fail_on_blocking: bool) -> tuple[int, str | None]:
    """The step's exit code for the check's, and the annotation to show."""
    if code == 0:
        return 0, None
    if code == 1:
        if fail_on_blocking:
            return 1, "::error title=serverless-guard::blocking findings (listed above)"
        return 0, "::warning title=serverless-guard::blocking findings (listed above)"
    return code, f"::error title=serverless-guard::the check could not run (exit code {code})"


def write_outputs(env: Mapping[str, str], values: Mapping[str, str]) -> None:
    target = env.get("GITHUB_OUTPUT")
    if not target:
        return
    with open(target, "a", encoding="utf-8") as handle:
        for key, value in values.items():
            handle.write(f"{key}={value}\n")


def run(env: Mapping[str, str]) -> int:
    try:
        inputs = Inputs.from_env(env)
        guard = install(env, inputs) if inputs.install else "serverless-guard"
        command = check_command(guard, inputs)
    except (InputError, ValueError) as err:  # ValueError: shlex, of paths with an open quote
        print(f"::error title=serverless-guard::{err}", flush=True)
        return 2
    except subprocess.CalledProcessError as err:
        print(f"::error title=serverless-guard::installing failed: {err}", flush=True)
        return 2
    report = Path(inputs.sarif_file)
    report.unlink(missing_ok=True)  # never upload the report of an older run
    report.parent.mkdir(parents=True, exist_ok=True)
    print("$ " + shlex.join(command), flush=True)
    subprocess.run(command, check=False)  # the report, for the log
    sarif = [*command, "--format", "sarif", "--output", inputs.sarif_file]
    code = subprocess.run(sarif, check=False).returncode
    write_outputs(
        env,
        {
            "sarif-file": inputs.sarif_file if report.is_file() else "",
            "exit-code": str(code),
            "blocking": "true" if code == 1 else "false",
        },
    )
    step, annotation = outcome(code, inputs.fail_on_blocking)
    if annotation:
        print(annotation, flush=True)
    return step


if __name__ == "__main__":
    raise SystemExit(run(os.environ))
