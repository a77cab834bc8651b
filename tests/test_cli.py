"""The `serverless-guard` command: exit codes, one-line errors, outputs, rules and explain."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from serverless_guard import __version__, cli, policypack
from serverless_guard.catalog import CATALOG
from serverless_guard.docs import index

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "rules"
NO_RETENTION = FIXTURES / "logs-retention-set" / "fail_no_retention.yaml"
ONE_YEAR = FIXTURES / "logs-retention-set" / "pass_one_year.yaml"
UNKNOWN_DAYS = FIXTURES / "logs-retention-set" / "unknown_parameter_without_default.yaml"
BELOW_MINIMUM = FIXTURES / "logs-retention-set" / "fail_below_minimum.json"
SCHEMA_FILE = Path(__file__).resolve().parent / "data" / "schemas" / "sarif-schema-2.1.0.json"


def guard(
    *args: str | Path, cwd: Path | None = None, path: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    if path is not None:
        env["PATH"] = path
    return subprocess.run(
        [sys.executable, "-m", "serverless_guard", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=env,
        check=False,
        timeout=120,
    )


def one_line_error(proc: subprocess.CompletedProcess[str]) -> str:
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("serverless-guard"), lines[0]
    assert "Traceback" not in proc.stderr
    return lines[0]


def only_retention(tmp_path: Path, level: str = "advisory") -> Path:
    """A configuration that runs logs-retention-set alone (the catalog grows)."""
    path = tmp_path / f"guard-{level}.json"
    path.write_text(json.dumps({"all": "disabled", "logs-retention-set": level}), encoding="utf-8")
    return path


def mandatory_config(tmp_path: Path) -> Path:
    return only_retention(tmp_path, "mandatory")


# --- exit codes ------------------------------------------------------------------------------


def test_version() -> None:
    proc = guard("--version")
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"serverless-guard {__version__}"


def test_clean_template_exits_0(tmp_path: Path) -> None:
    proc = guard("scan", ONE_YEAR, "--config", only_retention(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("No findings.")
    assert "0 blocking; 1 file, 1 resource scanned" in proc.stdout
    assert proc.stderr == ""


def test_advisory_findings_exit_0(tmp_path: Path) -> None:
    proc = guard("scan", NO_RETENTION, "--config", only_retention(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert "FAIL  logs-retention-set  medium/advisory  line 2" in proc.stdout
    assert "\033[" not in proc.stdout


def test_blocking_findings_exit_1(tmp_path: Path) -> None:
    proc = guard("scan", NO_RETENTION, "--config", mandatory_config(tmp_path))
    assert proc.returncode == 1, proc.stderr
    assert "medium/mandatory  blocking" in proc.stdout
    assert proc.stderr == ""


def test_strict_unknowns_flag(tmp_path: Path) -> None:
    config = mandatory_config(tmp_path)
    assert guard("scan", UNKNOWN_DAYS, "--config", config).returncode == 0
    proc = guard("scan", UNKNOWN_DAYS, "--config", config, "--strict-unknowns")
    assert proc.returncode == 1, proc.stderr
    assert "UNKNOWN  logs-retention-set" in proc.stdout


def test_missing_input_exits_2() -> None:
    proc = guard("scan", "no/such/template.yaml")
    assert proc.returncode == 2
    assert one_line_error(proc) == "serverless-guard: no/such/template.yaml: no such file or folder"
    assert proc.stdout == ""


def test_unreadable_template_exits_2(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("Resources:\n  A: [unclosed\n", encoding="utf-8")
    proc = guard("scan", broken)
    assert proc.returncode == 2
    assert str(broken) in one_line_error(proc)
    not_template = tmp_path / "data.json"
    not_template.write_text('{"hello": "world"}', encoding="utf-8")
    proc = guard("scan", not_template)
    assert proc.returncode == 2
    assert "not a CloudFormation template" in one_line_error(proc)


def test_bad_config_exits_2(tmp_path: Path) -> None:
    config = tmp_path / "guard.json"
    config.write_text('{"no-such-rule": "mandatory"}', encoding="utf-8")
    proc = guard("scan", NO_RETENTION, "--config", config)
    assert proc.returncode == 2
    assert "unknown rule id 'no-such-rule' (see `serverless-guard rules`)" in one_line_error(proc)
    config.write_text('{"lamda-in-vpc": "advisory"}', encoding="utf-8")
    proc = guard("scan", NO_RETENTION, "--config", config)
    assert proc.returncode == 2
    assert "unknown rule id 'lamda-in-vpc' (did you mean lambda-in-vpc?)" in one_line_error(proc)
    config.write_text("{not json", encoding="utf-8")
    proc = guard("scan", NO_RETENTION, "--config", config)
    assert proc.returncode == 2
    assert "invalid JSON" in one_line_error(proc)
    proc = guard("scan", NO_RETENTION, "--config", tmp_path / "missing.json")
    assert proc.returncode == 2
    assert "no such file" in one_line_error(proc)


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("scan",),
        ("scan", "x.yaml", "--format", "csv"),
        ("frobnicate",),
        ("rules", "--format", "html"),
        ("explain",),
    ],
)
def test_usage_errors_exit_2(args: tuple[str, ...]) -> None:
    proc = guard(*args)
    assert proc.returncode == 2
    assert "--help" in one_line_error(proc)


# --- formats and --output --------------------------------------------------------------------


def test_json_to_stdout(tmp_path: Path) -> None:
    proc = guard("scan", NO_RETENTION, "--format", "json", "-c", only_retention(tmp_path))
    assert proc.returncode == 0
    doc = json.loads(proc.stdout)
    assert [f["rule"] for f in doc["findings"]] == ["logs-retention-set"]
    assert doc["summary"]["by_verdict"]["fail"] == 1


def test_sarif_to_output_file(tmp_path: Path) -> None:
    a = tmp_path / "a.yaml"
    b = tmp_path / "b.json"
    a.write_bytes(NO_RETENTION.read_bytes())
    b.write_bytes(BELOW_MINIMUM.read_bytes())
    proc = guard(
        "scan",
        "a.yaml",
        "b.json",
        "--format",
        "sarif",
        "--output",
        "guard.sarif",
        "-c",
        only_retention(tmp_path),
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert "2 findings" in proc.stdout
    assert "guard.sarif" in proc.stdout
    doc = json.loads((tmp_path / "guard.sarif").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))).validate(doc)
    uris = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in doc["runs"][0]["results"]
    ]
    assert uris == ["a.yaml", "b.json"]


def test_junit_to_output_file(tmp_path: Path) -> None:
    out = tmp_path / "junit.xml"
    config = mandatory_config(tmp_path)
    proc = guard("scan", NO_RETENTION, "-f", "junit", "-o", out, "-c", config)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr == ""
    root = ET.parse(out).getroot()
    assert root.get("failures") == "1"


def test_unwritable_output_exits_2(tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "report.json"
    proc = guard("scan", NO_RETENTION, "--format", "json", "--output", target)
    assert proc.returncode == 2
    line = one_line_error(proc)
    assert str(target) in line
    assert "cannot write the report" in line


def test_scan_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    (folder / "nested").mkdir(parents=True)
    (folder / "a.yaml").write_bytes(NO_RETENTION.read_bytes())
    (folder / "nested" / "b.json").write_bytes(BELOW_MINIMUM.read_bytes())
    (folder / "notes.json").write_text('{"not": "a template"}', encoding="utf-8")
    proc = guard("scan", folder, "--format", "json", "-c", only_retention(tmp_path))
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["summary"]["files"] == 2
    assert [Path(f["file"]).name for f in doc["findings"]] == ["a.yaml", "b.json"]


def test_skip_non_templates_scans_the_named_templates_only(tmp_path: Path) -> None:
    """What a pre-commit hook does: every changed YAML or JSON file is named."""
    (tmp_path / "ci.yml").write_text("name: ci\non: push\n", encoding="utf-8")
    (tmp_path / "package.json").write_text('{"name": "app"}', encoding="utf-8")
    template = tmp_path / "stack.yaml"
    template.write_bytes(NO_RETENTION.read_bytes())
    names = [tmp_path / "ci.yml", tmp_path / "package.json"]
    refused = guard("scan", *names, template, "-c", mandatory_config(tmp_path))
    assert refused.returncode == 1  # several files: each unreadable one is an input-error finding
    assert refused.stdout.count("not a CloudFormation template") == 2
    proc = guard(
        "scan",
        "--skip-non-templates",
        *names,
        template,
        "-c",
        mandatory_config(tmp_path),
        "--format",
        "json",
    )
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["summary"]["files"] == 1
    assert {f["file"] for f in doc["findings"]} == {str(template)}


def test_skip_non_templates_with_no_template_passes_with_an_empty_report(tmp_path: Path) -> None:
    (tmp_path / "ci.yml").write_text("name: ci\non: push\n", encoding="utf-8")
    proc = guard("scan", "--skip-non-templates", tmp_path / "ci.yml", "--format", "sarif")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    jsonschema.Draft7Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))).validate(doc)
    assert doc["runs"][0]["results"] == []


def test_skip_non_templates_still_refuses_a_broken_template(tmp_path: Path) -> None:
    broken = tmp_path / "stack.yaml"
    broken.write_text("AWSTemplateFormatVersion: 2010-09-09\nResources:\n  Q: [\n")
    proc = guard("scan", "--skip-non-templates", broken)
    assert proc.returncode == 2
    assert "invalid YAML" in one_line_error(proc)


# --- policy-pack -----------------------------------------------------------------------------


def test_policy_pack_path_notes_a_python3_on_path_of_another_environment(tmp_path: Path) -> None:
    here = guard("policy-pack", "path", path=str(Path(sys.executable).parent))
    assert here.returncode == 0
    assert Path(here.stdout.strip()) == policypack.PACK_DIR
    assert here.stderr == ""
    elsewhere = guard("policy-pack", "path", path=str(tmp_path))
    assert elsewhere.returncode == 0
    assert Path(elsewhere.stdout.strip()) == policypack.PACK_DIR
    assert "pulumi starts the pack with the python3 on PATH (no python3)" in elsewhere.stderr


def test_policy_pack_new_refuses_a_file_and_an_occupied_folder(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    proc = guard("policy-pack", "new", tmp_path / "file")
    assert proc.returncode == 2
    assert "not a folder" in one_line_error(proc)
    occupied = tmp_path / "pack"
    occupied.mkdir()
    (occupied / "requirements.txt").write_text("mine\n")
    proc = guard("policy-pack", "new", occupied)
    assert proc.returncode == 2
    assert "requirements.txt exists already" in one_line_error(proc)
    assert (occupied / "requirements.txt").read_text() == "mine\n"
    assert not (occupied / "PulumiPolicy.yaml").exists()


# --- rules and explain -----------------------------------------------------------------------


def test_rules_table() -> None:
    proc = guard("rules")
    assert proc.returncode == 0
    lines = proc.stdout.splitlines()
    assert lines[0].split() == ["RULE", "SEVERITY", "DEFAULT", "DOMAIN", "TITLE"]
    for rule in CATALOG:
        assert any(line.startswith(rule.id + " ") for line in lines), rule.id


def test_rules_json() -> None:
    proc = guard("rules", "--format", "json")
    assert proc.returncode == 0
    doc = json.loads(proc.stdout)
    assert {r["id"] for r in doc["rules"]} == {r.id for r in CATALOG}
    retention = next(r for r in doc["rules"] if r["id"] == "logs-retention-set")
    assert retention["parameters"]["min_days"]["default"] == 365
    assert retention["default_enforcement"] == "advisory"
    assert set(retention["remediation"]) == {"cdk", "pulumi", "cloudformation"}


def test_rules_markdown_is_the_index() -> None:
    proc = guard("rules", "--format", "markdown")
    assert proc.returncode == 0
    assert proc.stdout == index()


def test_explain() -> None:
    proc = guard("explain", "logs-retention-set")
    assert proc.returncode == 0
    out = proc.stdout
    assert out.startswith("logs-retention-set: Log groups keep logs for a bounded, sufficient time")
    for heading in ("Why", "Remediation", "Parameters", "References", "Related controls"):
        assert f"\n{heading}\n" in out
    for engine in ("AWS CDK:", "Pulumi:", "CloudFormation:"):
        assert engine in out
    assert "min_days (integer, default 365)" in out
    assert "max_days (integer or null, default null)" in out
    assert "checkov: CKV_AWS_66" in out


def test_explain_formats() -> None:
    doc = json.loads(guard("explain", "lambda-log-retention", "--format", "json").stdout)
    assert doc["id"] == "lambda-log-retention"
    assert doc["anchors"] == {"fsbp": [], "cdk_nag": [], "checkov": []}
    markdown = guard("explain", "lambda-log-retention", "--format", "markdown").stdout
    assert markdown.splitlines()[2].startswith("# ")


def test_explain_the_suppression_check() -> None:
    proc = guard("explain", "invalid-suppression")
    assert proc.returncode == 0
    assert "reason" in proc.stdout


def test_explain_unknown_rule_exits_2() -> None:
    proc = guard("explain", "logs-retention-sett")
    assert proc.returncode == 2
    assert one_line_error(proc) == (
        "serverless-guard: unknown rule id 'logs-retention-sett' (did you mean logs-retention-set?)"
    )


# --- in process: colour, internal errors, interrupts -----------------------------------------


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_on_a_terminal_unless_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    tty = _Tty()
    assert cli.run(["scan", str(NO_RETENTION)], stdout=tty) == 0
    assert "\033[" in tty.getvalue()
    monkeypatch.setenv("NO_COLOR", "1")
    tty = _Tty()
    assert cli.run(["scan", str(NO_RETENTION)], stdout=tty) == 0
    assert "\033[" not in tty.getvalue()


def test_internal_error_exits_3(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("something\nunexpected")

    monkeypatch.setattr(cli, "scan", broken)
    assert cli.main(["scan", str(NO_RETENTION)]) == 3
    err = capsys.readouterr().err
    assert err == "serverless-guard: internal error: RuntimeError: something unexpected\n"


def test_interrupt_exits_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(*_: object, **__: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "scan", interrupted)
    assert cli.main(["scan", str(NO_RETENTION)]) == 130
    assert capsys.readouterr().err == "serverless-guard: interrupted\n"


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--help"]) == 0
    assert "scan" in capsys.readouterr().out


# --- one bad file does not hide the others -----------------------------------------------------


def test_an_unreadable_file_among_others_is_a_blocking_finding_in_every_format(
    tmp_path: Path,
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("AWSTemplateFormatVersion: x\nResources: [\n")
    config = only_retention(tmp_path)
    text = guard("scan", NO_RETENTION, broken, "--config", config)
    assert text.returncode == 1, text.stderr
    assert "input-error" in text.stdout
    assert str(broken) in text.stdout
    assert "logs-retention-set" in text.stdout  # the other file was judged
    doc = json.loads(guard("scan", NO_RETENTION, broken, "-c", config, "-f", "json").stdout)
    (error,) = [f for f in doc["findings"] if f["rule"] == "input-error"]
    assert error["verdict"] == "error"
    assert error["blocking"]
    assert error["file"] == str(broken)
    assert error["line"] == 3
    assert "invalid YAML" in error["message"]
    sarif = json.loads(guard("scan", NO_RETENTION, broken, "-c", config, "-f", "sarif").stdout)
    jsonschema.validate(sarif, json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))
    results = sarif["runs"][0]["results"]
    assert [r["level"] for r in results if r["ruleId"] == "input-error"] == ["error"]
    junit = ET.fromstring(guard("scan", NO_RETENTION, broken, "-c", config, "-f", "junit").stdout)
    failures = [c for c in junit.iter("testcase") if c.get("classname") == "input-error"]
    assert [c.get("name") for c in failures] == [str(broken)]
    assert failures[0].find("failure") is not None


def test_a_folder_scan_names_what_it_skipped_on_stderr_and_in_the_summary(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(NO_RETENTION.read_text())
    os.mkfifo(tmp_path / "pipe.yaml")
    proc = guard("scan", tmp_path, "--config", only_retention(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert (
        proc.stderr
        == f"serverless-guard: skipped {tmp_path / 'pipe.yaml'}: a FIFO, not a file: not read\n"
    )
    assert proc.stdout.rstrip().endswith("1 file, 1 resource scanned, 1 skipped")
