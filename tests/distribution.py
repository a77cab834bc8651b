"""What the packaging tests share: the files a distribution is built from, an environment free of
this checkout's, and small git repositories.

The wheel and the pre-commit hook are built from a copy of exactly the files a source
distribution needs (`SOURCE_FILES`), so that a file the build needs but the copy lacks fails a
test, and so that uncommitted or stray files of the checkout play no part.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE_FILES = ("pyproject.toml", "README.md", "LICENSE", ".pre-commit-hooks.yaml", "src")
# Variables that would tie a child process to this checkout or to the test's virtualenv.
TIED = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP", "PRE_COMMIT_HOME")


def copy_source(dest: Path) -> Path:
    """A copy of the files the distribution is built from, without caches."""
    dest.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build")
    for name in SOURCE_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=ignore)
        else:
            shutil.copy2(source, dest / name)
    return dest


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without what ties it to the checkout or its virtualenv, with
    no pip version check and no background update of virtualenv's seed packages."""
    env = {k: v for k, v in os.environ.items() if k not in TIED}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["VIRTUALENV_NO_PERIODIC_UPDATE"] = "1"
    env["PIP_NO_COMPILE"] = "1"  # bytecode is written on first import instead
    env.update(extra)
    return env


def git_env() -> dict[str, str]:
    return clean_env(
        GIT_AUTHOR_NAME="serverless-guard tests",
        GIT_AUTHOR_EMAIL="tests@example.invalid",
        GIT_COMMITTER_NAME="serverless-guard tests",
        GIT_COMMITTER_EMAIL="tests@example.invalid",
        GIT_CONFIG_NOSYSTEM="1",
    )


def git_commit_all(repo: Path, message: str = "snapshot") -> str:
    """Initialize `repo` as a git repository if needed, commit everything, return the commit."""
    env = git_env()

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()

    if not (repo / ".git").exists():
        git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "--allow-empty", "-m", message)
    return git("rev-parse", "HEAD")
