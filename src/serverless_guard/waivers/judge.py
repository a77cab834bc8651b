"""Deciding which waiver, if any, applies to a finding: one decision for every front end.

The sources are tried in order (template metadata, CDK acknowledgements, configuration
exemptions, resources a framework created, the baseline); the first that waives the finding
wins, and its reason is reported with the finding. Within a source:

- metadata: the finding's resource as written waives it; a resource generated from several
  written ones (the implicit API SAM shares between functions) is waived only when every one of
  them waives the rule, so that one function's suppression never reaches another's resources;
- acknowledgements: the nearest construct with an acknowledgement of the rule decides (the
  finding's own, else its closest ancestor, as the CDK decides); a defective one there waives
  nothing, even when an ancestor further up has a valid one;
- exemptions: the first valid exemption whose glob matches the resource id;
- framework: a resource created by aws-cdk-lib on its own, unless configured to be checked;
- baseline: an entry with the finding's fingerprint, each entry used once.

A defective waiver waives nothing; each is reported once as an `invalid-suppression` error.
Only findings of catalog rules are waived: defects never are.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase

from serverless_guard.catalog import BY_ID
from serverless_guard.catalog.rule import Enforcement, Outcome, Severity
from serverless_guard.findings import BaselineEntry, Finding, Suppression, sort_findings
from serverless_guard.waivers.baseline import match_baseline
from serverless_guard.waivers.model import (
    INVALID_SUPPRESSION,
    INVALID_SUPPRESSION_TITLE,
    Fingerprinted,
    MadeByFramework,
    Matching,
    OnResource,
    UnderConstruct,
    Waiver,
)


@dataclass(frozen=True, slots=True)
class Decision:
    """The waiver that waives a finding (None: nothing does), and a defective waiver that would
    have applied (reported with the finding where a front end can say so)."""

    waiver: Waiver | None = None
    ignored: Waiver | None = None


@dataclass(frozen=True, slots=True)
class Judgement:
    """Findings with their waivers applied and every defect added, and the baseline entries that
    matched no finding."""

    findings: tuple[Finding, ...]
    resolved: tuple[BaselineEntry, ...] = ()


class Waivers:
    """Every waiver of one evaluation, whatever its source."""

    def __init__(self, waivers: Iterable[Waiver] = ()) -> None:
        self.all = tuple(waivers)
        self._metadata: dict[tuple[str | None, str], list[Waiver]] = {}
        for waiver in self.all:
            if isinstance(waiver.scope, OnResource):
                key = (waiver.scope.file, waiver.scope.resource)
                self._metadata.setdefault(key, []).append(waiver)
        self._acknowledgements = [w for w in self.all if isinstance(w.scope, UnderConstruct)]
        self._exemptions = [w for w in self.all if isinstance(w.scope, Matching)]
        self._framework = [w for w in self.all if isinstance(w.scope, MadeByFramework)]
        self._baseline = [w for w in self.all if isinstance(w.scope, Fingerprinted)]

    def decide(self, finding: Finding) -> Decision:
        """The waiver of every source but the baseline (which `judge` matches one to one). Only
        a finding of a catalog rule can be waived: never a defect of a waiver, nor any other
        finding of the tool about itself or its input."""
        if finding.rule not in BY_ID:
            return Decision()
        ignored: Waiver | None = None
        for decide in (self._by_metadata, self._by_acknowledgement, self._by_exemption):
            waiver, defective = decide(finding)
            if waiver is not None:
                return Decision(waiver, ignored)
            ignored = ignored or defective
        if finding.location.framework is not None:
            waiver = next((w for w in self._framework if w.waives(finding.rule)), None)
            if waiver is not None:
                return Decision(waiver, ignored)
        return Decision(None, ignored)

    def judge(self, findings: Iterable[Finding]) -> Judgement:
        """Mark what the waivers waive, add their defects, match the baseline."""
        decided: list[Finding] = []
        for finding in findings:
            waiver = self.decide(finding).waiver if finding.suppression is None else None
            if waiver is not None:
                suppression = Suppression(finding.rule, waiver.reason, waiver.source)
                finding = dataclasses.replace(finding, suppression=suppression)
            decided.append(finding)
        decided.extend(self.defects())
        matched, unmatched = match_baseline(sort_findings(decided), self._baseline)
        resolved = [w.scope.entry for w in unmatched if isinstance(w.scope, Fingerprinted)]
        return Judgement(tuple(matched), tuple(resolved))

    def defects(self) -> list[Finding]:
        """Each defective waiver, as an `invalid-suppression` error where it was written."""
        return [
            Finding(
                rule=INVALID_SUPPRESSION,
                title=INVALID_SUPPRESSION_TITLE,
                severity=Severity.HIGH,
                enforcement=Enforcement.MANDATORY,
                outcome=Outcome.ERROR,
                resource=_defect_resource(w),
                resource_type="",
                message=f"{w.label} suppresses nothing: {w.problem}",
                location=w.where,
            )
            for w in self.all
            if w.problem is not None
        ]

    def _by_metadata(self, finding: Finding) -> tuple[Waiver | None, Waiver | None]:
        sources = finding.location.sources or (finding.resource,)
        chosen: list[Waiver] = []
        for source in sources:
            entries = [
                w
                for w in self._metadata.get((finding.location.file, source), ())
                if w.waives(finding.rule)
            ]
            valid = next((w for w in entries if w.valid), None)
            if valid is None:
                return None, next(iter(entries), None)
            chosen.append(valid)
        return _together(chosen, sources), None

    def nearest_acknowledgement(self, finding: Finding) -> Waiver | None:
        """The acknowledgement of the finding's rule on its construct or the closest ancestor
        (valid or not): the one the CDK applies."""
        path = finding.location.construct_path or ""
        folder = os.path.dirname(finding.location.file or "")
        best: Waiver | None = None
        for waiver in self._acknowledgements:
            scope = waiver.scope
            assert isinstance(scope, UnderConstruct)
            if not waiver.waives(finding.rule) or scope.assembly not in (None, folder):
                continue
            if scope.path and path != scope.path and not path.startswith(scope.path + "/"):
                continue
            if best is None or scope.depth >= _depth(best):
                best = waiver
        return best

    def _by_acknowledgement(self, finding: Finding) -> tuple[Waiver | None, Waiver | None]:
        nearest = self.nearest_acknowledgement(finding)
        if nearest is None:
            return None, None
        return (nearest, None) if nearest.valid else (None, nearest)

    def _by_exemption(self, finding: Finding) -> tuple[Waiver | None, Waiver | None]:
        ignored: Waiver | None = None
        for waiver in self._exemptions:
            scope = waiver.scope
            assert isinstance(scope, Matching)
            if (
                waiver.waives(finding.rule)
                and scope.glob
                and fnmatchcase(finding.resource, scope.glob)
            ):
                if waiver.valid:
                    return waiver, None
                ignored = ignored or waiver
        return None, ignored


def _depth(waiver: Waiver) -> int:
    return waiver.scope.depth if isinstance(waiver.scope, UnderConstruct) else -1


def _together(chosen: Sequence[Waiver], sources: Sequence[str]) -> Waiver:
    """One waiver for a finding that several written resources waive together."""
    if len(chosen) == 1:
        return chosen[0]
    reasons = dict.fromkeys(w.reason for w in chosen)
    reason = (
        next(iter(reasons))
        if len(reasons) == 1
        else "; ".join(f"{s}: {w.reason}" for s, w in zip(sources, chosen, strict=True))
    )
    label = f"suppressions of {chosen[0].rule} on {', '.join(sources)}"
    return dataclasses.replace(chosen[0], reason=reason, label=label)


def _defect_resource(waiver: Waiver) -> str:
    scope = waiver.scope
    if isinstance(scope, OnResource):
        return scope.resource
    if isinstance(scope, UnderConstruct):
        return scope.path or "the app"
    return ""
