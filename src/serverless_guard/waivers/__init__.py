"""Waivers: suppressions, CDK acknowledgements, exemptions, framework resources and baselines,
parsed into one type (`Waiver`), with one test of a reason (`reasons.py`) and one decision of
scope (`judge.py`), for every front end.

```python
waivers = Waivers([*template_waivers(stack), *configured_waivers(config)])
judgement = waivers.judge(findings)
```
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from serverless_guard.catalog import BY_ID
from serverless_guard.config import Config
from serverless_guard.findings import Location
from serverless_guard.waivers.acknowledgements import acknowledgement_waivers
from serverless_guard.waivers.baseline import baseline_waivers, read_baseline
from serverless_guard.waivers.exemptions import exemption_waivers
from serverless_guard.waivers.framework import framework_waivers
from serverless_guard.waivers.judge import Decision, Judgement, Waivers
from serverless_guard.waivers.metadata import metadata_waivers
from serverless_guard.waivers.model import (
    INVALID_SUPPRESSION,
    INVALID_SUPPRESSION_TITLE,
    NOWHERE,
    Source,
    Waiver,
)
from serverless_guard.waivers.reasons import MIN_REASON, reason_problem

if TYPE_CHECKING:
    from serverless_guard.engines.cloudformation.assembly import Acknowledgement
    from serverless_guard.engines.cloudformation.stack import LoadedStack

__all__ = [
    "INVALID_SUPPRESSION",
    "INVALID_SUPPRESSION_TITLE",
    "MIN_REASON",
    "Decision",
    "Judgement",
    "Source",
    "Waiver",
    "Waivers",
    "assembly_waivers",
    "configured_waivers",
    "reason_problem",
    "template_waivers",
]


def template_waivers(stack: LoadedStack) -> list[Waiver]:
    """The suppressions in a template's resource metadata."""
    out: list[Waiver] = []
    for resource, written in stack.waiver_metadata.items():
        where = stack.locate(resource, ())
        if written.line is not None:
            where = Location(
                file=where.file, line=written.line, construct_path=where.construct_path
            )
        out.extend(metadata_waivers(stack.file, resource, written.block, BY_ID, where))
    return out


def assembly_waivers(
    acknowledgements: Iterable[Acknowledgement], assembly: str | None = None
) -> list[Waiver]:
    """The acknowledgements of this tool's rules recorded in a cloud assembly folder (None:
    on the app and the stages above the stacks)."""
    return acknowledgement_waivers(acknowledgements, BY_ID, assembly)


def configured_waivers(
    config: Config, where: Location = NOWHERE, today: date | None = None
) -> list[Waiver]:
    """The configuration's exemptions (judged as of `today`, UTC by default), its framework
    resources setting and its baseline file (read here: a defective file is an `InputError`)."""
    today = today or datetime.now(UTC).date()
    out = exemption_waivers(list(config.exemptions), BY_ID, today, where)
    out.extend(framework_waivers(config.framework_resources))
    if config.baseline is not None:
        out.extend(baseline_waivers(read_baseline(config.baseline)))
    return out
