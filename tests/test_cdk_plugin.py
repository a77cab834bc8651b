"""The CDK validation plugin, in process: `app.synth()` runs it on the synthesized templates.

Three apps are synthesized once each (about a second apiece once aws-cdk-lib is loaded; the
CDK's own CloudFormation validator is switched off with the App property, as it would add
seconds to each synth):

- `failing`: blocking and advisory findings, a nested stack, and two acknowledgements that are
  themselves wrong; `synth()` raises with the report, and `validation-report.json` has it all.
- `acknowledged`: every blocking finding acknowledged (on the L1 resource, on the L2 construct,
  on the stack) or suppressed by resource metadata; the synth passes, and the report lists the
  suppressed findings with their reasons and the advisory ones as warnings.
- `advisory`: only advisory findings, the configuration read from a guard.json file, and the
  plugin given through the deprecated `policy_validation_beta1` App property.

Under pytest the CDK runs "in memory" (it sees `PYTEST_VERSION`), so the exception carries the
whole report; under the CDK CLI the report goes to stderr (see test_cdk_cli.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sqs as sqs

from serverless_guard.catalog import BY_ID
from serverless_guard.catalog.rule import Enforcement, Outcome, Severity
from serverless_guard.cdk import ServerlessGuard
from serverless_guard.cdk.validate import (
    cdk_severity,
    description,
    evaluate_templates,
    locations,
)
from serverless_guard.config import Config, config_from_mapping
from serverless_guard.engines.cloudformation.assembly import Acknowledgement, read_stack
from serverless_guard.errors import ConfigError
from serverless_guard.findings import Finding, Location, Suppression
from serverless_guard.waivers import Waivers, assembly_waivers

HANDLER = "def handler(event, context):\n    return None\n"
REASON = "Served to the public by design; reviewed by the security team"
CDK_OUT_FIXTURE = Path(__file__).parent / "fixtures" / "cdk_out"


@dataclass
class Synth:
    outdir: Path
    plugin: ServerlessGuard
    error: str | None

    @property
    def report(self) -> dict[str, Any]:
        data = json.loads((self.outdir / "validation-report.json").read_text())
        reports = [r for r in data["pluginReports"] if r["pluginName"] == "serverless-guard"]
        assert len(reports) == 1, data
        report: dict[str, Any] = reports[0]
        return report

    def violations(self, rule: str, key: str = "violations") -> list[dict[str, Any]]:
        return [v for v in self.report.get(key) or [] if v["ruleName"] == rule]


def app(outdir: Path, **props: Any) -> cdk.App:
    return cdk.App(outdir=str(outdir), builtin_cloud_formation_validation=False, **props)


def function(scope: Any, name: str) -> lambda_.Function:
    return lambda_.Function(
        scope,
        name,
        runtime=lambda_.Runtime.PYTHON_3_12,
        handler="index.handler",
        code=lambda_.Code.from_inline(HANDLER),
    )


def synthesize(root: cdk.App, outdir: Path, plugin: ServerlessGuard) -> Synth:
    try:
        root.synth()
    except RuntimeError as err:
        return Synth(outdir, plugin, str(err))
    return Synth(outdir, plugin, None)


@pytest.fixture(scope="module")
def failing(tmp_path_factory: pytest.TempPathFactory) -> Synth:
    outdir = tmp_path_factory.mktemp("failing")
    plugin = ServerlessGuard()
    root = app(outdir)
    cdk.Validations.of(root).add_plugins(plugin)
    stack = cdk.Stack(root, "Failing")
    bucket = s3.Bucket(stack, "Documents")
    function(stack, "Handler")
    nested = cdk.NestedStack(stack, "Nested")
    sqs.Queue(nested, "Work", encryption=sqs.QueueEncryption.UNENCRYPTED)
    cdk.Validations.of(bucket).acknowledge(
        cdk.Acknowledgment(id="serverless-guard::s3-bucket-tls-only", reason="later")
    )
    cdk.Validations.of(root).acknowledge(
        cdk.Acknowledgment(id="serverless-guard::no-such-rule", reason="A typo in the rule id")
    )
    return synthesize(root, outdir, plugin)


@pytest.fixture(scope="module")
def acknowledged(tmp_path_factory: pytest.TempPathFactory) -> Synth:
    outdir = tmp_path_factory.mktemp("acknowledged")
    plugin = ServerlessGuard()
    root = app(outdir)
    cdk.Validations.of(root).add_plugins(plugin)
    stack = cdk.Stack(root, "Acked")
    public = s3.Bucket(stack, "Public")
    cdk.Validations.of(public).acknowledge(  # on the L2 construct
        cdk.Acknowledgment(id="serverless-guard::s3-bucket-public-access-blocked", reason=REASON)
    )
    assert public.node.default_child is not None
    cdk.Validations.of(public.node.default_child).acknowledge(  # on the L1 resource
        cdk.Acknowledgment(id="serverless-guard::s3-bucket-tls-only", reason=REASON)
    )
    sqs.Queue(stack, "Work", encryption=sqs.QueueEncryption.UNENCRYPTED)
    cdk.Validations.of(stack).acknowledge(  # on the stack
        cdk.Acknowledgment(
            id="serverless-guard::sqs-queue-encrypted", reason="Holds only public catalog data"
        )
    )
    stage = cdk.Stage(root, "Prod")
    sqs.Queue(cdk.Stack(stage, "Data"), "Jobs", encryption=sqs.QueueEncryption.UNENCRYPTED)
    cdk.Validations.of(stage).acknowledge(  # on a stage
        cdk.Acknowledgment(
            id="serverless-guard::sqs-queue-encrypted", reason="Test data only, wiped nightly"
        )
    )
    legacy = s3.Bucket(stack, "Legacy")
    cfn_legacy = legacy.node.default_child
    assert isinstance(cfn_legacy, s3.CfnBucket)
    cfn_legacy.add_metadata(
        "serverless-guard",
        {
            "suppress": [
                {"id": "s3-bucket-public-access-blocked", "reason": "Website bucket, public"},
                {"id": "s3-bucket-tls-only", "reason": "Old clients fetch over plain HTTP"},
            ]
        },
    )
    return synthesize(root, outdir, plugin)


@pytest.fixture(scope="module")
def advisory(tmp_path_factory: pytest.TempPathFactory) -> Synth:
    outdir = tmp_path_factory.mktemp("advisory")
    guard_json = outdir.parent / "advisory-guard.json"
    guard_json.write_text(json.dumps({"lambda-tracing-active": "disabled"}))
    plugin = ServerlessGuard(config=str(guard_json))
    root = app(outdir, policy_validation_beta1=[plugin])
    function(cdk.Stack(root, "Quiet"), "Handler")
    return synthesize(root, outdir, plugin)


# --- failing -------------------------------------------------------------------------------


def test_blocking_findings_fail_the_synth_with_the_report(failing: Synth) -> None:
    assert failing.error is not None
    assert "ValidationFailed" in failing.error
    assert "[s3-bucket-public-access-blocked, high, mandatory]" in failing.error
    assert "Failing/Documents/Resource" in failing.error
    assert "Acknowledge with 'serverless-guard::s3-bucket-public-access-blocked'" in failing.error
    assert failing.report["conclusion"] == "failure"


def test_a_violation_names_rule_construct_logical_id_template_and_fix(failing: Synth) -> None:
    (violation,) = failing.violations("s3-bucket-public-access-blocked")
    rule = BY_ID["s3-bucket-public-access-blocked"]
    assert violation["severity"] == "error"
    assert violation["description"].startswith(
        f"[s3-bucket-public-access-blocked, high, mandatory] {rule.title}: bucket Documents"
    )
    assert violation["suggestedFix"].startswith(rule.remediation.cdk)
    assert rule.references[0] in violation["suggestedFix"]
    assert violation["ruleMetadata"]["enforcement"] == "mandatory"
    assert violation["ruleMetadata"]["blocking"] == "true"
    (construct,) = violation["violatingConstructs"]
    assert construct["constructPath"] == "Failing/Documents/Resource"
    assert construct["constructFqn"] == "aws-cdk-lib.aws_s3.CfnBucket"
    resource = construct["cloudFormationResource"]
    assert resource["templatePath"] == "Failing.template.json"
    assert resource["logicalId"].startswith("Documents")


def test_advisory_findings_are_warnings_marked_advisory(failing: Synth) -> None:
    (violation,) = failing.violations("s3-bucket-encryption-kms")
    assert violation["severity"] == "warning"
    assert violation["description"].startswith("[s3-bucket-encryption-kms, medium, advisory] ")
    assert violation["ruleMetadata"]["blocking"] == "false"
    assert failing.violations("lambda-tracing-active")[0]["severity"] == "warning"


def test_nested_stack_templates_are_evaluated(failing: Synth) -> None:
    (violation,) = failing.violations("sqs-queue-encrypted")
    (construct,) = violation["violatingConstructs"]
    assert construct["constructPath"] == "Failing/Nested/Work/Resource"
    assert construct["cloudFormationResource"]["templatePath"].endswith(".nested.template.json")
    assert construct["cloudFormationResource"]["propertyPaths"] == ["Properties.KmsMasterKeyId"]


def test_wrong_acknowledgements_are_fatal_findings(failing: Synth) -> None:
    problems = failing.violations("invalid-suppression")
    assert {v["severity"] for v in problems} == {"fatal"}
    texts = " | ".join(v["description"] for v in problems)
    assert (
        "'serverless-guard::s3-bucket-tls-only' on Failing/Documents suppresses nothing: "
        "needs a reason of at least 10 visible characters" in texts
    )
    assert "'serverless-guard::no-such-rule' on the app suppresses nothing: names unknown" in texts
    assert all("acknowledge(" in v["suggestedFix"] for v in problems)


def test_a_wrong_acknowledgement_suppresses_nothing_not_even_for_the_cdk(failing: Synth) -> None:
    """The CDK applies an acknowledgement whatever its reason, except to a `fatal` violation:
    the finding the short-reasoned acknowledgement would silence is sent as `fatal`."""
    assert not failing.violations("s3-bucket-tls-only", "suppressedViolations")
    (violation,) = failing.violations("s3-bucket-tls-only")
    assert violation["severity"] == "fatal"
    assert (
        "acknowledgement 'serverless-guard::s3-bucket-tls-only' on Failing/Documents"
        in (violation["description"])
    )
    evaluation = failing.plugin.evaluation
    assert evaluation is not None
    (finding,) = [f for f in evaluation.findings if f.rule == "s3-bucket-tls-only"]
    assert finding.suppression is None
    assert finding.blocking


def test_the_plugin_keeps_every_finding_of_the_last_validation(failing: Synth) -> None:
    evaluation = failing.plugin.evaluation
    assert evaluation is not None
    assert not evaluation.success
    assert {"Failing.template.json"} < {Path(t).name for t in evaluation.templates}
    assert len(evaluation.templates) == 2  # the stack and its nested stack
    assert ("s3-bucket-tls-only", "Documents") in {
        (f.rule, f.resource[: len("Documents")]) for f in evaluation.findings
    }


# --- acknowledged --------------------------------------------------------------------------


def test_acknowledged_findings_do_not_fail_the_synth(acknowledged: Synth) -> None:
    assert acknowledged.error is None
    assert acknowledged.report["conclusion"] == "success"
    assert not [v for v in acknowledged.report["violations"] if v["severity"] == "error"]
    assert acknowledged.report["metadata"]["blocking"] == "0"
    evaluation = acknowledged.plugin.evaluation
    assert evaluation is not None
    assert evaluation.success
    queues = {
        f.location.construct_path: f.suppression
        for f in evaluation.findings
        if f.rule == "sqs-queue-encrypted"
    }
    assert queues == {
        "Acked/Work/Resource": Suppression(
            "sqs-queue-encrypted", "Holds only public catalog data", "acknowledgement"
        ),
        "Prod/Data/Jobs/Resource": Suppression(
            "sqs-queue-encrypted", "Test data only, wiped nightly", "acknowledgement"
        ),
    }


@pytest.mark.parametrize(
    ("rule", "acknowledged_at", "construct"),
    [
        ("s3-bucket-public-access-blocked", "Acked/Public", "Acked/Public/Resource"),
        ("s3-bucket-tls-only", "Acked/Public/Resource", "Acked/Public/Resource"),
        ("sqs-queue-encrypted", "Acked", "Acked/Work/Resource"),
        ("sqs-queue-encrypted", "Prod", "Prod/Data/Jobs/Resource"),
    ],
    ids=["l2-construct", "l1-resource", "stack", "stage"],
)
def test_acknowledged_findings_are_reported_as_suppressed_with_the_reason(
    acknowledged: Synth, rule: str, acknowledged_at: str, construct: str
) -> None:
    (suppressed,) = [
        v
        for v in acknowledged.violations(rule, "suppressedViolations")
        if v["acknowledgedAt"] == acknowledged_at
    ]
    assert suppressed["acknowledgedId"] == f"serverless-guard::{rule}"
    assert suppressed["acknowledgedAt"] == acknowledged_at
    assert suppressed["reason"]
    assert suppressed["severity"] == "error"  # what it would be without the acknowledgement
    assert [c["constructPath"] for c in suppressed["violatingConstructs"]] == [construct]


def test_advisory_findings_stay_listed_next_to_acknowledged_ones(acknowledged: Synth) -> None:
    warnings = acknowledged.violations("sqs-queue-dlq")
    assert len(warnings) == 2
    assert {v["severity"] for v in warnings} == {"warning"}


def test_resource_metadata_suppressions_are_listed_with_their_reason(acknowledged: Synth) -> None:
    metadata = acknowledged.report["metadata"]
    assert metadata["suppressed"] == "2"
    assert metadata["acknowledged"] == "4"
    listed = [v for k, v in metadata.items() if k.startswith("suppressed ")]
    assert any(
        v.startswith("s3-bucket-tls-only on Acked/Legacy/Resource (Legacy")
        and v.endswith(": Old clients fetch over plain HTTP")
        for v in listed
    )
    legacy = [
        c["constructPath"]
        for v in acknowledged.report["violations"]
        for c in v["violatingConstructs"]
        if v["severity"] == "error"
    ]
    assert legacy == []


# --- advisory only, guard.json, beta1 App property -----------------------------------------


def test_an_app_with_only_advisory_findings_synthesizes(advisory: Synth) -> None:
    assert advisory.error is None
    report = advisory.report
    assert report["conclusion"] == "success"
    rules = {v["ruleName"] for v in report["violations"]}
    assert "lambda-log-retention" in rules
    assert {v["severity"] for v in report["violations"]} == {"warning"}


def test_the_configuration_file_applies(advisory: Synth) -> None:
    assert "lambda-tracing-active" not in {v["ruleName"] for v in advisory.report["violations"]}
    assert "lambda-tracing-active" not in advisory.plugin.rule_ids


# --- no synth ------------------------------------------------------------------------------


def test_configuration_from_a_mapping_and_rule_ids() -> None:
    plugin = ServerlessGuard(config={"lambda-in-vpc": "advisory"})
    assert plugin.name == "serverless-guard"
    assert plugin.version
    assert "lambda-in-vpc" in plugin.rule_ids
    assert "lambda-in-vpc" not in ServerlessGuard().rule_ids
    assert plugin.config.enforcement(BY_ID["lambda-in-vpc"]) is Enforcement.ADVISORY


def validate_templates(plugin: ServerlessGuard, *paths: Path) -> cdk.PolicyValidationPluginReport:
    """`plugin.validate` as the CDK calls it, on templates of no assembly."""
    root = SimpleNamespace(node=SimpleNamespace(metadata=[]))
    context = SimpleNamespace(template_paths=[str(p) for p in paths], app_construct=root)
    return plugin.validate(context)  # type: ignore[arg-type]


def assert_plugin_failure(report: cdk.PolicyValidationPluginReport, message: str) -> None:
    """A failed report with one fatal violation that says why; the CDK CLI would count a failed
    report without violations as a success."""
    assert report.success is False
    (violation,) = report.violations
    assert violation.severity == "fatal"
    assert violation.rule_name == "plugin-error"
    assert message in violation.description
    assert [r.construct_path for r in violation.violating_resources] == [None]
    assert report.metadata is not None
    assert message in report.metadata["error"]


def test_a_configuration_that_does_not_fit_the_catalog_fails_the_validation(
    tmp_path: Path,
) -> None:
    template = tmp_path / "S.template.json"
    template.write_text('{"Resources": {}}')
    typo = ServerlessGuard(config={"lamda-in-vpc": "advisory"})
    assert_plugin_failure(
        validate_templates(typo, template),
        "unknown rule id 'lamda-in-vpc' (did you mean lambda-in-vpc?)",
    )
    with pytest.raises(ConfigError, match="unknown rule id 'lamda-in-vpc'"):
        _ = typo.config
    missing = ServerlessGuard(config="does-not-exist/guard.json")
    assert_plugin_failure(validate_templates(missing, template), "no such file")


def test_an_unreadable_template_is_a_plugin_failure_not_a_pass(tmp_path: Path) -> None:
    broken = tmp_path / "Broken.template.json"
    broken.write_text('{"Resources": {"X": {"Type": 3}}}')
    report = validate_templates(ServerlessGuard(), broken)
    assert_plugin_failure(report, "resource X has a Type that is not a string")
    assert report.violations[0].violating_resources[0].template_path == str(broken)


def test_a_bug_of_the_plugin_fails_the_validation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    template = tmp_path / "S.template.json"
    template.write_text('{"Resources": {}}')

    def broken(*_args: object) -> None:
        raise KeyError("oops")

    monkeypatch.setattr("serverless_guard.cdk.plugin.evaluate_stacks", broken)
    report = validate_templates(ServerlessGuard(), template)
    assert_plugin_failure(report, "internal error: KeyError: 'oops'")


def test_each_validation_writes_its_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = tmp_path / "S.template.json"
    template.write_text(
        json.dumps({"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {}}}})
    )
    report = validate_templates(ServerlessGuard(), template)
    line = "1 blocking, 2 advisory, 0 suppressed (1 template, 1 resource)"
    assert capsys.readouterr().err == f"serverless-guard: {line}\n"
    assert report.metadata is not None
    assert report.metadata["summary"] == line
    assert len(report.violations) == 3


BANNER_SWITCH = "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"
IMPORT_PLUGIN_FIRST = (
    "import os\n"
    "from serverless_guard.cdk import ServerlessGuard\n"
    "import aws_cdk\n"
    f"print(repr(os.environ.get('{BANNER_SWITCH}')))\n"
)


def python_without_banner_switch(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k != BANNER_SWITCH}
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )


def test_the_plugin_silences_jsii_node_end_of_life_banner() -> None:
    """Imported before aws_cdk, it lists the installed Node's major version in the variable
    jsii reads when it starts, as the Makefile does; a value the user set is kept."""
    node = subprocess.run(["node", "--version"], capture_output=True, text=True, check=True)
    major = node.stdout.strip().removeprefix("v").split(".")[0]
    done = python_without_banner_switch(IMPORT_PLUGIN_FIRST)
    assert done.stdout.strip() == repr(major)
    assert "end-of-life" not in done.stderr
    kept = python_without_banner_switch(IMPORT_PLUGIN_FIRST, **{BANNER_SWITCH: ""})
    assert kept.stdout.strip() == repr("")


def finding(**changes: Any) -> Finding:
    values: dict[str, Any] = {
        "rule": "lambda-runtime-supported",
        "title": "Lambda functions use a runtime that AWS has not deprecated",
        "severity": Severity.HIGH,
        "enforcement": Enforcement.MANDATORY,
        "outcome": Outcome.FAIL,
        "resource": "Fn",
        "resource_type": "AWS::Lambda::Function",
        "message": "function Fn uses python3.7",
        "at": ("Runtime",),
        "location": Location(file="cdk.out/S.template.json", construct_path="S/Fn/Resource"),
    }
    values.update(changes)
    return Finding(**values)


@pytest.mark.parametrize(
    ("changes", "severity"),
    [
        ({}, "error"),
        ({"enforcement": Enforcement.ADVISORY}, "warning"),
        ({"outcome": Outcome.ERROR}, "error"),
        ({"outcome": Outcome.ERROR, "enforcement": Enforcement.ADVISORY}, "warning"),
        ({"outcome": Outcome.UNKNOWN}, "info"),
        ({"outcome": Outcome.UNKNOWN, "strict_unknowns": True}, "error"),
        ({"rule": "invalid-suppression", "outcome": Outcome.ERROR}, "fatal"),
    ],
    ids=[
        "mandatory-fail",
        "advisory-fail",
        "mandatory-error",
        "advisory-error",
        "unknown",
        "strict-unknown",
        "invalid-suppression",
    ],
)
def test_cdk_severity_says_what_a_finding_does_to_the_synth(
    changes: dict[str, Any], severity: str
) -> None:
    assert cdk_severity(finding(**changes)) == severity


def test_description_and_locations() -> None:
    assert description(finding()) == (
        "[lambda-runtime-supported, high, mandatory] Lambda functions use a runtime that AWS has "
        "not deprecated: function Fn uses python3.7"
    )
    unknown = finding(outcome=Outcome.UNKNOWN, message="cannot be checked before deployment")
    assert description(unknown).startswith(
        "[lambda-runtime-supported, high, mandatory, unknown until deployment] "
    )
    assert locations(finding(at=("Policies", 0, "PolicyDocument"))) == (
        "Properties.Policies.0.PolicyDocument",
    )
    assert locations(finding(at=())) == ()


def test_acknowledgements_of_other_plugins_are_not_ours_to_judge() -> None:
    acks = [
        Acknowledgement("S/Fn", "serverless-guard::lambda-in-vpc", "Calls only public AWS APIs"),
        Acknowledgement("S/Fn", "serverless-guard::lambda-in-vpc", "short"),
        Acknowledgement("S", "serverless-guard::nope", "A reason long enough"),
        Acknowledgement("S", "AwsSolutions::Lambda1", "x"),
        Acknowledgement("", "Annotation::SomeWarning", ""),
    ]
    problems = Waivers(assembly_waivers(acks)).defects()
    assert [(p.resource, p.message.split("'")[1]) for p in problems] == [
        ("S/Fn", "serverless-guard::lambda-in-vpc"),
        ("S", "serverless-guard::nope"),
    ]
    assert all(p.blocking and p.location.construct_path for p in problems)


def test_read_stack_finds_construct_paths_in_the_manifest() -> None:
    template = str(CDK_OUT_FIXTURE / "ApiStack.template.json")
    stack = read_stack(template)
    assert stack.construct_path == "ApiStack"
    assert stack.construct_paths[template]["Handler886CB40B"] == "ApiStack/Handler/Resource"
    lonely = read_stack(str(CDK_OUT_FIXTURE / "assembly-Prod" / "nowhere.template.json"))
    assert lonely.construct_path is None
    assert lonely.nested_templates == ()


def test_read_stack_finds_nested_stacks_and_acknowledgements(tmp_path: Path) -> None:
    (tmp_path / "S.template.json").write_text(json.dumps({"Resources": {}}))
    (tmp_path / "S.metadata.json").write_text(
        json.dumps(
            {
                "/S": [{"type": "aws:cdk:templateFile", "data": "S.template.json"}],
                "/S/Inner": [
                    {"type": "aws:cdk:templateFile", "data": "SInner.nested.template.json"}
                ],
                "/S/Inner/Queue/Resource": [{"type": "aws:cdk:logicalId", "data": "Queue"}],
                "/S/Fn": [
                    {
                        "type": "aws:cdk:acknowledged-rules",
                        "data": {"serverless-guard::lambda-in-vpc": "Calls public AWS APIs"},
                        "trace": ["..."],
                    }
                ],
            }
        )
    )
    (tmp_path / "manifest.json").write_text(
        json.dumps(
            {
                "artifacts": {
                    "S": {
                        "type": "aws:cloudformation:stack",
                        "properties": {"templateFile": "S.template.json"},
                        "additionalMetadataFile": "S.metadata.json",
                    }
                }
            }
        )
    )
    stack = read_stack(str(tmp_path / "S.template.json"))
    assert stack.construct_path == "S"
    nested = str(tmp_path / "SInner.nested.template.json")
    assert stack.nested_templates == (nested,)
    assert stack.construct_paths[nested] == {"Queue": "S/Inner/Queue/Resource"}
    assert stack.acknowledgements == (
        Acknowledgement("S/Fn", "serverless-guard::lambda-in-vpc", "Calls public AWS APIs"),
    )


def test_evaluate_templates_honours_metadata_suppressions(tmp_path: Path) -> None:
    template = tmp_path / "S.template.json"
    template.write_text(
        json.dumps(
            {
                "Resources": {
                    "Queue": {
                        "Type": "AWS::SQS::Queue",
                        "Metadata": {
                            "aws:cdk:path": "S/Queue/Resource",
                            "serverless-guard": {
                                "suppress": [
                                    {"id": "sqs-queue-encrypted", "reason": "Public catalog data"}
                                ]
                            },
                        },
                    }
                }
            }
        )
    )
    config = config_from_mapping({"sqs-queue-dlq": "disabled", "sqs-queue-tls-only": "disabled"})
    evaluation = evaluate_templates([str(template)], config)
    assert evaluation.success
    assert evaluation.violations == ()
    (only,) = evaluation.findings
    assert only.suppression == Suppression("sqs-queue-encrypted", "Public catalog data")
    assert evaluation.metadata["suppressed 1"] == (
        "sqs-queue-encrypted on S/Queue/Resource (Queue) (metadata): Public catalog data"
    )


def test_the_report_fails_unless_the_cdk_itself_applies_the_acknowledgements(
    tmp_path: Path,
) -> None:
    template = tmp_path / "S.template.json"
    template.write_text(
        json.dumps(
            {
                "Resources": {
                    "Queue": {
                        "Type": "AWS::SQS::Queue",
                        "Metadata": {"aws:cdk:path": "S/Queue/Resource"},
                    }
                }
            }
        )
    )
    ack = Acknowledgement("S", "serverless-guard::sqs-queue-encrypted", "Public catalog data")
    evaluation = evaluate_templates([str(template)], Config(), [ack])
    (queue,) = [f for f in evaluation.findings if f.rule == "sqs-queue-encrypted"]
    assert queue.suppression == Suppression(
        "sqs-queue-encrypted", "Public catalog data", "acknowledgement"
    )
    assert evaluation.success
    assert not evaluation.report_success
    (violation,) = [v for v in evaluation.violations if v.rule_name == "sqs-queue-encrypted"]
    assert violation.severity == "error"
    assert violation.construct_path == "S/Queue/Resource"
    assert "suppressed 1" not in evaluation.metadata
