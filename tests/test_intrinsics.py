"""Intrinsics resolve into literals, references, opaque values and per-resource variants."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from serverless_guard.catalog import BY_ID
from serverless_guard.catalog.rule import Outcome
from serverless_guard.config import Config
from serverless_guard.engines.cloudformation.intrinsics import (
    MAX_CONDITIONS_PER_RESOURCE,
    Resolver,
    Stack,
    assignments,
)
from serverless_guard.engines.cloudformation.parse import parse_text
from serverless_guard.engines.cloudformation.stack import load_template
from serverless_guard.evaluate import results
from serverless_guard.facts.lambda_ import Function
from serverless_guard.facts.nodes import Opaque, Ref, Text
from serverless_guard.facts.value import Known, Unknown


def make_stack(
    parameters: Mapping[str, Any] | None = None,
    conditions: Mapping[str, Any] | None = None,
    mappings: Mapping[str, Any] | None = None,
) -> Stack:
    return Stack(
        parameters=parameters or {},
        mappings=mappings or {},
        conditions=conditions or {},
        resources={"Bucket": {"Type": "AWS::S3::Bucket"}, "Fn": {"Type": "AWS::Lambda::Function"}},
    )


def resolve(
    node: Any, stack: Stack | None = None, assignment: Mapping[str, bool] | None = None
) -> Any:
    return Resolver(stack or make_stack(), assignment or {}).resolve(node)


# -- Ref -------------------------------------------------------------------------------------


def test_ref_to_parameter_gives_its_default() -> None:
    stack = make_stack({"Days": {"Type": "Number", "Default": 30}, "Name": {"Type": "String"}})
    assert resolve({"Ref": "Days"}, stack) == 30
    assert resolve({"Ref": "Name"}, stack) == Opaque("parameter Name")


def test_ref_to_list_parameter_gives_a_list() -> None:
    stack = make_stack(
        {
            "Subnets": {"Type": "List<AWS::EC2::Subnet::Id>", "Default": "subnet-1, subnet-2"},
            "Names": {"Type": "CommaDelimitedList", "Default": "a,b"},
        }
    )
    assert resolve({"Ref": "Subnets"}, stack) == ["subnet-1", "subnet-2"]
    assert resolve({"Fn::Select": [1, {"Ref": "Names"}]}, stack) == "b"


def test_ssm_parameter_types_are_opaque_even_with_a_default() -> None:
    stack = make_stack(
        {"Key": {"Type": "AWS::SSM::Parameter::Value<String>", "Default": "/app/kms-key"}}
    )
    assert resolve({"Ref": "Key"}, stack) == Opaque("parameter Key from SSM")


def test_ref_to_resource_and_pseudo_parameters() -> None:
    assert resolve({"Ref": "Bucket"}) == Ref("Bucket")
    assert resolve({"Ref": "AWS::Region"}) == Opaque("AWS::Region")
    assert resolve({"Ref": "Nowhere"}) == Opaque("Ref Nowhere")
    assert resolve({"Ref": ["not", "a", "name"]}) == Opaque("Ref to a computed name")


def test_no_value_removes_the_property_and_the_list_item() -> None:
    node = {"A": {"Ref": "AWS::NoValue"}, "B": [1, {"Ref": "AWS::NoValue"}, 2], "C": "c"}
    assert resolve(node) == {"B": [1, 2], "C": "c"}
    assert resolve({"Ref": "AWS::NoValue"}) is None


# -- GetAtt, Sub, Join -------------------------------------------------------------------------


def test_getatt_gives_a_reference_with_the_attribute() -> None:
    assert resolve({"Fn::GetAtt": ["Fn", "Arn"]}) == Ref("Fn", "Arn")
    assert resolve({"Fn::GetAtt": "Fn.Arn"}) == Ref("Fn", "Arn")
    assert resolve({"Fn::GetAtt": ["Elsewhere", "Arn"]}) == Opaque("Fn::GetAtt")


def test_sub_with_literals_references_and_escapes() -> None:
    stack = make_stack({"Env": {"Type": "String", "Default": "prod"}})
    assert resolve({"Fn::Sub": "app-${Env}"}, stack) == "app-prod"
    assert resolve({"Fn::Sub": "${!Literal}-${Env}"}, stack) == "${Literal}-prod"
    assert resolve({"Fn::Sub": "${Bucket.Arn}/*"}) == Text((Ref("Bucket", "Arn"), "/*"))
    assert resolve({"Fn::Sub": "${Bucket}"}) == Text((Ref("Bucket"),))
    region = resolve({"Fn::Sub": "arn:aws:s3:${AWS::Region}:x"})
    assert isinstance(region, Text)
    assert region.has_opaque


def test_sub_with_a_variables_map() -> None:
    node = {"Fn::Sub": ["${Name}-${Arn}", {"Name": "logs", "Arn": {"Fn::GetAtt": ["Fn", "Arn"]}}]}
    assert resolve(node) == Text(("logs-", Ref("Fn", "Arn")))
    assert resolve({"Fn::Sub": ["${N}", {"N": 7}]}) == "7"


def test_sub_flattens_computed_variables() -> None:
    """An opaque part inside a variable still makes the whole string opaque."""
    joined = {"Fn::Join": ["", [{"Fn::ImportValue": "Shared"}, "-x"]]}
    value = resolve({"Fn::Sub": ["${V}/y", {"V": joined}]})
    assert value == Text((Opaque("Fn::ImportValue"), "-x/y"))
    assert isinstance(value, Text)
    assert value.has_opaque


def test_join_with_references_is_text() -> None:
    node = {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::", {"Ref": "Bucket"}]]}
    value = resolve(node)
    assert value == Text(("arn:", Opaque("AWS::Partition"), ":s3:::", Ref("Bucket")))
    assert resolve({"Fn::Join": ["-", ["a", "b", 3]]}) == "a-b-3"
    assert resolve({"Fn::Join": ["-", {"Ref": "Nowhere"}]}) == Opaque("Fn::Join of a computed list")


# -- Select, Split, FindInMap, opaque functions ------------------------------------------------


def test_select_split_and_find_in_map() -> None:
    stack = make_stack(mappings={"Env": {"prod": {"Days": 365, "Zones": ["a", "b"]}}})
    assert resolve({"Fn::Select": [1, ["a", "b", "c"]]}) == "b"
    assert resolve({"Fn::Select": ["0", {"Fn::Split": [",", "x,y"]}]}) == "x"
    assert resolve({"Fn::FindInMap": ["Env", "prod", "Days"]}, stack) == 365
    assert resolve({"Fn::FindInMap": ["Env", "prod", "Zones"]}, stack) == ["a", "b"]
    assert resolve({"Fn::FindInMap": ["Env", "dev", "Days"]}, stack) == Opaque("Fn::FindInMap")
    assert resolve({"Fn::Select": [5, ["a"]]}) == Opaque("Fn::Select of a computed list")
    assert resolve({"Fn::Select": [float("inf"), ["a"]]}) == Opaque(
        "Fn::Select with a computed index"
    )
    assert resolve({"Fn::Split": [",", {"Ref": "AWS::StackName"}]}) == Opaque("Fn::Split")


def test_find_in_map_does_not_resolve_mapping_values() -> None:
    """Mapping values are literals; one shaped like an intrinsic must not loop back."""
    stack = make_stack(mappings={"M": {"K": {"V": {"Fn::FindInMap": ["M", "K", "V"]}}}})
    assert resolve({"Fn::FindInMap": ["M", "K", "V"]}, stack) == Opaque("Fn::FindInMap")


@pytest.mark.parametrize(
    "function", ["Fn::ImportValue", "Fn::GetAZs", "Fn::Cidr", "Fn::Length", "Fn::ToJsonString"]
)
def test_deployment_time_functions_are_opaque(function: str) -> None:
    assert resolve({function: "x"}) == Opaque(function)


# -- conditions ----------------------------------------------------------------------------------


def test_conditions_from_literals_are_decided() -> None:
    stack = make_stack(
        mappings={"M": {"k": {"v": "on"}}},
        conditions={
            "Yes": {"Fn::Equals": ["a", "a"]},
            "No": {"Fn::Not": [{"Condition": "Yes"}]},
            "Mapped": {"Fn::Equals": [{"Fn::FindInMap": ["M", "k", "v"]}, "on"]},
            "Both": {"Fn::And": [{"Condition": "Yes"}, {"Condition": "Mapped"}]},
            "Either": {"Fn::Or": [{"Condition": "No"}, {"Fn::Equals": [1, "1"]}]},
        },
    )
    resolver = Resolver(stack, {})
    assert [resolver.condition(c) for c in ("Yes", "No", "Mapped", "Both", "Either")] == [
        True,
        False,
        True,
        True,
        True,
    ]
    assert resolve({"Fn::If": ["No", "a", "b"]}, stack) == "b"
    assert list(assignments(stack, {"Fn::If": ["Yes", 1, 2]}, {})) == [{}]


def test_conditions_on_parameters_and_regions_are_undecided() -> None:
    stack = make_stack(
        {"Env": {"Type": "String", "Default": "prod"}},
        conditions={
            "IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
            "InUsEast": {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]},
            "Loop": {"Fn::Equals": [{"Fn::If": ["Loop", "a", "b"]}, "a"]},
            "Odd": {"Fn::Equals": [{"Ref": ["x"]}, "a"]},
        },
    )
    resolver = Resolver(stack, {})
    assert [resolver.condition(c) for c in ("IsProd", "InUsEast", "Loop", "Odd", "Missing")] == [
        None
    ] * 5
    assert resolve({"Fn::If": ["IsProd", "a", "b"]}, stack) == Opaque("condition IsProd")


ENV = {"Type": "String", "Default": "prod"}
LIST = {"Type": "CommaDelimitedList", "Default": "prod,dev"}
THROUGH_A_PARAMETER = {
    "ref": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
    "sub": {"Fn::Equals": [{"Fn::Sub": "${Env}"}, "prod"]},
    "sub with variables": {"Fn::Equals": [{"Fn::Sub": ["${X}", {"X": {"Ref": "Env"}}]}, "prod"]},
    "join": {"Fn::Equals": [{"Fn::Join": ["", [{"Ref": "Env"}]]}, "prod"]},
    "find in map": {"Fn::Equals": [{"Fn::FindInMap": ["M", {"Ref": "Env"}, "on"]}, "yes"]},
    "select": {"Fn::Equals": [{"Fn::Select": [0, {"Ref": "Envs"}]}, "prod"]},
    "select of split": {
        "Fn::Equals": [{"Fn::Select": [0, {"Fn::Split": [",", {"Ref": "Env"}]}]}, "prod"]
    },
    "if": {"Fn::Equals": [{"Fn::If": ["Literal", {"Ref": "Env"}, "x"]}, "prod"]},
    "nested condition": {
        "Fn::And": [{"Condition": "Literal"}, {"Fn::Equals": ["prod", {"Ref": "Env"}]}]
    },
}


@pytest.mark.parametrize("how", sorted(THROUGH_A_PARAMETER))
def test_a_parameter_decides_no_condition_by_its_default(how: str) -> None:
    """However a condition reaches a parameter, its default does not decide it (the deployer
    may pass another value)."""
    stack = make_stack(
        {"Env": ENV, "Envs": LIST},
        conditions={"Literal": {"Fn::Equals": ["a", "a"]}, "C": THROUGH_A_PARAMETER[how]},
        mappings={"M": {"prod": {"on": "yes"}, "dev": {"on": "no"}}},
    )
    assert Resolver(stack, {}).condition("C") is None


def test_parameters_still_resolve_to_their_defaults_outside_conditions() -> None:
    stack = make_stack({"Env": ENV}, mappings={"M": {"prod": {"on": "yes"}}})
    assert resolve({"Fn::FindInMap": ["M", {"Ref": "Env"}, "on"]}, stack) == "yes"
    assert resolve({"Fn::Sub": "${Env}-x"}, stack) == "prod-x"


def test_if_gives_both_branches_as_variants() -> None:
    stack = make_stack(
        {"Env": {"Type": "String", "Default": "prod"}},
        conditions={"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}},
    )
    properties = {"KmsKeyArn": {"Fn::If": ["IsProd", "arn:key", {"Ref": "AWS::NoValue"}]}}
    variants = [Resolver(stack, a).resolve(properties) for a in assignments(stack, properties, {})]
    assert variants == [{"KmsKeyArn": "arn:key"}, {}]


def test_resource_condition_forces_its_branch() -> None:
    stack = make_stack(
        {"Env": {"Type": "String", "Default": "prod"}},
        conditions={"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}},
    )
    properties = {"KmsKeyArn": {"Fn::If": ["IsProd", "arn:key", {"Ref": "AWS::NoValue"}]}}
    variants = [
        Resolver(stack, a).resolve(properties)
        for a in assignments(stack, properties, {"IsProd": True})
    ]
    assert variants == [{"KmsKeyArn": "arn:key"}]


def test_more_conditions_than_the_limit_stay_opaque() -> None:
    names = [f"C{i}" for i in range(MAX_CONDITIONS_PER_RESOURCE + 2)]
    stack = make_stack(
        {"P": {"Type": "String"}},
        conditions={n: {"Fn::Equals": [{"Ref": "P"}, n]} for n in names},
    )
    properties = {n: {"Fn::If": [n, "yes", "no"]} for n in names}
    found = list(assignments(stack, properties, {}))
    assert len(found) == 2**MAX_CONDITIONS_PER_RESOURCE
    resolved = Resolver(stack, found[0]).resolve(properties)
    decided = names[:MAX_CONDITIONS_PER_RESOURCE]
    assert [resolved[n] for n in decided] == ["yes"] * len(decided)
    assert [resolved[n] for n in names[len(decided) :]] == [
        Opaque(f"condition {n}") for n in names[len(decided) :]
    ]


# -- through a template: variants are facts, the worst verdict wins ------------------------------

TEMPLATE = """\
Parameters:
  Env: {Type: String, Default: prod}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  Never: !Equals [a, b]
Resources:
  Key: {Type: AWS::KMS::Key, Properties: {KeyPolicy: {}}}
  Maybe:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/r
      Code: {ZipFile: "x"}
      Environment: {Variables: {A: b}}
      KmsKeyArn: !If [IsProd, !GetAtt Key.Arn, !Ref AWS::NoValue]
  Forced:
    Type: AWS::Lambda::Function
    Condition: IsProd
    Properties:
      Role: arn:aws:iam::123456789012:role/r
      Code: {ZipFile: "x"}
      Environment: {Variables: {A: b}}
      KmsKeyArn: !If [IsProd, !GetAtt Key.Arn, !Ref AWS::NoValue]
  NeverDeployed:
    Type: AWS::Lambda::Function
    Condition: Never
    Properties:
      Role: arn:aws:iam::123456789012:role/r
      Code: {ZipFile: "x"}
      Environment: {Variables: {A: b}}
"""


def test_variants_through_a_template_worst_verdict_wins() -> None:
    stack = load_template(parse_text(TEMPLATE, "t.yaml"), "t.yaml")
    functions = [f for f in stack.facts if isinstance(f, Function)]
    assert sorted(f.id for f in functions) == ["Forced", "Maybe", "Maybe"]
    verdicts = {
        r.subject.id: r.verdict.outcome
        for r in results(stack.facts, Config(), [BY_ID["lambda-env-encrypted"]])
    }
    assert verdicts == {"Maybe": Outcome.FAIL, "Forced": Outcome.PASS}


CONDITIONAL_PROTECTION = """\
Parameters:
  Env: {Type: String, Default: prod}
Mappings:
  Tls: {prod: {on: "yes"}, dev: {on: "no"}}
Conditions:
  EnableTls: !Equals [!FindInMap [Tls, !Ref Env, on], "yes"]
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Bucket:
    Type: AWS::S3::Bucket
  BucketPolicy:
    Type: AWS::S3::BucketPolicy
    Condition: EnableTls
    Properties:
      Bucket: !Ref Bucket
      PolicyDocument:
        Statement:
          - Effect: Deny
            Principal: "*"
            Action: s3:*
            Resource: [!GetAtt Bucket.Arn, !Sub "${Bucket.Arn}/*"]
            Condition: {Bool: {aws:SecureTransport: false}}
  ProdBucket:
    Type: AWS::S3::Bucket
    Condition: EnableTls
  ProdBucketPolicy:
    Type: AWS::S3::BucketPolicy
    Condition: EnableTls
    Properties:
      Bucket: !Ref ProdBucket
      PolicyDocument:
        Statement:
          - Effect: Deny
            Principal: "*"
            Action: s3:*
            Resource: [!GetAtt ProdBucket.Arn, !Sub "${ProdBucket.Arn}/*"]
            Condition: {Bool: {aws:SecureTransport: false}}
  ImportedPolicyBucket:
    Type: AWS::S3::Bucket
  ImportedPolicy:
    Type: AWS::S3::BucketPolicy
    Condition: EnableTls
    Properties:
      Bucket: !Ref ImportedPolicyBucket
      PolicyDocument: !ImportValue shared-tls-policy
  OtherBucket:
    Type: AWS::S3::Bucket
    Condition: IsProd
  OtherBucketPolicy:
    Type: AWS::S3::BucketPolicy
    Condition: EnableTls
    Properties:
      Bucket: !Ref OtherBucket
      PolicyDocument:
        Statement:
          - Effect: Deny
            Principal: "*"
            Action: s3:*
            Resource: [!GetAtt OtherBucket.Arn, !Sub "${OtherBucket.Arn}/*"]
            Condition: {Bool: {aws:SecureTransport: false}}
"""


def test_protection_under_a_condition_holds_only_where_both_exist() -> None:
    """A bucket policy that exists only under a condition decided at deployment does not
    protect an unconditional bucket (fail, even when it would only have been unknown), protects
    a bucket under the same condition (pass), and leaves one under another condition undecided
    (unknown)."""
    stack = load_template(parse_text(CONDITIONAL_PROTECTION, "t.yaml"), "t.yaml")
    verdicts = {
        r.subject.id: r.verdict
        for r in results(stack.facts, Config(), [BY_ID["s3-bucket-tls-only"]])
    }
    assert verdicts["Bucket"].outcome is Outcome.FAIL
    assert "condition EnableTls" in verdicts["Bucket"].message
    assert verdicts["ProdBucket"].outcome is Outcome.PASS
    assert verdicts["OtherBucket"].outcome is Outcome.UNKNOWN
    # Unknown with the policy (its document is imported), failing without it: the fail counts.
    assert verdicts["ImportedPolicyBucket"].outcome is Outcome.FAIL
    deployed = {f.id: f.deployed for f in stack.facts}
    assert isinstance(deployed["BucketPolicy"], Unknown)
    assert deployed["Bucket"] == Known(True)
    assert deployed["ProdBucket"] == deployed["ProdBucketPolicy"]
