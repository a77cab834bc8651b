"""The wheel, as a user gets it: built from a copy of the source files, installed with its
`[pulumi]` extra into a fresh virtualenv (from the package registry and pip's cache), and its
policy pack started as the Pulumi CLI starts a Python pack and driven over gRPC, both the pack
in the package (`serverless-guard policy-pack path`) and a folder written by `policy-pack new`.

One virtualenv serves every test of the module. Cost: about 40 s on an idle machine, most of it
installing pulumi-aws (bytecode is not compiled at install time).
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from dataclasses import dataclass
from email.parser import Parser
from pathlib import Path

import pytest
from distribution import ROOT, clean_env, copy_source
from pack_process import INSECURE_PROGRAM_BLOCKS, mandatory, program_diagnostics, serving
from pulumi_cases import CASES, check, observe

from serverless_guard import __version__, policypack
from serverless_guard.catalog import CATALOG

INSECURE_PROGRAM = ROOT / "examples" / "pulumi" / "insecure"


@dataclass(frozen=True)
class Installed:
    wheel: Path
    venv: Path

    @property
    def bin(self) -> Path:
        return self.venv / "bin"

    def env(self) -> dict[str, str]:
        """An environment where this virtualenv is activated: its bin folder first on PATH."""
        path = clean_env().get("PATH", "")
        return clean_env(PATH=f"{self.bin}:{path}", VIRTUAL_ENV=str(self.venv))

    def run(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            list(args),
            cwd=cwd,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )


def pip(*args: str, cwd: Path | None = None, python: str = sys.executable) -> None:
    done = subprocess.run(
        [python, "-m", "pip", *args],
        cwd=cwd,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    source = copy_source(tmp_path_factory.mktemp("source"))
    dist = tmp_path_factory.mktemp("dist")
    pip("wheel", "--no-deps", "--wheel-dir", str(dist), str(source))
    (wheel,) = dist.glob("serverless_guard-*.whl")
    venv = tmp_path_factory.mktemp("venv")
    done = subprocess.run(
        [sys.executable, "-m", "venv", str(venv)], env=clean_env(), check=False, timeout=300
    )
    assert done.returncode == 0
    pip("install", "--no-compile", f"{wheel}[pulumi]", python=str(venv / "bin" / "python"))
    return Installed(wheel, venv)


def test_the_wheel_carries_the_licence_the_version_and_the_pack(installed: Installed) -> None:
    assert installed.wheel.name == f"serverless_guard-{__version__}-py3-none-any.whl"
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = set(wheel.namelist())
        info = f"serverless_guard-{__version__}.dist-info"
        metadata = Parser().parsestr(wheel.read(f"{info}/METADATA").decode())
        licence = wheel.read(f"{info}/licenses/LICENSE")
    assert metadata["License-Expression"] == "Apache-2.0"
    assert metadata["Version"] == __version__
    assert licence == (ROOT / "LICENSE").read_bytes()
    for name in policypack.PACK_FILES:
        assert f"serverless_guard/policypack/{name}" in names


def test_the_installed_command_is_this_version(installed: Installed) -> None:
    done = installed.run("serverless-guard", "--version")
    assert done.stdout.strip() == f"serverless-guard {__version__}"
    where = installed.run(
        "python3", "-c", "import serverless_guard; print(serverless_guard.__file__)"
    )
    assert Path(where.stdout.strip()).is_relative_to(installed.venv), where.stdout


def installed_pack(installed: Installed) -> Path:
    done = installed.run("serverless-guard", "policy-pack", "path")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # the python3 on PATH is the environment's: no note
    path = Path(done.stdout.strip())
    assert path.is_relative_to(installed.venv)
    return path


def test_the_installed_pack_is_the_repository_pack(installed: Installed) -> None:
    pack = installed_pack(installed)
    for name in policypack.PACK_FILES:
        assert (pack / name).read_bytes() == (ROOT / "policypack" / name).read_bytes(), name


def test_pulumi_preview_with_the_installed_pack(installed: Installed, tmp_path: Path) -> None:
    """`pulumi preview --policy-pack "$(serverless-guard policy-pack path)"` in the activated
    environment: the pack runs with the python3 on PATH."""
    with serving(installed_pack(installed), installed.env(), tmp_path / "pack.log") as (driver, _):
        info = driver.info()
        assert info.name == "serverless-guard"
        assert len(info.policies) == len(CATALOG) + 1  # and the settings policy
        for case in CASES:
            check(case, observe(driver, case.resources, case.config))
        assert mandatory(program_diagnostics(driver, INSECURE_PROGRAM)) >= INSECURE_PROGRAM_BLOCKS
        assert program_diagnostics(driver, ROOT) == []


def test_a_pack_written_by_policy_pack_new(installed: Installed, tmp_path: Path) -> None:
    """The folder `policy-pack new` writes is the repository's pack; its requirements are what
    is installed; and it runs as the CLI runs a pack it has installed: `pulumi policy publish`
    uploads the folder, and the CLI that enables it creates a virtualenv in it (here: the one
    installed above), installs requirements.txt there and passes `-virtualenv=<it>`."""
    folder = tmp_path / "guard-pack"
    done = installed.run("serverless-guard", "policy-pack", "new", str(folder))
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in folder.iterdir()) == sorted(policypack.PACK_FILES)
    for name in policypack.PACK_FILES:
        assert (folder / name).read_bytes() == (ROOT / "policypack" / name).read_bytes(), name
    satisfied = installed.run(
        "python3",
        "-m",
        "pip",
        "install",
        "--dry-run",
        "--no-index",
        "-r",
        "requirements.txt",
        cwd=folder,
    )
    assert satisfied.returncode == 0, satisfied.stdout + satisfied.stderr
    assert "Would install" not in satisfied.stdout, satisfied.stdout
    again = installed.run("serverless-guard", "policy-pack", "new", str(folder))
    assert again.returncode == 2
    assert "exists already" in again.stderr
    options = {"virtualenv": str(installed.venv)}
    with serving(folder, clean_env(), tmp_path / "pack.log", options) as (driver, _):
        assert driver.info().name == "serverless-guard"
        assert mandatory(program_diagnostics(driver, INSECURE_PROGRAM)) >= INSECURE_PROGRAM_BLOCKS
