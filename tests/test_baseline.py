"""Baselines: record the findings a project has when it adopts the gate, report them as
suppressed afterwards, block on everything new, and list what was fixed as resolved."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from serverless_guard import cli
from serverless_guard.config import config_from_mapping
from serverless_guard.findings import ScanResult
from serverless_guard.report import json_report, junit, sarif, text
from serverless_guard.scan import scan
from serverless_guard.waivers.baseline import entries_of, read_baseline, record_baseline

SCHEMA_FILE = Path(__file__).resolve().parent / "data" / "schemas" / "sarif-schema-2.1.0.json"

# A function on a deprecated runtime, a role with a wildcard action, a queue without encryption.
APP = """\
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: {runtime}
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/app
      Code: {{ZipFile: "def handler(e, c): pass"}}
  Worker:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {{Effect: Allow, Principal: {{Service: lambda.amazonaws.com}}, Action: sts:AssumeRole}}
      Policies:
{policies}
"""
POLICY = """\
        - PolicyName: {name}
          PolicyDocument:
            Statement:
              - {{Effect: Allow, Action: "{action}", Resource: "arn:aws:s3:::data/*"}}
"""
# Only the rules these tests are about, so that the catalog can grow; deprecations judged as of
# a fixed day, so that a date passing changes nothing.
RULES: dict[str, Any] = {
    "all": "disabled",
    "lambda-runtime-supported": {"enforcementLevel": "mandatory", "as_of": "2026-11-29"},
    "iam-no-wildcard-actions": "mandatory",
}
CONFIG = config_from_mapping(RULES)


STATEMENT = "Policies[0].PolicyDocument.Statement[0]"
NOTE = "Runtime upgrade tracked in ticket OPS-1234"


def app(runtime: str = "python3.7", actions: tuple[str, ...] = ("*",)) -> str:
    policies = "".join(POLICY.format(name=f"p{i}", action=a) for i, a in enumerate(actions))
    return APP.format(runtime=runtime, policies=policies)


def write(tmp_path: Path, body: str, name: str = "template.yaml") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def config_file(tmp_path: Path, **settings: Any) -> Path:
    raw: dict[str, Any] = dict(RULES)
    if settings:
        raw["serverless-guard"] = settings
    path = tmp_path / "guard.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    return path


def run(
    capsys: pytest.CaptureFixture[str], *args: str | Path, fmt: str = "json"
) -> tuple[int, Any]:
    code = cli.main([*map(str, args), "--format", fmt])
    out = capsys.readouterr().out
    return code, json.loads(out) if fmt == "json" else out


def verdicts(report: Any) -> list[tuple[str, str, str]]:
    return sorted((f["rule"], f["resource"], f["verdict"]) for f in report["findings"])


def baselined(tmp_path: Path, body: str) -> tuple[Path, Path]:
    """A template and the baseline written for it."""
    template = write(tmp_path, body)
    baseline = tmp_path / "baseline.json"
    record_baseline(scan([str(template)], CONFIG), str(baseline))
    return template, baseline


def scan_with(template: Path, baseline: Path) -> ScanResult:
    return scan([str(template)], config_from_mapping({**RULES, "baseline": str(baseline)}))


def blocking(result: ScanResult) -> list[tuple[str, str]]:
    return sorted((f.rule, f.resource) for f in result.findings if f.blocking)


# --- writing and reading ------------------------------------------------------------------------


def test_write_baseline_records_one_entry_per_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = write(tmp_path, app())
    config = config_file(tmp_path)
    baseline = tmp_path / "baseline.json"
    code, report = run(capsys, "scan", template, "-c", config, "--write-baseline", baseline)
    assert code == 0  # everything just recorded is reported as suppressed
    assert verdicts(report) == [
        ("iam-no-wildcard-actions", "Worker", "suppressed"),
        ("lambda-runtime-supported", "Fn", "suppressed"),
    ]
    data = json.loads(baseline.read_text(encoding="utf-8"))
    assert data["version"] == 1
    assert [(e["rule"], e["resource"], e["path"], e["file"]) for e in data["findings"]] == [
        ("lambda-runtime-supported", "Fn", "Runtime", str(template)),
        (
            "iam-no-wildcard-actions",
            "Worker",
            "Policies[0].PolicyDocument.Statement[0]",
            str(template),
        ),
    ]
    assert all(len(e["fingerprint"]) == 32 for e in data["findings"])
    assert read_baseline(str(baseline)) == tuple(entries_of(scan([str(template)], CONFIG).findings))


def test_recorded_findings_are_suppressed_and_new_ones_block(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template, baseline = baselined(tmp_path, app())
    config = config_file(tmp_path)
    code, report = run(capsys, "scan", template, "-c", config, "--baseline", baseline)
    assert code == 0
    for finding in report["findings"]:
        assert finding["suppression"] == {"reason": "baseline", "source": "baseline"}
        assert finding["blocking"] is False
    assert report["summary"]["baseline"] == {
        "file": str(baseline),
        "suppressed": 2,
        "resolved": [],
    }
    write(tmp_path, app(actions=("*", "s3:*")))
    code, report = run(capsys, "scan", template, "-c", config, "--baseline", baseline)
    assert code == 1
    assert verdicts(report) == [
        ("iam-no-wildcard-actions", "Worker", "fail"),
        ("iam-no-wildcard-actions", "Worker", "suppressed"),
        ("lambda-runtime-supported", "Fn", "suppressed"),
    ]


def test_a_fingerprint_ignores_lines_and_other_resources_and_properties(tmp_path: Path) -> None:
    template, baseline = baselined(tmp_path, app())
    moved = "# a comment that moves every line\n\n\n" + app().replace(
        "      Handler: app.handler", "      Handler: app.handler\n      MemorySize: 512"
    ).replace("Resources:\n", "Resources:\n  Added:\n    Type: AWS::SNS::Topic\n")
    write(tmp_path, moved)
    result = scan_with(template, baseline)
    assert blocking(result) == []
    assert {f.verdict for f in result.findings} == {"suppressed"}
    assert result.resolved == ()


def test_a_fixed_then_reintroduced_finding_blocks_again_only_if_its_fingerprint_changed(
    tmp_path: Path,
) -> None:
    template, baseline = baselined(tmp_path, app(runtime="python3.7", actions=("*",)))
    write(tmp_path, app(runtime="python3.12", actions=("s3:GetObject",)))  # fixed
    fixed = scan_with(template, baseline)
    assert fixed.findings == ()
    assert sorted(e.rule for e in fixed.resolved) == [
        "iam-no-wildcard-actions",
        "lambda-runtime-supported",
    ]
    write(tmp_path, app(runtime="python3.7", actions=("*",)))  # the very same again
    same = scan_with(template, baseline)
    assert blocking(same) == []
    assert {f.verdict for f in same.findings} == {"suppressed"}
    write(tmp_path, app(runtime="python3.6", actions=("iam:*",)))  # reintroduced differently
    different = scan_with(template, baseline)
    assert blocking(different) == [
        ("iam-no-wildcard-actions", "Worker"),
        ("lambda-runtime-supported", "Fn"),
    ]
    assert len(different.resolved) == 2


def test_each_entry_absorbs_one_finding(tmp_path: Path) -> None:
    """A second copy of a recorded problem is new; removing an earlier policy does not make a
    later one new (positions are not part of the fingerprint)."""
    template, baseline = baselined(tmp_path, app(actions=("s3:GetObject", "*")))
    write(tmp_path, app(actions=("*", "*")))
    copied = scan_with(template, baseline)
    assert blocking(copied) == [("iam-no-wildcard-actions", "Worker")]
    assert len([f for f in copied.findings if f.rule == "iam-no-wildcard-actions"]) == 2
    write(tmp_path, app(actions=("*",)))
    moved = scan_with(template, baseline)
    assert blocking(moved) == []
    assert moved.resolved == ()


def test_reasons_of_reviewers_are_kept_and_reported(tmp_path: Path) -> None:
    template, baseline = baselined(tmp_path, app())
    data = json.loads(baseline.read_text(encoding="utf-8"))
    data["findings"][0]["reason"] = NOTE
    baseline.write_text(json.dumps(data), encoding="utf-8")
    result = scan_with(template, baseline)
    reasons = {f.rule: f.suppression.reason for f in result.findings if f.suppression}
    assert (
        reasons["lambda-runtime-supported"]
        == "baseline: Runtime upgrade tracked in ticket OPS-1234"
    )
    assert reasons["iam-no-wildcard-actions"] == "baseline"
    record_baseline(scan([str(template)], CONFIG), str(baseline))  # written again
    again = json.loads(baseline.read_text(encoding="utf-8"))
    assert again["findings"][0]["reason"] == NOTE


# --- what a defective baseline does -------------------------------------------------------------

ENTRY = {
    "rule": "lambda-runtime-supported",
    "resource": "Fn",
    "path": "Runtime",
    "file": "t.yaml",
    "fingerprint": "0" * 32,
}

MALFORMED = {
    "not-json": ("{", "invalid JSON"),
    "not-an-object": ("[]", "must be an object"),
    "duplicate-key": ('{"version": 1, "findings": [], "findings": []}', "duplicate key"),
    "lone-surrogate": ('{"version": 1, "findings": [{"rule": "\\ud800"}]}', "lone surrogate"),
    "version": (json.dumps({"version": 2, "findings": []}), "unsupported version 2"),
    "findings": (json.dumps({"version": 1, "findings": {}}), "`findings` must be a list"),
    "unknown-top-key": (json.dumps({"version": 1, "findings": [], "x": 1}), "must be an object"),
    "entry-not-object": (json.dumps({"version": 1, "findings": ["x"]}), "entry #1 must be"),
    "unknown-entry-key": (
        json.dumps({"version": 1, "findings": [{**ENTRY, "rules": "x"}]}),
        "unknown key 'rules'",
    ),
    "no-fingerprint": (
        json.dumps({"version": 1, "findings": [{**ENTRY, "fingerprint": ""}]}),
        "needs a `fingerprint`",
    ),
    "path-not-text": (
        json.dumps({"version": 1, "findings": [{**ENTRY, "path": ["Runtime"]}]}),
        "`path` must be text or null",
    ),
    "short-reason": (
        json.dumps({"version": 1, "findings": [{**ENTRY, "reason": "later"}]}),
        "needs a reason of at least 10 visible characters",
    ),
    "reason-not-text": (
        json.dumps({"version": 1, "findings": [{**ENTRY, "reason": ["a long enough reason"]}]}),
        "not a list",
    ),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_malformed_baseline_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    text, message = MALFORMED[case]
    template = write(tmp_path, app())
    baseline = write(tmp_path, text, "baseline.json")
    code = cli.main(["scan", str(template), "--baseline", str(baseline)])
    err = capsys.readouterr().err
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert str(baseline) in lines[0]
    assert message in lines[0]


def test_a_missing_baseline_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = write(tmp_path, app())
    assert cli.main(["scan", str(template), "--baseline", str(tmp_path / "none.json")]) == 2
    assert "no such baseline file" in capsys.readouterr().err


def test_baseline_and_write_baseline_exclude_each_other(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = write(tmp_path, app())
    args = ["scan", str(template), "--baseline", "a.json", "--write-baseline", "b.json"]
    assert cli.main(args) == 2
    assert "not allowed with argument" in capsys.readouterr().err


# --- where a baseline is given, and every report format ---------------------------------------


def test_the_baseline_setting_is_relative_to_the_configuration_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    template, _ = baselined(project, app())
    config = config_file(project, baseline="baseline.json")
    monkeypatch.chdir(tmp_path)
    code, report = run(capsys, "scan", template, "-c", config)
    assert code == 0
    assert report["summary"]["baseline"]["file"] == str(project / "baseline.json")
    assert report["summary"]["baseline"]["suppressed"] == 2


def resolved_result(tmp_path: Path) -> ScanResult:
    template, baseline = baselined(tmp_path, app(runtime="python3.7", actions=("*",)))
    write(tmp_path, app(runtime="python3.12", actions=("*",)))
    return scan_with(template, baseline)


def test_resolved_entries_in_every_report_format(tmp_path: Path) -> None:
    result = resolved_result(tmp_path)
    (entry,) = result.resolved
    assert entry.rule == "lambda-runtime-supported"

    rendered = text.render(result)
    assert "Resolved: no longer found, remove from the baseline" in rendered
    assert "  lambda-runtime-supported on Fn at Runtime" in rendered
    assert rendered.rstrip().endswith("baseline: 1 suppressed, 1 resolved")

    summary = json.loads(json_report.render(result))["summary"]["baseline"]
    assert summary["suppressed"] == 1
    assert [(r["rule"], r["resource"], r["path"]) for r in summary["resolved"]] == [
        ("lambda-runtime-supported", "Fn", "Runtime")
    ]

    doc = json.loads(sarif.render(result))
    jsonschema.Draft7Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))).validate(doc)
    (run_,) = doc["runs"]
    assert {r["baselineState"] for r in run_["results"]} == {"unchanged"}
    assert [e["rule"] for e in run_["properties"]["resolvedBaselineEntries"]] == [
        "lambda-runtime-supported"
    ]

    root = ET.fromstring(junit.render(result))
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    (case,) = suites["baseline"].iter("testcase")
    assert case.get("classname") == "lambda-runtime-supported"
    assert case.find("failure") is None
    assert case.find("skipped") is None
    assert root.get("tests") == str(len(result.findings) + 1)


def test_new_findings_are_new_in_sarif(tmp_path: Path) -> None:
    template, baseline = baselined(tmp_path, app(actions=("s3:GetObject",)))
    write(tmp_path, app(actions=("*",)))
    doc = json.loads(sarif.render(scan_with(template, baseline)))
    states = {r["ruleId"]: r["baselineState"] for r in doc["runs"][0]["results"]}
    assert states == {"lambda-runtime-supported": "unchanged", "iam-no-wildcard-actions": "new"}


def test_without_a_baseline_reports_say_nothing_of_one(tmp_path: Path) -> None:
    result = scan([str(write(tmp_path, app()))], CONFIG)
    assert json.loads(json_report.render(result))["summary"]["baseline"] is None
    doc = json.loads(sarif.render(result))
    assert "properties" not in doc["runs"][0]
    assert all("baselineState" not in r for r in doc["runs"][0]["results"])
    rendered = text.render(result)
    assert "Resolved" not in rendered
    assert "baseline:" not in rendered.splitlines()[-1]


# --- Pulumi programs ----------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]
INSECURE = ROOT / "examples" / "pulumi" / "insecure"


def test_a_pulumi_program_adopts_a_baseline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    config = INSECURE / "guard.json"
    baseline = tmp_path / "baseline.json"
    code, first = run(capsys, "pulumi", INSECURE, "--config", config, "--write-baseline", baseline)
    assert code == 0
    sources = {f["suppression"]["source"] for f in first["findings"]}
    assert sources == {"baseline", "exemption"}  # the configured exemption stays what it is
    entries = json.loads(baseline.read_text(encoding="utf-8"))["findings"]
    assert all(e["resource"].startswith("urn:pulumi:") for e in entries)
    assert len(entries) == first["summary"]["baseline"]["suppressed"]
    code, again = run(capsys, "pulumi", INSECURE, "--config", config, "--baseline", baseline)
    assert code == 0
    assert verdicts(again) == verdicts(first)
    assert again["summary"]["baseline"]["resolved"] == []
