"""`serverless-guard pulumi` on the bundled programs: the root program (the secure orders
service) has no finding; its insecure twin is blocked with the expected rules."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "serverless_guard", "pulumi", *args, "--format", "json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def secure() -> subprocess.CompletedProcess[str]:
    return run(".")


@pytest.fixture(scope="module")
def insecure() -> subprocess.CompletedProcess[str]:
    return run("examples/pulumi/insecure", "--config", "examples/pulumi/insecure/guard.json")


def test_the_root_program_passes_every_rule(secure: subprocess.CompletedProcess[str]) -> None:
    assert secure.returncode == 0, secure.stderr
    report = json.loads(secure.stdout)
    assert report["findings"] == []
    assert report["summary"]["resources"] >= 20


def test_the_insecure_program_is_blocked(insecure: subprocess.CompletedProcess[str]) -> None:
    assert insecure.returncode == 1, insecure.stderr
    report = json.loads(insecure.stdout)
    failed = {f["rule"] for f in report["findings"] if f["verdict"] == "fail"}
    assert {
        "apigw-rest-private-endpoint",
        "apigw-method-authorization",
        "iam-no-admin-policies",
        "iam-no-wildcard-actions",
        "lambda-url-auth-iam",
        "lambda-env-no-secrets",
        "lambda-runtime-supported",
        "s3-bucket-tls-only",
        "sqs-queue-encrypted",
    } <= failed
    exempted = [f for f in report["findings"] if f["verdict"] == "suppressed"]
    assert [(f["rule"], f["suppression"]["reason"]) for f in exempted] == [
        ("sns-topic-encrypted", "Carries public order-status events only; reviewed 2026-11")
    ]


def test_findings_point_at_the_constructor_call(insecure: subprocess.CompletedProcess[str]) -> None:
    report = json.loads(insecure.stdout)
    main = "examples/pulumi/insecure/__main__.py"
    lines = (ROOT / main).read_text(encoding="utf-8").splitlines()
    (queue,) = [n for n, code in enumerate(lines, 1) if code.startswith("queue = aws.sqs.Queue(")]
    (finding,) = [f for f in report["findings"] if f["rule"] == "sqs-queue-encrypted"]
    assert (finding["file"], finding["line"]) == (main, queue)
    assert all(f["file"] == main for f in report["findings"])
