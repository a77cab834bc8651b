"""Property-based tests: arbitrary JSON/YAML shapes as templates and as resource properties.

Whatever the input, loading raises nothing but `InputError`, no rule raises (a rule that raises
is an `error` finding), and every finding is well formed. Property names and values are drawn
from the words the extractors read (collected from their source), from intrinsic functions with
good and bad arguments, and from arbitrary scalars, so the generated resources reach deep into
the extractors and the rules.
"""

from __future__ import annotations

import ast
import functools
import json
import math
import re
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from serverless_guard.catalog import BY_ID
from serverless_guard.catalog.rule import Outcome
from serverless_guard.config import config_from_mapping
from serverless_guard.engines.cloudformation import extract
from serverless_guard.engines.cloudformation.extract import EXTRACTORS
from serverless_guard.engines.cloudformation.parse import LineDict, parse_text
from serverless_guard.engines.cloudformation.stack import load_template
from serverless_guard.errors import InputError
from serverless_guard.evaluate import evaluate
from serverless_guard.waivers import INVALID_SUPPRESSION, Waivers, template_waivers

ALL_RULES = config_from_mapping({"all": "advisory"})
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PER_KIND = settings(SETTINGS, max_examples=10)


def words_in(module: Path) -> set[str]:
    """String constants of a module that look like property names or values."""
    return {
        node.value
        for node in ast.walk(ast.parse(module.read_text()))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and re.fullmatch(r"[A-Za-z][\w:./*-]{0,60}", node.value)
    }


EXTRACT = Path(extract.__file__).parent
WORDS = sorted(set().union(*(words_in(m) for m in EXTRACT.glob("*.py"))))
IDS = ["Subject", "Fn", "Bucket", "Role", "Queue", "Topic", "Key", "Api", "Nowhere"]
PARAMETERS = ["Text", "Number", "NoDefault", "List", "FromSsm"]
CONDITIONS = ["IsProd", "Always", "Never", "Missing"]
VALUES = [
    "*",
    "",
    "true",
    "false",
    "Allow",
    "Deny",
    "s3:*",
    "iam:PassRole",
    "sts:AssumeRole",
    "lambda.amazonaws.com",
    "arn:aws:iam::123456789012:root",
    "arn:aws:iam::aws:policy/AdministratorAccess",
    "arn:aws:kms:us-east-1:123456789012:key/1234",
    "alias/aws/sqs",
    "aws:kms",
    "AES256",
    "PRIVATE",
    "REGIONAL",
    "EDGE",
    "python3.12",
    "python2.7",
    "nodejs20.x",
    "Active",
    "PassThrough",
    "TLS_1_0",
    "TLS_1_2",
    "GET /items",
    "$default",
    "${Fn.Arn}",
    "${Bucket}/*",
    "${?unknown}",
    "aws:SecureTransport",
    "aws:SourceArn",
    "2012-10-17",
]

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(WORDS),
    st.sampled_from(VALUES),
)
KEYS = st.one_of(st.sampled_from(WORDS), st.sampled_from(VALUES), st.text(max_size=8))
NAMES = st.one_of(st.sampled_from(IDS + PARAMETERS), st.sampled_from(VALUES), st.text(max_size=6))
FUNCTIONS = [
    "Ref",
    "Fn::GetAtt",
    "Fn::Sub",
    "Fn::Join",
    "Fn::If",
    "Fn::Select",
    "Fn::Split",
    "Fn::FindInMap",
    "Fn::Base64",
    "Fn::ImportValue",
    "Fn::GetAZs",
    "Fn::Cidr",
    "Fn::Length",
    "Fn::ToJsonString",
    "Fn::Transform",
    "Fn::Equals",
    "Condition",
]
SUB_TEMPLATES = st.lists(
    st.one_of(
        st.text(alphabet="abc:/-*", max_size=4),
        st.sampled_from(IDS + PARAMETERS + ["AWS::Region", "AWS::NoValue", "!Literal"]).map(
            lambda n: "${" + n + "}"
        ),
        st.sampled_from(IDS).map(lambda n: "${" + n + ".Arn}"),
    ),
    max_size=4,
).map("".join)


def intrinsics(children: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Intrinsic functions with well-formed arguments, and with anything as arguments."""
    return st.one_of(
        st.builds(
            lambda n: {"Ref": n},
            st.one_of(NAMES, st.sampled_from(["AWS::NoValue", "AWS::Region", "AWS::AccountId"])),
        ),
        st.builds(
            lambda n, a: {"Fn::GetAtt": [n, a]}, NAMES, st.sampled_from(["Arn", "Name", "X.Y"])
        ),
        st.builds(lambda t: {"Fn::Sub": t}, SUB_TEMPLATES),
        st.builds(
            lambda t, v: {"Fn::Sub": [t, v]},
            SUB_TEMPLATES,
            st.dictionaries(st.sampled_from(IDS + PARAMETERS), children, max_size=2),
        ),
        st.builds(
            lambda d, items: {"Fn::Join": [d, items]},
            st.sampled_from(["", ":", ","]),
            st.lists(children, max_size=4),
        ),
        st.builds(
            lambda c, a, b: {"Fn::If": [c, a, b]}, st.sampled_from(CONDITIONS), children, children
        ),
        st.builds(
            lambda i, items: {"Fn::Select": [i, items]},
            st.one_of(st.integers(-2, 4), children),
            children,
        ),
        st.builds(lambda d, s: {"Fn::Split": [d, s]}, st.sampled_from([",", "", ":"]), children),
        st.builds(
            lambda keys: {"Fn::FindInMap": keys},
            st.lists(st.sampled_from(["Env", "prod", "Days", "Zones", "Nested"]), max_size=4),
        ),
        st.builds(lambda f, arg: {f: arg}, st.sampled_from(FUNCTIONS), children),
    )


def trees(keys: st.SearchStrategy[str], scalars: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.recursive(
        scalars,
        lambda children: st.one_of(
            st.lists(children, max_size=4),
            st.dictionaries(keys, children, max_size=5),
            intrinsics(children),
        ),
        max_leaves=25,
    )


VALUES_TREE = trees(KEYS, SCALARS)
PROPERTIES = st.dictionaries(KEYS, VALUES_TREE, max_size=8)


@functools.cache
def properties_for(kind: str) -> st.SearchStrategy[dict[str, Any]]:
    """Properties drawn mostly from the words of the module that extracts `kind`."""
    module = Path(sys.modules[EXTRACTORS[kind].__module__].__file__ or "")
    own = st.sampled_from(sorted(words_in(module)))
    keys = st.one_of(own, own, own, KEYS)
    tree = trees(keys, st.one_of(own, SCALARS))
    return st.dictionaries(keys, tree, max_size=8)


SUPPRESSIONS = st.one_of(
    VALUES_TREE,
    st.builds(
        lambda entries: {"serverless-guard": {"suppress": entries}},
        st.lists(
            st.one_of(
                st.fixed_dictionaries(
                    {
                        "id": st.one_of(st.sampled_from(sorted(BY_ID)), st.text(max_size=8)),
                        "reason": st.one_of(st.text(max_size=20), st.none(), st.integers()),
                    }
                ),
                VALUES_TREE,
            ),
            max_size=3,
        ),
    ),
)

# Resources that the generated properties can refer to.
HELPERS: dict[str, Any] = {
    "Fn": {
        "Type": "AWS::Lambda::Function",
        "Properties": {
            "Runtime": "python3.12",
            "Handler": "index.handler",
            "Role": {"Fn::GetAtt": ["Role", "Arn"]},
            "Code": {"ZipFile": "x"},
        },
    },
    "Bucket": {"Type": "AWS::S3::Bucket"},
    "Role": {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "AssumeRolePolicyDocument": {
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "lambda.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ]
            }
        },
    },
    "Queue": {"Type": "AWS::SQS::Queue"},
    "Topic": {"Type": "AWS::SNS::Topic"},
    "Key": {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": {}}},
    "Api": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Name": "api"}},
}
SECTIONS: dict[str, Any] = {
    "Parameters": {
        "Text": {"Type": "String", "Default": "prod"},
        "Number": {"Type": "Number", "Default": 7},
        "NoDefault": {"Type": "String"},
        "List": {"Type": "CommaDelimitedList", "Default": "a,b"},
        "FromSsm": {"Type": "AWS::SSM::Parameter::Value<String>", "Default": "/x"},
    },
    "Conditions": {
        "IsProd": {"Fn::Equals": [{"Ref": "Text"}, "prod"]},
        "Always": {"Fn::Equals": ["a", "a"]},
        "Never": {"Fn::Not": [{"Condition": "Always"}]},
    },
    "Mappings": {"Env": {"prod": {"Days": 30, "Zones": ["a", "b"]}}},
}


def to_text(template: object, as_yaml: bool) -> str:
    if as_yaml:
        return yaml.safe_dump(template, allow_unicode=True)
    return json.dumps(template)


def check(template: object, as_yaml: bool = False) -> None:
    """Load and evaluate; only `InputError` may escape, and findings must be well formed."""
    name = "t.yaml" if as_yaml else "t.json"
    try:
        stack = load_template(parse_text(to_text(template, as_yaml), name), name)
    except InputError as err:
        problem = str(err)
    else:
        problem = None
    if problem is not None:
        assert problem.startswith(name)
        assert "\n" not in problem
        return
    findings = (
        Waivers(template_waivers(stack))
        .judge(evaluate(stack.facts, ALL_RULES, stack.locate))
        .findings
    )
    for finding in findings:
        assert finding.rule in BY_ID or finding.rule == INVALID_SUPPRESSION, finding
        assert finding.outcome in (Outcome.FAIL, Outcome.UNKNOWN, Outcome.ERROR), finding
        assert finding.message.strip(), finding
        assert finding.location.file == name
        assert finding.resource in stack.origins, finding
        if finding.rule != INVALID_SUPPRESSION:
            assert finding.outcome is not Outcome.ERROR, (
                f"rule {finding.rule} raised on {finding.resource}: {finding.message}\n"
                f"template: {json.dumps(template, default=repr)[:4000]}"
            )


@pytest.mark.parametrize("kind", sorted(EXTRACTORS))
@PER_KIND
@given(data=st.data(), metadata=SUPPRESSIONS, as_yaml=st.booleans())
def test_extractors_and_rules_survive_arbitrary_properties(
    kind: str, data: st.DataObject, metadata: object, as_yaml: bool
) -> None:
    properties = data.draw(properties_for(kind), label="properties")
    subject = {"Type": kind, "Properties": properties, "Metadata": metadata}
    check({**SECTIONS, "Resources": {**HELPERS, "Subject": subject}}, as_yaml)


CONDITION_EXPRESSIONS = st.recursive(
    st.one_of(
        st.builds(lambda c: {"Condition": c}, st.sampled_from(CONDITIONS)),
        st.builds(
            lambda a, b: {"Fn::Equals": [a, b]},
            st.one_of(SCALARS, st.builds(lambda n: {"Ref": n}, NAMES)),
            SCALARS,
        ),
        VALUES_TREE,
    ),
    lambda children: st.one_of(
        st.builds(lambda c: {"Fn::Not": [c]}, children),
        st.builds(lambda cs: {"Fn::And": cs}, st.lists(children, max_size=3)),
        st.builds(lambda cs: {"Fn::Or": cs}, st.lists(children, max_size=3)),
    ),
    max_leaves=6,
)
RESOURCE = st.fixed_dictionaries(
    {"Type": st.one_of(st.sampled_from(sorted(EXTRACTORS)), SCALARS)},
    optional={
        "Properties": st.one_of(PROPERTIES, VALUES_TREE),
        "Condition": st.one_of(st.sampled_from(CONDITIONS), SCALARS),
        "Metadata": SUPPRESSIONS,
        "DependsOn": VALUES_TREE,
    },
)
TEMPLATES = st.fixed_dictionaries(
    {
        "Resources": st.one_of(
            st.dictionaries(st.sampled_from(IDS), RESOURCE, min_size=1, max_size=6),
            st.dictionaries(KEYS, st.one_of(RESOURCE, VALUES_TREE), max_size=3),
            VALUES_TREE,
        )
    },
    optional={
        "AWSTemplateFormatVersion": st.sampled_from(["2010-09-09", 2010]),
        "Parameters": st.one_of(
            st.dictionaries(
                st.sampled_from(PARAMETERS),
                st.fixed_dictionaries(
                    {"Type": st.one_of(st.sampled_from(["String", "CommaDelimitedList"]), SCALARS)},
                    optional={"Default": VALUES_TREE},
                ),
                max_size=4,
            ),
            VALUES_TREE,
        ),
        "Conditions": st.one_of(
            st.dictionaries(st.sampled_from(CONDITIONS), CONDITION_EXPRESSIONS, max_size=4),
            VALUES_TREE,
        ),
        "Mappings": VALUES_TREE,
        "Outputs": VALUES_TREE,
        "Metadata": VALUES_TREE,
        "Transform": st.one_of(st.sampled_from(["AWS::LanguageExtensions"]), SCALARS),
    },
)


@SETTINGS
@given(template=TEMPLATES, as_yaml=st.booleans())
def test_random_templates_load_or_raise_input_error(
    template: dict[str, Any], as_yaml: bool
) -> None:
    check(template, as_yaml)


YAMLISH = st.lists(
    st.one_of(
        st.sampled_from(list("{}[]:,-!&*|>#'\"\n\t ?%@`\\")),
        st.sampled_from(["Resources", "Type", "!Ref", "!GetAtt", "<<", "---", "...", "&a", "*a"]),
        st.characters(),
    ),
    max_size=40,
).map("".join)


@SETTINGS
@given(text=st.one_of(YAMLISH, st.text(max_size=200)))
def test_arbitrary_text_parses_or_raises_input_error(text: str) -> None:
    try:
        data: object = parse_text(text, "t")
    except InputError as err:
        data = str(err)
    if isinstance(data, str):
        assert data.startswith("t")
        assert "\n" not in data
    else:
        assert isinstance(data, LineDict)


@SETTINGS
@given(value=VALUES_TREE)
def test_json_documents_parse_to_what_json_reads(value: object) -> None:
    text = json.dumps({"Resources": {}, "Value": value})
    try:
        parsed: object = parse_text(text, "t.json")["Value"]
    except InputError as err:
        parsed = err
    if isinstance(parsed, InputError):
        assert "nested" in parsed.message or "duplicate" in parsed.message
    else:
        assert same(parsed, json.loads(text)["Value"])


def same(left: object, right: object) -> bool:
    """Equality where NaN equals NaN."""
    if isinstance(left, float) and isinstance(right, float) and math.isnan(left):
        return math.isnan(right)
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(same(left[k], right[k]) for k in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(same(a, b) for a, b in zip(left, right, strict=True))
    return left == right
