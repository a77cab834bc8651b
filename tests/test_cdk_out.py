"""CDK cloud assemblies: every stack template (nested assemblies and nested stacks included),
construct paths on findings, file names as the user named the folder, malformed manifests.

`tests/fixtures/cdk_out/` is a hand-written assembly shaped like `cdk synth` output: a stack
with a nested stack (whose construct acknowledges a rule in the stack's metadata), and a Stage
(`assembly-Prod/`) with its own manifest. The last tests
synthesize a real app with aws-cdk-lib once (about 10 s: jsii starts Node) in a subprocess.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from serverless_guard.engines.cloudformation.cdk_out import is_cloud_assembly
from serverless_guard.engines.cloudformation.stack import load_paths
from serverless_guard.errors import InputError
from serverless_guard.findings import Finding, Suppression
from serverless_guard.scan import scan

FIXTURE = Path(__file__).parent / "fixtures" / "cdk_out"
API = "ApiStack.template.json"
NESTED = "ApiStackStorage2AAD783E.nested.template.json"
PROD = "assembly-Prod/ProdDataStack7C4E2A90.template.json"


def by_rule_and_resource(findings: tuple[Finding, ...]) -> dict[tuple[str, str], Finding]:
    return {(f.rule, f.resource): f for f in findings}


def test_scans_every_stack_template_with_names_as_the_user_gave_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(FIXTURE.parent)
    for given in ("cdk_out", "cdk_out/", "./cdk_out"):
        stacks = load_paths([given])
        prefix = given.rstrip("/")
        assert sorted(s.file for s in stacks) == sorted(
            f"{prefix}/{name}" for name in (API, NESTED, PROD)
        )


def test_findings_carry_construct_paths() -> None:
    result = scan([str(FIXTURE)])
    assert result.findings
    for finding in result.findings:
        assert finding.location.construct_path, finding
        assert finding.location.line, finding
        assert finding.location.file in {str(FIXTURE / n) for n in (API, NESTED, PROD)}
    found = by_rule_and_resource(result.findings)
    expected = {
        ("lambda-env-encrypted", "Handler886CB40B"): (API, "ApiStack/Handler/Resource"),
        ("sqs-queue-encrypted", "JobsQueueE4A1B2C3"): (
            NESTED,
            "ApiStack/Storage/JobsQueue/Resource",
        ),
        ("dynamodb-table-encryption-kms", "TableCD117FA1"): (
            PROD,
            "Prod/DataStack/Table/Resource",
        ),
    }
    for key, (file, construct_path) in expected.items():
        assert key in found, sorted(found)
        assert found[key].location.file == str(FIXTURE / file)
        assert found[key].location.construct_path == construct_path


def test_every_resource_is_counted_and_cdk_metadata_is_harmless() -> None:
    stacks = {Path(s.file).name: s for s in load_paths([str(FIXTURE)])}
    api = stacks[API]
    assert api.origins["CDKMetadata"].construct_path == "ApiStack/CDKMetadata/Default"
    assert all(fact.id != "CDKMetadata" for fact in api.facts)
    assert len(api.origins) == 7
    assert scan([str(FIXTURE)]).resources == 7 + 2 + 3


def copy_fixture(tmp_path: Path) -> Path:
    target = tmp_path / "cdk.out"
    shutil.copytree(FIXTURE, target)
    return target


def test_acknowledged_findings_are_suppressed_with_the_reason() -> None:
    """`Validations.of(storage).acknowledge(...)` on the nested stack's construct covers the
    queue inside it, as the CDK validation plugin matches acknowledgements."""
    result = scan([str(FIXTURE)])
    found = by_rule_and_resource(result.findings)
    queue = found[("sqs-queue-encrypted", "JobsQueueE4A1B2C3")]
    assert queue.suppression == Suppression(
        "sqs-queue-encrypted", "Holds only job ids, no customer data", "acknowledgement"
    )
    assert not queue.blocking
    assert found[("sqs-queue-dlq", "JobsQueueE4A1B2C3")].suppression is None
    assert not result.blocking
    assert not [f for f in result.findings if f.rule == "invalid-suppression"]


def acknowledge(construct: str, rules: dict[str, str]) -> Edit:
    """Acknowledgements on a construct of the Stage's stack, as the CDK records them."""

    def apply(assembly: Path) -> None:
        manifest_file = assembly / "assembly-Prod" / "manifest.json"
        manifest = json.loads(manifest_file.read_text())
        metadata = artifacts(manifest)["ProdDataStack7C4E2A90"]["metadata"]
        metadata[f"/{construct}"] = [{"type": "aws:cdk:acknowledged-rules", "data": rules}]
        manifest_file.write_text(json.dumps(manifest))

    return apply


def test_acknowledgements_apply_in_nested_assemblies_to_their_construct_and_below(
    tmp_path: Path,
) -> None:
    assembly = copy_fixture(tmp_path)
    acknowledge("Prod/DataStack/Table", {"serverless-guard::dynamodb-pitr": "Rebuilt nightly"})(
        assembly
    )
    found = by_rule_and_resource(scan([str(assembly)]).findings)
    pitr = found[("dynamodb-pitr", "TableCD117FA1")].suppression
    assert pitr == Suppression("dynamodb-pitr", "Rebuilt nightly", "acknowledgement")
    assert found[("dynamodb-table-encryption-kms", "TableCD117FA1")].suppression is None
    assert found[("sns-topic-tls-only", "AlertsTopic2F3A8C1B")].suppression is None


def test_invalid_acknowledgements_are_invalid_suppression_errors(tmp_path: Path) -> None:
    assembly = copy_fixture(tmp_path)
    acknowledge(
        "Prod/DataStack/Table",
        {
            "serverless-guard::no-such-rule": "A typo in the rule id",
            "serverless-guard::dynamodb-pitr": "later",
            "other-plugin::whatever": "?",  # another plugin's: not ours to judge
        },
    )(assembly)
    result = scan([str(assembly)])
    invalid = sorted(
        (f for f in result.findings if f.rule == "invalid-suppression"), key=lambda f: f.message
    )
    assert [f.message for f in invalid] == [
        "acknowledgement 'serverless-guard::dynamodb-pitr' on Prod/DataStack/Table suppresses "
        "nothing: needs a reason of at least 10 visible characters",
        "acknowledgement 'serverless-guard::no-such-rule' on Prod/DataStack/Table suppresses "
        "nothing: names unknown rule 'no-such-rule'",
    ]
    assert all(f.outcome.value == "error" and f.blocking for f in invalid)
    assert all(f.location.construct_path == "Prod/DataStack/Table" for f in invalid)
    assert result.blocking
    found = by_rule_and_resource(result.findings)
    assert found[("dynamodb-pitr", "TableCD117FA1")].suppression is None


def test_construct_paths_from_manifest_metadata_when_templates_lack_them(tmp_path: Path) -> None:
    """Synthesized without the CDK CLI, templates carry no `aws:cdk:path`: the stack
    artifact's `aws:cdk:logicalId` metadata gives the paths instead."""
    assembly = copy_fixture(tmp_path)
    template = assembly / PROD
    data = json.loads(template.read_text())
    for body in data["Resources"].values():
        body.pop("Metadata")
    template.write_text(json.dumps(data, indent=1))
    stack = next(s for s in load_paths([str(assembly)]) if s.file.endswith(PROD))
    assert stack.origins["TableCD117FA1"].construct_path == "Prod/DataStack/Table/Resource"
    assert stack.origins["AlertsTopic2F3A8C1B"].construct_path == (
        "Prod/DataStack/AlertsTopic/Resource"
    )


def test_construct_paths_from_an_additional_metadata_file(tmp_path: Path) -> None:
    """Newer CDK versions move artifact metadata into `<Stack>.metadata.json`."""
    assembly = copy_fixture(tmp_path)
    manifest = json.loads((assembly / "manifest.json").read_text())
    artifact = manifest["artifacts"]["ApiStack"]
    metadata = artifact.pop("metadata")
    metadata["/ApiStack"] = [{"type": "aws:cdk:templateFile", "data": API}]
    metadata["/ApiStack/Storage"] = [{"type": "aws:cdk:templateFile", "data": NESTED}]
    artifact["additionalMetadataFile"] = "ApiStack.metadata.json"
    (assembly / "ApiStack.metadata.json").write_text(json.dumps(metadata))
    (assembly / "manifest.json").write_text(json.dumps(manifest))
    for name in (API, NESTED):
        data = json.loads((assembly / name).read_text())
        for body in data["Resources"].values():
            body.pop("Metadata", None)
        (assembly / name).write_text(json.dumps(data))
    stacks = {Path(s.file).name: s for s in load_paths([str(assembly)])}
    assert stacks[API].origins["Handler886CB40B"].construct_path == "ApiStack/Handler/Resource"
    assert stacks[API].origins["CDKMetadata"].construct_path == "ApiStack/CDKMetadata/Default"
    assert stacks[NESTED].origins["JobsQueueE4A1B2C3"].construct_path == (
        "ApiStack/Storage/JobsQueue/Resource"
    )


def test_an_assembly_inside_a_project_folder_is_found_once(tmp_path: Path) -> None:
    copy_fixture(tmp_path)
    (tmp_path / "template.yaml").write_text("Resources:\n  Q: {Type: AWS::SQS::Queue}\n")
    (tmp_path / "package.json").write_text('{"name": "app"}')
    stacks = load_paths([str(tmp_path)])
    names = sorted(os.path.relpath(s.file, tmp_path) for s in stacks)
    assert names == sorted(["template.yaml", *(f"cdk.out/{n}" for n in (API, NESTED, PROD))])


def test_a_web_app_manifest_does_not_make_a_cloud_assembly(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text('{"name": "app", "start_url": "/", "icons": []}')
    (tmp_path / "stack.yaml").write_text("Resources:\n  Q: {Type: AWS::SQS::Queue}\n")
    assert not is_cloud_assembly(str(tmp_path))
    assert [s.file for s in load_paths([str(tmp_path)])] == [str(tmp_path / "stack.yaml")]


Edit = Callable[[Path], None]


def edit_manifest(change: Callable[[dict[str, Any]], object]) -> Edit:
    def apply(assembly: Path) -> None:
        manifest = json.loads((assembly / "manifest.json").read_text())
        change(manifest)
        (assembly / "manifest.json").write_text(json.dumps(manifest))

    return apply


def artifacts(manifest: dict[str, Any]) -> dict[str, Any]:
    found = manifest["artifacts"]
    assert isinstance(found, dict)
    return found


def stack_properties(manifest: dict[str, Any]) -> dict[str, Any]:
    properties = artifacts(manifest)["ApiStack"]["properties"]
    assert isinstance(properties, dict)
    return properties


def write(name: str, text: str) -> Edit:
    return lambda assembly: (assembly / name).write_text(text)


MALFORMED: dict[str, tuple[Edit, str, str]] = {
    "invalid json": (write("manifest.json", '{"version": "36.0.0",'), "manifest.json", "JSON"),
    "empty": (write("manifest.json", ""), "manifest.json", "empty"),
    "not an object": (write("manifest.json", "[1, 2]"), "manifest.json", "not a JSON object"),
    "artifacts not an object": (
        write("manifest.json", '{"version": "36.0.0", "artifacts": []}'),
        "manifest.json",
        "artifacts must be an object",
    ),
    "artifact without type": (
        edit_manifest(lambda m: artifacts(m).update(Odd={"properties": {}})),
        "manifest.json",
        "'Odd' has no type",
    ),
    "stack without templateFile": (
        edit_manifest(lambda m: stack_properties(m).pop("templateFile")),
        "manifest.json",
        "has no templateFile",
    ),
    "templateFile outside the assembly": (
        edit_manifest(lambda m: stack_properties(m).update(templateFile="../../etc/passwd")),
        "manifest.json",
        "outside the assembly folder",
    ),
    "missing template": (
        lambda assembly: (assembly / API).unlink(),
        API,
        "no such file",
    ),
    "nested assembly without manifest": (
        lambda assembly: (assembly / "assembly-Prod" / "manifest.json").unlink(),
        "assembly-Prod/manifest.json",
        "no such file",
    ),
    "nested assembly naming itself": (
        edit_manifest(
            lambda m: artifacts(m)["assembly-Prod"]["properties"].update(directoryName=".")
        ),
        "manifest.json",
        "cycle",
    ),
    "invalid template": (write(API, '{"Resources": '), API, "invalid JSON"),
}


def test_an_assembly_without_stacks_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text('{"version": "36.0.0", "artifacts": {}}')
    (tmp_path / "cdk.out").write_text('{"version": "36.0.0"}')
    with pytest.raises(InputError, match="no stack templates") as caught:
        load_paths([str(tmp_path)])
    assert caught.value.file == str(tmp_path)
    # found in a project folder, it adds nothing
    shutil.copytree(tmp_path, tmp_path / "project" / "cdk.out")
    (tmp_path / "project" / "template.yaml").write_text(
        "Resources:\n  Q: {Type: AWS::SQS::Queue}\n"
    )
    assert len(load_paths([str(tmp_path / "project")])) == 1


@pytest.mark.parametrize("case", sorted(MALFORMED), ids=sorted(MALFORMED))
def test_malformed_assemblies_are_input_errors_naming_the_file(tmp_path: Path, case: str) -> None:
    change, file, message = MALFORMED[case]
    assembly = copy_fixture(tmp_path)
    change(assembly)
    with pytest.raises(InputError, match=message) as caught:
        load_paths([str(assembly)])
    assert caught.value.file == str(assembly / file)
    assert "\n" not in str(caught.value)


# -- a real synthesized app ---------------------------------------------------------------------

APP = """\
import sys

import aws_cdk as cdk
from aws_cdk import aws_lambda as lambda_, aws_s3 as s3, aws_sqs as sqs

# The CDK CLI turns on path metadata and version reporting; do the same.
app = cdk.App(
    outdir=sys.argv[1],
    context={"aws:cdk:enable-path-metadata": True, "aws:cdk:version-reporting": True},
)
api = cdk.Stack(app, "Api")
lambda_.Function(
    api,
    "Handler",
    runtime=lambda_.Runtime.PYTHON_3_12,
    handler="index.handler",
    code=lambda_.Code.from_inline("def handler(event, context):\\n    return event\\n"),
    environment={"STAGE": "prod"},
)
storage = cdk.NestedStack(api, "Storage")
sqs.Queue(storage, "Jobs", encryption=sqs.QueueEncryption.UNENCRYPTED)
cdk.Validations.of(storage).acknowledge(
    cdk.Acknowledgment(id="serverless-guard::sqs-queue-encrypted", reason="Holds only job ids")
)
prod = cdk.Stage(app, "Prod")
# As `python app.py` without the CLI: no path metadata in this stage's templates.
prod.node.set_context("aws:cdk:enable-path-metadata", False)
data = cdk.Stack(prod, "Data")
s3.Bucket(data, "Uploads")
app.synth()
"""


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if importlib.util.find_spec("aws_cdk") is None or shutil.which("node") is None:
        pytest.skip("aws-cdk-lib or Node.js is not installed")
    folder = tmp_path_factory.mktemp("cdk-app")
    (folder / "app.py").write_text(APP)
    env = {
        **os.environ,
        "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
        "CDK_VALIDATION": "false",
    }
    done = subprocess.run(
        [sys.executable, "app.py", "cdk.out"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, textwrap.shorten(done.stderr, 2000)
    return folder / "cdk.out"


def test_a_synthesized_assembly_is_scanned(synthesized: Path) -> None:
    result = scan([str(synthesized)])
    files = {os.path.relpath(f, synthesized) for f in result.files}
    assert "Api.template.json" in files
    assert any(f.endswith(".nested.template.json") for f in files), files
    assert any(f.startswith("assembly-Prod" + os.sep) for f in files), files
    # Both ways to a construct path are exercised: template metadata, and artifact metadata.
    assert "aws:cdk:path" in (synthesized / "Api.template.json").read_text()
    prod = next(f for f in files if f.startswith("assembly-Prod" + os.sep))
    assert "aws:cdk:path" not in (synthesized / prod).read_text()
    found = by_rule_and_resource(result.findings)
    paths = {rule: finding.location.construct_path for (rule, _resource), finding in found.items()}
    assert paths.get("lambda-env-encrypted") == "Api/Handler/Resource"
    assert paths.get("sqs-queue-encrypted") == "Api/Storage/Jobs/Resource"
    assert paths.get("s3-bucket-encryption-kms") == "Prod/Data/Uploads/Resource"
    acknowledged = next(f for f in result.findings if f.rule == "sqs-queue-encrypted")
    assert acknowledged.suppression == Suppression(
        "sqs-queue-encrypted", "Holds only job ids", "acknowledgement"
    )
    for finding in result.findings:
        assert finding.location.construct_path, finding
        assert finding.outcome.value != "error", finding


def test_a_synthesized_assembly_is_found_from_the_project_folder(synthesized: Path) -> None:
    stacks = load_paths([str(synthesized.parent)])
    assert {s.file for s in stacks} == set(scan([str(synthesized)]).files)
