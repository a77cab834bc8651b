"""What went wrong in the program, as the one-line error `program.py` reports: the kind, the
program's own file and line, and what a user needs to fix it."""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any

from pulumi.config import ConfigMissingError, ConfigTypeError
from pulumi.errors import RunError

from serverless_guard.engines.pulumi.mocks.monitor import DuplicateUrnError
from serverless_guard.engines.pulumi.mocks.offline import blocked_address


def _location(exc: BaseException, roots: list[Path]) -> tuple[str | None, int | None]:
    """The innermost frame in the program's own files, looking through causes too."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        for frame in reversed(traceback.extract_tb(current.__traceback__)):
            path = Path(frame.filename)
            if "site-packages" in path.parts or not path.is_absolute():
                continue
            for root in roots:
                if path.is_relative_to(root):
                    return str(path.relative_to(root)), frame.lineno
        current = current.__cause__ or current.__context__
    return None, None


def _one_line(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= 400 else line[:397] + "..."


def failure(exc: BaseException, root: Path) -> dict[str, Any]:
    """The error for an exception the program raised (or the SDK raised on its behalf)."""
    file, line = _location(exc, [root])
    if isinstance(exc, SyntaxError) and exc.filename:
        path = Path(exc.filename)
        if path.is_absolute() and path.is_relative_to(root):
            file, line = str(path.relative_to(root)), exc.lineno
    error: dict[str, Any] = {
        "file": file,
        "line": line,
        "network": blocked_address(),
    }
    if isinstance(exc, ConfigMissingError):
        return {**error, "kind": "config_missing", "key": exc.key}
    if isinstance(exc, ConfigTypeError):
        return {
            **error,
            "kind": "config_type",
            "key": exc.key,
            "value": exc.value,
            "expected": exc.expect_type,
        }
    if isinstance(exc, ModuleNotFoundError) and exc.name:
        return {**error, "kind": "missing_module", "module": exc.name}
    if isinstance(exc, DuplicateUrnError):
        return {**error, "kind": "exception", "type": None, "message": str(exc)}
    if isinstance(exc, RunError):
        return {**error, "kind": "exception", "type": None, "message": _one_line(str(exc))}
    return {
        **error,
        "kind": "exception",
        "type": type(exc).__name__,
        "message": _one_line(str(exc)),
    }


def exit_failure(exc: SystemExit, root: Path) -> dict[str, Any]:
    """The error for a program that exited with a status other than 0."""
    file, line = _location(exc, [root])
    return {"kind": "exit", "code": str(exc.code), "file": file, "line": line}
