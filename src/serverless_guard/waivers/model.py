"""The one type every waiver is parsed into, and the scopes a waiver can have.

A waiver says that one rule (or, for resources a framework created, every rule) does not block
on some resources, and why. Where it comes from decides only its scope:

- `OnResource`: template metadata (`serverless-guard: {suppress: [...]}`) on a resource as the
  user wrote it, in one file;
- `UnderConstruct`: a CDK acknowledgement on a construct, for it and everything below it;
- `Matching`: an exemption of the configuration, for the resource ids a glob matches;
- `MadeByFramework`: resources a framework created that the user never wrote (aws-cdk-lib's
  custom-resource providers, say);
- `Fingerprinted`: an entry of a baseline file, for one finding that already existed.

A waiver with a `problem` waives nothing; it is reported as an `invalid-suppression` error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from serverless_guard.findings import BaselineEntry, Location

ANY_RULE = "*"
NOWHERE = Location()
INVALID_SUPPRESSION = "invalid-suppression"
INVALID_SUPPRESSION_TITLE = "Suppressions and exemptions name a catalog rule and give a reason"


class Source(StrEnum):
    """Where a waiver comes from, in the order they are tried on a finding."""

    METADATA = "metadata"
    ACKNOWLEDGEMENT = "acknowledgement"
    EXEMPTION = "exemption"
    FRAMEWORK = "framework"
    BASELINE = "baseline"


@dataclass(frozen=True, slots=True)
class OnResource:
    """A resource as written in `file` (a SAM resource covers what SAM generates from it)."""

    file: str | None
    resource: str


@dataclass(frozen=True, slots=True)
class UnderConstruct:
    """The construct at `path` (`""`: the app) and everything below it, in the cloud assembly
    folder `assembly` (None: in every assembly, for the app and the stages above the stacks)."""

    path: str
    assembly: str | None = None

    @property
    def depth(self) -> int:
        """How specific it is: the nearest construct to a finding wins, as in the CDK."""
        return len(self.path.split("/")) if self.path else 0


@dataclass(frozen=True, slots=True)
class Matching:
    """Every resource whose id the glob matches (`*` matches any run of characters)."""

    glob: str


@dataclass(frozen=True, slots=True)
class MadeByFramework:
    """Every resource that `framework` created on its own."""

    framework: str


@dataclass(frozen=True, slots=True)
class Fingerprinted:
    """The one finding with the entry's fingerprint (preferably in the entry's file)."""

    entry: BaselineEntry


Scope = OnResource | UnderConstruct | Matching | MadeByFramework | Fingerprinted


@dataclass(frozen=True, slots=True)
class Waiver:
    """One waiver of one rule (`ANY_RULE` for all), whatever its source.

    `label` names it in messages ("suppression of lambda-in-vpc on Fn", "exemption #2 ...");
    `where` is where its defect is reported; `problem` says why it waives nothing."""

    source: Source
    rule: str
    reason: str
    scope: Scope
    label: str
    where: Location = NOWHERE
    problem: str | None = None
    expires: date | None = None

    @property
    def valid(self) -> bool:
        return self.problem is None

    def waives(self, rule_id: str) -> bool:
        return self.rule in (rule_id, ANY_RULE)
