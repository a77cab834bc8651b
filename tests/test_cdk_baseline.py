"""The CDK plugin's `baseline` setting: findings recorded by `serverless-guard scan cdk.out
--write-baseline` do not fail `cdk synth`; new ones do; fixed ones are listed as resolved."""

from __future__ import annotations

import json
from pathlib import Path

import aws_cdk as cdk
import pytest
from aws_cdk import aws_sqs as sqs
from test_cdk_plugin import assert_plugin_failure, validate_templates

from serverless_guard.cdk import ServerlessGuard
from serverless_guard.config import config_from_mapping
from serverless_guard.errors import InputError
from serverless_guard.scan import scan
from serverless_guard.waivers.baseline import record_baseline

ONLY = {"all": "disabled", "sqs-queue-encrypted": "mandatory"}


def synth(outdir: Path, plugin: ServerlessGuard, *queues: tuple[str, bool]) -> str | None:
    """Synthesize a stack of queues (name, encrypted); the error of a failed synth, or None."""
    app = cdk.App(outdir=str(outdir), builtin_cloud_formation_validation=False)
    cdk.Validations.of(app).add_plugins(plugin)
    stack = cdk.Stack(app, "Queues")
    for name, encrypted in queues:
        encryption = sqs.QueueEncryption.KMS if encrypted else sqs.QueueEncryption.UNENCRYPTED
        sqs.Queue(stack, name, encryption=encryption)
    try:
        app.synth()
    except RuntimeError as err:
        return str(err)
    return None


def report(outdir: Path) -> dict[str, object] | None:
    """The plugin's report in validation-report.json (the CDK leaves out a plugin's report when
    it succeeded with no violation)."""
    path = outdir / "validation-report.json"
    data = json.loads(path.read_text()) if path.exists() else {"pluginReports": []}
    ours = [r for r in data["pluginReports"] if r["pluginName"] == "serverless-guard"]
    assert len(ours) <= 1
    return ours[0] if ours else None


def test_a_baseline_setting_lets_known_findings_pass_and_new_ones_fail(tmp_path: Path) -> None:
    first = tmp_path / "first"
    assert synth(first, ServerlessGuard(config=ONLY), ("Jobs", False)) is not None
    baseline = tmp_path / "baseline.json"
    record_baseline(scan([str(first)], config_from_mapping(ONLY)), str(baseline))

    guard = tmp_path / "guard.json"
    guard.write_text(json.dumps({**ONLY, "serverless-guard": {"baseline": "baseline.json"}}))
    known = tmp_path / "known"
    plugin = ServerlessGuard(config=str(guard))
    assert synth(known, plugin, ("Jobs", False)) is None
    assert plugin.evaluation is not None
    (finding,) = plugin.evaluation.findings
    assert finding.suppression is not None
    assert (finding.suppression.source, finding.suppression.reason) == ("baseline", "baseline")
    assert plugin.evaluation.metadata["suppressed"] == "1"
    assert report(known) is None  # nothing to report to the CDK

    changed = tmp_path / "changed"
    plugin = ServerlessGuard(config=str(guard))
    error = synth(changed, plugin, ("Jobs", True), ("Audit", False))
    assert error is not None
    assert "Queues/Audit/Resource" in error
    failed = report(changed)
    assert failed is not None
    metadata = failed["metadata"]
    assert isinstance(metadata, dict)
    assert metadata["resolved 1"].startswith("baseline entry sqs-queue-encrypted on Jobs")


def test_a_defective_baseline_fails_the_validation(tmp_path: Path) -> None:
    """As a configuration error does: one fatal message, never a traceback or a pass."""
    broken = tmp_path / "baseline.json"
    broken.write_text('{"version": 1, "findings": [{"rule": "x"}]}')
    template = tmp_path / "S.template.json"
    template.write_text('{"Resources": {}}')
    plugin = ServerlessGuard(config={"serverless-guard": {"baseline": str(broken)}})
    assert_plugin_failure(validate_templates(plugin, template), "needs a `resource`")
    with pytest.raises(InputError, match="needs a `resource`"):
        _ = plugin.config
