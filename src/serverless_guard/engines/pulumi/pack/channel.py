"""How the policies' diagnostics reach the Pulumi engine.

pulumi-policy hands each policy a `report_violation(message, urn)` callback that reports at the
policy's enforcement level. Two things the pack needs are not in that public API, although the
Analyzer protocol carries them:

- A level per diagnostic. `AnalyzeDiagnostic.enforcementLevel` is set per diagnostic and the
  engine counts each diagnostic by its own level, but the callback always uses the policy's.
  An `unknown` verdict (while `strict_unknowns` is off) and an exempted finding are advisory
  whatever the rule's level: after the callback appended the diagnostic to the request's
  `AnalyzeResponse`, `emit` sets that diagnostic's level to advisory.
- The configuration of the whole pack. The engine's `Configure` request carries every policy's
  configuration, but a policy only sees its own (`args.get_config()`); the pack-wide settings
  (`strict_unknowns`, `exemptions`) and the parameters other rules refer to are read from the
  servicer that stored the request.

Both come from the callback's closure (the response it appends to, and the servicer it belongs
to), so `Channel` is the one place that knows pulumi-policy's internals (tested against the
installed version by tests/test_pulumi_grpc.py). When they cannot be found, every diagnostic is
reported at the policy's level and the pack-wide settings keep their defaults: an unknown or an
exempted finding then counts at the rule's level, never less.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

MAX_MESSAGE = 4000
_SERVICER_CONFIG = "_PolicyAnalyzerServicer__policy_pack_config"
_SERVICER_LEVELS = "_PolicyAnalyzerServicer__policy_pack_config_enforcement_level"

ReportViolation = Callable[..., None]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One violation: its message, the URN it is about ("" for the stack), and whether it is
    advisory whatever the policy's level."""

    message: str
    urn: str = ""
    advisory: bool = False


def clip(text: str, limit: int = MAX_MESSAGE) -> str:
    """A message short enough for a terminal (values in messages can be arbitrarily long)."""
    if len(text) <= limit:
        return text
    return f"{text[: limit - 40]}... ({len(text) - limit + 40} more characters)"


def _closure(function: object) -> dict[str, object]:
    code = getattr(function, "__code__", None)
    cells = getattr(function, "__closure__", None)
    if code is None or not cells:
        return {}
    out: dict[str, object] = {}
    for name, cell in zip(code.co_freevars, cells, strict=False):
        try:
            out[name] = cell.cell_contents
        except ValueError:  # an empty cell
            continue
    return out


class Channel:
    """A policy's way back to the engine for one request (see the module docstring)."""

    def __init__(self, report: ReportViolation) -> None:
        self._report = report
        self._response: Any = None
        self._advisory: Any = None
        self._servicer: object | None = None
        try:
            from pulumi.runtime import proto
            from pulumi_policy.policy import _PolicyAnalyzerServicer
        except ImportError:  # pragma: no cover - the pack needs both
            return
        cells = _closure(report)
        response = cells.get("response")
        if isinstance(response, proto.AnalyzeResponse):
            self._response = response
            self._advisory = proto.ADVISORY
        servicer = cells.get("self")
        if isinstance(servicer, _PolicyAnalyzerServicer):
            self._servicer = servicer

    @property
    def request(self) -> object | None:
        """An object unique to the current engine request (its response), or None."""
        response: object | None = self._response
        return response

    @property
    def levels_adjustable(self) -> bool:
        return self._response is not None

    def policy_config(self) -> Mapping[str, Mapping[str, Any]] | None:
        """Every policy's configured properties, as the engine's last `Configure` sent them;
        None when the servicer cannot be reached."""
        found = getattr(self._servicer, _SERVICER_CONFIG, None) if self._servicer else None
        if not isinstance(found, Mapping):
            return None
        return {str(k): v for k, v in found.items() if isinstance(v, Mapping)}

    def levels(self) -> Mapping[str, str]:
        """Every configured policy's enforcement level (`mandatory`, ...), as configured."""
        found = getattr(self._servicer, _SERVICER_LEVELS, None) if self._servicer else None
        if not isinstance(found, Mapping):
            return {}
        return {str(k): str(getattr(v, "value", v)) for k, v in found.items()}

    def emit(self, diagnostics: Iterable[Diagnostic]) -> None:
        for diagnostic in diagnostics:
            before = len(self._response.diagnostics) if self._response is not None else -1
            self._report(clip(diagnostic.message), diagnostic.urn or None)
            if (
                diagnostic.advisory
                and self._response is not None
                and len(self._response.diagnostics) == before + 1
            ):
                self._response.diagnostics[-1].enforcementLevel = self._advisory
