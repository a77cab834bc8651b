"""Text that cannot be written as UTF-8 never crashes the command (exit 3): in a template it is
a one-line input error (exit 2); in a file name it is written escaped in every report format.
A key written twice in a configuration is an input error, as it is in a template."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from serverless_guard import cli
from serverless_guard.strict_json import lone_surrogate

SCHEMA_FILE = Path(__file__).resolve().parent / "data" / "schemas" / "sarif-schema-2.1.0.json"
QUEUE = '"Q": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": %s}}'


def template(queue_name: str = '"jobs"', logical_id: str = "Q") -> str:
    queue = QUEUE.replace('"Q"', f'"{logical_id}"').replace("%s", queue_name)
    return '{"Resources": {' + queue + "}}"


LONE = {
    "logical id": template(logical_id="Q\\ud800"),
    "property value": template('"jobs\\udc00"'),
    "property key": '{"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": '
    '{"Tags": [{"Key": "a\\ud83d", "Value": "b"}]}}}}',
    "high then a letter": template('"\\ud800\\u0041"'),
    "low then high": template('"\\udc00\\ud800"'),
    "high at the end": template('"x\\uDBFF"'),
    "after an escaped backslash pair": template('"\\\\\\ud800"'),
}
FINE = {
    "a pair": template('"jobs-\\ud83d\\ude00"'),
    "an escaped backslash": template('"\\\\ud800"'),
    "upper case pair": template('"\\uD83D\\uDE00"'),
}


@pytest.mark.parametrize("case", sorted(LONE))
def test_a_lone_surrogate_in_a_template_is_a_one_line_input_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    path = tmp_path / "template.json"
    path.write_text(LONE[case], encoding="utf-8")
    assert cli.main(["scan", str(path)]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1
    assert f"{path}:1: invalid JSON: a lone surrogate escape is not a character" in lines[0]


@pytest.mark.parametrize("case", sorted(FINE))
def test_escapes_that_are_characters_are_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    path = tmp_path / "template.json"
    path.write_text(FINE[case], encoding="utf-8")
    assert lone_surrogate(FINE[case]) is None
    assert cli.main(["scan", str(path), "--format", "json"]) in (0, 1)
    json.loads(capsys.readouterr().out)


@pytest.fixture
def badly_named(tmp_path: Path) -> Path:
    """A folder holding a template whose file name is not UTF-8 (Python names it with a lone
    surrogate, `\\udcff`)."""
    folder = tmp_path / "templates"
    folder.mkdir()
    name = os.path.join(os.fsencode(folder), b"queue-\xff.yaml")
    with open(name, "w", encoding="utf-8") as handle:
        handle.write("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n")
    return folder


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit"])
def test_a_file_name_that_is_not_utf8_is_written_escaped(
    badly_named: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    output = tmp_path / f"report.{fmt}"
    assert cli.main(["scan", str(badly_named), "--format", fmt, "--output", str(output)]) == 1
    assert "internal error" not in capsys.readouterr().err
    rendered = output.read_text(encoding="utf-8")
    shown = {"queue-\\udcff.yaml", "queue-%FF.yaml", "queue-\ufffd.yaml"}  # JUnit: XML text
    assert any(name in rendered for name in shown)
    if fmt == "json":
        assert json.loads(rendered)["findings"][0]["file"].endswith("queue-\udcff.yaml")
    elif fmt == "sarif":
        doc = json.loads(rendered)
        jsonschema.Draft7Validator(json.loads(SCHEMA_FILE.read_text("utf-8"))).validate(doc)
        uris = {
            loc["physicalLocation"]["artifactLocation"]["uri"]
            for result in doc["runs"][0]["results"]
            for loc in result["locations"]
        }
        assert {uri.rsplit("/", 1)[-1] for uri in uris} == {"queue-%FF.yaml"}
    elif fmt == "junit":
        ET.fromstring(rendered)


def test_a_terminal_that_cannot_show_a_character_gets_an_escape(tmp_path: Path) -> None:
    path = tmp_path / "注文.yaml"
    path.write_text("Resources:\n  Logs:\n    Type: AWS::Logs::LogGroup\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "serverless_guard", "scan", str(path)],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert b"\\u6ce8\\u6587" in done.stdout


@pytest.mark.parametrize(
    "text",
    [
        '{"all": "advisory", "all": "mandatory"}',
        '{"serverless-guard": {"strict_unknowns": false, "strict_unknowns": true}}',
        '{"logs-retention-set": {"min_days": 30, "min_days": 3650}}',
        '{"serverless-guard": {"exemptions": [{"rule": "lambda-in-vpc", "rule": "x"}]}}',
    ],
)
def test_a_key_written_twice_in_a_configuration_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    config = tmp_path / "guard.json"
    config.write_text(text, encoding="utf-8")
    path = tmp_path / "template.yaml"
    path.write_text("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n", encoding="utf-8")
    assert cli.main(["scan", str(path), "--config", str(config)]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert str(config) in line
    assert "duplicate key" in line


def test_a_lone_surrogate_in_a_configuration_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "guard.json"
    config.write_text('{"serverless-guard": {"exemptions": [{"reason": "\\ud800"}]}}')
    path = tmp_path / "template.yaml"
    path.write_text("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n", encoding="utf-8")
    assert cli.main(["scan", str(path), "--config", str(config)]) == 2
    assert "lone surrogate" in capsys.readouterr().err
