"""Parts of a template that a scan cannot judge, kept to be reported rather than dropped.

A `Gap` is either unknown (an `AWS::Include` from S3, a macro, a loop over a collection only
known at deployment, a remote nested stack: the part exists but cannot be seen before
deployment) or an error (the part is broken: a loop that expands past its bound, an include
outside the template's folder, a resource the SAM translator refuses). Each becomes one
finding (`input-unknown` or `input-error`) on the resource it concerns, or on the file.
"""

from __future__ import annotations

from dataclasses import dataclass

INPUT_ERROR = "input-error"
INPUT_ERROR_TITLE = "Every input file and template part can be read"
INPUT_UNKNOWN = "input-unknown"
INPUT_UNKNOWN_TITLE = "Every part of a template can be seen before deployment"


@dataclass(frozen=True, slots=True)
class Gap:
    """What could not be judged, where (`resource` may be empty: the whole file), and why."""

    message: str
    resource: str = ""
    line: int | None = None
    error: bool = False
    hides: bool = False
    """The resource may hold properties that the scan did not see (keys an include from S3
    would merge in): what a rule finds missing on it is unknown, not failed."""

    @property
    def rule(self) -> str:
        return INPUT_ERROR if self.error else INPUT_UNKNOWN

    @property
    def title(self) -> str:
        return INPUT_ERROR_TITLE if self.error else INPUT_UNKNOWN_TITLE
