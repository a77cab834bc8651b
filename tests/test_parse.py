"""The template loader: short-form tags, dates, duplicate keys, line numbers, BOM and CRLF."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from serverless_guard.engines.cloudformation.parse import LineDict, line_of, parse_text, read_text
from serverless_guard.engines.cloudformation.stack import load_file
from serverless_guard.errors import InputError


def value(text: str) -> object:
    """The value of the key `v` in a one-key YAML document."""
    return parse_text(text, "t.yaml")["v"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("v: !Ref Bucket", {"Ref": "Bucket"}),
        ("v: !Sub arn:${AWS::Partition}:s3:::${B}", {"Fn::Sub": "arn:${AWS::Partition}:s3:::${B}"}),
        ("v: !Sub ['${A}-x', {A: !Ref B}]", {"Fn::Sub": ["${A}-x", {"A": {"Ref": "B"}}]}),
        ("v: !GetAtt Fn.Arn", {"Fn::GetAtt": ["Fn", "Arn"]}),
        ("v: !GetAtt Db.Endpoint.Address", {"Fn::GetAtt": ["Db", "Endpoint.Address"]}),
        ("v: !GetAtt [Fn, Arn]", {"Fn::GetAtt": ["Fn", "Arn"]}),
        ("v: !GetAtt [Fn, !Ref Attr]", {"Fn::GetAtt": ["Fn", {"Ref": "Attr"}]}),
        ("v: !If [C, a, !Ref AWS::NoValue]", {"Fn::If": ["C", "a", {"Ref": "AWS::NoValue"}]}),
        ("v: !Join ['', [a, !Ref B]]", {"Fn::Join": ["", ["a", {"Ref": "B"}]]}),
        ("v: !Select [0, !GetAZs '']", {"Fn::Select": [0, {"Fn::GetAZs": ""}]}),
        ("v: !Split [',', !ImportValue Out]", {"Fn::Split": [",", {"Fn::ImportValue": "Out"}]}),
        (
            "v: !FindInMap [M, !Ref AWS::Region, K]",
            {"Fn::FindInMap": ["M", {"Ref": "AWS::Region"}, "K"]},
        ),
        ("v: !ImportValue Shared-Vpc", {"Fn::ImportValue": "Shared-Vpc"}),
        ("v: !Condition IsProd", {"Condition": "IsProd"}),
        ("v: !Base64 hello", {"Fn::Base64": "hello"}),
        ("v: !Cidr [!Ref Cidr, 6, 5]", {"Fn::Cidr": [{"Ref": "Cidr"}, 6, 5]}),
        ("v: !GetAZs ''", {"Fn::GetAZs": ""}),
        ("v: !GetAZs", {"Fn::GetAZs": ""}),
        ("v: !Equals [!Ref Env, prod]", {"Fn::Equals": [{"Ref": "Env"}, "prod"]}),
        (
            "v: !And [!Not [!Condition A], !Or [!Condition B, !Equals [x, y]]]",
            {
                "Fn::And": [
                    {"Fn::Not": [{"Condition": "A"}]},
                    {"Fn::Or": [{"Condition": "B"}, {"Fn::Equals": ["x", "y"]}]},
                ]
            },
        ),
        (
            "v: !Join ['', [!Select [0, !Split ['/', !Sub '${A}/b']], !GetAtt R.Arn]]",
            {
                "Fn::Join": [
                    "",
                    [
                        {"Fn::Select": [0, {"Fn::Split": ["/", {"Fn::Sub": "${A}/b"}]}]},
                        {"Fn::GetAtt": ["R", "Arn"]},
                    ],
                ]
            },
        ),
        (
            "v:\n  Fn::Base64: !Sub |\n    #!/bin/bash\n    echo ${AWS::Region}\n",
            {"Fn::Base64": {"Fn::Sub": "#!/bin/bash\necho ${AWS::Region}\n"}},
        ),
        ("v: !ToJsonString {a: !Ref B}", {"Fn::ToJsonString": {"a": {"Ref": "B"}}}),
        ("v: !Length [a, b]", {"Fn::Length": ["a", "b"]}),
    ],
)
def test_short_form_tags_become_long_forms(text: str, expected: object) -> None:
    assert value(text) == expected


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a: 1\nv: !Foo x\n", 2),  # not a CloudFormation tag
        ("v: !GetAtt {a: b}\n", 1),
        ("v: !Base64 !Sub x\n", 1),  # two tags on one node is not YAML
        ("v: !!python/object/apply:os.system [ls]\n", 1),
    ],
)
def test_bad_tags_are_input_errors_with_a_line(text: str, line: int) -> None:
    with pytest.raises(InputError) as caught:
        parse_text(text, "t.yaml")
    assert caught.value.file == "t.yaml"
    assert caught.value.line == line


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("v: 2010-09-09", "2010-09-09"),
        ("v: 2012-10-17", "2012-10-17"),
        ("v: 2001-12-14t21:59:43.10-05:00", "2001-12-14t21:59:43.10-05:00"),
        ("v: '2012-10-17'", "2012-10-17"),
    ],
)
def test_dates_stay_strings(text: str, expected: str) -> None:
    assert value(text) == expected


def test_template_version_and_policy_version_are_strings() -> None:
    data = parse_text(
        "AWSTemplateFormatVersion: 2010-09-09\n"
        "Resources:\n"
        "  P:\n"
        "    Type: AWS::IAM::ManagedPolicy\n"
        "    Properties:\n"
        "      PolicyDocument:\n"
        "        Version: 2012-10-17\n"
        "        Statement: []\n",
        "t.yaml",
    )
    assert data["AWSTemplateFormatVersion"] == "2010-09-09"
    document = data["Resources"]["P"]["Properties"]["PolicyDocument"]
    assert document["Version"] == "2012-10-17"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("Resources:\n  A: {Type: X}\n  A: {Type: Y}\n", 3),
        ("Resources:\n  A:\n    Type: X\n    Properties:\n      P: 1\n      P: 2\n", 6),
        ("Resources: {}\nResources: {}\n", 2),
        ('{"Resources": {},\n "Resources": {}}', 2),
        ('{"Resources": {\n "A": {"Type": "X"},\n "A": {"Type": "Y"}}}', 3),
        # inside a resource, the JSON line is the resource's
        ('{"Resources": {\n "A": {"Type": "X",\n  "Properties": {"P": 1, "P": 2}}}}', 2),
        ('{"Outputs": {"O": 1, "O": 2},\n "Resources": {}}', 1),
    ],
)
def test_duplicate_keys_are_rejected_with_their_line(text: str, line: int) -> None:
    with pytest.raises(InputError, match="duplicate key") as caught:
        parse_text(text, "t")
    assert caught.value.line == line
    assert str(caught.value).startswith(f"t:{line}: ")


def test_merge_keys_may_be_overridden_but_not_repeated() -> None:
    data = parse_text(
        "Defaults: &defaults {Runtime: python3.12, MemorySize: 128}\n"
        "Fn:\n"
        "  <<: *defaults\n"
        "  MemorySize: 256\n"
        "Both:\n"
        "  <<: [{A: first}, {A: second, B: b}]\n",
        "t.yaml",
    )
    assert data["Fn"] == {"Runtime": "python3.12", "MemorySize": 256}
    assert data["Both"] == {"A": "first", "B": "b"}
    with pytest.raises(InputError, match="duplicate key 'MemorySize'"):
        parse_text("D: &d {A: 1}\nFn:\n  <<: *d\n  MemorySize: 1\n  MemorySize: 2\n", "t")


YAML_TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Description: lines
Parameters:
  Env:
    Type: String
Resources:
  First:
    Type: AWS::SQS::Queue

  # a comment
  Second:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: !Sub "${Env}-topic"
  Third: {Type: AWS::S3::Bucket}
"""

JSON_TEMPLATE = """\
{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Description": "a \\"Resources\\" string and a { brace",
  "Metadata": {"Resources": {"First": 1}},
  "Resources": {
    "First": {
      "Type": "AWS::SQS::Queue",
      "Properties": {"Second": "a key named like a resource"}
    },

    "Second": {"Type": "AWS::SNS::Topic"}, "Third": {"Type": "AWS::S3::Bucket"}
  }
}
"""


@pytest.mark.parametrize(
    ("text", "lines", "resources_line"),
    [
        (YAML_TEMPLATE, {"First": 7, "Second": 11, "Third": 15}, 6),
        (JSON_TEMPLATE, {"First": 6, "Second": 11, "Third": 11}, 5),
    ],
    ids=["yaml", "json"],
)
@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
@pytest.mark.parametrize("bom", [False, True], ids=["plain", "bom"])
def test_resource_lines(
    tmp_path: Path,
    text: str,
    lines: dict[str, int],
    resources_line: int,
    newline: str,
    bom: bool,
) -> None:
    raw = text.replace("\n", newline).encode()
    path = tmp_path / "template"
    path.write_bytes(b"\xef\xbb\xbf" + raw if bom else raw)
    data = parse_text(read_text(str(path)), "template")
    resources = data["Resources"]
    assert isinstance(resources, LineDict)
    assert {key: line_of(resources, key) for key in resources} == lines
    assert line_of(data, "Resources") == resources_line
    assert line_of(data, "AWSTemplateFormatVersion") == (1 if text is YAML_TEMPLATE else 2)
    stack = load_file(str(path))
    assert {key: origin.line for key, origin in stack.origins.items()} == lines


def test_json_template_keeps_values_and_nested_line_dicts() -> None:
    data = parse_text(JSON_TEMPLATE, "t.json")
    assert data["Metadata"] == {"Resources": {"First": 1}}
    assert data["Resources"]["First"]["Properties"] == {"Second": "a key named like a resource"}
    assert isinstance(data["Resources"]["First"], LineDict)
    assert json.loads(JSON_TEMPLATE) == data


def test_bom_in_text_is_ignored() -> None:
    assert parse_text("\ufeffResources: {}\n", "t") == {"Resources": {}}
    assert parse_text('\ufeff  {"Resources": {}}', "t") == {"Resources": {}}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[1, 2]", "not a mapping"),
        ('"just a string"', "not a mapping"),
        ("42", "not a mapping"),
        ("~", "not a mapping"),
        ("# only a comment\n", "not a mapping"),
        ("---\na: 1\n---\nb: 2\n", "invalid YAML"),
        ("a: [1, 2\n", "invalid YAML"),
        ('{"a": 1,}', "invalid JSON"),
        ('{"a": 1} trailing', "invalid JSON"),
        ("{'a': 1}", "invalid JSON"),
        ("\ud800: x", "not UTF-8"),
    ],
)
def test_documents_that_are_not_mappings_or_not_valid(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as caught:
        parse_text(text, "f.yaml")
    assert str(caught.value).startswith("f.yaml")
    assert "\n" not in str(caught.value)


def test_invalid_json_reports_its_line() -> None:
    with pytest.raises(InputError) as caught:
        parse_text('{\n "Resources": {\n  "A": {"Type": "X",}\n }\n}', "t.json")
    assert caught.value.line == 3
    assert caught.value.message.startswith("invalid JSON")


def test_yaml_keys_that_are_not_strings_become_strings() -> None:
    assert parse_text("1: a\ntrue: b\n", "t") == {"1": "a", "True": "b"}


def test_read_text_refuses_what_is_not_utf8_text(tmp_path: Path) -> None:
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("Description: caf\xe9\n".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        read_text(str(latin))
    nul = tmp_path / "nul.yaml"
    nul.write_bytes(b"Resources: {}\n\x00")
    with pytest.raises(InputError, match="not a text file"):
        read_text(str(nul))
