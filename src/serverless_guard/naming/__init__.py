"""Findings in the user's own words: a rule's engine-neutral fix, in each engine's names.

A rule's verdict says what is wrong (`table orders has no point-in-time recovery`) and which
fact fields fix it (`Fix.set(Table, "point_in_time_recovery", True)`). A naming table per
engine maps fact fields to that engine's property paths and value spellings, and the front end
renders the fix in the dialect of the resource's author (`Wording`):

- CloudFormation (`cloudformation.py`): `PointInTimeRecoverySpecification.
  PointInTimeRecoveryEnabled` to `true`;
- SAM (`sam.py`: SAM's own properties, else CloudFormation's passed through): `Tracing` to
  `Active`, in `Globals` when the template's Globals set it;
- `pulumi preview` (`pulumi_aws.py`; aws-native derived from CloudFormation, `native.py`):
  `pointInTimeRecovery.enabled` to `true`;
- a Pulumi Python program (the provider's names in Python, `display.to_python`):
  `point_in_time_recovery={"enabled": True}`;
- the CDK (`cdk.py`: the L2's keywords, else the L1's, derived from CloudFormation):
  `tracing=lambda_.Tracing.ACTIVE`.
"""

from __future__ import annotations

from collections.abc import Callable

from serverless_guard.catalog.rule import Verdict
from serverless_guard.facts.base import Resource
from serverless_guard.naming.render import fix_text
from serverless_guard.naming.wording import Dialect, SamSource, Wording

__all__ = [
    "Dialect",
    "SamSource",
    "Wording",
    "Words",
    "cloudformation_words",
    "message",
    "words_in",
]

Words = Callable[[Resource], Wording]
"""How the resources of a stack are worded: the front end's answer for each fact."""


def words_in(dialect: Dialect) -> Words:
    """Every resource worded in one dialect (Pulumi's: the resource's type tells pulumi-aws
    from aws-native)."""

    def words(fact: Resource) -> Wording:
        return Wording(dialect, fact.type)

    return words


cloudformation_words = words_in(Dialect.CLOUDFORMATION)


def message(verdict: Verdict, subject: Resource, words: Words = cloudformation_words) -> str:
    """The verdict's message on `subject`, followed by its fix in the words of the subject's
    author (and of the authors of the other resources the fix names)."""
    if verdict.fix is None:
        return verdict.message
    text = fix_text(verdict.fix, words(subject), verdict.at or subject.at, words)
    return f"{verdict.message}: {text}"
