"""CDK acknowledgements of this tool's rules, as waivers.

`Validations.of(construct).acknowledge(Acknowledgment(id="serverless-guard::<rule>", reason=...))`
waives the rule on the construct and everything below it. As in the CDK, the acknowledgement on
the nearest construct (the finding's own, else its closest ancestor) decides, and of several on
one construct the last one recorded. Acknowledgements of other plugins are not ours to judge.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING

from serverless_guard.findings import Location
from serverless_guard.waivers.model import Source, UnderConstruct, Waiver
from serverless_guard.waivers.reasons import reason_problem

if TYPE_CHECKING:
    from serverless_guard.engines.cloudformation.assembly import Acknowledgement

NAMESPACE = "serverless-guard"  # the CDK's namespace of the plugin's rule ids: its name
SEPARATOR = "::"


def acknowledgement_id(rule_id: str) -> str:
    """The id to acknowledge a rule with: `Validations.of(c).acknowledge(id=..., reason=...)`."""
    return f"{NAMESPACE}{SEPARATOR}{rule_id}"


def acknowledgement_waivers(
    acknowledgements: Iterable[Acknowledgement],
    known_rules: Collection[str],
    assembly: str | None = None,
) -> list[Waiver]:
    """The waivers of this tool's acknowledgements, recorded in the cloud assembly folder
    `assembly` (None: on the app or a stage, for every assembly); the last one of a rule on a
    construct replaces earlier ones there, as in the CDK."""
    prefix = NAMESPACE + SEPARATOR
    latest: dict[tuple[str, str], Acknowledgement] = {}
    for ack in acknowledgements:
        if ack.id.startswith(prefix):
            latest.pop((ack.path, ack.id), None)
            latest[(ack.path, ack.id)] = ack
    out: list[Waiver] = []
    for ack in latest.values():
        rule_id = ack.id[len(prefix) :]
        where = ack.path or "the app"
        problem = (
            f"names unknown rule {rule_id!r}"
            if rule_id not in known_rules
            else reason_problem(ack.reason)
        )
        out.append(
            Waiver(
                Source.ACKNOWLEDGEMENT,
                rule_id,
                ack.reason if isinstance(ack.reason, str) else "",
                UnderConstruct(ack.path, assembly),
                f"acknowledgement '{ack.id}' on {where}",
                Location(construct_path=ack.path or None),
                problem,
            )
        )
    return out
