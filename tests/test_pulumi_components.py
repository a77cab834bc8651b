"""The Pulumi components, run as `serverless-guard pulumi` runs programs (under mocks) and judged
by the policy pack over its Analyzer gRPC protocol with the property dependencies the engine
sends: with their defaults nothing is reported and nothing is warned; each documented weakening
is warned about, naming the rule the pack then reports; and a program of plain pulumi-aws
resources, with its classes swapped for the components, goes from findings to none."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pulumi_policy")

from pack_process import Grpc, diagnostics
from program_warnings import Run, run, write_program
from test_pulumi_grpc import driver, pack

from serverless_guard.catalog import BY_ID

__all__ = ["driver", "pack"]  # the policy pack's fixtures, shared with test_pulumi_grpc

# Importing pulumi-aws's modules here (codegen, the engine's view of arguments) warns about its
# own deprecated resources.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:pulumi_aws")

COMPONENTS = (
    "SecureKey",
    "SecureBucket",
    "SecureFunction",
    "PrivateRestApi",
    "SecureHttpApi",
    "SecureTable",
    "SecureQueue",
    "SecureTopic",
    "SecureStateMachine",
    "SecureEventBus",
    "SecureGraphqlApi",
    "SecureUserPool",
    "LeastPrivilegeRole",
)

PROGRAMS = Path(__file__).parent / "fixtures" / "pulumi_programs"
SWAPS = {
    "aws.kms.Key(": "sg.SecureKey(",
    "aws.s3.Bucket(": "sg.SecureBucket(",
    "aws.lambda_.Function(": "sg.SecureFunction(",
    "aws.apigateway.RestApi(": "sg.PrivateRestApi(",
    "aws.apigatewayv2.Api(": "sg.SecureHttpApi(",
    "aws.dynamodb.Table(": "sg.SecureTable(",
    "aws.sqs.Queue(": "sg.SecureQueue(",
    "aws.sns.Topic(": "sg.SecureTopic(",
    "aws.sfn.StateMachine(": "sg.SecureStateMachine(",
    "aws.cloudwatch.EventBus(": "sg.SecureEventBus(",
    "aws.iam.Role(": "sg.LeastPrivilegeRole(",
    "aws.appsync.GraphQLApi(": "sg.SecureGraphqlApi(",
    "aws.cognito.UserPool(": "sg.SecureUserPool(",
}
"""Each pulumi-aws class and the component that replaces it: the only change a program needs."""

HEADER = """\
import json

import pulumi
from serverless_guard.pulumi import components as sg

CODE = pulumi.AssetArchive({})
LAMBDA_TRUST = json.dumps({
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Principal": {"Service": "lambda.amazonaws.com"},
        "Action": "sts:AssumeRole",
    }],
})
DEFINITION = json.dumps({"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": True}}})
ID = [{"name": "id", "type": "S"}]
FN = {"runtime": "python3.13", "handler": "app.handler", "code": CODE}
SCHEMA = "type Query { ping: String }"
handler = sg.SecureFunction("handler", **FN)
"""

# A weakening per documented override: (component name, the rule it breaks, the component).
WEAKENED = (
    ("unrotated", "kms-key-rotation", 'sg.SecureKey("unrotated", enable_key_rotation=False)'),
    (
        "sse-s3-bucket",
        "s3-bucket-encryption-kms",
        'sg.SecureBucket("sse-s3-bucket", server_side_encryption_configuration=None)',
    ),
    (
        "aes-bucket",
        "s3-bucket-encryption-kms",
        'sg.SecureBucket("aes-bucket", server_side_encryption_configuration={"rule": '
        '{"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}})',
    ),
    (
        "public-bucket",
        "resource-policy-not-public",
        'sg.SecureBucket("public-bucket", policy=json.dumps({"Version": "2012-10-17", '
        '"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", '
        '"Resource": "arn:aws:s3:::public-bucket/*"}]}))',
    ),
    (
        "owned-key-table",
        "dynamodb-table-encryption-kms",
        'sg.SecureTable("owned-key-table", hash_key="id", attributes=ID, '
        "server_side_encryption=None)",
    ),
    (
        "no-pitr-table",
        "dynamodb-pitr",
        'sg.SecureTable("no-pitr-table", hash_key="id", attributes=ID, '
        'point_in_time_recovery={"enabled": False})',
    ),
    ("plain-queue", "sqs-queue-encrypted", 'sg.SecureQueue("plain-queue", kms_master_key_id=None)'),
    (
        "sse-sqs-queue",
        "sqs-queue-encrypted",
        'sg.SecureQueue("sse-sqs-queue", sqs_managed_sse_enabled=True)',
    ),
    ("no-dlq-queue", "sqs-queue-dlq", 'sg.SecureQueue("no-dlq-queue", redrive_policy=None)'),
    (
        "public-queue",
        "resource-policy-not-public",
        'sg.SecureQueue("public-queue", policy={"Version": "2012-10-17", "Statement": '
        '[{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sqs:SendMessage", '
        '"Resource": "*"}]})',
    ),
    (
        "wildcard-queue",
        "resource-policy-no-wildcard-actions",
        'sg.SecureQueue("wildcard-queue", policy={"Version": "2012-10-17", "Statement": '
        '[{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:*", '
        '"Resource": "*"}]})',
    ),
    (
        "public-key",
        "resource-policy-not-public",
        'sg.SecureKey("public-key", policy=json.dumps({"Version": "2012-10-17", "Statement": '
        '[{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}]}))',
    ),
    ("plain-topic", "sns-topic-encrypted", 'sg.SecureTopic("plain-topic", kms_master_key_id=None)'),
    (
        "public-topic",
        "resource-policy-not-public",
        'sg.SecureTopic("public-topic", policy=json.dumps({"Version": "2012-10-17", '
        '"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sns:Publish", '
        '"Resource": "*"}]}))',
    ),
    (
        "owned-key-bus",
        "eventbridge-bus-encrypted",
        'sg.SecureEventBus("owned-key-bus", kms_key_identifier=None)',
    ),
    (
        "untraced-fn",
        "lambda-tracing-active",
        'sg.SecureFunction("untraced-fn", **FN, tracing_config={"mode": "PassThrough"})',
    ),
    (
        "old-fn",
        "lambda-runtime-supported",
        'sg.SecureFunction("old-fn", **{**FN, "runtime": "python3.8"})',
    ),
    (
        "secret-fn",
        "lambda-env-no-secrets",
        'sg.SecureFunction("secret-fn", **FN, environment={"variables": '
        '{"DB_PASSWORD": "correct-horse-battery-staple"}})',
    ),
    (
        "clear-env-fn",
        "lambda-env-encrypted",
        'sg.SecureFunction("clear-env-fn", **FN, kms_key_arn=None, '
        'environment={"variables": {"STAGE": "prod"}})',
    ),
    (
        "no-dlq-fn",
        "lambda-async-failure-handling",
        'sg.SecureFunction("no-dlq-fn", **FN, dead_letter_config=None)',
    ),
    (
        "open-rest",
        "apigw-method-authorization",
        'sg.PrivateRestApi("open-rest", vpc_endpoint_ids=["vpce-0123456789abcdef0"], '
        'routes={"GET /open": {"function": handler, "authorization": "NONE"}})',
    ),
    (
        "open-http",
        "apigw-http-route-authorization",
        'sg.SecureHttpApi("open-http", routes={"GET /open": {"function": handler, '
        '"authorization_type": "NONE"}})',
    ),
    (
        "unlogged-machine",
        "sfn-logging",
        'sg.SecureStateMachine("unlogged-machine", definition=DEFINITION, '
        'logging_configuration={"level": "OFF"})',
    ),
    (
        "untraced-machine",
        "sfn-tracing",
        'sg.SecureStateMachine("untraced-machine", definition=DEFINITION, '
        'tracing_configuration={"enabled": False})',
    ),
    (
        "api-key-graphql",
        "appsync-auth-not-api-key",
        'sg.SecureGraphqlApi("api-key-graphql", schema=SCHEMA, authentication_type="API_KEY")',
    ),
    (
        "unlogged-graphql",
        "appsync-logging",
        'sg.SecureGraphqlApi("unlogged-graphql", schema=SCHEMA, log_config=None)',
    ),
    (
        "untraced-graphql",
        "appsync-tracing",
        'sg.SecureGraphqlApi("untraced-graphql", schema=SCHEMA, xray_enabled=False)',
    ),
    (
        "no-mfa-pool",
        "cognito-user-pool-mfa",
        'sg.SecureUserPool("no-mfa-pool", mfa_configuration="OFF")',
    ),
    (
        "audit-pool",
        "cognito-user-pool-threat-protection",
        'sg.SecureUserPool("audit-pool", user_pool_add_ons={"advanced_security_mode": "AUDIT"})',
    ),
    (
        "short-password-pool",
        "cognito-user-pool-password-policy",
        'sg.SecureUserPool("short-password-pool", password_policy={"minimum_length": 8})',
    ),
    (
        "admin-role",
        "iam-no-admin-policies",
        'sg.LeastPrivilegeRole("admin-role", assume_role_policy=LAMBDA_TRUST, '
        'managed_policy_arns=["arn:aws:iam::aws:policy/AdministratorAccess"])',
    ),
    (
        "trusting-role",
        "iam-role-trust-scoped",
        'sg.LeastPrivilegeRole("trusting-role", assume_role_policy=LAMBDA_TRUST.replace('
        '\'{"Service": "lambda.amazonaws.com"}\', \'"*"\'))',
    ),
    (
        "added-role",
        "iam-no-wildcard-resources",
        'sg.LeastPrivilegeRole("added-role", assume_role_policy=LAMBDA_TRUST).add_policy('
        '"writes", json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
        '"Action": "dynamodb:PutItem", "Resource": "*"}]}))',
    ),
    (
        "wildcard-role",
        "iam-no-wildcard-actions",
        'sg.LeastPrivilegeRole("wildcard-role", assume_role_policy=LAMBDA_TRUST, '
        'inline_policies=[{"name": "everything", "policy": json.dumps({"Version": "2012-10-17", '
        '"Statement": [{"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}]})}])',
    ),
)

WEAKENED_PROGRAM = HEADER + "".join(f"{code}\n" for _, _, code in WEAKENED)


def owned_by(component: str, resource: str) -> bool:
    """Whether a resource is the component's (children are named `<component>-...`)."""
    return resource == component or resource.startswith(f"{component}-")


@pytest.fixture(scope="module")
def defaults() -> Run:
    return run(PROGRAMS / "components")


@pytest.fixture(scope="module")
def weakened(tmp_path_factory: pytest.TempPathFactory) -> Run:
    return run(write_program(tmp_path_factory.mktemp("weakened"), WEAKENED_PROGRAM))


@pytest.fixture(scope="module")
def weakened_findings(weakened: Run, pack: tuple[Grpc, int]) -> list[tuple[str, str, str]]:
    return diagnostics(pack[0], weakened.resources)


def test_every_component_is_in_the_defaults_program(defaults: Run) -> None:
    kinds = {r.type for r in defaults.resources if r.type.startswith("serverless-guard:")}
    assert kinds == {f"serverless-guard:index:{name}" for name in COMPONENTS}


def test_components_with_defaults_log_no_warning(defaults: Run) -> None:
    assert [w.message for w in defaults.warnings] == []


def test_components_with_defaults_pass_the_policy_pack(defaults: Run, driver: Grpc) -> None:
    assert diagnostics(driver, defaults.resources) == []


def test_a_shared_key_replaces_the_keys_of_their_own(defaults: Run) -> None:
    keys = sorted(r.name for r in defaults.resources if r.type == "aws:kms/key:Key")
    assert "shared-table-key" not in keys
    assert "shared-queue-key" not in keys
    assert "orders-key" in keys


@pytest.mark.parametrize(("component", "rule", "code"), WEAKENED, ids=[w[0] for w in WEAKENED])
def test_a_weakening_override_warns_and_the_pack_reports_it(
    component: str,
    rule: str,
    code: str,
    weakened: Run,
    weakened_findings: list[tuple[str, str, str]],
) -> None:
    reported = {policy for policy, name, _ in weakened_findings if owned_by(component, name)}
    assert rule in reported, sorted(reported)
    warned = [w.message for w in weakened.warnings if w.name == component]
    prefix = f"serverless-guard::{rule}: "
    assert any(m.startswith(prefix) and BY_ID[rule].title in m for m in warned), warned


def test_every_warning_names_a_rule_the_pack_reports(
    weakened: Run, weakened_findings: list[tuple[str, str, str]]
) -> None:
    """What a component warns about is what the policy pack reports."""
    for warning in weakened.warnings:
        if not warning.message.startswith("serverless-guard::"):
            continue
        rule = warning.message.split("::", 1)[1].split(":", 1)[0]
        reported = {p for p, name, _ in weakened_findings if owned_by(warning.name, name)}
        assert rule in reported, (warning, sorted(reported))


def swapped(source: str) -> str:
    """A program with each pulumi-aws class replaced by its component, nothing else changed."""
    for plain, component in SWAPS.items():
        source = source.replace(plain, component)
    return source


def test_swapping_class_names_for_components_clears_every_finding(
    tmp_path: Path, driver: Grpc
) -> None:
    plain = PROGRAMS / "plain_serverless"
    before = run(plain)
    found = {policy for policy, _, _ in diagnostics(driver, before.resources)}
    assert {
        "kms-key-rotation",
        "s3-bucket-tls-only",
        "s3-bucket-public-access-blocked",
        "dynamodb-pitr",
        "sqs-queue-encrypted",
        "sqs-queue-dlq",
        "sns-topic-encrypted",
        "eventbridge-bus-encrypted",
        "lambda-tracing-active",
        "lambda-log-retention",
        "apigw-private-api-vpce-policy",
        "sfn-logging",
        "appsync-logging",
        "api-waf-associated",
        "cognito-user-pool-mfa",
    } <= found

    source = (plain / "__main__.py").read_text(encoding="utf-8")
    assert all(name in source for name in SWAPS)
    project = write_program(tmp_path / "swapped", swapped(source))
    after = run(project)
    assert diagnostics(driver, after.resources) == []
    assert [w.message for w in after.warnings] == []
    kinds = {r.type for r in after.resources if r.type.startswith("serverless-guard:")}
    assert kinds == {f"serverless-guard:index:{name}" for name in COMPONENTS}


REFUSALS = """\
import pulumi
from serverless_guard.pulumi import components as sg

CASES = {
    "public": lambda: sg.PrivateRestApi(
        "public", endpoint_configuration={"types": "REGIONAL"}, vpc_endpoint_ids=["vpce-1"]
    ),
    "no-endpoints": lambda: sg.PrivateRestApi("no-endpoints"),
    "websocket": lambda: sg.SecureHttpApi("websocket", protocol_type="WEBSOCKET"),
    "quick": lambda: sg.SecureHttpApi("quick", target="arn:aws:lambda:us-east-1:1:function:f"),
    "bad-route": lambda: sg.SecureHttpApi("bad-route", routes={"/orders": None}),
}
for name, case in CASES.items():
    try:
        case()
    except ValueError as error:
        pulumi.log.warn(f"refused {name}: {error}")
"""


def test_what_cannot_be_made_secure_is_refused(tmp_path: Path) -> None:
    outcome = run(write_program(tmp_path, REFUSALS))
    refused = dict(
        w.message.removeprefix("refused ").split(": ", 1)
        for w in outcome.warnings
        if w.message.startswith("refused ")
    )
    assert refused == {
        "public": "public: a PrivateRestApi is PRIVATE, not REGIONAL: use "
        "aws.apigateway.RestApi for a public API",
        "no-endpoints": "no-endpoints: a PrivateRestApi needs vpc_endpoint_ids (the execute-api "
        "interface endpoints that may call it)",
        "websocket": "websocket: a SecureHttpApi is an HTTP API, not WEBSOCKET",
        "quick": "quick: quick create (target) makes a $default route that everyone may call: "
        "give routes= instead",
        "bad-route": "route '/orders' is not 'METHOD /path' (methods: ['ANY', 'DELETE', 'GET', "
        "'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'])",
    }
    components = [r for r in outcome.resources if r.type.startswith("serverless-guard:")]
    assert components == []  # refused before anything is registered


ENGINE_VALUES = {
    "runtime": "python3.13",
    "handler": "app.handler",
    "role": "arn:aws:iam::123456789012:role/app",
    "memory_size": 256,
    "environment": {"variables": {"TABLE_NAME": "orders", "log_level": "INFO"}},
    "tracing_config": {"mode": "Active"},
    "logging_config": {"log_format": "JSON", "application_log_level": "INFO"},
    "vpc_config": {"subnet_ids": ["subnet-1", "subnet-2"], "security_group_ids": ["sg-1"]},
    "tags": {"team_name": "orders"},
}


def test_the_check_sees_arguments_as_the_engine_receives_them(tmp_path: Path) -> None:
    """The catalog check of the components reads arguments through `engine_props`; they must be
    what the engine hands the policy pack (camelCase names, user maps kept as written)."""
    from serverless_guard.pulumi.components._check import args_type
    from serverless_guard.pulumi.components._inputs import engine_props

    source = (
        "import pulumi, pulumi_aws as aws\n"
        f"aws.lambda_.Function('fn', code=pulumi.AssetArchive({{}}), **{ENGINE_VALUES!r})\n"
    )
    (registered,) = [r for r in run(write_program(tmp_path, source)).resources if r.name == "fn"]
    import pulumi_aws as aws

    expected = engine_props(args_type(aws.lambda_.Function), ENGINE_VALUES)
    assert {k: v for k, v in registered.props.items() if k in expected} == expected
    assert expected["environment"] == {"variables": {"TABLE_NAME": "orders", "log_level": "INFO"}}
    assert expected["vpcConfig"] == {
        "subnetIds": ["subnet-1", "subnet-2"],
        "securityGroupIds": ["sg-1"],
    }


def test_the_package_leaves_pulumi_to_the_sdk() -> None:
    """`serverless_guard.pulumi` never shadows the Pulumi SDK: a program imports both."""
    import subprocess
    import sys

    code = (
        "from serverless_guard.pulumi import components as sg\n"
        "import pulumi\n"
        "assert pulumi.ComponentResource is sg.SecureTable.__mro__[-3]\n"
        "assert hasattr(pulumi, 'export')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_the_generated_arguments_and_outputs_are_up_to_date() -> None:
    from serverless_guard.pulumi.components import codegen

    assert codegen.main(["--check"]) == 0, (
        "run python -m serverless_guard.pulumi.components.codegen"
    )


def test_the_components_page_and_readme_table_are_up_to_date() -> None:
    from serverless_guard.pulumi.components import docs

    assert docs.main(["--check"]) == 0, "run make docs"
