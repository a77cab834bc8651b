"""Templates as CloudFormation expands them: language extensions, includes, SAM definition
files and nested stacks (fixtures in `tests/fixtures/templates/`, written after AWS's
documentation examples), and the hostile shapes of each."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from pathlib import Path

import pytest

from serverless_guard.catalog.rule import Outcome
from serverless_guard.config import Config
from serverless_guard.engines.cloudformation.language_extensions import MAX_KEYS, expand
from serverless_guard.engines.cloudformation.parse import parse_text
from serverless_guard.engines.cloudformation.stack import LoadedStack, load_file, load_paths
from serverless_guard.errors import InputError
from serverless_guard.findings import Finding
from serverless_guard.scan import evaluate_stack, scan

FIXTURES = Path(__file__).parent / "fixtures" / "templates"


def findings_of(stack: LoadedStack) -> list[Finding]:
    return evaluate_stack(stack, Config())


def by(findings: Iterable[Finding], rule: str) -> dict[str, Finding]:
    return {f.resource: f for f in findings if f.rule == rule}


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return folder


# -- Fn::ForEach and the other language extensions ---------------------------------------------


def test_loops_make_resources_at_the_loop_line() -> None:
    stack = load_file(str(FIXTURES / "foreach" / "topics.yaml"))
    ids = {f.id for f in stack.facts}
    assert {"AlertsTopic", "AuditTopic", "Queueorders", "Queuebillingevents"} <= ids
    assert {"LogA1", "LogA2", "LogB1", "LogB2"} <= ids  # nested loops
    assert stack.origins["AlertsTopic"].line == 20  # the line of Fn::ForEach::Topics
    assert stack.origins["LogB2"].line == 50  # the line of the inner loop
    encrypted = by(findings_of(stack), "sns-topic-encrypted")
    # FindInMap with a DefaultValue of AWS::NoValue: only Alerts has a key
    assert set(encrypted) == {"AuditTopic"}
    assert encrypted["AuditTopic"].location.line == 20


def test_loop_values_read_the_item() -> None:
    stack = load_file(str(FIXTURES / "foreach" / "topics.yaml"))
    queues = {f.id: f for f in stack.facts if f.type == "AWS::SQS::Queue"}
    # &{} keeps alphanumerics only in the key; the value keeps the item whole
    assert "Queuebillingevents" in queues
    groups = {f.id: f for f in stack.facts if f.type == "AWS::Logs::LogGroup"}
    retention = by(findings_of(stack), "logs-retention-set")
    assert "3 days" in retention["LogA1"].message  # Fn::Length of a three-item list
    assert len(groups) == 4


def test_a_collection_known_at_deployment_is_checked_once_and_reported() -> None:
    stack = load_file(str(FIXTURES / "foreach" / "topics.yaml"))
    findings = findings_of(stack)
    unknown = by(findings, "input-unknown")["Fn::ForEach::TeamQueues"]
    assert unknown.outcome is Outcome.UNKNOWN
    assert "TeamNames" in unknown.message
    assert unknown.location.line == 40
    # the fragment is judged with the item unknown: what does not depend on it still fails
    assert by(findings, "sqs-queue-encrypted")["${Team}Queue"].outcome is Outcome.FAIL


def test_expansion_follows_the_documented_examples() -> None:
    text = """\
Transform: AWS::LanguageExtensions
Mappings:
  Gateways:
    Condition: {B: HasTwo}
Conditions:
  HasTwo: !Equals [a, b]
Resources:
  Fn::ForEach::Gateways:
    - Zone
    - [A, B]
    - Eip${Zone}:
        Type: AWS::EC2::EIP
        Condition: !FindInMap [Gateways, Condition, !Ref Zone, DefaultValue: !Ref AWS::NoValue]
        DeletionPolicy: !If [HasTwo, Retain, Delete]
      Gateway${Zone}:
        Type: AWS::EC2::NatGateway
        Properties:
          AllocationId: !GetAtt [!Sub "Eip${Zone}", AllocationId]
          SubnetId: !Ref {"Fn::Sub": "Subnet${Zone}"}
          Tags:
            - Key: zone
              Value: {"Fn::ToJsonString": {zone: !Ref Zone, n: [1, 2], id: !Ref "AWS::StackId"}}
Outputs:
  Fn::ForEach::Out:
    - Zone
    - [A, B]
    - Fn::ForEach::Attr:
        - Attribute
        - [AllocationId]
        - Eip${Zone}${Attribute}:
            Value: !GetAtt [!Sub "Eip${Zone}", !Ref Attribute]
"""
    data, gaps = expand(parse_text(text, "t.yaml"), "t.yaml")
    assert gaps == []
    resources = data["Resources"]
    assert "Condition" not in resources["EipA"]  # DefaultValue: AWS::NoValue
    assert resources["EipB"]["Condition"] == "HasTwo"
    assert resources["EipB"]["DeletionPolicy"] == "Delete"  # HasTwo is false from literals
    gateway = resources["GatewayB"]["Properties"]
    assert gateway["AllocationId"] == {"Fn::GetAtt": ["EipB", "AllocationId"]}
    assert gateway["SubnetId"] == {"Ref": "SubnetB"}
    assert gateway["Tags"][0]["Value"] == {
        "Fn::Join": ["", ['{"zone":"B","n":[1,2],"id":"', {"Ref": "AWS::StackId"}, '"}']]
    }
    assert data["Outputs"]["EipAAllocationId"] == {
        "Value": {"Fn::GetAtt": ["EipA", "AllocationId"]}
    }
    assert "Transform" not in data


def test_sub_escapes_and_unrelated_variables_stay() -> None:
    text = """\
Transform: [AWS::LanguageExtensions]
Resources:
  Fn::ForEach::Q:
    - Name
    - [a]
    - Q${Name}:
        Type: AWS::SQS::Queue
        Properties:
          QueueName: !Sub "${Name}-${!Name}-${AWS::Region}"
          Other: !Sub ["${Name}-${X}", {X: !Ref Name}]
"""
    data, _ = expand(parse_text(text, "t.yaml"), "t.yaml")
    properties = data["Resources"]["Qa"]["Properties"]
    assert properties["QueueName"] == {"Fn::Sub": "a-${!Name}-${AWS::Region}"}
    assert properties["Other"] == {"Fn::Sub": ["a-${X}", {"X": "a"}]}


def test_loops_need_the_transform() -> None:
    text = (
        "Resources:\n  Fn::ForEach::Q:\n    - N\n    - [a]\n    - Q${N}: {Type: AWS::SQS::Queue}\n"
    )
    with pytest.raises(InputError, match="needs `Transform: AWS::LanguageExtensions`"):
        expand(parse_text(text, "t.yaml"), "t.yaml")


@pytest.mark.parametrize(
    "loop",
    [
        # 10,000 items
        "Fn::ForEach::Many:\n    - N\n    - [" + ", ".join(f"n{i}" for i in range(10_000)) + "]\n"
        "    - Topic${N}: {Type: AWS::SNS::Topic}\n",
        # nested loops that multiply: 40^5 keys
        "Fn::ForEach::L1:\n    - A\n    - &items [" + ", ".join(f"i{i}" for i in range(40)) + "]\n"
        "    - Fn::ForEach::L2:\n        - B\n        - *items\n"
        "        - Fn::ForEach::L3:\n            - C\n            - *items\n"
        "            - Fn::ForEach::L4:\n                - D\n                - *items\n"
        "                - Fn::ForEach::L5:\n                    - E\n"
        "                    - *items\n"
        "                    - T${A}${B}${C}${D}${E}: {Type: AWS::SNS::Topic}\n",
    ],
    ids=["10000-items", "nested-explosion"],
)
def test_hostile_loops_are_bounded_and_reported(loop: str) -> None:
    text = (
        "Transform: AWS::LanguageExtensions\nResources:\n"
        "  Kept:\n    Type: AWS::SQS::Queue\n  " + loop
    )
    start = time.perf_counter()
    data, gaps = expand(parse_text(text, "t.yaml"), "t.yaml")
    assert time.perf_counter() - start < 5
    assert list(data["Resources"]) == ["Kept"]
    (gap,) = gaps
    assert gap.error
    assert f"more than {MAX_KEYS:,} keys" in gap.message
    assert gap.line == 5


def test_a_loop_that_makes_a_key_twice_is_an_error() -> None:
    text = """\
Transform: AWS::LanguageExtensions
Resources:
  Fn::ForEach::Q:
    - N
    - [a, a]
    - Q${N}: {Type: AWS::SQS::Queue}
"""
    data, gaps = expand(parse_text(text, "t.yaml"), "t.yaml")
    assert list(data["Resources"]) == ["Qa"]
    assert [g.error for g in gaps] == [True]


# -- AWS::Include and macros -------------------------------------------------------------------


def test_local_includes_are_spliced_and_others_reported() -> None:
    stack = load_file(str(FIXTURES / "include" / "template.yaml"))
    findings = findings_of(stack)
    assert "IncludedQueue" in {f.id for f in stack.facts}
    assert stack.origins["IncludedQueue"].line == 12  # the Fn::Transform that brought it
    assert "Bucket" not in by(findings, "s3-bucket-encryption")  # encryption was included
    unknown = by(findings, "input-unknown")
    assert "s3://shared-snippets/queue-settings.yaml" in unknown["RemoteQueue"].message
    assert "TeamKeyLookup" in unknown["Macro"].message
    # what the unseen snippet would merge may set what the rules miss: unknown, not fail
    assert by(findings, "sqs-queue-encrypted")["RemoteQueue"].outcome is Outcome.UNKNOWN
    # the macro's value is unknown: no failure on the key it gives
    assert "Macro" not in by(findings, "sqs-queue-encrypted")
    refused = by(findings, "input-error")["Escaping"]
    assert "outside the template's folder" in refused.message
    assert refused.blocking


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        ("../secret.yaml", "outside the template's folder (it resolves"),
        ("{outside}", "outside the template's folder (it resolves"),
        ("link.yaml", "outside the template's folder (a symbolic link leads"),
        ("fifo.yaml", "not a regular file"),
        ("loop.yaml", "Too many levels of symbolic links"),
        ("nested.yaml", "includes another"),
    ],
)
def test_includes_that_leave_the_folder_or_cannot_be_read_are_refused(
    tmp_path: Path, location: str, reason: str
) -> None:
    (tmp_path / "secret.yaml").write_text("QueueName: secret\n")
    project = tmp_path / "project"
    write(
        project,
        {
            "nested.yaml": (
                "Fn::Transform: {Name: AWS::Include, Parameters: {Location: other.yaml}}\n"
            ),
            "other.yaml": "QueueName: q\n",
        },
    )
    os.symlink(tmp_path / "secret.yaml", project / "link.yaml")
    os.symlink(project / "loop.yaml", project / "loop.yaml")
    os.mkfifo(project / "fifo.yaml")
    location = location.format(outside=tmp_path / "secret.yaml")
    template = write(
        project,
        {
            "template.yaml": "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n"
            f"      Fn::Transform: {{Name: AWS::Include, Parameters: {{Location: '{location}'}}}}\n"
        },
    )
    start = time.perf_counter()
    stack = load_file(str(template / "template.yaml"))
    assert time.perf_counter() - start < 5  # a FIFO is never waited on
    (gap,) = stack.gaps
    assert gap.error
    assert gap.resource == "Q"
    assert gap.line == 5
    assert reason in gap.message


# -- SAM: includes and local files -------------------------------------------------------------


def test_sam_api_with_an_included_openapi_and_auth_is_judged(tmp_path: Path) -> None:
    stack = load_file(str(FIXTURES / "sam_include" / "template.yaml"))
    assert not stack.gaps
    assert "OrdersApi" not in by(findings_of(stack), "apigw-method-authorization")
    # the same API without Auth: the methods read from the included file fail
    folder = tmp_path / "noauth"
    folder.mkdir()
    text = (FIXTURES / "sam_include" / "template.yaml").read_text()
    (folder / "template.yaml").write_text(text.split("      Auth:")[0] + text.split("Arn\n")[1])
    (folder / "openapi.yaml").write_text((FIXTURES / "sam_include" / "openapi.yaml").read_text())
    unauthorized = [
        f
        for f in findings_of(load_file(str(folder / "template.yaml")))
        if f.rule == "apigw-method-authorization"
    ]
    assert sorted(f.message.split(" has ")[0] for f in unauthorized) == [
        "method OrdersApi GET /health",
        "method OrdersApi GET /orders",
    ]


def test_local_definition_uri_is_read(tmp_path: Path) -> None:
    openapi = (FIXTURES / "sam_include" / "openapi.yaml").read_text()
    write(
        tmp_path,
        {
            "api/openapi.yaml": openapi.replace("${OrdersFunction.Arn}", "arn"),
            "template.yaml": """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionUri: api/openapi.yaml
  Missing:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionUri: api/missing.yaml
""",
        },
    )
    stack = load_file(str(tmp_path / "template.yaml"))
    methods = by(findings_of(stack), "apigw-method-authorization")
    assert "Api" in methods  # read from the file: its methods have no authorization
    (gap,) = stack.gaps
    assert gap.resource == "Missing"
    assert not gap.error
    assert "api/missing.yaml" in gap.message


def test_a_resource_the_translator_refuses_does_not_stop_the_scan(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "template.yaml": """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionBody:
        Fn::Transform:
          Name: AWS::Include
          Parameters:
            Location: s3://specs/api.yaml
      Auth:
        DefaultAuthorizer: Iam
        Authorizers: {}
  Queue:
    Type: AWS::SQS::Queue
"""
        },
    )
    result = scan([str(tmp_path / "template.yaml")])
    api = [f.message for f in result.findings if (f.rule, f.resource) == ("input-unknown", "Api")]
    assert any("s3://specs/api.yaml" in message for message in api)
    assert any(message.startswith("SAM transform failed") for message in api)
    assert ("sqs-queue-encrypted", "Queue") in {(f.rule, f.resource) for f in result.findings}


# -- nested stacks -----------------------------------------------------------------------------


def test_local_nested_stacks_are_scanned_with_the_parents_parameters() -> None:
    stacks = load_paths([str(FIXTURES / "nested" / "parent.yaml")])
    by_file = {Path(s.file).name: s for s in stacks}
    assert set(by_file) == {"parent.yaml", "logs.yaml", "queues.yaml"}
    logs = by_file["logs.yaml"]
    assert logs.parent is not None
    assert logs.parent.endswith("parent.yaml:Logs")
    retention = by(findings_of(logs), "logs-retention-set")["Group"]
    assert "7 days" in retention.message  # passed by the parent, not the child's default
    assert retention.location.parent == logs.parent
    assert by_file["queues.yaml"].parent is not None  # a SAM application with a local Location
    gaps = {g.resource: g for g in by_file["parent.yaml"].gaps}
    assert "shared-templates.s3.amazonaws.com/network.yaml" in gaps["Shared"].message
    assert not gaps["Shared"].error
    assert gaps["Itself"].error
    assert "cycle" in gaps["Itself"].message
    assert "applications/rotator" in gaps["Published"].message


def test_a_folder_scans_a_nested_template_once() -> None:
    stacks = load_paths([str(FIXTURES / "nested")])
    assert sorted(Path(s.file).name for s in stacks) == ["logs.yaml", "parent.yaml", "queues.yaml"]
    assert all(s.parent for s in stacks if Path(s.file).name != "parent.yaml")
