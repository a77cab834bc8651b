"""The child process: read a request (JSON) on stdin, run the program, write the outcome (JSON)
on stdout; the program's own output goes to stderr.

`program.py` runs this file by its path with `-P`, so this folder is not on `sys.path` (no
module of ours can shadow one of the program's) and the file belongs to no package: it imports
its own package by location, without the packages around it, so the child never loads the rest
of serverless_guard.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path

PACKAGE = "serverless_guard.engines.pulumi.mocks"


def _import_package() -> None:
    """Import this folder as `PACKAGE` alone: its modules then import without its parents."""
    if PACKAGE in sys.modules:
        return
    folder = Path(__file__).parent
    spec = importlib.util.spec_from_file_location(
        PACKAGE, folder / "__init__.py", submodule_search_locations=[str(folder)]
    )
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {PACKAGE} from {folder}")
    package = importlib.util.module_from_spec(spec)
    sys.modules[PACKAGE] = package
    spec.loader.exec_module(package)


def main() -> int:
    _import_package()
    from serverless_guard.engines.pulumi.mocks.runner import run

    request = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    result = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # the program's prints go to stderr
    outcome = run(request)
    sys.stdout.flush()
    json.dump(outcome, result)
    result.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
