"""Run a Pulumi program under the mocks of `serverless-guard pulumi`, with the warnings it logs.

The program runs in a child process exactly as `serverless-guard pulumi` runs it
(`engines/pulumi/program.py`), with one difference: the child also returns the warnings the
program logged with `pulumi.log.warn` (`pulumi_warnings_child.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from serverless_guard.engines.pulumi import program
from serverless_guard.engines.pulumi.model import PulumiResource
from serverless_guard.engines.pulumi.program_config import load_spec

CHILD = Path(__file__).with_name("pulumi_warnings_child.py")


@dataclass(frozen=True)
class Warning:
    urn: str
    message: str

    @property
    def name(self) -> str:
        """The name of the resource the warning is on."""
        return self.urn.rsplit("::", 1)[-1]


@dataclass(frozen=True)
class Run:
    resources: list[PulumiResource]
    warnings: list[Warning]


def write_program(folder: Path, source: str, name: str = "program") -> Path:
    """A Pulumi Python project in `folder` whose program is `source`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "Pulumi.yaml").write_text(f"name: {name}\nruntime: python\n", encoding="utf-8")
    (folder / "__main__.py").write_text(source, encoding="utf-8")
    return folder


def run(project: Path) -> Run:
    """The resources a program registers and the warnings it logs."""
    spec = load_spec(project, stack=None, config={})
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(program, "_CHILD", CHILD)
        outcome = program._run_child(spec)
    error = outcome.get("error")
    assert error is None, error
    return Run(
        resources=[program._resource(r, spec.project_dir) for r in outcome["resources"]],
        warnings=[Warning(w["urn"], w["message"]) for w in outcome["warnings"]],
    )
