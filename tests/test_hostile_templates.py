"""A CloudFormation template written to slip past a scanner (`tests/fixtures/hostile/`): each
trick is caught when the template is scanned as a file and when it is a stack of a CDK cloud
assembly."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from serverless_guard.engines.cloudformation.parse import parse_text

HERE = Path(__file__).parent
TEMPLATE = HERE / "fixtures" / "hostile" / "template.yaml"
ASSEMBLY = HERE / "fixtures" / "cdk_out"

CAUGHT = {
    ("resource-policy-not-public", "JobsPolicy"),  # StringLike aws:SourceVpce vpce-*
    ("sqs-queue-tls-only", "Jobs"),  # a Deny whose conditions contradict
    ("sqs-queue-encrypted", "Jobs"),  # an empty key id
    ("s3-bucket-tls-only", "Documents"),  # its policy exists only under a condition
    ("iam-role-trust-scoped", "Deployer"),  # an OIDC trust with a sub of *
    ("iam-passrole-scoped", "Deployer"),  # arn:aws:iam::*
    ("iam-no-wildcard-actions", "DeployerPolicy"),  # Action * in an Fn::Sub JSON policy
    ("apigw-http-route-authorization", "Chat"),  # WebSocket API without $connect
}


def failures(*paths: Path) -> set[tuple[str, str]]:
    result = subprocess.run(
        [sys.executable, "-m", "serverless_guard", "scan", *map(str, paths), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    findings = json.loads(result.stdout)["findings"]
    return {(f["rule"], f["resource"]) for f in findings if f["verdict"] == "fail"}


def test_every_trick_is_caught_in_a_template() -> None:
    assert failures(TEMPLATE) >= CAUGHT


def test_every_trick_is_caught_in_a_cloud_assembly(tmp_path: Path) -> None:
    assembly = tmp_path / "cdk.out"
    shutil.copytree(ASSEMBLY, assembly)
    stack_file = assembly / "ApiStack.template.json"
    stack = json.loads(stack_file.read_text())
    hostile = parse_text(TEMPLATE.read_text(), str(TEMPLATE))
    for section in ("Parameters", "Mappings", "Conditions", "Resources"):
        stack.setdefault(section, {}).update(json.loads(json.dumps(hostile[section])))
    stack_file.write_text(json.dumps(stack))
    assert failures(assembly) >= CAUGHT
