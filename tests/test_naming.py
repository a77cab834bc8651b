"""The naming tables are the engines' own names: each spelling is read back by the engine's
extractor, found in the engine's schema or SDK, and rendered as the engine writes it.

- CloudFormation, pulumi-aws and aws-native (derived): a resource that sets the spelled path is
  extracted into a fact whose field is known at exactly that path (the finding's `path` and the
  message therefore agree).
- pulumi-aws: every name exists in the installed Python SDK's input classes, under that wire
  name, and the Python names derived from it are the SDK's.
- SAM: SAM's own properties exist in the SAM translator's model and schema, and a SAM resource
  that sets one is transformed into a resource whose field is known.
- CDK: every L2 keyword exists in the installed aws-cdk-lib and is not deprecated; every struct,
  enum member and class named exists; every L1 name is the L1 class's own.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import json
import re
import typing
import warnings
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from serverless_guard.catalog.fix import AnyOf, Choice, Fix
from serverless_guard.engines.cloudformation.extract import EXTRACTORS as CFN_EXTRACTORS
from serverless_guard.engines.cloudformation.extract.base import CfnResource
from serverless_guard.engines.cloudformation.intrinsics import Resolver, Stack
from serverless_guard.engines.cloudformation.parse import parse_text
from serverless_guard.engines.cloudformation.sam import transform
from serverless_guard.engines.cloudformation.stack_facts import extract_stack
from serverless_guard.engines.pulumi.extract import EXTRACTORS as PULUMI_EXTRACTORS
from serverless_guard.engines.pulumi.extract import facts_from
from serverless_guard.engines.pulumi.model import PulumiResource
from serverless_guard.facts import (
    apigw,
    appsync,
    cognito,
    data,
    lambda_,
    logs,
    messaging,
    s3,
    stepfunctions,
    waf,
)
from serverless_guard.facts.base import Resource
from serverless_guard.facts.value import Known, Path
from serverless_guard.naming import (
    Dialect,
    SamSource,
    Wording,
    cloudformation,
    native,
    pulumi_aws,
    sam,
)
from serverless_guard.naming import cdk as cdk_names
from serverless_guard.naming.display import python_module, resource_name, to_python
from serverless_guard.naming.render import fix_text
from serverless_guard.naming.spelling import (
    ANY_KEY,
    ENTRY,
    Code,
    Spelling,
    lookup,
    path_text,
    snake_case,
)

FACT_KINDS: dict[str, type] = {
    cls.__name__: cls
    for module in (apigw, appsync, cognito, data, lambda_, logs, messaging, s3, stepfunctions, waf)
    for cls in vars(module).values()
    if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == module.__name__
}
MAP_KEY = "probe"

# Properties a resource needs before its extractor yields the facts a spelling is about.
CFN_BASE: Mapping[str, Mapping[str, Any]] = {
    "AWS::ApiGateway::Deployment": {"RestApiId": "api", "StageName": "prod"},
    "AWS::ApiGatewayV2::ApiGatewayManagedOverrides": {"ApiId": "api"},
}


def entries(table: Mapping[str, Mapping[str, Any]]) -> Iterator[tuple[str, str, Spelling]]:
    for type_, fields in table.items():
        for key in fields:
            for spelling in lookup(table, type_, key):
                yield type_, key, spelling


def field_type(key: str) -> Any:
    """`T` of the field's `Value[T]` (a tuple's item type for tuples)."""
    kind, field = key.split(".")
    hint = typing.get_type_hints(FACT_KINDS[kind])[field]
    known = next(a for a in typing.get_args(hint) if typing.get_origin(a) is Known)
    inner = typing.get_args(known)[0]
    return typing.get_args(inner)[0] if typing.get_origin(inner) is tuple else inner


PROBE = "probe-value"


def probe_value(key: str, spelling: Spelling) -> Any:
    """A value of the field's type, as an engine's input (a list for a listed property)."""
    kind = field_type(key)
    if kind is bool:
        return True
    if kind is int:
        return 7
    return [PROBE] if spelling.listed else PROBE


def holds(value: object, probe: Any) -> bool:
    """Whether a fact's value is the probe (or, for lists, holds it)."""
    if probe is ANY:
        return True
    if isinstance(value, tuple):
        return PROBE in value
    return bool(value == probe)


_SIGV4 = {
    "iam": {
        "type": "apiKey",
        "name": "Authorization",
        "in": "header",
        "x-amazon-apigateway-authtype": "awsSigv4",
    }
}
_OPERATION = ("paths", ANY_KEY, ANY_KEY)
ANY = object()  # any known value


def document_probe(spelling: Spelling) -> tuple[Any, Path, Any] | None:
    """For a spelling into a document (an OpenAPI body, a policy): a document that sets it,
    where the value is read in it, and the value read there (`ANY`: any known value)."""
    if spelling.document is None:
        return None
    tail = spelling.path[spelling.document + 1 :]
    operation = {"paths": {"/probe": {"get": {}}}}
    if tail == (*_OPERATION, "security"):
        document = {"paths": {"/probe": {"get": {"security": [{"iam": []}]}}}}
        return (
            {**document, "securityDefinitions": _SIGV4},
            ("paths", "/probe", "get", "security"),
            "AWS_IAM",
        )
    if tail == ("security",):
        return (
            {**operation, "security": [{"iam": []}], "securityDefinitions": _SIGV4},
            tail,
            "AWS_IAM",
        )
    if tail == (*_OPERATION, "x-amazon-apigateway-auth", "type"):
        auth = {"x-amazon-apigateway-auth": {"type": "AWS_IAM"}}
        where = ("paths", "/probe", "get", "x-amazon-apigateway-auth", "type")
        return {"paths": {"/probe": {"get": auth}}}, where, "AWS_IAM"
    if tail == ():
        statement = {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}
        return {"Version": "2012-10-17", "Statement": [statement]}, (), ANY
    return None


def probe(
    spelling: Spelling, key: str, base: Mapping[str, Any] | None = None
) -> tuple[dict[str, Any], Path, Any]:
    """Properties that set a spelling, where the extractor is to read the field, and what."""
    found = document_probe(spelling)
    if found is None:
        value = probe_value(key, spelling)
        return build(spelling, value, base), expected_at(spelling), value
    document, where, value = found
    top = spelling.path[: (spelling.document or 0) + 1]
    properties: dict[str, Any] = json.loads(json.dumps(base or {}))
    _put(properties, top, json.dumps(document) if spelling.json else document)
    return properties, (*top, *where), value


def build(spelling: Spelling, value: Any, base: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Properties that set the spelled path (and its companions) to `value`."""
    properties: dict[str, Any] = json.loads(json.dumps(base or {}))
    for path in (spelling.path, *(p for p, _ in spelling.companions)):
        _put(properties, path, value if path == spelling.path else "companion")
    if spelling.json and spelling.document is not None:
        top = str(spelling.path[0])
        properties[top] = json.dumps(properties[top])
    return properties


def _put(node: Any, path: tuple[str | int, ...], value: Any) -> None:
    """Set `path` in `node`: a list entry is the list's first item, any map key is MAP_KEY."""
    head, *rest = path
    key: str | int = 0 if head == ENTRY else MAP_KEY if head == ANY_KEY else head
    if not rest:
        node[key] = value
        return
    empty: Any = [{}] if rest[0] == ENTRY else {}
    if isinstance(node, list):
        child = node[key] if isinstance(key, int) else node
    else:
        child = node.setdefault(key, empty)
    _put(child, tuple(rest), value)


def expected_at(spelling: Spelling) -> Path:
    return tuple(
        0 if part == ENTRY else MAP_KEY if part == ANY_KEY else part for part in spelling.path
    )


def known_values(node: object, field: str | None) -> Iterator[Known[Any]]:
    """Every known value of `field` (None: of any field) in a fact and the parts inside it
    (method settings)."""
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        for f in dataclasses.fields(node):
            value = getattr(node, f.name)
            if field in (None, f.name) and isinstance(value, Known):
                yield value
            yield from known_values(value, field)
    elif isinstance(node, Known):
        yield from known_values(node.value, field)
    elif isinstance(node, tuple):
        for item in node:
            yield from known_values(item, field)


def read_back(
    facts: list[Resource], key: str, probe: Any, spelled: Path, *, any_field: bool = False
) -> bool:
    """Whether a fact holds the probe in the key's field (in any field, for a spelling that
    writes the field's value as another one's), read at the spelled path or at the list the
    spelled path is an entry of (a list of log destinations)."""
    field = None if any_field else key.split(".")[1]
    return any(
        holds(value.value, probe) and spelled[: len(value.at)] == value.at and value.at
        for fact in facts
        for value in known_values(fact, field)
    )


CFN_ENTRIES = [e for e in entries(cloudformation.NAMES) if not e[2].instead]


def _cfn_facts(type_: str, properties: Mapping[str, Any]) -> list[Resource]:
    resolved = Resolver(Stack({}, {}, {}, {}), {}).resolve(properties)
    return list(CFN_EXTRACTORS[type_](CfnResource("Probe", type_, resolved)))


@pytest.mark.parametrize(
    "entry", CFN_ENTRIES, ids=[f"{t}/{k}/{path_text(s.path)}" for t, k, s in CFN_ENTRIES]
)
def test_cloudformation_spellings_are_read_back_by_the_extractor(
    entry: tuple[str, str, Spelling],
) -> None:
    type_, key, spelling = entry
    target = spelling.resource or type_
    properties, where, value = probe(spelling, key, CFN_BASE.get(target))
    facts = _cfn_facts(target, properties)
    assert read_back(facts, key, value, where), (properties, facts)


PULUMI_ENTRIES = [e for e in entries(pulumi_aws.NAMES) if not e[2].instead]


def _pulumi_facts(type_: str, properties: Mapping[str, Any]) -> list[Resource]:
    urn = f"urn:pulumi:test::proj::{type_}::probe"
    return facts_from([PulumiResource(urn=urn, type=type_, name="probe", props=properties)])


def _others(
    table: Mapping[str, Mapping[str, Any]], type_: str, key: str, spelling: Spelling
) -> list[Spelling]:
    return [
        s
        for s in lookup(table, type_, key)
        if s is not spelling and s.resource == spelling.resource
    ]


@pytest.mark.parametrize(
    "entry", PULUMI_ENTRIES, ids=[f"{t}/{k}/{path_text(s.path)}" for t, k, s in PULUMI_ENTRIES]
)
def test_pulumi_aws_spellings_are_read_back_by_the_extractor(
    entry: tuple[str, str, Spelling],
) -> None:
    """A spelling among several for one field (a table's and each replica's point-in-time
    recovery) is read where the others are set and it is not: the extractor reports the
    weakest of them."""
    type_, key, spelling = entry
    target = spelling.resource or type_
    mapped = [v for k, v in spelling.values.items() if k != ENTRY and not isinstance(v, Code)]
    if mapped:
        properties, where, value = build(spelling, mapped[0]), expected_at(spelling), mapped[0]
    else:
        properties, where, value = probe(spelling, key)
    facts = _pulumi_facts(target, properties)
    if read_back(facts, key, value, where, any_field=bool(mapped)):
        return
    for other in _others(pulumi_aws.NAMES, type_, key, spelling):
        properties = build(other, probe_value(key, other), properties)
    _put(properties, expected_at(spelling), False if value is True else None)
    facts = _pulumi_facts(target, properties)
    assert reads(facts, key, expected_at(spelling)), (properties, facts)


def reads(facts: list[Resource], key: str, spelled: Path) -> bool:
    """Whether a fact holds the key's field, in any state, read at exactly the spelled path."""
    field = key.split(".")[1]
    return any(
        getattr(fact, field, None) is not None and getattr(fact, field).at == spelled
        for fact in facts
    )


NATIVE_ENTRIES = [
    (token, key, spelling)
    for type_, key, _ in CFN_ENTRIES
    if (token := native.native_type(type_)) in PULUMI_EXTRACTORS
    for spelling in native.spellings(token, key)
    if not spelling.instead
]


@pytest.mark.parametrize(
    "entry", NATIVE_ENTRIES, ids=[f"{t}/{k}/{path_text(s.path)}" for t, k, s in NATIVE_ENTRIES]
)
def test_aws_native_spellings_follow_the_native_extractors_rule(
    entry: tuple[str, str, Spelling],
) -> None:
    """aws-native's names are derived from CloudFormation's: the aws-native extractor, which
    reads inputs by the same rule the other way, finds each value where its name says."""
    token, key, spelling = entry
    target = spelling.resource or token
    base = {native_name(k): v for k, v in CFN_BASE.get(cloudformation_type(target), {}).items()}
    properties, where, value = probe(spelling, key, base)
    facts = _pulumi_facts(target, properties)
    assert read_back(facts, key, value, where), (properties, facts)


def native_name(name: str) -> str:
    return name[:1].lower() + name[1:]


def cloudformation_type(token: str) -> str:
    from serverless_guard.engines.pulumi.extract.native import cfn_type

    return cfn_type(token) or token


def test_aws_native_names_of_acronyms_are_the_extractors_exceptions() -> None:
    """`SSESpecification` is `sseSpecification`, not `sSESpecification`."""
    (spelling,) = native.spellings("aws-native:dynamodb:Table", "Table.kms_key")
    assert spelling.path == ("sseSpecification", "kmsMasterKeyId")
    (spelling,) = native.spellings("aws-native:s3:Bucket", "BucketEncryption.kms_key")
    assert spelling.path[-1] == "kmsMasterKeyId"
    assert native.native_type("AWS::ApiGatewayV2::Stage") == "aws-native:apigatewayv2:Stage"
    assert native.native_type("AWS::NoSuch::Thing") == "AWS::NoSuch::Thing"


def _sdk_resource(token: str) -> type:
    """The Python SDK's class of a pulumi-aws type token (`aws:s3/bucket:Bucket`)."""
    service = token.split(":")[1].split("/")[0]
    with warnings.catch_warnings():  # the SDK's deprecated types warn when loaded
        warnings.simplefilter("ignore", DeprecationWarning)
        package = importlib.import_module(f"pulumi_aws.{python_module(service)}")
        resource: type = getattr(package, token.rsplit(":", 1)[1])
    return resource


def _nested(annotation: object, inputs: Any) -> type | None:
    """The input class an annotation names (`'TablePointInTimeRecoveryArgs'`), if any."""
    found = re.findall(r"'(\w+Args)'", str(annotation))
    return getattr(inputs, found[0]) if found else None


def _sdk_walk(token: str, path: tuple[str | int, ...], document: int | None) -> list[str]:
    """The Python names of `path` in the SDK: the resource's arguments, then the input classes
    (each found by its wire name, or by the Python name derived from it)."""
    resource = _sdk_resource(token)
    inputs = importlib.import_module(resource.__module__.rsplit(".", 1)[0] + "._inputs")
    names: list[str] = []
    current: type | None = None
    for index, part in enumerate(path):
        if part in (ENTRY, ANY_KEY) or isinstance(part, int):
            continue
        if document is not None and index > document:
            break
        assert isinstance(part, str)
        if not names:
            parameters = inspect.signature(resource._internal_init).parameters  # type: ignore[attr-defined]
            assert snake_case(part) in parameters, f"{token} has no argument for {part!r}"
            names.append(snake_case(part))
            current = _nested(parameters[snake_case(part)].annotation, inputs)
            continue
        assert current is not None, f"{path_text(path)}: {names} is not an object"
        found = [
            (attr, member)
            for attr, member in inspect.getmembers(current)
            if isinstance(member, property)
            and part in (getattr(member.fget, "_pulumi_name", attr), attr)
        ]
        assert found, f"{current.__name__} has no input {part!r}"
        attr, member = found[0]
        names.append(attr)
        current = _nested(inspect.signature(member.fget).return_annotation, inputs)
    return names


@pytest.mark.parametrize(
    "entry", PULUMI_ENTRIES, ids=[f"{t}/{k}/{path_text(s.path)}" for t, k, s in PULUMI_ENTRIES]
)
def test_pulumi_aws_names_and_their_python_names_are_the_sdks(
    entry: tuple[str, str, Spelling],
) -> None:
    type_, _, spelling = entry
    token = spelling.resource or type_
    python = to_python(spelling)
    for wire, derived in (
        (spelling.path, python.path),
        *zip((p for p, _ in spelling.companions), (p for p, _ in python.companions), strict=True),
    ):
        names = _sdk_walk(token, wire, spelling.document)
        expected = [
            p
            for i, p in enumerate(derived)
            if isinstance(p, str)
            and p not in (ENTRY, ANY_KEY)
            and (spelling.document is None or i <= spelling.document)
        ]
        assert names == expected


# --- CDK ---------------------------------------------------------------------------------------

L2_ENTRIES = [
    *((fqn, key, spelling) for fqn, key, spelling in entries(cdk_names.L2)),
    *(
        (owner, key, spelling)
        for (owner, _), table in cdk_names.OWNERS.items()
        for _, key, spelling in entries(table)
    ),
]


def _cdk_namespace() -> dict[str, Any]:
    """The aws-cdk-lib modules under the aliases the tables use (`lambda_`, `apigateway`)."""
    import aws_cdk

    namespace: dict[str, Any] = {}
    for name in dir(aws_cdk):
        if name.startswith("aws_"):
            namespace[python_module(name.removeprefix("aws_"))] = getattr(aws_cdk, name)
    return namespace


def _cdk_class(fqn: str) -> Any:
    import aws_cdk

    module, _, name = fqn.removeprefix("aws-cdk-lib.").rpartition(".")
    return getattr(getattr(aws_cdk, module), name)


def _keywords(cls: Any) -> dict[str, inspect.Parameter]:
    return dict(inspect.signature(cls.__init__).parameters)


def _deprecated(cls: Any, keyword: str) -> bool:
    """Whether a keyword of a construct (or struct) is deprecated, by its props struct's doc."""
    module = inspect.getmodule(cls)
    props = getattr(module, f"{cls.__name__}Props", cls)
    member = getattr(props, keyword, None)
    doc = getattr(member, "__doc__", "") or ""
    return ":stability: deprecated" in doc


def _code_is_real(text: str, namespace: Mapping[str, Any]) -> None:
    """Every class, enum member and method a piece of code names exists, and every keyword it
    passes is a parameter; `<...>` stands for what the user gives."""
    tree = ast.parse(re.sub(r"<[^>]*>", "None", text).replace("...", "None"), mode="eval")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
            target = eval(compile(ast.Expression(node), "<code>", "eval"), dict(namespace))
            assert target is not None, text
        if isinstance(node, ast.Call):
            func = eval(compile(ast.Expression(node.func), "<code>", "eval"), dict(namespace))
            parameters = inspect.signature(func).parameters
            for keyword in node.keywords:
                assert keyword.arg in parameters, f"{text}: no keyword {keyword.arg}"


@pytest.mark.parametrize(
    "entry",
    L2_ENTRIES,
    ids=[f"{f.rsplit('.', 1)[1]}/{k}/{path_text(s.path)}" for f, k, s in L2_ENTRIES],
)
def test_cdk_l2_keywords_exist_and_are_not_deprecated(entry: tuple[str, str, Spelling]) -> None:
    fqn, _, spelling = entry
    namespace = _cdk_namespace()
    for cls in (_cdk_class(fqn),):
        for path in (spelling.path, *(p for p, _ in spelling.companions)):
            current = cls
            for part in path:
                assert isinstance(part, str)
                assert part in _keywords(current), f"{current.__name__} has no keyword {part}"
                assert not _deprecated(current, part), f"{current.__name__}.{part} is deprecated"
                struct = spelling.structs.get(part)
                if struct is not None:
                    current = eval(struct, dict(namespace))
    for value in (*spelling.values.values(), *(v for _, v in spelling.companions)):
        if isinstance(value, Code):
            _code_is_real(value.text, namespace)
    for struct in spelling.structs.values():
        _code_is_real(struct, namespace)


def _l1_class(cfn_type: str) -> Any:
    import aws_cdk

    service, name = cfn_type.split("::")[1:]
    return getattr(getattr(aws_cdk, f"aws_{service.lower()}"), f"Cfn{name}")


L1_ENTRIES = [e for e in CFN_ENTRIES if not e[0].startswith("Custom::")]


@pytest.mark.parametrize(
    "entry", L1_ENTRIES, ids=[f"{t}/{k}/{path_text(s.path)}" for t, k, s in L1_ENTRIES]
)
def test_cdk_l1_names_are_the_l1_classes_own(entry: tuple[str, str, Spelling]) -> None:
    """jsii's Python names of CloudFormation's properties, as the L1 class and its property
    structs (`CfnTable.PointInTimeRecoverySpecificationProperty`) take them."""
    type_, key, _ = entry
    owner = _l1_class(type_)
    for spelling in cdk_names.l1_spellings(type_, key):
        cls = _l1_class(spelling.resource) if spelling.resource else owner
        for path in (spelling.path, *(p for p, _ in spelling.companions)):
            current: Any = cls
            for index, part in enumerate(path):
                if part in (ENTRY, ANY_KEY) or isinstance(part, int):
                    continue
                if spelling.document is not None and index > spelling.document:
                    break
                parameters = _keywords(current)
                assert part in parameters, f"{current.__name__} has no keyword {part}"
                found = re.findall(r"'(Cfn\w+)\.(\w+Property)'", str(parameters[part].annotation))
                current = (
                    getattr(_l1_class_by_name(cls, found[0][0]), found[0][1]) if found else None
                )
                if current is None:
                    break


def _l1_class_by_name(near: Any, name: str) -> Any:
    return getattr(inspect.getmodule(near), name)


# --- SAM ---------------------------------------------------------------------------------------

SAM_BASE: Mapping[str, Mapping[str, Any]] = {
    sam.FUNCTION: {"Runtime": "python3.12", "Handler": "index.handler", "InlineCode": "x"},
    sam.API: {"StageName": "prod"},
    sam.HTTP_API: {},
    sam.STATE_MACHINE: {
        "Definition": {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}
    },
    "AWS::Serverless::SimpleTable": {},
    sam.GRAPHQL_API: {"SchemaInline": "type Query { ping: String }", "Auth": {"Type": "AWS_IAM"}},
}
# What a SAM property needs beside it to be accepted (by property, or by `<type>.<property>`
# where types differ).
SAM_NEEDS: Mapping[str, Mapping[str, Any]] = {
    f"{sam.GRAPHQL_API}.Logging": {},
    "Domain": {
        "Domain": {
            "DomainName": "api.example.com",
            "CertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/probe",
        }
    },
    "Logging": {"Logging": {"Level": "ERROR"}},
}
# SAM's accepted values for the fields whose probe value it would refuse, as read back.
SAM_VALUES: Mapping[str, Any] = {
    "Function.tracing_mode": "Active",
    "FunctionUrl.auth_type": "AWS_IAM",
    "Permission.function_url_auth_type": "NONE",
    "RestMethod.authorization_type": "AWS_IAM",
    "Route.authorization_type": "AWS_IAM",
    "GraphqlApi.authentication_type": "AWS_IAM",
    "RestApi.policy": {
        "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "*"}
        ]
    },
}
# A function whose events put methods on the probed API (SAM authorizes those).
SAM_EVENTS: Mapping[str, Mapping[str, Any]] = {
    sam.API: {
        "Type": "Api",
        "Properties": {"RestApiId": {"Ref": "Probe"}, "Path": "/", "Method": "get"},
    },
    sam.HTTP_API: {
        "Type": "HttpApi",
        "Properties": {"ApiId": {"Ref": "Probe"}, "Path": "/", "Method": "get"},
    },
}
SAM_AUTH: Mapping[str, Mapping[str, Any]] = {sam.HTTP_API: {"EnableIamAuthorizer": True}}


def sam_entries() -> Iterator[tuple[str, str, str, Spelling]]:
    """SAM's own spellings, and the pass-through ones, of every SAM type and generated type."""
    for sam_type, table in sam.NAMES.items():
        for generated, key, spelling in entries(table):
            if not spelling.instead:
                yield sam_type, generated, key, spelling
    for sam_type, generated_types in sam.MAIN_RESOURCES.items():
        if sam_type not in SAM_BASE:
            continue
        for generated in sorted(generated_types):
            for key in cloudformation.NAMES.get(generated, {}):
                if sam.explicit(sam_type, generated, key):
                    continue
                for spelling in sam.passthrough(sam_type, generated, key):
                    if not spelling.instead:
                        yield sam_type, generated, key, spelling


SAM_ENTRIES = list(sam_entries())


def _companion_value(value: object) -> Any:
    if isinstance(value, AnyOf):
        return value.values[0]
    if isinstance(value, Choice | Code):
        return "probe-companion"
    return value


def _sam_facts(sam_type: str, properties: Mapping[str, Any]) -> list[Resource]:
    resources: dict[str, Any] = {"Probe": {"Type": sam_type, "Properties": properties}}
    if sam_type in SAM_EVENTS:
        handler = {**SAM_BASE[sam.FUNCTION], "Events": {"Call": SAM_EVENTS[sam_type]}}
        resources["Handler"] = {"Type": sam.FUNCTION, "Properties": handler}
    template = {"Transform": "AWS::Serverless-2016-10-31", "Resources": resources}
    data, origins = transform(parse_text(json.dumps(template), "probe.json"), "probe.json")
    return extract_stack(data, "probe.json", origins).facts


@pytest.mark.parametrize(
    "entry",
    SAM_ENTRIES,
    ids=[f"{s.removeprefix(sam.PREFIX)}/{g}/{k}/{path_text(p.path)}" for s, g, k, p in SAM_ENTRIES],
)
def test_sam_spellings_are_sams_own_and_reach_the_generated_resource(
    entry: tuple[str, str, str, Spelling],
) -> None:
    """A SAM resource that sets the spelled property is transformed into a resource whose
    field holds the value: SAM's own names (`Tracing`, `DeadLetterQueue`) and the properties it
    passes through under CloudFormation's names alike."""
    sam_type, _, key, spelling = entry
    top = spelling.path[0]
    assert top in sam.sam_properties()[sam_type]
    value = SAM_VALUES.get(key, probe_value(key, spelling))
    needs = SAM_NEEDS.get(f"{sam_type}.{top}", SAM_NEEDS.get(str(top), {}))
    properties = {**SAM_BASE[sam_type], **needs}
    properties = build(spelling, value, properties)
    if top == "Auth":
        properties["Auth"].update(SAM_AUTH.get(sam_type, {}))
    for path, companion in spelling.companions:
        _put(properties, path, _companion_value(companion))
    kind, field = key.split(".")
    parts = not issubclass(FACT_KINDS[kind], Resource)  # method settings live in stages
    facts = [f for f in _sam_facts(sam_type, properties) if parts or type(f).__name__ == kind]
    expected = ANY if isinstance(value, dict) else value
    assert any(holds(v.value, expected) for f in facts for v in known_values(f, field)), (
        properties,
        facts,
    )


def test_sam_globals_are_named_where_the_template_sets_them() -> None:
    function = SamSource(sam.FUNCTION, own=frozenset({"Runtime"}), globals=frozenset({"Tracing"}))
    wording = Wording(Dialect.SAM, "AWS::Lambda::Function", sam=function)
    tracing = Fix.set(lambda_.Function, "tracing_mode", "Active")
    assert fix_text(tracing, wording) == "set Globals.Function.Tracing to Active"
    runtime = Fix.set(lambda_.Function, "runtime", Choice("a supported runtime"))
    own = SamSource(sam.FUNCTION, own=frozenset({"Runtime"}), globals=frozenset({"Runtime"}))
    assert fix_text(runtime, Wording(Dialect.SAM, "AWS::Lambda::Function", sam=own)) == (
        "set Runtime to a supported runtime"
    )
    facts = _sam_facts_with_globals({"Function": {"Tracing": "Active"}})
    assert any(
        getattr(f, "tracing_mode", None) == Known("Active", ("TracingConfig", "Mode"))
        for f in facts
    )


def _sam_facts_with_globals(globals_: Mapping[str, Any]) -> list[Resource]:
    template = {
        "Transform": "AWS::Serverless-2016-10-31",
        "Globals": globals_,
        "Resources": {"Probe": {"Type": sam.FUNCTION, "Properties": SAM_BASE[sam.FUNCTION]}},
    }
    data, origins = transform(parse_text(json.dumps(template), "probe.json"), "probe.json")
    return extract_stack(data, "probe.json", origins).facts


# --- rendering ---------------------------------------------------------------------------------

CFN_STAGE = Wording(Dialect.CLOUDFORMATION, "AWS::ApiGateway::Stage")
LOG_LEVEL = Fix.set(apigw.MethodSetting, "logging_level", AnyOf(("ERROR", "INFO")))
REDRIVE = Fix.set(messaging.Queue, "dead_letter_target", Choice("the dead-letter queue's ARN"))


@pytest.mark.parametrize(
    ("wording", "at", "expected"),
    [
        (
            CFN_STAGE,
            ("MethodSettings",),
            "add an entry in MethodSettings with ResourcePath /*, HttpMethod * and LoggingLevel "
            "ERROR or INFO",
        ),
        (
            CFN_STAGE,
            ("MethodSettings", 2, "LoggingLevel"),
            "set MethodSettings[2].LoggingLevel to ERROR or INFO",
        ),
        (
            Wording(Dialect.PULUMI, "aws:apigateway/stage:Stage"),
            (),
            "declare an aws:apigateway:MethodSettings with methodPath set to */* and "
            "settings.loggingLevel set to ERROR or INFO",
        ),
        (
            Wording(Dialect.PULUMI, "aws:apigateway/stage:Stage"),
            ("settings", "loggingLevel"),
            "in its aws:apigateway:MethodSettings, set settings.loggingLevel to ERROR or INFO",
        ),
        (
            Wording(Dialect.PULUMI_PYTHON, "aws:apigateway/stage:Stage"),
            (),
            'declare aws.apigateway.MethodSettings(method_path="*/*", settings={"logging_level": '
            '"ERROR"}) (or "INFO")',
        ),
        (
            Wording(Dialect.PULUMI_PYTHON, "aws-native:apigateway:Stage"),
            ("methodSettings",),
            'set method_settings=[{"resource_path": "/*", "http_method": "*", "logging_level": '
            '"ERROR"}] (or "INFO")',
        ),
        (
            Wording(
                Dialect.CDK,
                "AWS::ApiGateway::Stage",
                constructs=(
                    ("Resource", "aws-cdk-lib.aws_apigateway.CfnStage"),
                    ("DeploymentStage.prod", "aws-cdk-lib.aws_apigateway.Stage"),
                    ("Api", "aws-cdk-lib.aws_apigateway.LambdaRestApi"),
                ),
            ),
            (),
            "set deploy_options=apigateway.StageOptions(logging_level="
            "apigateway.MethodLoggingLevel.ERROR)",
        ),
        (
            Wording(
                Dialect.CDK,
                "AWS::ApiGateway::Stage",
                constructs=(("Resource", "aws-cdk-lib.aws_apigateway.CfnStage"),),
            ),
            (),
            'set method_settings=[{"resource_path": "/*", "http_method": "*", "logging_level": '
            '"ERROR"}] (or "INFO")',
        ),
        (
            Wording(Dialect.CLOUDFORMATION, "AWS::ApiGateway::Deployment"),
            ("StageDescription",),
            "set StageDescription.LoggingLevel to ERROR or INFO; or declare the stage as a "
            "resource of its own instead of in the deployment",
        ),
        (
            Wording(Dialect.SAM, "AWS::ApiGateway::Deployment", sam=SamSource(sam.API, id="Api")),
            (),
            "set OpenApiVersion (3.0, for example in Globals.Api): without it SAM makes this "
            "extra stage",
        ),
    ],
)
def test_a_list_entry_a_new_one_another_resource_and_an_owner(
    wording: Wording, at: Path, expected: str
) -> None:
    assert fix_text(LOG_LEVEL, wording, at) == expected


@pytest.mark.parametrize(
    ("wording", "expected"),
    [
        (
            Wording(Dialect.PULUMI_PYTHON, "aws:sqs/queue:Queue"),
            'set redrive_policy=json.dumps({"deadLetterTargetArn": <the dead-letter queue\'s '
            'ARN>, "maxReceiveCount": <a receive count>})',
        ),
        (
            Wording(Dialect.PULUMI_PYTHON, "aws-native:sqs:Queue"),
            'set redrive_policy={"deadLetterTargetArn": <the dead-letter queue\'s ARN>, '
            '"maxReceiveCount": <a receive count>}',
        ),
        (
            Wording(
                Dialect.CDK,
                "AWS::SQS::Queue",
                constructs=(
                    ("Resource", "aws-cdk-lib.aws_sqs.CfnQueue"),
                    ("Jobs", "aws-cdk-lib.aws_sqs.Queue"),
                ),
            ),
            "set dead_letter_queue=sqs.DeadLetterQueue(queue=<an sqs.Queue>, "
            "max_receive_count=<a receive count>)",
        ),
    ],
)
def test_documents_stay_as_written_and_structs_are_built(wording: Wording, expected: str) -> None:
    assert fix_text(REDRIVE, wording) == expected


def test_an_l2_without_a_keyword_for_the_field_is_fixed_on_its_l1() -> None:
    wording = Wording(
        Dialect.CDK,
        "AWS::Lambda::Function",
        constructs=(
            ("Resource", "aws-cdk-lib.aws_lambda.CfnFunction"),
            ("Handler", "aws-cdk-lib.aws_lambda.SingletonFunction"),
        ),
    )
    tracing = Fix.set(lambda_.Function, "tracing_mode", "Active")
    assert fix_text(tracing, wording) == (
        'set tracing_config={"mode": "Active"}; on Handler\'s node.default_child, a '
        "lambda_.CfnFunction"
    )


def test_a_setting_on_another_resource_is_worded_as_its_author_wrote_it() -> None:
    config = lambda_.EventInvokeConfig(
        id="Cfg", type="AWS::Lambda::EventInvokeConfig", name="Cfg", function="${Fn}"
    )
    fix = Fix.set(lambda_.EventInvokeConfig, "on_failure", Choice("a queue's ARN"), on=config)
    wording = Wording(Dialect.CLOUDFORMATION, "AWS::Lambda::Function")
    assert fix_text(fix, wording) == (
        "in Cfg, set DestinationConfig.OnFailure.Destination to a queue's ARN"
    )
    function = SamSource(sam.FUNCTION, id="Fn")

    def sam_words(fact: Resource) -> Wording:
        return Wording(Dialect.SAM, fact.type, sam=function)

    assert fix_text(fix, sam_words(config), (), sam_words) == (
        "set EventInvokeConfig.DestinationConfig.OnFailure.Destination to a queue's ARN and "
        "EventInvokeConfig.DestinationConfig.OnFailure.Type to SQS, SNS, Lambda or EventBridge"
    )


def test_an_implicit_api_is_fixed_on_a_sam_api_of_the_template() -> None:
    wording = Wording(
        Dialect.SAM, "AWS::ApiGateway::Stage", sam=SamSource(sam.FUNCTION, id="Handler")
    )
    tracing = Fix.set(apigw.Stage, "tracing", True)
    assert fix_text(tracing, wording) == (
        "set TracingEnabled to true; on an AWS::Serverless::Api that the events name in "
        "RestApiId (SAM makes an implicit API otherwise)"
    )


def test_a_field_no_table_spells_is_still_said_in_words() -> None:
    wording = Wording(Dialect.CLOUDFORMATION, "AWS::Unknown::Thing")
    assert fix_text(Fix.set(data.Table, "point_in_time_recovery", True), wording) == (
        "set point in time recovery to true"
    )


@pytest.mark.parametrize(
    ("token", "dialect", "expected"),
    [
        (
            "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
            Dialect.PULUMI,
            "aws:lambda:FunctionEventInvokeConfig",
        ),
        (
            "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
            Dialect.PULUMI_PYTHON,
            "aws.lambda_.FunctionEventInvokeConfig",
        ),
        (
            "aws-native:lambda:EventInvokeConfig",
            Dialect.PULUMI_PYTHON,
            "aws_native.lambda_.EventInvokeConfig",
        ),
        ("AWS::Lambda::EventInvokeConfig", Dialect.CDK, "lambda_.CfnEventInvokeConfig"),
        ("AWS::Lambda::EventInvokeConfig", Dialect.SAM, "AWS::Lambda::EventInvokeConfig"),
    ],
)
def test_resource_types_as_each_dialect_writes_them(
    token: str, dialect: Dialect, expected: str
) -> None:
    assert resource_name(token, Wording(dialect, "")) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("pointInTimeRecovery", "point_in_time_recovery"),
        ("KMSMasterKeyID", "kms_master_key_id"),
        ("SSESpecification", "sse_specification"),
        ("xrayTracingEnabled", "xray_tracing_enabled"),
        ("PrincipalOrgID", "principal_org_id"),
    ],
)
def test_snake_case_is_the_sdks_rule(name: str, expected: str) -> None:
    assert snake_case(name) == expected
