"""Errors a user can act on. Each carries the exit code the CLI returns for it."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class GuardError(Exception):
    """A problem with the input or the invocation: one line, and exit code 2."""

    exit_code = 2

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        return f"{where}{self.message}"


class InputError(GuardError):
    """A file that cannot be read as a template."""


class ConfigError(GuardError):
    """A configuration that does not fit the catalog."""


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """` (did you mean x?)` with the closest of `choices`, or `""` when none is close."""
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]}?)" if close else ""
