"""A waiver's reason, held to one test in every front end: template metadata, CDK
acknowledgements (in `scan cdk.out` and in the plugin's evaluation), configuration exemptions
(in `scan` and in the policy pack) and baseline entries.

A reason is text with at least ten visible characters. The table below is what someone in a
hurry, or hoping a reviewer does not look closely, might write instead."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
import yaml

from serverless_guard.catalog import CATALOG
from serverless_guard.catalog.rule import Enforcement, Outcome, Severity
from serverless_guard.cdk.validate import evaluate_templates
from serverless_guard.config import config_from_mapping
from serverless_guard.engines.cloudformation.assembly import Acknowledgement
from serverless_guard.engines.pulumi.pack.settings import SETTINGS_POLICY, settings_from
from serverless_guard.errors import InputError
from serverless_guard.findings import Finding
from serverless_guard.scan import scan
from serverless_guard.waivers import INVALID_SUPPRESSION, reason_problem
from serverless_guard.waivers.baseline import read_baseline

RULE = "sqs-queue-encrypted"
ONLY = {"all": "disabled", RULE: "mandatory"}
TODAY = date(2026, 6, 15)

NOT_REASONS: dict[str, object] = {
    "missing": None,
    "empty": "",
    "short": "later",
    "nine visible": "abcdefghi",
    "whitespace padding": "          x",
    "tabs and newlines": "\t\n  x y z \n\t",
    "number": 12345678901,
    "float": 3.14159265358979,
    "boolean": True,
    "list": ["Served to the public by design"],
    "map": {"why": "Served to the public by design"},
    "zero-width space": "Served\u200b to the public by design",
    "zero-width joiner padding": "x\u200d" * 12,
    "byte order mark": "\ufeffServed to the public by design",
    "bidi override": "\u202eServed to the public by design",
    "bell": "Served to the public\x07 by design",
    "escape sequence": "Served to the \x1b[2Kpublic by design",
    "null character": "Served to the public\x00 by design",
    "soft hyphen": "Served to the pub\u00adlic by design",
    "combining marks only": "\u0301" * 12,
    "hangul fillers": "\u3164" * 12,
    "braille blanks": "\u2800" * 12,
    "private use": "\ue000" * 12,
    "tag characters": "Served to the public\U000e0041 by design",
}
REASONS: dict[str, str] = {
    "a sentence": "Served to the public by design; reviewed by security",
    "exactly ten": "abcdefghij",
    "ten with spaces": "a b c d e f g h i j",
    "padded": "   Served to the public by design   ",
    "several lines": "Served to the public\nby design, reviewed 2026-11\n",
    "another script": "公開ウェブサイトの静的資産です",
    "accents": "Données publiques, déjà validées",
}


def test_the_table_is_the_test() -> None:
    for name, value in NOT_REASONS.items():
        assert reason_problem(value), name
    for name, value in REASONS.items():
        assert reason_problem(value) is None, name


# Each front end: given a reason, is the queue's finding suppressed, and is the waiver itself
# reported as an `invalid-suppression` error?
FrontEnd = Callable[[Path, object], tuple[bool, bool]]


def _queue_template(metadata: object | None = None) -> dict[str, object]:
    queue: dict[str, object] = {"Type": "AWS::SQS::Queue"}
    if metadata is not None:
        queue["Metadata"] = metadata
    return {"Resources": {"Queue": queue}}


def _verdict(findings: tuple[Finding, ...]) -> tuple[bool, bool]:
    (queue,) = [f for f in findings if f.rule == RULE]
    invalid = any(f.rule == INVALID_SUPPRESSION and f.blocking for f in findings)
    return queue.suppression is not None, invalid


def metadata(tmp_path: Path, reason: object) -> tuple[bool, bool]:
    entry: dict[str, object] = {"id": RULE}
    if reason is not None:
        entry["reason"] = reason
    template = tmp_path / "template.yaml"
    body = _queue_template({"serverless-guard": {"suppress": [entry]}})
    template.write_text(yaml.safe_dump(body, allow_unicode=True), encoding="utf-8")
    return _verdict(scan([str(template)], config_from_mapping(ONLY)).findings)


def exemption(tmp_path: Path, reason: object) -> tuple[bool, bool]:
    template = tmp_path / "template.json"
    template.write_text(json.dumps(_queue_template()), encoding="utf-8")
    entry: dict[str, object] = {"rule": RULE, "resource": "Queue"}
    if reason is not None:
        entry["reason"] = reason
    config = config_from_mapping({**ONLY, "serverless-guard": {"exemptions": [entry]}})
    return _verdict(scan([str(template)], config).findings)


def _assembly(tmp_path: Path, reason: object) -> Path:
    """A cloud assembly whose stack acknowledges the rule on the queue's construct."""
    folder = tmp_path / "cdk.out"
    folder.mkdir()
    template = _queue_template({"aws:cdk:path": "S/Queue/Resource"})
    (folder / "S.template.json").write_text(json.dumps(template), encoding="utf-8")
    acknowledged = {
        "type": "aws:cdk:acknowledged-rules",
        "data": {f"serverless-guard::{RULE}": reason},
    }
    manifest = {
        "version": "48.0.0",
        "artifacts": {
            "S": {
                "type": "aws:cloudformation:stack",
                "properties": {"templateFile": "S.template.json"},
                "metadata": {"/S/Queue": [acknowledged]},
            }
        },
    }
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


def acknowledgement_in_cdk_out(tmp_path: Path, reason: object) -> tuple[bool, bool]:
    return _verdict(scan([str(_assembly(tmp_path, reason))], config_from_mapping(ONLY)).findings)


def acknowledgement_in_the_plugin(tmp_path: Path, reason: object) -> tuple[bool, bool]:
    template = tmp_path / "S.template.json"
    body = _queue_template({"aws:cdk:path": "S/Queue/Resource"})
    template.write_text(json.dumps(body), encoding="utf-8")
    ack = Acknowledgement("S/Queue", f"serverless-guard::{RULE}", reason)
    evaluation = evaluate_templates([str(template)], config_from_mapping(ONLY), [ack])
    suppressed, invalid = _verdict(evaluation.findings)
    (violation,) = [v for v in evaluation.violations if v.rule_name == RULE]
    # what the CDK will do with it: acknowledge an `error`, never a `fatal`
    assert (violation.severity == "fatal") == (not suppressed)
    return suppressed, invalid


def exemption_in_the_pack(_tmp_path: Path, reason: object) -> tuple[bool, bool]:
    entry: dict[str, object] = {"rule": RULE, "urn": "*"}
    if reason is not None:
        entry["reason"] = reason
    settings = settings_from({SETTINGS_POLICY: {"exemptions": [entry]}}, {}, CATALOG, TODAY)
    probe = Finding(
        rule=RULE,
        title="",
        severity=Severity.HIGH,
        enforcement=Enforcement.MANDATORY,
        outcome=Outcome.FAIL,
        resource="urn:pulumi:dev::shop::aws:sqs/queue:Queue::jobs",
        resource_type="",
        message="",
    )
    return settings.waivers.decide(probe).waiver is not None, bool(settings.problems)


def baseline_entry(tmp_path: Path, reason: object) -> tuple[bool, bool]:
    """A baseline is read whole or not at all: a defective reason is an input error."""
    entry = {"rule": RULE, "resource": "Queue", "path": None, "fingerprint": "0" * 32}
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps({"version": 1, "findings": [{**entry, "reason": reason}]}))
    try:
        read_baseline(str(path))
    except InputError:
        return False, True
    return True, False


FRONT_ENDS: dict[str, FrontEnd] = {
    "metadata": metadata,
    "exemption": exemption,
    "acknowledgement in cdk.out": acknowledgement_in_cdk_out,
    "acknowledgement in the plugin": acknowledgement_in_the_plugin,
    "exemption in the pack": exemption_in_the_pack,
    "baseline entry": baseline_entry,
}


# A baseline entry's reason is optional: an entry without one is a plain entry, not a defect.
NOT_A_REASON_CASES = [
    (front_end, case)
    for front_end in sorted(FRONT_ENDS)
    for case in sorted(NOT_REASONS)
    if not (front_end == "baseline entry" and NOT_REASONS[case] is None)
]


@pytest.mark.parametrize(("front_end", "case"), NOT_A_REASON_CASES)
def test_what_is_not_a_reason_waives_nothing_and_is_reported(
    tmp_path: Path, front_end: str, case: str
) -> None:
    suppressed, invalid = FRONT_ENDS[front_end](tmp_path, NOT_REASONS[case])
    assert not suppressed
    assert invalid


@pytest.mark.parametrize("front_end", sorted(FRONT_ENDS))
@pytest.mark.parametrize("case", sorted(REASONS))
def test_a_reason_waives(tmp_path: Path, front_end: str, case: str) -> None:
    suppressed, invalid = FRONT_ENDS[front_end](tmp_path, REASONS[case])
    assert suppressed
    assert not invalid
