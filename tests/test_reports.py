"""The report formats, on hand-built findings and on scanned fixtures."""

from __future__ import annotations

import json
import random
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from serverless_guard import __version__, report
from serverless_guard.catalog import CATALOG
from serverless_guard.catalog.rule import Enforcement, Outcome, Severity
from serverless_guard.config import config_from_mapping
from serverless_guard.errors import GuardError
from serverless_guard.findings import Finding, Location, ScanResult, Suppression
from serverless_guard.report import codequality, json_report, junit, sarif, text
from serverless_guard.scan import scan
from serverless_guard.waivers import INVALID_SUPPRESSION

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "rules"
SCHEMA_FILE = Path(__file__).resolve().parent / "data" / "schemas" / "sarif-schema-2.1.0.json"
NO_RETENTION = FIXTURES / "logs-retention-set" / "fail_no_retention.yaml"
# logs-retention-set alone: the catalog grows, these tests must not
ONLY_RETENTION = {"all": "disabled", "logs-retention-set": "advisory"}

SUPPRESSED_TEMPLATE = """\
Resources:
  Logs:
    Type: AWS::Logs::LogGroup
    Metadata:
      serverless-guard:
        suppress:
          - id: logs-retention-set
            reason: kept by the platform's central export
    Properties:
      LogGroupName: /app/orders
  Audit:
    Type: AWS::Logs::LogGroup
    Metadata:
      serverless-guard:
        suppress:
          - id: logs-retention-sett
            reason: a typo in the rule id
    Properties:
      LogGroupName: /app/audit
"""


def finding(**changes: Any) -> Finding:
    base: dict[str, Any] = {
        "rule": "logs-retention-set",
        "title": "Log groups keep logs for a bounded, sufficient time",
        "severity": Severity.MEDIUM,
        "enforcement": Enforcement.MANDATORY,
        "outcome": Outcome.FAIL,
        "resource": "Logs",
        "resource_type": "AWS::Logs::LogGroup",
        "message": "log group Logs keeps logs forever: set RetentionInDays to at least 365 days",
        "at": ("RetentionInDays",),
        "location": Location(file="app/template.yaml", line=12),
    }
    base.update(changes)
    return Finding(**base)


def sample() -> ScanResult:
    """One finding of each verdict, over two files, with CDK and SAM origins."""
    findings = (
        finding(),
        finding(
            rule="lambda-log-retention",
            title="Each Lambda function's log group is declared with a sufficient retention",
            enforcement=Enforcement.ADVISORY,
            resource="Handler",
            resource_type="AWS::Lambda::Function",
            message="function Handler writes to log group /aws/lambda/${Handler}, undeclared",
            at=(),
            location=Location(
                file="cdk.out/App.template.json",
                line=40,
                construct_path="App/Handler/Resource",
            ),
        ),
        finding(
            outcome=Outcome.UNKNOWN,
            resource="Imported",
            message="cannot be checked before deployment (Fn::ImportValue)",
            location=Location(file="app/template.yaml", line=30),
        ),
        finding(
            rule="lambda-env-encrypted",
            title="Lambda environment variables are encrypted with a customer-managed KMS key",
            outcome=Outcome.ERROR,
            resource="ApiFunctionRole",
            resource_type="AWS::IAM::Role",
            message="rule lambda-env-encrypted raised KeyError: 'x'",
            at=("Policies", 0, "PolicyDocument"),
            location=Location(file="app/template.yaml", line=50, source_resource="ApiFunction"),
        ),
        finding(
            resource="Archive",
            suppression=Suppression("logs-retention-set", "kept by the platform's central export"),
            location=Location(file="app/template.yaml", line=60),
        ),
    )
    return ScanResult(
        findings=findings,
        files=("app/template.yaml", "cdk.out/App.template.json", "clean.yaml"),
        resources=9,
    )


def sarif_schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return loaded


def validate_sarif(doc: object) -> None:
    jsonschema.Draft7Validator(sarif_schema()).validate(doc)


# --- text ------------------------------------------------------------------------------------


def test_text_groups_by_file_then_resource() -> None:
    out = text.render(sample())
    lines = out.splitlines()
    assert lines.count("app/template.yaml") == 1
    assert lines.count("cdk.out/App.template.json") == 1
    assert out.index("app/template.yaml") < out.index("cdk.out/App.template.json")
    assert "  Logs  AWS::Logs::LogGroup" in lines
    assert "  Handler  AWS::Lambda::Function  construct App/Handler/Resource" in lines
    assert "  ApiFunctionRole  AWS::IAM::Role  generated from ApiFunction" in lines
    assert "    FAIL  logs-retention-set  medium/mandatory  blocking  line 12" in lines
    assert "    FAIL  lambda-log-retention  medium/advisory  line 40" in lines
    assert "    UNKNOWN  logs-retention-set  medium/mandatory  line 30" in lines
    assert "      property: Policies[0].PolicyDocument" in lines
    assert "    SUPPRESSED (fail)  logs-retention-set  medium/mandatory  line 60" in lines
    assert "      suppressed: kept by the platform's central export" in lines
    assert lines[-1] == (
        "5 findings (2 fail, 1 unknown, 1 error, 1 suppressed), 2 blocking; "
        "3 files, 9 resources scanned"
    )
    assert "\033[" not in out


def test_text_colour_only_when_asked() -> None:
    plain = text.render(sample())
    coloured = text.render(sample(), color=True)
    assert "\033[1;31mFAIL\033[0m" in coloured
    assert re.sub(r"\033\[[0-9;]*m", "", coloured) == plain


def test_text_without_findings_still_summarizes() -> None:
    out = text.render(ScanResult(findings=(), files=("a.yaml",), resources=1))
    assert out == (
        "No findings.\n0 findings (0 fail, 0 unknown, 0 error, 0 suppressed), 0 blocking; "
        "1 file, 1 resource scanned\n"
    )


# --- json ------------------------------------------------------------------------------------

FINDING_KEYS = [
    "rule",
    "title",
    "severity",
    "enforcement",
    "verdict",
    "blocking",
    "resource",
    "resource_type",
    "source_resource",
    "construct_path",
    "parent",
    "file",
    "line",
    "path",
    "message",
    "suppression",
]


def test_json_shape() -> None:
    doc = json.loads(json_report.render(sample()))
    assert list(doc) == ["version", "findings", "summary"]
    assert doc["version"] == __version__
    for item in doc["findings"]:
        assert list(item) == FINDING_KEYS
        assert item["verdict"] in ("fail", "unknown", "error", "suppressed")
    assert doc["summary"] == {
        "files": 3,
        "resources": 9,
        "findings": 5,
        "blocking": 2,
        "by_verdict": {"fail": 2, "unknown": 1, "error": 1, "suppressed": 1},
        "skipped": [],
        "baseline": None,
    }
    by_resource = {item["resource"]: item for item in doc["findings"]}
    assert by_resource["Archive"]["suppression"] == {
        "reason": "kept by the platform's central export",
        "source": "metadata",
    }
    assert by_resource["Archive"]["verdict"] == "suppressed"
    assert by_resource["Archive"]["blocking"] is False
    assert by_resource["Logs"]["suppression"] is None
    assert by_resource["Logs"]["blocking"] is True
    assert by_resource["ApiFunctionRole"]["path"] == "Policies[0].PolicyDocument"
    assert by_resource["ApiFunctionRole"]["source_resource"] == "ApiFunction"
    assert by_resource["Handler"]["path"] is None
    assert by_resource["Handler"]["construct_path"] == "App/Handler/Resource"


def test_json_order_is_deterministic() -> None:
    result = sample()
    shuffled = list(result.findings)
    random.Random(7).shuffle(shuffled)
    again = ScanResult(findings=tuple(shuffled), files=result.files, resources=result.resources)
    assert json_report.render(again) == json_report.render(result)
    files_lines = [
        (f["file"], f["line"]) for f in json.loads(json_report.render(again))["findings"]
    ]
    assert files_lines == sorted(files_lines)


def test_json_docstring_example_is_real_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(NO_RETENTION, tmp_path / "template.yaml")
    monkeypatch.chdir(tmp_path)
    doc = json_report.__doc__ or ""
    example = doc.split("```json\n", 1)[1].split("```", 1)[0]
    assert json.loads(
        json_report.render(scan(["template.yaml"], config_from_mapping(ONLY_RETENTION)))
    ) == json.loads(example)


# --- sarif -----------------------------------------------------------------------------------


def test_sarif_hand_built_is_valid() -> None:
    doc = sarif.document(sample())
    validate_sarif(doc)
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.id for r in CATALOG]
    results = run["results"]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    levels = {
        (r["ruleId"], r["locations"][0]["logicalLocations"][0]["name"]): r["level"] for r in results
    }
    assert levels[("logs-retention-set", "Logs")] == "error"
    assert levels[("lambda-log-retention", "Handler")] == "warning"
    assert levels[("logs-retention-set", "Imported")] == "note"
    assert levels[("lambda-env-encrypted", "ApiFunctionRole")] == "error"
    # suppressed: the level it would have, and the justification
    assert levels[("logs-retention-set", "Archive")] == "error"
    archive = next(
        r for r in results if r["locations"][0]["logicalLocations"][0]["name"] == "Archive"
    )
    assert archive["suppressions"] == [
        {"kind": "inSource", "justification": "kept by the platform's central export"}
    ]
    handler = next(r for r in results if r["ruleId"] == "lambda-log-retention")
    assert handler["locations"][0]["logicalLocations"][0] == {
        "name": "Handler",
        "kind": "resource",
        "fullyQualifiedName": "App/Handler/Resource",
    }
    role = next(r for r in results if r["ruleId"] == "lambda-env-encrypted")
    assert role["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "ApiFunction"
    assert role["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "app/template.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 50},
    }


def test_sarif_rule_metadata() -> None:
    doc = sarif.document(sample())
    rules = {r["id"]: r for r in doc["runs"][0]["tool"]["driver"]["rules"]}
    retention = rules["logs-retention-set"]
    assert retention["name"] == "LogsRetentionSet"
    assert (
        retention["shortDescription"]["text"]
        == "Log groups keep logs for a bounded, sufficient time"
    )
    assert retention["fullDescription"]["text"].startswith("A log group without a retention")
    assert retention["defaultConfiguration"] == {"level": "warning"}
    assert retention["properties"]["security-severity"] == "5.5"
    assert retention["properties"]["severity"] == "medium"
    assert retention["properties"]["domain"] == "logging"
    assert "security" in retention["properties"]["tags"]
    assert retention["properties"]["relatedControls"]["checkov"] == ["CKV_AWS_66"]
    for engine in ("AWS CDK", "Pulumi", "CloudFormation"):
        assert engine in retention["help"]["text"]
        assert f"*{engine}*" in retention["help"]["markdown"]
    assert "helpUri" not in retention
    for rule in rules.values():
        level = rule["defaultConfiguration"]["level"]
        severity = rule["properties"]["severity"]
        assert level == ("error" if severity in ("high", "critical") else "warning")
        score = float(rule["properties"]["security-severity"])
        assert score == {"critical": 9.5, "high": 8.0, "medium": 5.5, "low": 3.0}[severity]
    assert INVALID_SUPPRESSION not in rules


def test_sarif_fingerprint_ignores_line_moves() -> None:
    one = sarif.fingerprint(finding(), "app/template.yaml")
    moved = sarif.fingerprint(
        finding(location=Location(file="app/template.yaml", line=99)), "app/template.yaml"
    )
    assert one == moved
    assert one != sarif.fingerprint(finding(resource="Other"), "app/template.yaml")
    assert one != sarif.fingerprint(finding(at=("LogGroupName",)), "app/template.yaml")
    assert one != sarif.fingerprint(finding(), "other.yaml")


def test_sarif_uris(tmp_path: Path) -> None:
    inside = tmp_path / "a dir" / "t.yaml"
    assert sarif.artifact_uri(str(inside), tmp_path) == ("a%20dir/t.yaml", "%SRCROOT%")
    outside = Path("/elsewhere/t.yaml")
    assert sarif.artifact_uri(str(outside), tmp_path) == ("file:///elsewhere/t.yaml", None)


def test_sarif_of_fixture_and_suppression(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "suppressed.yaml").write_text(SUPPRESSED_TEMPLATE, encoding="utf-8")
    shutil.copy(NO_RETENTION, tmp_path / "plain.yaml")
    monkeypatch.chdir(tmp_path)
    result = scan(["plain.yaml", "suppressed.yaml"], config_from_mapping(ONLY_RETENTION))
    doc = json.loads(sarif.render(result))
    validate_sarif(doc)
    run = doc["runs"][0]
    results = run["results"]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert INVALID_SUPPRESSION in rule_ids
    by_key = {(r["ruleId"], r["locations"][0]["logicalLocations"][0]["name"]): r for r in results}
    assert {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in results
        if "suppressions" in r
    } == {"suppressed.yaml"}
    suppressions = [r["suppressions"] for r in results if "suppressions" in r]
    assert suppressions == [
        [{"kind": "inSource", "justification": "kept by the platform's central export"}]
    ]
    invalid = by_key[(INVALID_SUPPRESSION, "Audit")]
    assert invalid["level"] == "error"
    assert rule_ids[invalid["ruleIndex"]] == INVALID_SUPPRESSION
    assert "logs-retention-sett" in invalid["message"]["text"]


def test_sarif_of_every_rule_fixture_is_valid() -> None:
    config = config_from_mapping({"all": "mandatory"})
    findings: list[Finding] = []
    files: list[str] = []
    for path in sorted(FIXTURES.glob("*/*")):
        try:
            one = scan([str(path)], config)
        except GuardError:  # a template form this build cannot read yet
            continue
        findings.extend(one.findings)
        files.extend(one.files)
    assert findings
    result = ScanResult(findings=tuple(findings), files=tuple(files), resources=len(files))
    validate_sarif(json.loads(sarif.render(result)))


# --- junit -----------------------------------------------------------------------------------


def test_junit_is_well_formed_and_useful() -> None:
    root = ET.fromstring(junit.render(sample()))
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("skipped")) == ("5", "2", "3")
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert list(suites) == ["app/template.yaml", "cdk.out/App.template.json", "clean.yaml"]
    assert suites["clean.yaml"].get("tests") == "0"
    app = suites["app/template.yaml"]
    assert (app.get("tests"), app.get("failures"), app.get("skipped")) == ("4", "2", "2")
    cases = {(c.get("classname"), c.get("name")): c for c in root.iter("testcase")}
    blocking = cases[("logs-retention-set", "Logs RetentionInDays")]
    failure = blocking.find("failure")
    assert failure is not None
    assert failure.get("message", "").startswith("log group Logs keeps logs forever")
    assert blocking.get("file") == "app/template.yaml"
    assert blocking.get("line") == "12"
    archive = cases[("logs-retention-set", "Archive RetentionInDays")]
    skipped = archive.find("skipped")
    assert skipped is not None
    assert skipped.get("message") == "suppressed: kept by the platform's central export"
    advisory = cases[("lambda-log-retention", "Handler")].find("skipped")
    assert advisory is not None
    assert "advisory" in (advisory.get("message") or "")
    assert "construct path: App/Handler/Resource" in (advisory.text or "")
    unknown = cases[("logs-retention-set", "Imported RetentionInDays")].find("skipped")
    assert unknown is not None
    assert "strict_unknowns" in (unknown.get("message") or "")


def test_junit_survives_control_characters() -> None:
    weird = finding(message='bad \x00 byte \x1b[31m and <tags> & "quotes"')
    out = junit.render(ScanResult(findings=(weird,), files=("app/template.yaml",), resources=1))
    root = ET.fromstring(out)
    failure = next(root.iter("failure"))
    assert '<tags> & "quotes"' in (failure.get("message") or "")


def test_junit_of_a_scanned_fixture() -> None:
    config = config_from_mapping({"all": "disabled", "logs-retention-set": "mandatory"})
    result = scan([str(NO_RETENTION)], config)
    root = ET.fromstring(junit.render(result))
    assert root.get("failures") == "1"
    case = next(root.iter("testcase"))
    assert case.get("classname") == "logs-retention-set"
    assert case.get("line") == "2"


# --- GitLab Code Quality ---------------------------------------------------------------------

CODE_QUALITY_SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


def test_code_quality_shape(tmp_path: Path) -> None:
    """GitLab reads an array of issues: description, check_name, fingerprint, severity,
    location.path (relative to the repository) and location.lines.begin."""
    issues = json.loads(codequality.render(sample(), root=Path.cwd()))
    assert isinstance(issues, list)
    for item in issues:
        assert set(item) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert item["description"].startswith(item["check_name"] + ": ")
        assert item["severity"] in CODE_QUALITY_SEVERITIES
        assert set(item["location"]) == {"path", "lines"}
        assert isinstance(item["location"]["lines"]["begin"], int)
        assert item["location"]["lines"]["begin"] >= 1
    # every finding but the suppressed one, in report order
    assert [(i["check_name"], i["location"]["lines"]["begin"]) for i in issues] == [
        ("logs-retention-set", 12),
        ("logs-retention-set", 30),
        ("lambda-env-encrypted", 50),
        ("lambda-log-retention", 40),
    ]
    assert [i["severity"] for i in issues] == ["major", "info", "major", "major"]
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    assert {i["location"]["path"] for i in issues} == {
        "app/template.yaml",
        "cdk.out/App.template.json",
    }


def test_code_quality_severity_follows_the_rule() -> None:
    result = ScanResult(
        findings=tuple(
            finding(severity=s, resource=s.value, location=Location(file="t.yaml", line=i + 1))
            for i, s in enumerate(Severity)
        ),
        files=("t.yaml",),
        resources=4,
    )
    issues = json.loads(codequality.render(result))  # in line order: low, medium, high, critical
    assert [i["severity"] for i in issues] == ["minor", "major", "critical", "blocker"]


def test_code_quality_fingerprints_do_not_move_with_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    template = Path("template.yaml")
    template.write_bytes(NO_RETENTION.read_bytes())
    config = config_from_mapping(ONLY_RETENTION)
    before = json.loads(report.render(scan([str(template)], config), "codequality"))
    template.write_text("# a comment\n\n" + NO_RETENTION.read_text())
    after = json.loads(report.render(scan([str(template)], config), "codequality"))
    assert [i["location"]["path"] for i in after] == ["template.yaml"]
    assert [i["fingerprint"] for i in after] == [i["fingerprint"] for i in before]
    assert after[0]["location"]["lines"]["begin"] == before[0]["location"]["lines"]["begin"] + 2


# --- dispatch --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", report.FORMATS)
def test_every_format_renders(fmt: str) -> None:
    out = report.render(sample(), fmt)
    assert out.endswith("\n")


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown report format"):
        report.render(sample(), "csv")
