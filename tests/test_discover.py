"""Which templates a scan of files and folders finds, and what it skips."""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest

from serverless_guard.engines.cloudformation.discover import claims_to_be_template
from serverless_guard.engines.cloudformation.stack import load_all, load_paths
from serverless_guard.errors import InputError

FIXTURE_ASSEMBLY = Path(__file__).parent / "fixtures" / "cdk_out"
QUEUE = "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n"
QUEUE_JSON = '{"Resources": {"Queue": {"Type": "AWS::SQS::Queue"}}}'


def tree(root: Path, files: dict[str, str]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    return root


PROJECT = {
    "template.yaml": QUEUE,
    "infra/stack.json": QUEUE_JSON,
    "infra/legacy.template": QUEUE,
    "infra/nested/api.yml": "AWSTemplateFormatVersion: 2010-09-09\n" + QUEUE,
    # not templates: skipped without a word
    "package.json": '{"name": "app", "dependencies": {}}',
    "tsconfig.json": '{"compilerOptions": {"strict": true}}',
    "docker-compose.yaml": "services:\n  db:\n    image: postgres\n",
    "chart/templates/deployment.yaml": "kind: Deployment\nspec: {{ .Values.spec }}\n",
    "k8s/all.yaml": "kind: Service\n---\nkind: Deployment\n",
    "ci/gitlab.yml": "build:\n  script: !reference [.setup, script]\n",
    "empty.yaml": "",
    "notes.txt": QUEUE,
    "README.md": "# app\n",
    # skipped folders and hidden files, even though they hold templates
    ".aws-sam/build/template.yaml": QUEUE,
    ".github/workflows/ci.yaml": QUEUE,
    ".hidden.yaml": QUEUE,
    "node_modules/pkg/template.yaml": QUEUE,
    ".venv/lib/template.yaml": QUEUE,
    "venv/lib/template.yaml": QUEUE,
    "__pycache__/template.yaml": QUEUE,
}
FOUND = ["template.yaml", "infra/stack.json", "infra/legacy.template", "infra/nested/api.yml"]


def test_a_folder_tree_yields_its_templates_only(tmp_path: Path) -> None:
    root = tree(tmp_path / "project", PROJECT)
    stacks = load_paths([str(root)])
    assert sorted(os.path.relpath(s.file, root) for s in stacks) == sorted(FOUND)


def test_file_names_follow_how_the_folder_was_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree(tmp_path / "project", PROJECT)
    monkeypatch.chdir(tmp_path)
    assert sorted(s.file for s in load_paths(["project"])) == sorted(f"project/{n}" for n in FOUND)
    assert sorted(s.file for s in load_paths(["project/"])) == sorted(f"project/{n}" for n in FOUND)
    monkeypatch.chdir(tmp_path / "project")
    assert sorted(s.file for s in load_paths(["."])) == sorted(f"./{n}" for n in FOUND)


def test_a_cloud_assembly_in_the_tree_is_read_through_its_manifest(tmp_path: Path) -> None:
    root = tree(tmp_path / "project", {"template.yaml": QUEUE})
    shutil.copytree(FIXTURE_ASSEMBLY, root / "cdk.out")
    # an asset folder holding template-like files is not walked
    tree(root / "cdk.out" / "asset.1234", {"template.yaml": QUEUE})
    names = sorted(os.path.relpath(s.file, root) for s in load_paths([str(root)]))
    assert names == [
        "cdk.out/ApiStack.template.json",
        "cdk.out/ApiStackStorage2AAD783E.nested.template.json",
        "cdk.out/assembly-Prod/ProdDataStack7C4E2A90.template.json",
        "template.yaml",
    ]


def test_a_broken_cloud_assembly_in_the_tree_is_skipped_and_its_folder_read(
    tmp_path: Path,
) -> None:
    root = tree(tmp_path / "project", {"template.yaml": QUEUE})
    shutil.copytree(FIXTURE_ASSEMBLY, root / "cdk.out")
    (root / "cdk.out" / "manifest.json").write_text("{")
    loaded = load_all([str(root)])
    manifest = str(root / "cdk.out" / "manifest.json")
    assert [s.path for s in loaded.skipped] == [manifest]
    assert "not a cloud assembly (invalid JSON" in loaded.skipped[0].reason
    names = {os.path.relpath(s.file, root) for s in loaded.stacks}
    assert {"template.yaml", "cdk.out/ApiStack.template.json"} <= names


@pytest.mark.parametrize(
    ("content", "message", "line"),
    [
        ("AWSTemplateFormatVersion: 2010-09-09\nResources:\n  Q: [\n", "invalid YAML", 4),
        ("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n   bad: indent\n", "invalid YAML", 4),
        ('{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {', "invalid JSON", 1),
        ("Resources:\n  Q:\n    Properties: {}\n", "has no Type", 2),
        ("AWSTemplateFormatVersion: 2010-09-09\nDescription: no resources\n", "no Resources", None),
        ("Resources: [AWS::SQS::Queue]\n", "Resources must be a mapping", 1),
    ],
)
def test_a_found_file_that_says_it_is_a_template_must_be_one(
    tmp_path: Path, content: str, message: str, line: int | None
) -> None:
    root = tree(tmp_path / "project", {"good.yaml": QUEUE, "infra/broken.yaml": content})
    with pytest.raises(InputError, match=message) as caught:
        load_paths([str(root)])
    assert caught.value.file == str(root / "infra" / "broken.yaml")
    assert caught.value.line == line


def test_a_named_file_must_be_a_template(tmp_path: Path) -> None:
    tree(tmp_path, {"package.json": '{"name": "app"}', "compose.yaml": "services: {}\n"})
    for name in ("package.json", "compose.yaml"):
        with pytest.raises(InputError, match="not a CloudFormation template"):
            load_paths([str(tmp_path / name)])


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("app.py", 'import aws_cdk as cdk\napp = cdk.App(context={"a": "b: c"})\n'),
        ("stack.ts", "const app = new App();\nnew Stack(app, 'S', { env: { region: 'x' } });\n"),
        ("main.tf", 'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n'),
        ("deploy.sh", "#!/bin/sh\nset -eu\naws cloudformation deploy --template-file t.yaml\n"),
        ("package.json", '{"name": "app", "scripts": {"cdk": "cdk"}}'),
        ("Dockerfile", "FROM python:3.12\nCOPY . /app\n"),
    ],
)
def test_a_named_file_that_is_no_template_is_said_to_be_none(
    tmp_path: Path, name: str, content: str
) -> None:
    """Not "invalid YAML": what a user names by mistake is a program, not a broken template."""
    tree(tmp_path, {name: content})
    with pytest.raises(InputError) as caught:
        load_paths([str(tmp_path / name)])
    assert caught.value.message.startswith("not a CloudFormation template"), caught.value
    assert caught.value.file == str(tmp_path / name)


@pytest.mark.parametrize(
    ("name", "message"),
    [("stack.yaml", "invalid YAML"), ("stack.template", "invalid YAML"), ("stack.cfn", "invalid")],
)
def test_a_named_template_that_does_not_parse_says_why(
    tmp_path: Path, name: str, message: str
) -> None:
    tree(tmp_path, {name: "AWSTemplateFormatVersion: 2010-09-09\nResources:\n  Q: [\n"})
    with pytest.raises(InputError, match=message) as caught:
        load_paths([str(tmp_path / name)])
    assert caught.value.line is not None


def test_missing_paths_are_reported_before_anything_is_loaded(tmp_path: Path) -> None:
    tree(tmp_path, {"template.yaml": QUEUE})
    with pytest.raises(InputError, match="no such file or folder") as caught:
        load_paths([str(tmp_path / "template.yaml"), str(tmp_path / "nope")])
    assert caught.value.file == str(tmp_path / "nope")


def test_a_path_named_twice_is_scanned_once(tmp_path: Path) -> None:
    tree(tmp_path, {"template.yaml": QUEUE})
    path = str(tmp_path / "template.yaml")
    assert len(load_paths([path, path, str(tmp_path / "." / "template.yaml")])) == 1


@pytest.mark.parametrize(
    ("text", "claims"),
    [
        ("AWSTemplateFormatVersion: '2010-09-09'\n", True),
        ("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n", True),
        ('{\n "Resources": {"Q": {"Type": "AWS::SQS::Queue"}}\n}', True),
        ('{"Resources": {"Q": {"Type": "AWS::SQS::Queue"', True),
        ("Resources:\n  cpu: 2\n", False),  # no AWS types: some other tool's file
        ("kind: Deployment\nspec: {{ .Values.spec }}\n", False),
        ("description: uses AWS::SQS::Queue\n", False),
    ],
)
def test_what_claims_to_be_a_template(text: str, claims: bool) -> None:
    assert claims_to_be_template(text) is claims


def test_a_walk_skips_what_it_cannot_read_safely_and_hides_no_sibling(tmp_path: Path) -> None:
    root = tree(tmp_path / "project", {"a/template.yaml": QUEUE, "z/template.yaml": QUEUE})
    special = root / "a"
    os.mkfifo(special / "fifo.yaml")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(special / "sock.yaml"))
    os.symlink("/dev/null", special / "device.yaml")
    os.symlink(special / "loop.yaml", special / "loop.yaml")
    os.symlink(special / "gone.yaml", special / "dangling.yaml")
    os.symlink(root / "z", special / "linked")
    tree(root / "web", {"manifest.json": '{"artifacts": [', "template.yaml": QUEUE})
    (root / "infra" / "cdk.out").mkdir(parents=True)
    tree(root / "infra", {"stack.yaml": QUEUE})
    try:
        loaded = load_all([str(root)])
    finally:
        server.close()
    found = sorted(os.path.relpath(s.file, root) for s in loaded.stacks)
    assert found == ["a/template.yaml", "infra/stack.yaml", "web/template.yaml", "z/template.yaml"]
    skipped = {os.path.relpath(s.path, root): s.reason for s in loaded.skipped}
    assert skipped == {
        "a/dangling.yaml": "symbolic link that cannot be followed (No such file or directory)",
        "a/device.yaml": "symbolic link to a device, not a file: not read",
        "a/fifo.yaml": "a FIFO, not a file: not read",
        "a/linked": "symbolic link to a folder: not followed",
        "a/loop.yaml": "symbolic link that cannot be followed (Too many levels of symbolic links)",
        "a/sock.yaml": "a socket, not a file: not read",
        "infra/cdk.out": "a cdk.out folder without a cloud assembly",
        "web/manifest.json": "not a cloud assembly (invalid JSON: Expecting value): the folder "
        "is read as files",
    }


def test_a_broken_file_in_a_folder_is_reported_and_the_others_loaded(tmp_path: Path) -> None:
    root = tree(
        tmp_path / "project",
        {"good.yaml": QUEUE, "broken.yaml": "AWSTemplateFormatVersion: x\nResources: [\n"},
    )
    loaded = load_all([str(root)])
    assert [os.path.basename(s.file) for s in loaded.stacks] == ["good.yaml"]
    (error,) = loaded.errors
    assert error.file == str(root / "broken.yaml")
    assert "invalid YAML" in error.message
