"""The offline SAM transform: Globals, origins, suppressions, errors, no AWS calls."""

from __future__ import annotations

import copy
import socket
from pathlib import Path
from typing import Any

import pytest

from serverless_guard.engines.cloudformation import sam
from serverless_guard.engines.cloudformation.parse import LineDict, parse_text, read_text
from serverless_guard.engines.cloudformation.stack import (
    LoadedStack,
    is_sam,
    load_file,
    load_template,
)
from serverless_guard.errors import InputError
from serverless_guard.facts.lambda_ import Function
from serverless_guard.facts.value import Known

CORPUS = Path(__file__).resolve().parent / "data" / "corpus" / "cfn"

FUNCTIONS = """\
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    Handler: app.handler
    CodeUri: src/
    Tracing: Active
    KmsKeyArn: !GetAtt EnvKey.Arn
    Environment:
      Variables:
        STAGE: prod
Resources:
  EnvKey:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: true
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Nightly:
          Type: Schedule
          Properties:
            Schedule: rate(1 day)
  ListOrders:
    Type: AWS::Serverless::Function
    Metadata:
      serverless-guard:
        suppress:
          - id: lambda-tracing-active
            reason: sampled at the edge
    Properties:
      Policies:
        - AWSLambdaBasicExecutionRole
        - AmazonS3ReadOnlyAccess
        - SomePolicyNobodyKnows
        - SQSPollerPolicy:
            QueueName: !GetAtt Jobs.QueueName
      Events:
        List:
          Type: Api
          Properties:
            Path: /orders
            Method: get
  GetOrder:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Get:
          Type: Api
          Properties:
            Path: /orders/{id}
            Method: get
        Http:
          Type: HttpApi
  Jobs:
    Type: AWS::SQS::Queue
"""


def _parse(text: str, name: str = "template.yaml") -> LineDict:
    return parse_text(text, name)


def _line(text: str, key: str) -> int:
    """The line of `  Key:` (a resource's logical id) in the text."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line == f"  {key}:":
            return number
    raise AssertionError(key)


def _load(text: str, name: str = "template.yaml") -> LoadedStack:
    return load_template(_parse(text, name), name)


def _resources(text: str) -> dict[str, Any]:
    transformed, _ = sam.transform(_parse(text), "template.yaml")
    resources: dict[str, Any] = transformed["Resources"]
    return resources


def test_globals_reach_the_functions() -> None:
    resources = _resources(FUNCTIONS)
    for logical_id in ("Worker", "ListOrders", "GetOrder"):
        properties = resources[logical_id]["Properties"]
        assert resources[logical_id]["Type"] == "AWS::Lambda::Function"
        assert properties["KmsKeyArn"] == {"Fn::GetAtt": ["EnvKey", "Arn"]}
        assert properties["TracingConfig"] == {"Mode": "Active"}
        assert properties["Environment"] == {"Variables": {"STAGE": "prod"}}
        assert properties["Runtime"] == "python3.12"


def test_globals_reach_the_facts() -> None:
    loaded = _load(FUNCTIONS)
    functions = {f.id: f for f in loaded.facts if isinstance(f, Function)}
    assert set(functions) == {"Worker", "ListOrders", "GetOrder"}
    for fact in functions.values():
        assert isinstance(fact.kms_key, Known)
        assert fact.tracing_mode == Known("Active", fact.tracing_mode.at)


def test_result_keeps_the_loader_shape() -> None:
    data = _parse(FUNCTIONS)
    transformed, _ = sam.transform(data, "template.yaml")
    assert isinstance(transformed, LineDict)
    assert isinstance(transformed["Resources"], LineDict)
    assert "Transform" not in transformed
    assert "Globals" not in transformed
    assert not is_sam(transformed)
    assert transformed.lines["Resources"] == data.lines["Resources"]


def test_origins_point_at_the_sam_resources() -> None:
    transformed, origins = sam.transform(_parse(FUNCTIONS), "template.yaml")
    assert set(origins) == set(transformed["Resources"])
    expected = {
        "Worker": "Worker",
        "WorkerRole": "Worker",
        "WorkerNightly": "Worker",
        "WorkerNightlyPermission": "Worker",
        "ListOrders": "ListOrders",
        "ListOrdersRole": "ListOrders",
        "ListOrdersListPermissionProd": "ListOrders",
        "GetOrderGetPermissionProd": "GetOrder",
        "GetOrderHttpPermission": "GetOrder",
        "EnvKey": "EnvKey",
        "Jobs": "Jobs",
    }
    for logical_id, source in expected.items():
        origin = origins[logical_id]
        assert origin.source_resource == source, logical_id
        assert origin.line == _line(FUNCTIONS, source), logical_id
        assert transformed["Resources"].lines[logical_id] == origin.line


def test_loaded_stack_locates_generated_resources() -> None:
    loaded = _load(FUNCTIONS)
    location = loaded.locate("ListOrdersRole", ())
    assert location.file == "template.yaml"
    assert location.line == _line(FUNCTIONS, "ListOrders")
    assert location.source_resource == "ListOrders"


def test_implicit_apis_come_from_every_function_with_such_an_event() -> None:
    transformed, origins = sam.transform(_parse(FUNCTIONS), "template.yaml")
    rest = [k for k in transformed["Resources"] if k.startswith("ServerlessRestApi")]
    http = [k for k in transformed["Resources"] if k.startswith("ServerlessHttpApi")]
    assert "ServerlessRestApi" in rest
    assert "ServerlessRestApiProdStage" in rest
    assert any(k.startswith("ServerlessRestApiDeployment") for k in rest)
    assert "ServerlessHttpApi" in http
    for logical_id in rest:
        assert origins[logical_id].sources == ("ListOrders", "GetOrder")
        assert origins[logical_id].source_resource == "ListOrders"  # findings point at the first
        assert origins[logical_id].line == _line(FUNCTIONS, "ListOrders")
    for logical_id in http:
        assert origins[logical_id].sources == ("GetOrder",)
    assert origins["ListOrdersListPermissionProd"].sources == ("ListOrders",)
    assert origins["GetOrderGetPermissionProd"].sources == ("GetOrder",)


def test_explicit_api_resources_map_to_the_api() -> None:
    text = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: live
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      InlineCode: "def handler(event, context): pass"
      Events:
        Get:
          Type: Api
          Properties:
            RestApiId: !Ref OrdersApi
            Path: /
            Method: get
"""
    transformed, origins = sam.transform(_parse(text), "template.yaml")
    ids = set(transformed["Resources"])
    assert "ServerlessRestApi" not in ids
    assert "OrdersApiliveStage" in ids
    deployment = next(k for k in ids if k.startswith("OrdersApiDeployment"))
    for logical_id in ("OrdersApi", "OrdersApiliveStage", deployment):
        assert origins[logical_id].source_resource == "OrdersApi"
        assert origins[logical_id].line == _line(text, "OrdersApi")
    assert origins["FnGetPermissionlive"].source_resource == "Fn"


def test_naming_fallback_prefers_the_longest_sam_id() -> None:
    finder = sam._SourceFinder(
        {
            "Orders": {"Type": "AWS::Serverless::Function"},
            "OrdersApi": {"Type": "AWS::Serverless::Api"},
        }
    )
    assert finder.find("OrdersApiDeployment0123456789") == ("OrdersApi",)
    assert finder.find("OrdersRole") == ("Orders",)
    assert finder.find("Unrelated") == ()


def test_suppressions_are_read_from_the_resources_as_written() -> None:
    loaded = _load(FUNCTIONS)
    assert set(loaded.waiver_metadata) == {"ListOrders"}
    written = loaded.waiver_metadata["ListOrders"]
    assert written.line == _line(FUNCTIONS, "ListOrders")
    assert written.block == {
        "suppress": [{"id": "lambda-tracing-active", "reason": "sampled at the edge"}]
    }


def test_own_metadata_of_sam_resources_survives_without_the_marker() -> None:
    resources = _resources(FUNCTIONS)
    for body in resources.values():
        assert sam.SOURCE_KEY not in body.get("Metadata", {})
    assert "Metadata" not in resources["Worker"]
    assert resources["ListOrdersRole"]["Metadata"] == {
        "serverless-guard": {
            "suppress": [{"id": "lambda-tracing-active", "reason": "sampled at the edge"}]
        }
    }


def test_managed_policy_names_become_arns() -> None:
    arns = _resources(FUNCTIONS)["ListOrdersRole"]["Properties"]["ManagedPolicyArns"]
    assert arns == [
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",  # added for Tracing: Active
        "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
        "arn:aws:iam::aws:policy/SomePolicyNobodyKnows",
    ]


def test_policy_templates_need_no_map() -> None:
    policies = _resources(FUNCTIONS)["ListOrdersRole"]["Properties"]["Policies"]
    assert [p["PolicyName"] for p in policies] == ["ListOrdersRolePolicy3"]
    statement = policies[0]["PolicyDocument"]["Statement"][0]
    assert "sqs:ReceiveMessage" in statement["Action"]


def test_shipped_policy_map_uses_the_right_paths() -> None:
    policies = sam._managed_policies()
    prefix = "arn:aws:iam::aws:policy/"
    assert policies["AdministratorAccess"] == prefix + "AdministratorAccess"
    assert policies["AWSLambdaVPCAccessExecutionRole"] == (
        prefix + "service-role/AWSLambdaVPCAccessExecutionRole"
    )
    assert policies["AWSLambdaRole"] == prefix + "service-role/AWSLambdaRole"
    assert policies["ViewOnlyAccess"] == prefix + "job-function/ViewOnlyAccess"
    for name, arn in policies.items():
        assert arn.startswith(prefix), name
        assert arn.endswith("/" + name), name


def test_pseudo_parameters_stay_references() -> None:
    text = """\
Transform: AWS::Serverless-2016-10-31
Parameters:
  PoolId:
    Type: String
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: live
      Auth:
        DefaultAuthorizer: Pool
        Authorizers:
          Pool:
            UserPoolArn: !Sub "arn:${AWS::Partition}:cognito-idp:${AWS::Region}:${AWS::AccountId}:userpool/${PoolId}"
      Tags:
        region: !Ref AWS::Region
"""  # noqa: E501
    api = _resources(text)["Api"]
    body = api["Properties"]["Body"]
    providers = body["securityDefinitions"]["Pool"]["x-amazon-apigateway-authorizer"]
    assert providers["providerARNs"] == [
        {
            "Fn::Sub": "arn:${AWS::Partition}:cognito-idp:${AWS::Region}:${AWS::AccountId}"
            ":userpool/${PoolId}"
        }
    ]


def test_placeholders_are_turned_back_into_references() -> None:
    region = sam._PSEUDO["AWS::Region"]
    node: dict[str, Any] = {
        "a": region,
        "b": [{"Fn::Sub": f"arn:aws:s3:{region}:x"}],
        "c": "plain",
    }
    sam._restore_pseudo(node)
    assert node == {
        "a": {"Ref": "AWS::Region"},
        "b": [{"Fn::Sub": "arn:aws:s3:${AWS::Region}:x"}],
        "c": "plain",
    }


def test_bad_template_is_a_one_line_input_error() -> None:
    text = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Events:
        Broken:
          Type: NoSuchEvent
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: [not, a, string]
"""
    with pytest.raises(InputError) as caught:
        sam.transform(_parse(text, "bad/template.yaml"), "bad/template.yaml")
    err = caught.value
    assert err.exit_code == 2
    assert err.file == "bad/template.yaml"
    assert err.line == 3
    message = str(err)
    assert "\n" not in message
    assert message.startswith("bad/template.yaml:3: SAM transform failed: ")
    assert "Resource with id [Fn] is invalid" in message
    assert "NoSuchEvent" in message
    assert "Resource with id [Api] is invalid" in message


def test_a_refused_resource_is_a_gap_and_the_others_are_translated() -> None:
    text = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Events:
        Broken:
          Type: NoSuchEvent
  Good:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: [not, a, string]
"""
    loaded = _load(text, "bad/template.yaml")
    gaps = {gap.resource: gap for gap in loaded.gaps}
    assert set(gaps) == {"Fn", "Api"}
    assert gaps["Fn"].error
    assert gaps["Fn"].line == 3
    assert "NoSuchEvent" in gaps["Fn"].message
    assert gaps["Api"].line == 18
    assert {f.id for f in loaded.facts if f.type == "AWS::Lambda::Function"} == {"Good"}


def test_bad_globals_point_at_globals() -> None:
    text = """\
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    NoSuchProperty: 1
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
"""
    with pytest.raises(InputError, match="'Globals' section is invalid") as caught:
        _load(text)
    assert caught.value.line == 2


LOCAL_ARTIFACTS = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: ./functions/fn
      Layers: [!Ref Deps]
  ImageFn:
    Type: AWS::Serverless::Function
    Metadata:
      Dockerfile: Dockerfile
      DockerContext: ./image
    Properties:
      PackageType: Image
  Deps:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: layers/deps/
  Machine:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: statemachine/flow.asl.json
      Policies:
        - LambdaInvokePolicy:
            FunctionName: !Ref Fn
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: live
      DefinitionUri: api/openapi.yaml
  Nested:
    Type: AWS::Serverless::Application
    Properties:
      Location:
        ApplicationId: arn:aws:serverlessrepo:us-east-1:123456789012:applications/some-app
        SemanticVersion: 1.0.0
"""


def _no_network(*args: object, **kwargs: object) -> None:
    raise AssertionError("the SAM transform must not reach the network or AWS")


def test_local_artifacts_transform_without_aws(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import boto3.session
    from samtranslator.translator.arn_generator import ArnGenerator

    for variable in ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "missing-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "missing-credentials"))
    monkeypatch.setattr(ArnGenerator, "BOTO_SESSION_REGION_NAME", None)
    monkeypatch.setattr(boto3.session.Session, "__init__", _no_network)
    monkeypatch.setattr(socket.socket, "connect", _no_network)
    monkeypatch.setattr(socket, "create_connection", _no_network)
    monkeypatch.setattr(socket, "getaddrinfo", _no_network)

    path = tmp_path / "template.yaml"
    path.write_text(LOCAL_ARTIFACTS)
    loaded = load_file(str(path))
    transformed, _ = sam.transform(parse_text(LOCAL_ARTIFACTS, "t"), "t")
    resources = transformed["Resources"]
    bucket = sam.ARTIFACT_BUCKET
    assert resources["Fn"]["Properties"]["Code"] == {"S3Bucket": bucket, "S3Key": "Fn/CodeUri"}
    assert "ImageUri" in resources["ImageFn"]["Properties"]["Code"]
    layer = next(k for k in resources if k.startswith("Deps"))
    assert resources[layer]["Properties"]["Content"]["S3Bucket"] == bucket
    assert resources["Machine"]["Properties"]["DefinitionS3Location"]["Bucket"] == bucket
    assert resources["Api"]["Properties"]["BodyS3Location"]["Bucket"] == bucket
    assert resources["Nested"]["Type"] == "AWS::CloudFormation::Stack"
    assert {f.id for f in loaded.facts if isinstance(f, Function)} == {"Fn", "ImageFn"}


def test_s3_locations_are_kept() -> None:
    text = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: s3://artifacts-bucket/fn.zip
  Other:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri:
        Bucket: artifacts-bucket
        Key: other.zip
"""
    resources = _resources(text)
    assert resources["Fn"]["Properties"]["Code"] == {
        "S3Bucket": "artifacts-bucket",
        "S3Key": "fn.zip",
    }
    assert resources["Other"]["Properties"]["Code"]["S3Key"] == "other.zip"


def test_input_is_left_untouched_and_output_is_deterministic() -> None:
    data = _parse(FUNCTIONS)
    before = copy.deepcopy(data)
    resources_lines = dict(data["Resources"].lines)
    first = sam.transform(data, "template.yaml")
    second = sam.transform(data, "template.yaml")
    assert data == before
    assert data["Resources"].lines == resources_lines
    assert type(data["Resources"]["Worker"]) is LineDict
    assert first == second
    assert list(first[0]["Resources"]) == list(second[0]["Resources"])
    assert first[0]["Resources"].lines == second[0]["Resources"].lines


def _corpus_sam_templates() -> list[Path]:
    found = []
    for path in sorted(CORPUS.iterdir()):
        try:
            data = parse_text(read_text(str(path)), str(path))
        except InputError:
            continue
        if is_sam(data):
            found.append(path)
    return found


CORPUS_SAM = _corpus_sam_templates()


def test_corpus_holds_sam_templates() -> None:
    assert len(CORPUS_SAM) >= 30


@pytest.mark.parametrize("path", CORPUS_SAM, ids=[p.name for p in CORPUS_SAM])
def test_corpus_sam_templates_transform(path: Path) -> None:
    loaded = load_file(str(path))
    assert loaded.origins
    for logical_id, origin in loaded.origins.items():
        assert origin.source_resource is not None, logical_id
        assert origin.line is not None, logical_id
