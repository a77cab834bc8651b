"""`serverless-guard pulumi` on a program written to slip past a scanner: every hostile resource
is caught, and its well-formed twin passes. The policy pack sees the same program in
tests/test_pulumi_grpc.py (`test_the_pack_blocks_the_hostile_program`)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = Path(__file__).parent / "fixtures" / "pulumi_programs" / "hostile"

# (rule, resource name): what the program hides, each by a trick of its own.
CAUGHT = {
    ("resource-policy-not-public", "uploads-policy"),  # StringLike aws:SourceVpce vpce-*
    ("s3-bucket-tls-only", "uploads"),  # a TLS Deny whose conditions contradict
    ("resource-policy-not-public", "jobs-policy"),  # 0.0.0.0/1 and 128.0.0.0/1
    ("sqs-queue-encrypted", "jobs"),  # an empty key id
    ("iam-passrole-scoped", "deployer-policy"),  # arn:aws:iam::*
    ("iam-no-wildcard-actions", "deployer-policy"),  # a JSON policy built with apply
    ("iam-role-trust-scoped", "github"),  # an OIDC trust with only aud
    ("lambda-log-retention", "orders"),  # /aws/lambda/{name}-audit is another log group
    ("apigw-http-route-authorization", "chat"),  # WebSocket API with no $connect route
}


@pytest.fixture(scope="module")
def findings() -> list[dict[str, object]]:
    result = subprocess.run(
        [sys.executable, "-m", "serverless_guard", "pulumi", str(HOSTILE), "--format", "json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    found: list[dict[str, object]] = json.loads(result.stdout)["findings"]
    return found


def test_every_trick_is_caught(findings: list[dict[str, object]]) -> None:
    failed = {
        (f["rule"], str(f["resource"]).rsplit("::", 1)[-1])
        for f in findings
        if f["verdict"] == "fail"
    }
    assert failed >= CAUGHT


def test_the_well_formed_twin_passes(findings: list[dict[str, object]]) -> None:
    assert not [
        f
        for f in findings
        if f["rule"] == "resource-policy-not-public"
        and str(f["resource"]).endswith("::good-jobs-policy")
    ]
