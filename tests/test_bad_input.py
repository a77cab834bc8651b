"""Input that is not a usable template fails fast, in bounded memory, with one line naming the
file (and the line where known); a very large valid template is scanned in bounded memory.

The same cases run through the library (`load_paths`, `load_file`) and, once the command line
exists, through `python -m serverless_guard.cli scan <path>` (exit code 2, one line on stderr).
"""

from __future__ import annotations

import importlib.util
import json
import random
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from serverless_guard.engines.cloudformation.stack import load_file, load_paths
from serverless_guard.errors import InputError

MAX_SECONDS = 2.0
DEPTH = 5_000


@dataclass(frozen=True)
class Bad:
    """A bad input: how to make it in a folder, what the error says, and on which line."""

    make: Callable[[Path], Path]
    message: str
    line: int | None = None
    folder: bool = False  # the path is a folder (not for `load_file`)


def text(name: str, content: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_text(content, encoding="utf-8")
        return path

    return make


def raw(name: str, content: bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(content)
        return path

    return make


def missing(folder: Path) -> Path:
    return folder / "missing.yaml"


def huge(folder: Path) -> Path:
    path = folder / "huge.json"
    with path.open("wb") as handle:
        handle.truncate(65 * 1024 * 1024)  # sparse: costs no disk
    return path


def no_templates(folder: Path) -> Path:
    project = folder / "project"
    (project / "src").mkdir(parents=True)
    (project / "package.json").write_text('{"name": "app", "version": "1.0.0"}')
    (project / "src" / "config.yaml").write_text("retries: 3\nendpoints: [a, b]\n")
    (project / "src" / "broken.yaml").write_text("key: [unclosed\n")
    (project / "README.md").write_text("# app\n")
    (project / ".github").mkdir()
    (project / ".github" / "ci.yaml").write_text("Resources:\n  A: {Type: AWS::SQS::Queue}\n")
    (project / "node_modules" / "lib").mkdir(parents=True)
    (project / "node_modules" / "lib" / "t.yaml").write_text("Resources:\n  A: {Type: X}\n")
    return project


def empty_folder(folder: Path) -> Path:
    path = folder / "empty"
    path.mkdir()
    return path


def alias_bomb() -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    previous = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
        previous = name
    lines.append("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties: {Tags: *i}")
    return "\n".join(lines) + "\n"


def deep_yaml_block() -> str:
    lines = ["Resources:", "  Q:", "    Type: AWS::SQS::Queue", "    Properties:"]
    lines.extend(" " * (6 + i) + f"k{i}:" for i in range(DEPTH))
    lines.append(" " * (6 + DEPTH) + "leaf")
    return "\n".join(lines) + "\n"


def deep(open_: str, close: str) -> str:
    return '{"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"Tags": ' + (
        open_ * DEPTH + close * DEPTH + "}}}}"
    )


GARBAGE = random.Random(7).randbytes(4096)
GARBAGE_WITHOUT_NUL = bytes(b or 0xFF for b in GARBAGE)

BAD: dict[str, Bad] = {
    "missing file": Bad(missing, "no such file"),
    "empty file": Bad(text("empty.yaml", ""), "empty file"),
    "blank file": Bad(text("blank.yaml", " \n\t\n"), "empty file"),
    "invalid yaml": Bad(
        text("bad.yaml", "Resources:\n  Q:\n    Type: [AWS::SQS::Queue\n"), "invalid YAML", 4
    ),
    "invalid yaml indentation": Bad(
        text("indent.yaml", "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n   Properties: {}\n"),
        "invalid YAML",
        4,
    ),
    "invalid json": Bad(
        text("bad.json", '{\n  "Resources": {\n    "Q": {"Type": }\n  }\n}\n'), "invalid JSON", 3
    ),
    "json list": Bad(text("list.json", "[1, 2]"), "not a mapping"),
    "json without resources": Bad(text("object.json", '{"a": 1}'), "no Resources section"),
    "yaml scalar": Bad(text("scalar.yaml", "just some words\n"), "not a mapping"),
    "yaml of another tool": Bad(
        text("compose.yaml", "services:\n  web:\n    image: nginx\n"), "no Resources section"
    ),
    "alias bomb": Bad(text("bomb.yaml", alias_bomb()), "alias bomb"),
    "deep yaml flow": Bad(
        text("deep-flow.yaml", "Resources: " + "[" * DEPTH + "]" * DEPTH + "\n"), "nesting depth", 1
    ),
    # libyaml stops at 1,000 levels: on line 1,001 here
    "deep yaml block": Bad(text("deep-block.yaml", deep_yaml_block()), "nesting depth", 1001),
    "deep json lists": Bad(text("deep.json", deep("[", "]")), "nested more than", 1),
    "deep json objects": Bad(text("deep-objects.json", deep('{"a": ', "}")), "nested more than", 1),
    "binary garbage": Bad(raw("garbage.yaml", GARBAGE), "not a text file"),
    "binary garbage without nul": Bad(raw("garbage.json", GARBAGE_WITHOUT_NUL), "not UTF-8"),
    "larger than the limit": Bad(huge, "larger than 64 MB"),
    "folder without templates": Bad(no_templates, "no CloudFormation templates", folder=True),
    "empty folder": Bad(empty_folder, "no CloudFormation templates", folder=True),
    "resource without type": Bad(
        text("notype.yaml", "Resources:\n  Q:\n    Properties: {}\n"), "Q has no Type", 2
    ),
    "resource with a list as type": Bad(
        text("listtype.yaml", "Resources:\n  A: {Type: X}\n  Q:\n    Type: [a]\n"),
        "Q has a Type that is not a string",
        3,
    ),
    "resource that is a string": Bad(
        text("string.yaml", "Resources:\n  Q: AWS::SQS::Queue\n"), "Q is not a mapping", 2
    ),
    "resources as a list": Bad(
        text("reslist.yaml", "AWSTemplateFormatVersion: 2010-09-09\nResources:\n  - Q\n"),
        "Resources must be a mapping",
        2,
    ),
    "resources as a json list": Bad(
        text("reslist.json", '{\n "Resources": [{"Type": "AWS::SQS::Queue"}]\n}'),
        "Resources must be a mapping",
        2,
    ),
    "duplicate resource": Bad(
        text(
            "dup.yaml", "Resources:\n  Q: {Type: AWS::SQS::Queue}\n  Q: {Type: AWS::SNS::Topic}\n"
        ),
        "duplicate key 'Q'",
        3,
    ),
    "unknown tag": Bad(
        text("tag.yaml", "Resources:\n  Q:\n    Type: !Reference AWS::SQS::Queue\n"),
        "unknown tag !Reference",
        3,
    ),
    "python tag": Bad(
        text("python.yaml", "Resources: !!python/object/apply:os.system [id]\n"),
        "invalid YAML",
        1,
    ),
    "two documents": Bad(
        text("two.yaml", "Resources: {}\n---\nResources: {}\n"), "invalid YAML", 2
    ),
}

CASES = sorted(BAD)


def where(path: Path, bad: Bad) -> str:
    return f"{path}:{bad.line}: " if bad.line else f"{path}: "


@pytest.mark.parametrize("case", CASES)
def test_library_raises_one_line_input_error(tmp_path: Path, case: str) -> None:
    bad = BAD[case]
    path = bad.make(tmp_path)
    loaders: list[Callable[[], object]] = [lambda: load_paths([str(path)])]
    if not bad.folder:
        loaders.append(lambda: load_file(str(path)))
    for load in loaders:
        start = time.perf_counter()
        with pytest.raises(InputError) as caught:
            load()
        elapsed = time.perf_counter() - start
        message = str(caught.value)
        assert bad.message in message
        assert message.startswith(where(path, bad)), message
        assert "\n" not in message
        assert elapsed < MAX_SECONDS, f"{case} took {elapsed:.2f} s"


MEASURE_ERRORS = """\
import json, resource, sys, time
from serverless_guard.engines.cloudformation.stack import load_paths
from serverless_guard.errors import InputError
worst = {}
for path in sys.argv[1:]:
    start = time.perf_counter()
    try:
        load_paths([path])
        outcome = "loaded"
    except InputError:
        outcome = "InputError"
    worst[path] = (outcome, time.perf_counter() - start)
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(json.dumps({"rss_mb": rss, "cases": worst}))
"""

# Measured: at most 80 MB for any one case (65 MB of it reading the file larger than the limit),
# about 260 MB for all cases in one process (the allocator keeps what earlier cases freed); the
# alias bomb, expanded, would need gigabytes.
MAX_ERROR_RSS_MB = 400


def test_bad_inputs_stay_in_bounded_memory(tmp_path: Path) -> None:
    paths = []
    for index, case in enumerate(CASES):
        folder = tmp_path / str(index)
        folder.mkdir()
        paths.append(str(BAD[case].make(folder)))
    done = subprocess.run(
        [sys.executable, "-c", MEASURE_ERRORS, *paths],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    report = json.loads(done.stdout)
    print(f"bad inputs: peak RSS {report['rss_mb']} MB")
    assert {outcome for outcome, _ in report["cases"].values()} == {"InputError"}
    assert report["rss_mb"] < MAX_ERROR_RSS_MB, report


def has_cli() -> bool:
    return importlib.util.find_spec("serverless_guard.cli") is not None


@pytest.mark.skipif(not has_cli(), reason="the command line (serverless_guard.cli) is not built")
@pytest.mark.parametrize("case", CASES)
def test_cli_exits_2_with_one_line_on_stderr(tmp_path: Path, case: str) -> None:
    bad = BAD[case]
    path = bad.make(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "serverless_guard.cli", "scan", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2, done
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert str(path) in lines[0]
    assert bad.message in lines[0]


# -- a very large valid template ---------------------------------------------------------------


def big_template(groups: int) -> dict[str, object]:
    """`groups` x 5 resources: a role with an inline policy, a function, a bucket, its policy
    and a queue, tagged as CDK tags them."""
    resources: dict[str, object] = {}
    tags = [{"Key": f"team:{k}", "Value": f"value-{k}-" + "x" * 24} for k in range(10)]
    for i in range(groups):
        role, fn, bucket, policy, queue = (f"{n}{i}" for n in ("Role", "Fn", "Bkt", "Pol", "Q"))
        statements = [
            {
                "Effect": "Allow",
                "Action": [f"s3:{a}Object" for a in ("Get", "Put", "Delete")],
                "Resource": {"Fn::Sub": "${" + bucket + ".Arn}/*"},
            },
            {
                "Effect": "Allow",
                "Action": [f"sqs:{a}Message" for a in ("Send", "Receive", "Delete")],
                "Resource": {"Fn::GetAtt": [queue, "Arn"]},
            },
            {
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": {
                    "Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}"
                    f":log-group:/aws/lambda/fn-{i}:*"
                },
            },
        ]
        resources[role] = {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "lambda.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        }
                    ],
                },
                "Policies": [
                    {
                        "PolicyName": "access",
                        "PolicyDocument": {"Version": "2012-10-17", "Statement": statements},
                    }
                ],
                "Tags": tags,
            },
        }
        resources[fn] = {
            "Type": "AWS::Lambda::Function",
            "Properties": {
                "FunctionName": f"fn-{i}",
                "Runtime": "python3.12",
                "Handler": "index.handler",
                "Role": {"Fn::GetAtt": [role, "Arn"]},
                "Code": {"ZipFile": "def handler(event, context):\n    return event\n" * 8},
                "Environment": {"Variables": {"BUCKET": {"Ref": bucket}, "QUEUE": {"Ref": queue}}},
                "TracingConfig": {"Mode": "Active"},
                "Tags": tags,
            },
        }
        resources[bucket] = {
            "Type": "AWS::S3::Bucket",
            "Properties": {
                "BucketEncryption": {
                    "ServerSideEncryptionConfiguration": [
                        {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}
                    ]
                },
                "PublicAccessBlockConfiguration": {
                    "BlockPublicAcls": True,
                    "BlockPublicPolicy": True,
                    "IgnorePublicAcls": True,
                    "RestrictPublicBuckets": True,
                },
                "Tags": tags,
            },
        }
        resources[policy] = {
            "Type": "AWS::S3::BucketPolicy",
            "Properties": {
                "Bucket": {"Ref": bucket},
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Deny",
                            "Principal": {"AWS": "*"},
                            "Action": "s3:*",
                            "Resource": [
                                {"Fn::GetAtt": [bucket, "Arn"]},
                                {"Fn::Sub": "${" + bucket + ".Arn}/*"},
                            ],
                            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                        }
                    ],
                },
            },
        }
        resources[queue] = {
            "Type": "AWS::SQS::Queue",
            "Properties": {"KmsMasterKeyId": "alias/aws/sqs", "Tags": tags},
        }
    return {"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}


MEASURE_SCAN = """\
import json, resource, sys, time
from serverless_guard.engines.cloudformation.stack import load_paths
from serverless_guard.scan import evaluate_stack
from serverless_guard.config import Config
start = time.process_time()
(stack,) = load_paths([sys.argv[1]])
loaded = time.process_time()
findings = evaluate_stack(stack, Config())
done = time.process_time()
print(json.dumps({
    "load_s": round(loaded - start, 2),
    "evaluate_s": round(done - loaded, 2),
    "resources": len(stack.origins),
    "findings": len(findings),
    "errors": sum(f.outcome.value == "error" for f in findings),
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
}))
"""

BIG_GROUPS = 3_000
# Measured on a 21 MB template of 15,000 resources (CPU seconds, so that a busy machine does
# not make the test flaky): peak RSS about 240 MB (the parsed document, the resolved properties
# and the facts); loading about 4 s; evaluating every rule about 4 s (rules that compare a
# resource with all others index them once per graph, so evaluation stays linear).
MAX_BIG_RSS_MB = 800
MAX_BIG_LOAD_S = 20
MAX_BIG_EVALUATE_S = 30


def test_a_20_mb_template_is_scanned_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.template.json"
    path.write_text(json.dumps(big_template(BIG_GROUPS), indent=1))
    size_mb = path.stat().st_size / 1e6
    assert size_mb > 20
    done = subprocess.run(
        [sys.executable, "-c", MEASURE_SCAN, str(path)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, textwrap.shorten(done.stderr, 2000)
    report = json.loads(done.stdout)
    print(f"{size_mb:.1f} MB: {report}")
    assert report["resources"] == 5 * BIG_GROUPS
    assert report["errors"] == 0
    assert report["rss_mb"] < MAX_BIG_RSS_MB, report
    assert report["load_s"] < MAX_BIG_LOAD_S, report
    assert report["evaluate_s"] < MAX_BIG_EVALUATE_S, report
