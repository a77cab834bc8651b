"""Inputs built to make a backtracking regular expression take quadratic or exponential time
(many unclosed `${`, long runs of URL-scheme or token characters, wildcard patterns against
long names) are scanned in one pass.

Regular expressions cannot count their own steps, so this is the one test with a time guard:
each input is 200 kB, where a quadratic reading takes minutes; the scan must end within a
generous limit (it takes about a second). The wildcard matcher's steps are counted exactly in
tests/test_wildcards.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SIZE = 200_000


def repeat(piece: str) -> str:
    return piece * (SIZE // len(piece))


HOSTILE_VALUES = {
    "UNCLOSED_REFERENCES": repeat("${"),
    "UNCLOSED_OPAQUE": repeat("${?"),
    "SCHEME_RUN": repeat("T-"),
    "TOKEN_RUN": repeat("eyJ-"),
    "UNCLOSED_DYNAMIC_REFERENCE": repeat("{{resolve:_"),
    "URL_WITHOUT_HOST": "a://" + repeat(":"),
    "PASSWORD_RUN": "password=" + repeat("Zq9;"),
}


def test_hostile_strings_are_scanned_in_one_pass(tmp_path: Path) -> None:
    template = {
        "Resources": {
            "Fn": {
                "Type": "AWS::Lambda::Function",
                "Properties": {
                    "Runtime": "python3.12",
                    "Handler": "index.handler",
                    "Role": repeat("${") + ":function:x",
                    "Code": {"ZipFile": "def handler(e, c): pass"},
                    "Environment": {"Variables": HOSTILE_VALUES},
                },
            },
            "Invoke": {
                "Type": "AWS::Lambda::Permission",
                "Properties": {
                    "FunctionName": repeat("${a:"),
                    "Action": "lambda:InvokeFunction",
                    "Principal": repeat("aaaa."),
                },
            },
            "Policy": {
                "Type": "AWS::IAM::ManagedPolicy",
                "Properties": {
                    "PolicyDocument": {
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Action": repeat("*a") + "c",
                                "Resource": [repeat("arn:*"), repeat("*a")],
                            }
                        ]
                    },
                },
            },
            "Topic": {
                "Type": "AWS::SNS::Topic",
                "Properties": {"TopicName": {"Fn::Sub": repeat("${")}},
            },
        }
    }
    path = tmp_path / "template.json"
    path.write_text(json.dumps(template))
    result = subprocess.run(
        [sys.executable, "-m", "serverless_guard", "scan", str(path), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert not [f for f in findings if f["verdict"] == "error"]
    rules = {f["rule"] for f in findings if f["resource"] == "Fn"}
    assert "lambda-env-no-secrets" in rules
