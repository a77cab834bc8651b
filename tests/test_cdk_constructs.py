"""The secure CDK constructs, synthesized with the real aws-cdk-lib.

Two synths in all (about 1 s each once `aws_cdk` is imported): one stack with every construct
and its defaults (`docs.example()`), which must have no finding from the catalog with the
default configuration and no warning; and one stack with every documented weakening override,
each of which must make its rule fail and add a warning naming that rule. The rest builds
constructs without synthesizing them. tests/test_cdk_drop_in.py swaps them into an app.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest.importorskip("aws_cdk")

import aws_cdk as cdk
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_apigatewayv2_integrations as integrations
from aws_cdk import aws_appsync as appsync
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import cx_api
from constructs import Construct

from serverless_guard.catalog import BY_ID
from serverless_guard.catalog.rule import Outcome
from serverless_guard.cdk import constructs
from serverless_guard.cdk.constructs import (
    LeastPrivilegeRole,
    PrivateLambdaRestApi,
    PrivateRestApi,
    SecureBucket,
    SecureDefaults,
    SecureEventBus,
    SecureFunction,
    SecureGraphqlApi,
    SecureHttpApi,
    SecureKey,
    SecureQueue,
    SecureStateMachine,
    SecureTable,
    SecureTableV2,
    SecureTopic,
    SecureUserPool,
    docs,
)
from serverless_guard.cdk.constructs._shared import WARNING_PREFIX
from serverless_guard.evaluate import Result

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Synthesized:
    example: docs.Example
    results: list[Result]
    messages: list[cx_api.SynthesisMessage]


def synthesize(example: docs.Example) -> Synthesized:
    template = docs.template_of(example)
    artifact = example.app.synth().get_stack_by_name(example.stack.stack_name)
    return Synthesized(example, docs.evaluated(template), list(artifact.messages))


def warnings_under(synth: Synthesized, path: str) -> dict[str, list[str]]:
    """Warning texts by id, for the construct at `path` and its children."""
    found: dict[str, list[str]] = {}
    for message in synth.messages:
        if message.level is not cx_api.SynthesisMessageLevel.WARNING:
            continue
        if message.id == path or message.id.startswith(path + "/"):
            data = message.entry.data
            text = str(data)
            rule = text.rsplit("[ack: ", 1)[-1].rstrip("]") if "[ack: " in text else text
            found.setdefault(rule, []).append(text)
    return found


def failing(synth: Synthesized, construct: Construct) -> dict[str, list[str]]:
    """Failing rules on the construct's resources, with their messages."""
    ids = docs.logical_ids(synth.example.stack, construct)
    out: dict[str, list[str]] = {}
    for result in synth.results:
        if result.subject.id in ids and result.verdict.outcome is Outcome.FAIL:
            out.setdefault(result.rule.id, []).append(result.verdict.message)
    return out


# -- defaults: no finding, no warning, and the generated files are current --------------------


@pytest.fixture(scope="module")
def defaults(tmp_path_factory: pytest.TempPathFactory) -> Synthesized:
    return synthesize(docs.example(docs.new_app(str(tmp_path_factory.mktemp("defaults")))))


def test_every_construct_with_defaults_has_no_finding(defaults: Synthesized) -> None:
    findings = [
        f"{r.rule.id} on {r.subject.id}: {r.verdict.message}"
        for r in defaults.results
        if r.verdict.outcome not in (Outcome.PASS, Outcome.NOT_APPLICABLE)
    ]
    assert findings == []


def test_defaults_add_no_warning(defaults: Synthesized) -> None:
    assert warnings_under(defaults, "") == {}


def test_every_construct_is_in_the_example(defaults: Synthesized) -> None:
    secure = {c.__name__ for c in docs.SECURE}
    assert (
        set(defaults.example.constructs) == secure == set(constructs.__all__) - {"SecureDefaults"}
    )
    table = docs.satisfied(defaults.example, defaults.results)
    for name, rules in table.items():
        assert rules, f"{name} satisfies no rule"


def test_constructs_page_is_current(defaults: Synthesized) -> None:
    text = docs.render(docs.satisfied(defaults.example, defaults.results))
    assert (ROOT / "docs" / "constructs.md").read_text(encoding="utf-8") == text, (
        "docs/constructs.md is stale: run python -m serverless_guard.cdk.constructs.docs"
    )


def test_readme_constructs_table_is_current(defaults: Synthesized) -> None:
    table = docs.satisfied(defaults.example, defaults.results)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert docs.with_readme_table(readme, table) == readme, (
        "README.md's constructs table is stale: run python -m serverless_guard.cdk.constructs.docs"
    )


def test_grants_are_scoped_to_the_resource_and_its_key(defaults: Synthesized) -> None:
    stack = defaults.example.stack
    function = defaults.example.constructs["SecureFunction"]
    assert isinstance(function, SecureFunction)
    policy = function.role.node.find_child("DefaultPolicy")
    assert isinstance(policy, iam.Policy)
    statements = stack.resolve(policy.document)["Statement"]
    on_everything = {
        action
        for s in statements
        if s["Resource"] == "*"
        for action in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
    }
    assert on_everything <= {"xray:PutTraceSegments", "xray:PutTelemetryRecords"}
    actions = {
        a
        for s in statements
        for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
    }
    assert {"kms:Decrypt", "dynamodb:GetItem", "s3:GetObject*", "sqs:SendMessage"} <= actions
    assert {"logs:CreateLogStream", "logs:PutLogEvents"} <= actions


def test_the_constructs_of_a_stack_share_two_keys(defaults: Synthesized) -> None:
    stack = defaults.example.stack
    keys = [c for c in stack.node.find_all() if isinstance(c, kms.CfnKey)]
    assert sorted(k.node.path for k in keys) == [
        f"{docs.STACK}/SecureDefaults/Key/Resource",
        f"{docs.STACK}/SecureDefaults/QueueKey/Resource",
        f"{docs.STACK}/SecureKey/Resource",
    ]
    queue = defaults.example.constructs["SecureQueue"]
    bucket = defaults.example.constructs["SecureBucket"]
    assert isinstance(queue, SecureQueue)
    assert isinstance(bucket, SecureBucket)
    assert queue.key is SecureDefaults.of(stack).queue_encryption_key
    assert bucket.key is SecureDefaults.of(stack).encryption_key


# -- drop-in: the L2 itself, same arguments, same errors, same logical ids --------------------


@pytest.mark.parametrize("secure", docs.SECURE, ids=lambda c: c.__name__)
def test_a_construct_has_the_signature_of_its_l2(secure: type) -> None:
    base = docs.replaced(secure)
    assert inspect.signature(secure.__init__) == inspect.signature(base.__init__)


@pytest.mark.parametrize("secure", docs.SECURE, ids=lambda c: c.__name__)
def test_a_construct_overrides_no_member_of_its_l2(defaults: Synthesized, secure: type) -> None:
    """A method or property of the subclass named like a member of the L2 would be registered
    with jsii as an override, which the L2's own code (its constructor included) would call
    back into Python; an attribute named like an L2 property would set it."""
    base = docs.replaced(secure)
    members = {
        name
        for name, member in vars(secure).items()
        if not name.startswith("__")
        and (inspect.isfunction(member) or inspect.isdatadescriptor(member))
    }
    built = defaults.example.constructs[secure.__name__]
    attributes = {name for name in vars(built) if not name.startswith("__")}
    assert (members | attributes) & set(dir(base)) == set()


def test_missing_and_misspelled_arguments_raise_the_errors_of_the_l2(tmp_path: Path) -> None:
    app = docs.new_app(str(tmp_path))
    code = _code()
    calls: list[tuple[type, type, dict[str, object]]] = [
        (SecureFunction, lambda_.Function, {"handler": "index.handler", "code": code}),
        (SecureBucket, s3.Bucket, {"versiond": True}),
        (SecureTable, dynamodb.Table, {}),  # partition_key: checked by the L2 in JavaScript
        (LeastPrivilegeRole, iam.Role, {"assumed_by_": iam.AnyPrincipal()}),
    ]
    for index, (secure, base, arguments) in enumerate(calls):
        stack = cdk.Stack(app, f"Errors{index}")
        with pytest.raises((TypeError, RuntimeError)) as expected:
            base(stack, "Plain", **arguments)
        with pytest.raises(expected.type) as got:
            secure(stack, "Secure", **arguments)
        assert str(got.value) == str(expected.value)
        if expected.type is TypeError:
            assert stack.node.try_find_child("SecureDefaults") is None, "nothing was built"


def test_a_construct_keeps_the_logical_id_of_its_l2(tmp_path: Path) -> None:
    app = docs.new_app(str(tmp_path))
    plain, secure = cdk.Stack(app, "Plain"), cdk.Stack(app, "Secure")
    key = dynamodb.Attribute(name="id", type=dynamodb.AttributeType.STRING)
    pairs: list[tuple[Construct, Construct]] = [
        (s3.Bucket(plain, "Data"), SecureBucket(secure, "Data")),
        (
            dynamodb.Table(plain, "Items", partition_key=key),
            SecureTable(secure, "Items", partition_key=key),
        ),
        (sqs.Queue(plain, "Jobs"), SecureQueue(secure, "Jobs")),
        (
            lambda_.Function(
                plain, "Fn", runtime=lambda_.Runtime.PYTHON_3_13, handler="i.h", code=_code()
            ),
            _function(secure, "Fn"),
        ),
    ]
    for original, swapped in pairs:
        first, second = original.node.default_child, swapped.node.default_child
        assert isinstance(first, cdk.CfnResource)
        assert isinstance(second, cdk.CfnResource)
        assert plain.resolve(first.logical_id) == secure.resolve(second.logical_id)


# -- keys: shared, given, imported ---------------------------------------------------------------


def _warnings(construct: Construct) -> list[str]:
    return [str(m.data) for m in construct.node.metadata if m.type == "aws:cdk:warning"]


def test_secure_defaults_set_the_key_of_a_scope(tmp_path: Path) -> None:
    stack = cdk.Stack(docs.new_app(str(tmp_path)), "Defaults")
    key, queue_key = SecureKey(stack, "AppKey"), SecureKey(stack, "AppQueueKey")
    defaults = SecureDefaults.of(stack)
    defaults.encryption_key = key
    defaults.queue_encryption_key = queue_key
    team = Construct(stack, "Team")
    team_key = SecureKey(team, "TeamKey")
    SecureDefaults.of(team).encryption_key = team_key
    own = SecureKey(stack, "OwnKey")
    built = {
        "bucket": SecureBucket(stack, "Bucket"),
        "table": SecureTable(stack, "Table", partition_key=ITEM_KEY),
        "topic": SecureTopic(stack, "Topic"),
        "function": _function(stack, "Function"),
        "queue": SecureQueue(stack, "Queue"),
        "team bucket": SecureBucket(team, "Bucket"),
        "own key": SecureBucket(stack, "Own", encryption_key=own),
    }
    keys = {name: c.key for name, c in built.items()}
    assert keys == {
        "bucket": key,
        "table": key,
        "topic": key,
        "function": key,
        "queue": queue_key,
        "team bucket": team_key,
        "own key": own,
    }
    assert SecureDefaults.of(stack).node.try_find_child("Key") is None, "no key was created"
    with pytest.raises(ValueError, match="set it before creating them"):
        defaults.encryption_key = own


def test_a_given_key_that_may_not_rotate_warns(tmp_path: Path) -> None:
    stack = cdk.Stack(docs.new_app(str(tmp_path)), "Keys")
    imported = kms.Key.from_key_arn(
        stack, "Imported", "arn:aws:kms:us-east-1:111111111111:key/0000-1111"
    )
    plain = kms.Key(stack, "Plain")
    rotating = kms.Key(stack, "Rotating", enable_key_rotation=True)
    imported_bucket = SecureBucket(stack, "ImportedKey", encryption_key=imported)
    plain_queue = SecureQueue(stack, "PlainKey", encryption_master_key=plain)
    rotating_topic = SecureTopic(stack, "RotatingKey", master_key=rotating)
    (unknown,) = _warnings(imported_bucket)
    assert "Keys/Imported is imported" in unknown
    assert "kms-key-rotation cannot be checked" in unknown
    (fails,) = _warnings(plain_queue)
    assert "Keys/Plain does not rotate: this breaks kms-key-rotation" in fails
    assert _warnings(rotating_topic) == []
    defaults = SecureDefaults.of(stack)
    defaults.encryption_key = imported
    assert "kms-key-rotation cannot be checked" in _warnings(defaults)[0]


# -- private REST APIs --------------------------------------------------------------------------


def _private(scope: Construct) -> apigw.EndpointConfiguration:
    return apigw.EndpointConfiguration(
        types=[apigw.EndpointType.PRIVATE], vpc_endpoints=[_endpoint(scope)]
    )


def test_a_private_api_refuses_a_public_endpoint_type_or_no_endpoint(tmp_path: Path) -> None:
    stack = cdk.Stack(docs.new_app(str(tmp_path)), "Refused")
    with pytest.raises(ValueError, match="PRIVATE, not EDGE"):
        PrivateRestApi(
            stack,
            "Api",
            endpoint_configuration=_private(stack),
            endpoint_types=[apigw.EndpointType.EDGE],
        )
    with pytest.raises(ValueError, match="PRIVATE, not REGIONAL"):
        PrivateLambdaRestApi(
            stack,
            "LambdaApi",
            handler=_function(stack, "Handler"),
            endpoint_configuration={"types": [apigw.EndpointType.REGIONAL]},
        )
    with pytest.raises(ValueError, match="vpc_endpoints"):
        PrivateRestApi(stack, "NoEndpoints", endpoint_types=[apigw.EndpointType.PRIVATE])


def _api_policy(api: apigw.RestApi) -> list[dict[str, object]]:
    resource = api.node.default_child
    assert isinstance(resource, apigw.CfnRestApi)
    statements: list[dict[str, object]] = api.stack.resolve(resource.policy)["Statement"]
    return statements


def test_a_private_api_keeps_the_given_policy_and_adds_its_deny(tmp_path: Path) -> None:
    stack = cdk.Stack(docs.new_app(str(tmp_path)), "Policies")
    private = _private(stack)
    caller = iam.Role(stack, "Caller", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    invoke = iam.PolicyStatement(
        principals=[iam.ArnPrincipal(caller.role_arn)],
        actions=["execute-api:Invoke"],
        resources=["execute-api:/*"],
    )
    given = iam.PolicyDocument(statements=[invoke])
    allow, deny = _api_policy(
        PrivateRestApi(stack, "Given", endpoint_configuration=private, policy=given)
    )
    assert allow["Principal"] == {"AWS": stack.resolve(caller.role_arn)}
    assert deny["Effect"] == "Deny"
    assert deny["Condition"] == {"StringNotEquals": {"aws:SourceVpce": ["vpce-0123456789abcdef0"]}}
    assert given.statement_count == 1, "the given document is not changed"
    default_allow, _ = _api_policy(PrivateRestApi(stack, "Iam", endpoint_configuration=private))
    assert ":root" in str(default_allow["Principal"]), "IAM callers: the account, not everyone"


# -- weakening overrides: the rule fails and a warning names it --------------------------------


def _code() -> lambda_.Code:
    return lambda_.Code.from_inline("def handler(event, context):\n    return event\n")


def _endpoint(scope: Construct) -> ec2.IInterfaceVpcEndpoint:
    return ec2.InterfaceVpcEndpoint.from_interface_vpc_endpoint_attributes(
        scope, "Endpoint", vpc_endpoint_id="vpce-0123456789abcdef0", port=443
    )


def _function(scope: Construct, id: str, **overrides: object) -> SecureFunction:
    settings: dict[str, object] = {
        "runtime": lambda_.Runtime.PYTHON_3_13,
        "handler": "index.handler",
        "code": _code(),
        **overrides,
    }
    return SecureFunction(scope, id, **settings)


def _open_rest_api(scope: Construct, id: str) -> PrivateRestApi:
    api = PrivateRestApi(
        scope,
        id,
        endpoint_configuration=_private(scope),
        default_method_options=apigw.MethodOptions(authorization_type=apigw.AuthorizationType.NONE),
    )
    api.root.add_method("GET", apigw.MockIntegration())
    return api


def _open_lambda_rest_api(scope: Construct, id: str) -> PrivateLambdaRestApi:
    return PrivateLambdaRestApi(
        scope,
        id,
        handler=_function(scope, "Handler"),
        endpoint_configuration=_private(scope),
        default_method_options={"authorization_type": apigw.AuthorizationType.NONE},
    )


def _noisy_stage(scope: Construct, id: str) -> PrivateRestApi:
    api = PrivateRestApi(
        scope,
        id,
        endpoint_configuration=_private(scope),
        deploy_options=apigw.StageOptions(
            logging_level=apigw.MethodLoggingLevel.OFF,
            data_trace_enabled=True,
            tracing_enabled=False,
            cache_cluster_enabled=True,
            cache_data_encrypted=False,
        ),
    )
    api.root.add_method("GET", apigw.MockIntegration())
    return api


def _old_tls_domain(scope: Construct, id: str) -> PrivateRestApi:
    api = PrivateRestApi(scope, id, endpoint_configuration=_private(scope))
    api.root.add_method("GET", apigw.MockIntegration())
    api.add_domain_name(
        "Domain",
        domain_name="old.example.com",
        certificate=_certificate(scope),
        security_policy=apigw.SecurityPolicy.TLS_1_0,
    )
    return api


def _certificate(scope: Construct) -> acm.ICertificate:
    return acm.Certificate.from_certificate_arn(
        scope, "Certificate", "arn:aws:acm:us-east-1:111111111111:certificate/example"
    )


def _open_http_api(scope: Construct, id: str) -> SecureHttpApi:
    api = SecureHttpApi(scope, id, default_authorizer=apigwv2.HttpNoneAuthorizer())
    api.add_routes(
        path="/open",
        methods=[apigwv2.HttpMethod.GET],
        integration=integrations.HttpUrlIntegration("Site", "https://example.com"),
    )
    return api


def _unlogged_stage(scope: Construct, id: str) -> SecureHttpApi:
    api = SecureHttpApi(scope, id)
    api.add_stage("Beta", stage_name="beta", auto_deploy=True)
    return api


def _machine(scope: Construct, id: str, **overrides: object) -> SecureStateMachine:
    settings: dict[str, object] = {
        "definition_body": sfn.DefinitionBody.from_chainable(sfn.Pass(scope, "Pass")),
        **overrides,
    }
    return SecureStateMachine(scope, id, **settings)


def _graphql(scope: Construct, id: str, **overrides: object) -> SecureGraphqlApi:
    settings: dict[str, object] = {
        "name": id,
        "definition": docs.schema_definition(docs.SCHEMA),
        **overrides,
    }
    return SecureGraphqlApi(scope, id, **settings)


API_KEY_DEFAULT = appsync.AuthorizationConfig(
    default_authorization=appsync.AuthorizationMode(
        authorization_type=appsync.AuthorizationType.API_KEY
    )
)


def _admin_role(scope: Construct, id: str) -> LeastPrivilegeRole:
    role = LeastPrivilegeRole(
        scope,
        id,
        assumed_by=iam.AnyPrincipal(),
        managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name("AdministratorAccess")],
    )
    role.add_to_policy(iam.PolicyStatement(actions=["iam:PassRole"], resources=["*"]))
    role.add_to_policy(iam.PolicyStatement(not_actions=["iam:*"], resources=["*"]))
    return role


def _queue_for_a_service(scope: Construct, id: str) -> SecureQueue:
    queue = SecureQueue(scope, id)
    queue.add_to_resource_policy(
        iam.PolicyStatement(
            actions=["sqs:*"],
            principals=[iam.ServicePrincipal("sns.amazonaws.com")],
            resources=[queue.queue_arn],
        )
    )
    return queue


def _public_key(scope: Construct, id: str) -> SecureKey:
    key = SecureKey(scope, id)
    key.add_to_resource_policy(
        iam.PolicyStatement(
            actions=["kms:Decrypt"], principals=[iam.AnyPrincipal()], resources=["*"]
        )
    )
    return key


PARTIAL_BLOCK = s3.BlockPublicAccess(
    block_public_acls=True,
    ignore_public_acls=True,
    block_public_policy=False,
    restrict_public_buckets=False,
)
ITEM_KEY = dynamodb.Attribute(name="id", type=dynamodb.AttributeType.STRING)


@dataclass(frozen=True)
class Weakened:
    name: str
    rules: tuple[str, ...]
    build: Callable[[Construct, str], Construct]


WEAKENED = (
    Weakened(
        "KeyWithoutRotation",
        ("kms-key-rotation",),
        lambda s, i: SecureKey(s, i, enable_key_rotation=False),
    ),
    Weakened(
        "BucketS3Managed",
        ("s3-bucket-encryption-kms",),
        lambda s, i: SecureBucket(s, i, encryption=s3.BucketEncryption.S3_MANAGED),
    ),
    Weakened(
        "BucketWithoutTls",
        ("s3-bucket-tls-only",),
        lambda s, i: SecureBucket(s, i, enforce_ssl=False),
    ),
    Weakened(
        "BucketPublicPolicy",
        ("s3-bucket-public-access-blocked", "resource-policy-not-public"),
        lambda s, i: SecureBucket(s, i, block_public_access=PARTIAL_BLOCK, public_read_access=True),
    ),
    Weakened(
        "QueueEveryActionForAService",
        ("resource-policy-no-wildcard-actions",),
        _queue_for_a_service,
    ),
    Weakened("KeyForEveryone", ("resource-policy-not-public",), _public_key),
    Weakened(
        "FunctionPassThrough",
        ("lambda-tracing-active",),
        lambda s, i: _function(s, i, tracing=lambda_.Tracing.PASS_THROUGH),
    ),
    Weakened(
        "FunctionShortLogs",
        ("logs-retention-set", "lambda-log-retention"),
        lambda s, i: _function(s, i, log_retention=logs.RetentionDays.ONE_WEEK),
    ),
    Weakened(
        "FunctionWithoutDlq",
        ("lambda-async-failure-handling",),
        lambda s, i: _function(s, i, dead_letter_queue_enabled=False),
    ),
    Weakened(
        "FunctionOldRuntime",
        ("lambda-runtime-supported",),
        lambda s, i: _function(s, i, runtime=lambda_.Runtime.PYTHON_3_8),
    ),
    Weakened(
        "FunctionSecret",
        ("lambda-env-no-secrets",),
        lambda s, i: _function(s, i, environment={"DB_PASSWORD": "correct-horse-battery"}),
    ),
    Weakened(
        "FunctionPlainEnv",
        ("lambda-env-encrypted",),
        lambda s, i: _function(s, i, environment={"MODE": "fast"}, environment_encryption=None),
    ),
    Weakened(
        "FunctionBroadPolicy",
        ("iam-no-wildcard-actions", "iam-no-wildcard-resources"),
        lambda s, i: _function(
            s, i, initial_policy=[iam.PolicyStatement(actions=["s3:*"], resources=["*"])]
        ),
    ),
    Weakened("ApiWithoutAuth", ("apigw-method-authorization",), _open_rest_api),
    Weakened("LambdaApiWithoutAuth", ("apigw-method-authorization",), _open_lambda_rest_api),
    Weakened(
        "ApiNoisyStage",
        (
            "apigw-stage-execution-logging",
            "apigw-no-data-trace",
            "apigw-stage-tracing",
            "apigw-cache-encrypted",
        ),
        _noisy_stage,
    ),
    Weakened("ApiOldTls", ("apigw-domain-tls12",), _old_tls_domain),
    Weakened("HttpWithoutAuth", ("apigw-http-route-authorization",), _open_http_api),
    Weakened("HttpUnloggedStage", ("apigw-stage-access-logging",), _unlogged_stage),
    Weakened(
        "TableWithoutPitr",
        ("dynamodb-pitr",),
        lambda s, i: SecureTable(s, i, partition_key=ITEM_KEY, point_in_time_recovery=False),
    ),
    Weakened(
        "TableAwsOwnedKey",
        ("dynamodb-table-encryption-kms",),
        lambda s, i: SecureTable(
            s, i, partition_key=ITEM_KEY, encryption=dynamodb.TableEncryption.DEFAULT
        ),
    ),
    Weakened(
        "TableV2WithoutPitr",
        ("dynamodb-pitr",),
        lambda s, i: SecureTableV2(
            s,
            i,
            partition_key=ITEM_KEY,
            point_in_time_recovery_specification={"point_in_time_recovery_enabled": False},
        ),
    ),
    Weakened(
        "TableV2DynamoOwnedKey",
        ("dynamodb-table-encryption-kms",),
        lambda s, i: SecureTableV2(
            s, i, partition_key=ITEM_KEY, encryption=dynamodb.TableEncryptionV2.dynamo_owned_key()
        ),
    ),
    Weakened(
        "BucketKeyWithoutRotation",
        ("kms-key-rotation",),
        lambda s, i: SecureBucket(s, i, encryption_key=kms.Key(s, "PlainKey")),
    ),
    Weakened(
        "QueueSqsManaged",
        ("sqs-queue-encrypted",),
        lambda s, i: SecureQueue(s, i, encryption=sqs.QueueEncryption.SQS_MANAGED),
    ),
    Weakened(
        "QueueWithoutTls",
        ("sqs-queue-tls-only",),
        lambda s, i: SecureQueue(s, i, enforce_ssl=False),
    ),
    Weakened(
        "QueueWithoutDlq",
        ("sqs-queue-dlq",),
        lambda s, i: SecureQueue(s, i, dead_letter_queue=None),
    ),
    Weakened(
        "TopicWithoutTls",
        ("sns-topic-tls-only",),
        lambda s, i: SecureTopic(s, i, enforce_ssl=False),
    ),
    Weakened(
        "TopicWithoutKey", ("sns-topic-encrypted",), lambda s, i: SecureTopic(s, i, master_key=None)
    ),
    Weakened(
        "MachineUntraced", ("sfn-tracing",), lambda s, i: _machine(s, i, tracing_enabled=False)
    ),
    Weakened(
        "MachineFatalOnly",
        ("sfn-logging",),
        lambda s, i: _machine(s, i, logs=sfn.LogOptions(level=sfn.LogLevel.FATAL)),
    ),
    Weakened(
        "BusWithoutKey",
        ("eventbridge-bus-encrypted",),
        lambda s, i: SecureEventBus(s, i, kms_key=None),
    ),
    Weakened(
        "GraphqlApiKey",
        ("appsync-auth-not-api-key",),
        lambda s, i: _graphql(s, i, authorization_config=API_KEY_DEFAULT),
    ),
    Weakened("GraphqlUnlogged", ("appsync-logging",), lambda s, i: _graphql(s, i, log_config=None)),
    Weakened(
        "GraphqlLogLevelNone",
        ("appsync-logging",),
        lambda s, i: _graphql(
            s, i, log_config=appsync.LogConfig(field_log_level=appsync.FieldLogLevel.NONE)
        ),
    ),
    Weakened(
        "GraphqlUntraced", ("appsync-tracing",), lambda s, i: _graphql(s, i, xray_enabled=False)
    ),
    Weakened(
        "UserPoolWithoutMfa",
        ("cognito-user-pool-mfa",),
        lambda s, i: SecureUserPool(s, i, mfa=cognito.Mfa.OFF),
    ),
    Weakened(
        "UserPoolAuditOnly",
        ("cognito-user-pool-threat-protection",),
        lambda s, i: SecureUserPool(
            s, i, standard_threat_protection_mode=cognito.StandardThreatProtectionMode.AUDIT_ONLY
        ),
    ),
    Weakened(
        "UserPoolShortPasswords",
        ("cognito-user-pool-password-policy",),
        lambda s, i: SecureUserPool(
            s, i, password_policy=cognito.PasswordPolicy(min_length=8, require_symbols=False)
        ),
    ),
    Weakened(
        "AdminRole",
        (
            "iam-role-trust-scoped",
            "iam-no-admin-policies",
            "iam-passrole-scoped",
            "iam-no-allow-not-action",
        ),
        _admin_role,
    ),
)


@dataclass(frozen=True)
class WeakenedStack:
    synth: Synthesized
    built: dict[str, Construct]


@pytest.fixture(scope="module")
def weakened(tmp_path_factory: pytest.TempPathFactory) -> WeakenedStack:
    app = docs.new_app(str(tmp_path_factory.mktemp("weakened")))
    stack = cdk.Stack(app, "Weakened")
    built = {case.name: case.build(_scope(stack, case.name), case.name) for case in WEAKENED}
    example = docs.Example(app, stack, built)
    return WeakenedStack(synthesize(example), built)


def _scope(stack: cdk.Stack, name: str) -> Construct:
    """A construct per case, so that helpers' children (endpoints, certificates) do not clash."""
    return Construct(stack, f"{name}Case")


def test_every_rule_a_construct_satisfies_has_a_weakening_case(defaults: Synthesized) -> None:
    satisfied = {
        r for rules in docs.satisfied(defaults.example, defaults.results).values() for r in rules
    }
    covered = {rule for case in WEAKENED for rule in case.rules}
    # Rules satisfied by what CDK builds or by what the constructs enforce, with no setting to
    # weaken: PrivateRestApi refuses a public endpoint type and always adds its Deny;
    # SecureGraphqlApi is always associated with a web ACL.
    by_cdk = {
        "lambda-permission-not-public",
        "lambda-permission-source-scoped",
        "lambda-role-not-shared",
        "apigw-rest-private-endpoint",
        "apigw-private-api-vpce-policy",
        "logs-group-encrypted",
        "api-waf-associated",
    }
    assert satisfied - covered - by_cdk == set()


@pytest.mark.parametrize("case", WEAKENED, ids=lambda c: c.name)
def test_a_weakening_override_fails_its_rule_and_warns(
    weakened: WeakenedStack, case: Weakened
) -> None:
    construct = weakened.built[case.name]
    fails = failing(weakened.synth, construct)
    warned = warnings_under(weakened.synth, "/" + construct.node.path)
    for rule_id in case.rules:
        assert rule_id in BY_ID
        assert rule_id in fails, f"{rule_id} does not fail: {sorted(fails)}"
        assert f"{WARNING_PREFIX}{rule_id}" in warned, f"no warning names {rule_id}: {warned}"


def test_a_key_in_a_stack_with_an_explicit_environment_names_its_account_as_the_owner(
    tmp_path: Path,
) -> None:
    """The CDK writes a stack's literal account id where its environment is explicit; the key
    policy of a SecureKey writes `${AWS::AccountId}`, which is the owner on every engine."""
    app = docs.new_app(str(tmp_path))
    stack = cdk.Stack(
        app, "Pinned", env=cdk.Environment(account="123456789012", region="eu-west-1")
    )
    key = SecureKey(stack, "Key")
    queue = SecureQueue(stack, "Queue")
    synth = synthesize(docs.Example(app, stack, {"SecureKey": key, "SecureQueue": queue}))
    rules = ("resource-policy-no-wildcard-actions", "resource-policy-not-public")
    verdicts = [(r.rule.id, r.verdict.outcome) for r in synth.results if r.rule.id in rules]
    assert verdicts
    assert {outcome for _, outcome in verdicts} <= {Outcome.PASS, Outcome.NOT_APPLICABLE}
    assert warnings_under(synth, "") == {}
