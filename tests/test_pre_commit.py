"""The pre-commit hooks (`.pre-commit-hooks.yaml`), run by the real pre-commit.

The hook repository is a git repository holding a copy of the project's source; pre-commit
clones it and installs it into a virtualenv of its own (`pip install .`, from the package
registry and pip's cache: no other network). `try-repo` installs the hook into a new
environment each time (about 14 s here: serverless-guard and its dependencies); `run` with the
sample configuration installs the Pulumi hook's environment once (the Pulumi SDK as well).
Cost: about 45 s on an idle machine.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from distribution import ROOT, clean_env, copy_source, git_commit_all

EXAMPLES = ROOT / "examples"
PRE_COMMIT = Path(sys.executable).with_name("pre-commit")
TEMPLATES = "serverless-guard (CloudFormation and SAM templates)"
PULUMI = "serverless-guard (Pulumi program)"


@dataclass(frozen=True)
class HookRepo:
    path: Path
    rev: str
    home: Path


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> HookRepo:
    path = copy_source(tmp_path_factory.mktemp("hook-repo"))
    rev = git_commit_all(path)
    return HookRepo(path, rev, tmp_path_factory.mktemp("pre-commit-home"))


def status(output: str, hook_name: str) -> str:
    """What pre-commit printed for a hook: Passed, Failed or Skipped."""
    lines = [line for line in output.splitlines() if line.startswith(hook_name + ".")]
    assert len(lines) == 1, output
    return lines[0].rsplit(".", 1)[-1].split(")")[-1].strip()


def pre_commit(hooks: HookRepo, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(PRE_COMMIT), *args],
        cwd=cwd,
        env=clean_env(PRE_COMMIT_HOME=str(hooks.home), NO_COLOR="1"),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def try_repo(hooks: HookRepo, cwd: Path, *files: str) -> subprocess.CompletedProcess[str]:
    """The templates hook of the hook repository, tried on `files` of the repository `cwd`."""
    return pre_commit(
        hooks,
        cwd,
        "try-repo",
        str(hooks.path),
        "serverless-guard",
        "--ref",
        hooks.rev,
        "--files",
        *files,
    )


@pytest.fixture(scope="module")
def templates_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A user's repository: an insecure and a secure template, and YAML that is no template."""
    repo = tmp_path_factory.mktemp("templates-repo")
    shutil.copy(EXAMPLES / "cloudformation" / "insecure" / "template.yaml", repo / "insecure.yaml")
    shutil.copy(EXAMPLES / "cloudformation" / "secure" / "template.yaml", repo / "secure.yaml")
    (repo / "ci.yml").write_text("name: ci\non: push\n")
    git_commit_all(repo)
    return repo


def test_the_hooks_of_the_manifest() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"serverless-guard", "serverless-guard-pulumi"}
    assert hooks["serverless-guard"]["entry"].startswith("serverless-guard scan ")
    assert hooks["serverless-guard-pulumi"]["entry"] == "serverless-guard pulumi"
    # the Pulumi hook's SDK pin is the one of the package's pulumi extra
    pyproject = (ROOT / "pyproject.toml").read_text()
    for requirement in hooks["serverless-guard-pulumi"]["additional_dependencies"]:
        assert f'"{requirement}"' in pyproject, requirement


def test_the_insecure_template_fails_the_hook(hook_repo: HookRepo, templates_repo: Path) -> None:
    done = try_repo(hook_repo, templates_repo, "insecure.yaml", "ci.yml")
    assert done.returncode == 1, done.stdout + done.stderr
    assert status(done.stdout, TEMPLATES) == "Failed"
    assert "apigw-rest-private-endpoint" in done.stdout
    assert re.search(r"[1-9]\d* blocking; 1 file", done.stdout)


def test_the_secure_template_passes_the_hook(hook_repo: HookRepo, templates_repo: Path) -> None:
    done = try_repo(hook_repo, templates_repo, "secure.yaml", "ci.yml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert status(done.stdout, TEMPLATES) == "Passed"  # ci.yml is skipped, not refused


# --- the sample configuration, with a Pulumi project in infra/ --------------------------------


@pytest.fixture(scope="module")
def pulumi_repo(tmp_path_factory: pytest.TempPathFactory, hook_repo: HookRepo) -> Path:
    """A user's repository configured with examples/ci/pre-commit-config.yaml (pointing at the
    hook repository), whose Pulumi project in infra/ uses this test's virtualenv (it has
    pulumi_aws), as a project names its own in Pulumi.yaml."""
    repo = tmp_path_factory.mktemp("pulumi-repo")
    config = yaml.safe_load((EXAMPLES / "ci" / "pre-commit-config.yaml").read_text())
    config["repos"][0].update(repo=str(hook_repo.path), rev=hook_repo.rev)
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    (repo / "guard.json").write_text("{}\n")
    return repo


def use_program(repo: Path, program: Path) -> None:
    infra = repo / "infra"
    shutil.rmtree(infra, ignore_errors=True)
    shutil.copytree(program, infra, ignore=shutil.ignore_patterns("Pulumi.yaml", "guard.json"))
    (infra / "Pulumi.yaml").write_text(
        yaml.safe_dump(
            {
                "name": "orders",
                "runtime": {"name": "python", "options": {"virtualenv": sys.prefix}},
            }
        )
    )
    git_commit_all(repo)


def test_the_sample_configuration_blocks_an_insecure_program(
    hook_repo: HookRepo, pulumi_repo: Path
) -> None:
    use_program(pulumi_repo, EXAMPLES / "pulumi" / "insecure")
    done = pre_commit(hook_repo, pulumi_repo, "run", "serverless-guard-pulumi", "--all-files")
    assert done.returncode == 1, done.stdout + done.stderr
    assert status(done.stdout, PULUMI) == "Failed"
    assert "s3-bucket-tls-only" in done.stdout
    assert "blocking; 1 file" in done.stdout


def test_the_sample_configuration_passes_a_secure_program(
    hook_repo: HookRepo, pulumi_repo: Path
) -> None:
    use_program(pulumi_repo, EXAMPLES / "pulumi" / "secure")
    done = pre_commit(
        hook_repo, pulumi_repo, "run", "serverless-guard-pulumi", "--all-files", "--verbose"
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert status(done.stdout, PULUMI) == "Passed"
    assert re.search(r" 0 blocking; 1 file, [1-9]\d* resources scanned", done.stdout)
