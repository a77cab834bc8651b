"""SAM templates, transformed offline by the SAM translator."""

from __future__ import annotations

from typing import TYPE_CHECKING

from serverless_guard.engines.cloudformation.parse import LineDict
from serverless_guard.errors import InputError

if TYPE_CHECKING:
    from serverless_guard.engines.cloudformation.stack import Origin


def transform(data: LineDict, name: str) -> tuple[LineDict, dict[str, Origin]]:
    raise InputError("SAM templates are not supported yet", file=name)
