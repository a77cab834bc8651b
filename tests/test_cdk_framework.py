"""Resources aws-cdk-lib adds on its own are reported as suppressed, "created by aws-cdk-lib",
in the plugin and in `scan cdk.out` alike; `framework_resources: "check"` judges them.

One real app is synthesized with every feature that adds such resources (auto-deleted bucket
objects, bucket notifications, log retention, an `AwsCustomResource`, the custom-resource
`Provider` framework, a `BucketDeployment`, a VPC that restricts its default security group),
and one that imitates them with resources the user wrote, which are judged like any other."""

from __future__ import annotations

import contextlib
import shutil
from dataclasses import dataclass
from pathlib import Path

import aws_cdk as cdk
import pytest
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3deploy
from aws_cdk import aws_s3_notifications as s3n
from aws_cdk import custom_resources as cr
from constructs import Construct

from serverless_guard.cdk import ServerlessGuard
from serverless_guard.cdk.validate import evaluate_templates
from serverless_guard.config import config_from_mapping
from serverless_guard.findings import Finding
from serverless_guard.scan import scan

INLINE = lambda_.Code.from_inline("def handler(event, context):\n    return None\n")
CHECK = {"serverless-guard": {"framework_resources": "check"}}

# Each feature: the construct (directly under the stack) whose resources aws-cdk-lib made.
KINDS = {
    "auto-delete-objects provider": "Fw/Custom::S3AutoDeleteObjectsCustomResourceProvider/",
    "bucket-notifications handler": "Fw/BucketNotificationsHandler050a0587b7544547bf325f094a3db8"
    "34/",
    "log-retention function": "Fw/LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a/",
    "AwsCustomResource provider": "Fw/AWS679f53fac002430cb0da5b7982bd2287/",
    "custom-resource Provider framework": "Fw/Provider/framework-",
    "BucketDeployment handler": "Fw/Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C/",
    "custom-resource provider": "Fw/Custom::VpcRestrictDefaultSGCustomResourceProvider/",
}
USERS_OWN = ("Fw/Uploads/", "Fw/OnUpload/", "Fw/OnEvent/")


@dataclass
class Synth:
    outdir: Path
    plugin: ServerlessGuard

    @property
    def findings(self) -> tuple[Finding, ...]:
        assert self.plugin.evaluation is not None
        return self.plugin.evaluation.findings


def function(scope: Construct, name: str, **props: object) -> lambda_.Function:
    return lambda_.Function(
        scope,
        name,
        runtime=lambda_.Runtime.PYTHON_3_12,
        handler="index.handler",
        code=INLINE,
        **props,  # type: ignore[arg-type]
    )


@pytest.fixture(scope="module")
def framework(tmp_path_factory: pytest.TempPathFactory) -> Synth:
    outdir = tmp_path_factory.mktemp("framework")
    plugin = ServerlessGuard()
    app = cdk.App(outdir=str(outdir), builtin_cloud_formation_validation=False)
    cdk.Validations.of(app).add_plugins(plugin)
    stack = cdk.Stack(app, "Fw")
    uploads = s3.Bucket(
        stack, "Uploads", auto_delete_objects=True, removal_policy=cdk.RemovalPolicy.DESTROY
    )
    on_upload = function(stack, "OnUpload", log_retention=logs.RetentionDays.ONE_YEAR)
    uploads.add_event_notification(s3.EventType.OBJECT_CREATED, s3n.LambdaDestination(on_upload))
    call = cr.AwsSdkCall(
        service="SSM",
        action="getParameter",
        parameters={"Name": "/app/setting"},
        physical_resource_id=cr.PhysicalResourceId.of("setting"),
    )
    cr.AwsCustomResource(
        stack,
        "Lookup",
        on_create=call,
        policy=cr.AwsCustomResourcePolicy.from_sdk_calls(
            resources=["arn:aws:ssm:us-east-1:123456789012:parameter/app/setting"]
        ),
    )
    provider = cr.Provider(stack, "Provider", on_event_handler=function(stack, "OnEvent"))
    cdk.CustomResource(stack, "Setting", service_token=provider.service_token)
    s3deploy.BucketDeployment(
        stack,
        "Site",
        sources=[s3deploy.Source.data("index.html", "hi")],
        destination_bucket=uploads,
    )
    ec2.Vpc(stack, "Network", max_azs=1, nat_gateways=0, restrict_default_security_group=True)
    with contextlib.suppress(RuntimeError):  # the user's own resources fail: see below
        app.synth()
    return Synth(outdir, plugin)


def under(findings: tuple[Finding, ...], prefix: str) -> list[Finding]:
    return [f for f in findings if (f.location.construct_path or "").startswith(prefix)]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_plugin_suppresses_what_aws_cdk_lib_created(framework: Synth, kind: str) -> None:
    found = under(framework.findings, KINDS[kind])
    assert found, f"no finding on the {kind}: nothing to suppress?"
    for f in found:
        assert f.location.framework == kind
        assert f.suppression is not None
        assert (f.suppression.source, f.suppression.reason) == (
            "framework",
            "created by aws-cdk-lib",
        )
    evaluation = framework.plugin.evaluation
    assert evaluation is not None
    violations = {v.construct_path for v in evaluation.violations}
    assert not {f.location.construct_path for f in found} & violations


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_scan_of_cdk_out_suppresses_them_alike(framework: Synth, kind: str) -> None:
    found = under(scan([str(framework.outdir)]).findings, KINDS[kind])
    assert found
    assert {(f.verdict, f.location.framework) for f in found} == {("suppressed", kind)}


def test_the_users_own_resources_are_judged(framework: Synth) -> None:
    for prefix in USERS_OWN:
        found = under(framework.findings, prefix)
        assert found, prefix
        assert all(f.suppression is None and f.location.framework is None for f in found)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_framework_resources_check_judges_them(framework: Synth, kind: str) -> None:
    config = config_from_mapping(CHECK)
    templates = [str(p) for p in framework.outdir.glob("*.template.json")]
    for findings in (
        evaluate_templates(templates, config).findings,
        scan([str(framework.outdir)], config).findings,
    ):
        found = under(findings, KINDS[kind])
        assert found
        assert all(f.suppression is None for f in found)


def test_without_the_construct_tree_nothing_is_taken_for_aws_cdk_lib(
    framework: Synth, tmp_path: Path
) -> None:
    copy = tmp_path / "cdk.out"
    shutil.copytree(framework.outdir, copy)
    (copy / "tree.json").unlink()
    findings = scan([str(copy)]).findings
    assert all(f.location.framework is None for f in findings)
    assert under(findings, KINDS["log-retention function"])
    assert not [f for f in findings if f.suppression is not None]


@pytest.fixture(scope="module")
def imitations(tmp_path_factory: pytest.TempPathFactory) -> list[Finding]:
    """The user's own resources under aws-cdk-lib's names: judged like any other."""
    outdir = tmp_path_factory.mktemp("imitations")
    handler = tmp_path_factory.mktemp("handler")
    (handler / "index.js").write_text("exports.handler = async () => ({});\n")
    app = cdk.App(outdir=str(outdir), builtin_cloud_formation_validation=False)
    stack = cdk.Stack(app, "Fw")
    function(stack, "AWS679f53fac002430cb0da5b7982bd2287")  # no AwsCustomResource in the stack
    function(stack, "Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C")
    function(Construct(stack, "LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a"), "Resource")
    cdk.CustomResourceProvider.get_or_create_provider(  # the public class: the user's provider
        stack,
        "Custom::S3AutoDeleteObjects",
        code_directory=str(handler),
        runtime=cdk.CustomResourceProviderRuntime.NODEJS_20_X,
        policy_statements=[{"Effect": "Allow", "Action": "*", "Resource": "*"}],
    )
    function(Construct(stack, "framework-onEvent"), "Handler")  # not under a Provider
    app.synth()
    return list(scan([str(outdir)]).findings)


def test_imitations_of_aws_cdk_lib_resources_are_judged(imitations: list[Finding]) -> None:
    assert len({f.location.construct_path for f in imitations}) >= 5
    assert all(f.location.framework is None for f in imitations)
    assert all(f.suppression is None for f in imitations)
    assert "iam-no-wildcard-actions" in {f.rule for f in imitations if f.blocking}
