"""Run a Pulumi Python program offline and return the resources it registers.

`run_program(project_dir)` does what `pulumi preview` does up to the point where the engine
hands each resource to a policy pack, with no Pulumi CLI, no backend and no credentials: it
reads the project and the stack's configuration (`program_config`), runs the program unmodified
in a fresh Python process under mocks that answer like a cloud (`mocks`), and returns
each registered resource as a `PulumiResource` (URN, type, name, camelCase inputs, property
dependencies, dependencies, parent, and the file and line of the program that declared it),
sorted by URN after the stack itself.

A fresh process keeps the program's imports, `sys.path` and global state away from the caller
and lets one process run any number of programs. It costs an interpreter start with the Pulumi
SDK's import (about 0.5 s) plus the program's own imports and run (pulumi_aws dominates): about
1 s in all for a small serverless program on an idle machine.

Every problem a user can fix is a `PulumiProgramError` (exit code 2) with a one-line message:
not a Pulumi Python project, several stacks and none chosen, a missing required configuration
value, a package the program imports that is not installed, an exception in the program (with
its file and line), a network access (the run is offline).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from importlib.util import find_spec
from pathlib import Path
from types import MappingProxyType
from typing import Any

from serverless_guard.engines.pulumi.model import PulumiResource
from serverless_guard.engines.pulumi.program_config import (
    ProgramSpec,
    PulumiProgramError,
    load_spec,
)

__all__ = ["PulumiProgramError", "run_program"]

# The longest a program may run before it is stopped (seconds).
TIMEOUT = 600.0

# The child script, run by its path: `-m` would import all of serverless_guard first.
_CHILD = Path(__file__).with_name("mocks") / "__main__.py"
_NO_CONFIG: Mapping[str, str] = MappingProxyType({})

# Environment variables of a Pulumi run that must not reach the program from the caller's
# environment: configuration comes from the project and the stack only, and no tracing exporter
# may open a connection.
_DROPPED_ENV = ("PULUMI_CONFIG", "TRACEPARENT", "PULUMI_OTEL_EXPORTER_OTLP_ENDPOINT")


def run_program(
    project_dir: str | os.PathLike[str],
    *,
    stack: str | None = None,
    config: Mapping[str, str] = _NO_CONFIG,
) -> list[PulumiResource]:
    """Run the Pulumi Python program in `project_dir` as a preview of `stack`, offline.

    `config` overrides the stack's configuration (`-c key=value`); a key without a namespace
    belongs to the project. Raises `PulumiProgramError` for every problem a user can fix.
    """
    spec = load_spec(Path(project_dir), stack=stack, config=config)
    outcome = _run_child(spec)
    error = outcome.get("error")
    if isinstance(error, Mapping):
        raise _error(spec, error)
    resources = outcome.get("resources")
    if not isinstance(resources, list):
        raise PulumiProgramError("running the program gave no resources")
    return [_resource(r, spec.project_dir) for r in resources if isinstance(r, Mapping)]


def _run_child(spec: ProgramSpec) -> dict[str, Any]:
    if find_spec("pulumi") is None:
        raise PulumiProgramError(
            "running Pulumi programs needs the Pulumi SDK: pip install 'serverless-guard[pulumi]'"
        )
    request = {
        "project_dir": str(spec.project_dir.resolve()),
        "program": str(spec.program.resolve()),
        "project": spec.project,
        "stack": spec.stack,
        "search_path": [str(p.resolve()) for p in spec.search_path],
        "site_packages": [str(p.resolve()) for p in spec.site_packages],
        "config": dict(spec.config),
        "secret_keys": sorted(spec.secret_keys),
    }
    try:
        done = subprocess.run(
            [sys.executable, "-P", str(_CHILD)],
            input=json.dumps(request),
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=TIMEOUT,
            cwd=spec.project_dir,
            env=_child_env(),
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise PulumiProgramError(
            f"the program did not finish within {TIMEOUT:.0f} s", file=str(spec.program)
        ) from None
    try:
        outcome = json.loads(done.stdout) if done.returncode == 0 else None
    except ValueError:
        outcome = None
    if not isinstance(outcome, dict):
        last = [line for line in done.stderr.splitlines() if line.strip()]
        detail = last[-1].strip() if last else f"exit status {done.returncode}"
        raise PulumiProgramError(f"running the program failed: {detail}", file=str(spec.program))
    return outcome


def _child_env() -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("PULUMI_CONFIG") and key not in _DROPPED_ENV
    }
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # leave the project's folder as it was
    env["AWS_EC2_METADATA_DISABLED"] = "true"
    return env


def _install_hint(spec: ProgramSpec, module: str) -> str:
    root = spec.project_dir
    if (root / "uv.lock").is_file():
        command = "uv sync"
    elif (root / "poetry.lock").is_file():
        command = "poetry install"
    elif (root / "requirements.txt").is_file():
        command = "pip install -r requirements.txt"
    else:
        command = f"pip install {module.split('.')[0]}"
    if spec.virtualenv is not None:
        where = f" in its virtualenv ({spec.virtualenv.name})"
    else:
        where = " in the environment that runs serverless-guard"
    return f"install the program's requirements{where} ({command})"


def _error(spec: ProgramSpec, error: Mapping[str, Any]) -> PulumiProgramError:
    kind = error.get("kind")
    file, line = error.get("file"), error.get("line")
    where = str(spec.project_dir / file) if isinstance(file, str) else str(spec.program)
    at = line if isinstance(line, int) else None
    if kind == "config_missing":
        return spec.missing_config(str(error.get("key")))
    if kind == "config_type":
        key = str(error.get("key"))
        value = "" if key in spec.secret_keys else f" ('{error.get('value')}')"
        return PulumiProgramError(
            f"configuration value '{key}' is not a valid {error.get('expected')}{value}: "
            f"{spec.config_hint(key)}"
        )
    if kind == "missing_module":
        module = str(error.get("module"))
        return PulumiProgramError(
            f"the program imports '{module}', which is not installed: "
            f"{_install_hint(spec, module)}",
            file=where,
            line=at,
        )
    network = error.get("network")
    if isinstance(network, str):
        return PulumiProgramError(
            f"the program tried to reach {network} over the network: "
            "programs run offline here, with mocks in place of AWS",
            file=where,
            line=at,
        )
    if kind == "exit":
        return PulumiProgramError(
            f"the program exited with status {error.get('code')}", file=where, line=at
        )
    message = str(error.get("message") or "").strip()
    kind_name = error.get("type")
    if isinstance(kind_name, str):
        message = f"{kind_name}: {message}" if message else kind_name
    return PulumiProgramError(f"the program failed: {message}", file=where, line=at)


def _source(raw: Any, project_dir: Path) -> tuple[str, int] | None:
    """Where the program declared a resource: a file of the project (as the project folder was
    named) and a line."""
    if not isinstance(raw, Mapping):
        return None
    file, line = raw.get("file"), raw.get("line")
    if not isinstance(file, str) or not isinstance(line, int):
        return None
    return str(project_dir / file), line


def _resource(raw: Mapping[str, Any], project_dir: Path) -> PulumiResource:
    deps = raw.get("propertyDependencies")
    parent = raw.get("parent")
    return PulumiResource(
        urn=str(raw["urn"]),
        type=str(raw["type"]),
        name=str(raw["name"]),
        props=dict(raw.get("props") or {}),
        property_dependencies={
            str(k): tuple(str(u) for u in v)
            for k, v in (deps.items() if isinstance(deps, Mapping) else ())
            if isinstance(v, list)
        },
        dependencies=tuple(str(u) for u in raw.get("dependencies") or ()),
        parent=parent if isinstance(parent, str) else None,
        source=_source(raw.get("source"), project_dir),
    )
