"""The Pulumi components, run as `serverless-guard pulumi` runs programs (under mocks) and judged
by the policy pack over its Analyzer gRPC protocol with the property dependencies the engine
sends: with their defaults nothing is reported and nothing is warned; each documented weakening
is warned about, naming the rule the pack then reports; and a program of plain pulumi-aws
resources, with its classes swapped for the components, goes from findings to none."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("pulumi_policy")

from pulumi_programs import Run, run, write_program
from test_pulumi_grpc import Grpc, diagnostics, driver, pack

from serverless_guard.catalog import BY_ID

__all__ = ["driver", "pack"]  # the policy pack's fixtures, shared with test_pulumi_grpc

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
    "LeastPrivilegeRole",
)

HEADER = """\
import json

import pulumi
import pulumi_aws as aws
from serverless_guard.pulumi import components as sg

CODE = pulumi.AssetArchive({"app.py": pulumi.StringAsset("def handler(event, context):\\n    return event\\n")})
LAMBDA_TRUST = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
SCHEDULER_TRUST = LAMBDA_TRUST.replace("lambda.amazonaws.com", "scheduler.amazonaws.com")
DEFINITION = json.dumps({"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": True}}})
VPCE = "vpce-0123456789abcdef0"
"""

DEFAULTS = (
    HEADER
    + """
key = sg.SecureKey("key")
bucket = sg.SecureBucket("documents")
table = sg.SecureTable("orders", hash_key="id", attributes=[{"name": "id", "type": "S"}])
queue = sg.SecureQueue("work")
topic = sg.SecureTopic("events")
bus = sg.SecureEventBus("bus")
fn = sg.SecureFunction(
    "handler",
    runtime="python3.13",
    handler="app.handler",
    code=CODE,
    environment={"variables": {"TABLE": table.name, "BUCKET": bucket.bucket}},
)
table.grant_read_write(fn)
bucket.grant_read(fn)
queue.grant_send(fn)
topic.grant_publish(fn)
bus.grant_put_events(fn)
api = sg.PrivateRestApi("api", vpc_endpoint_ids=[VPCE], routes={"GET /orders": fn, "POST /orders/{id}": fn})
http = sg.SecureHttpApi("http", routes={"GET /items": fn, "$default": fn})
machine = sg.SecureStateMachine("machine", definition=DEFINITION)
fn.grant_invoke(machine)
role = sg.LeastPrivilegeRole("scheduler", assume_role_policy=SCHEDULER_TRUST)
machine.grant_start_execution(role)
named = sg.SecureFunction("named", name="orders-named", runtime="nodejs22.x", handler="index.handler", code=CODE)
with sg.shared_key(key):
    shared_table = sg.SecureTable("shared-table", hash_key="id", attributes=[{"name": "id", "type": "S"}])
    shared_queue = sg.SecureQueue("shared-queue", fifo_queue=True)
pulumi.export("url", api.url)
pulumi.export("http_url", http.url)
"""
)

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
        'sg.SecureTable("owned-key-table", hash_key="id", attributes=[{"name": "id", "type": '
        '"S"}], server_side_encryption=None)',
    ),
    (
        "no-pitr-table",
        "dynamodb-pitr",
        'sg.SecureTable("no-pitr-table", hash_key="id", attributes=[{"name": "id", "type": '
        '"S"}], point_in_time_recovery={"enabled": False})',
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
    ("plain-topic", "sns-topic-encrypted", 'sg.SecureTopic("plain-topic", kms_master_key_id=None)'),
    (
        "public-topic",
        "resource-policy-not-public",
        'sg.SecureTopic("public-topic", policy=json.dumps({"Version": "2012-10-17", '
        '"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sns:Publish", '
        '"Resource": "*"}]}))',
    ),
    ("owned-key-bus", "eventbridge-bus-encrypted", 'sg.SecureEventBus("owned-key-bus", kms_key_identifier=None)'),
    (
        "untraced-fn",
        "lambda-tracing-active",
        'sg.SecureFunction("untraced-fn", runtime="python3.13", handler="app.handler", '
        'code=CODE, tracing_config={"mode": "PassThrough"})',
    ),
    (
        "old-fn",
        "lambda-runtime-supported",
        'sg.SecureFunction("old-fn", runtime="python3.8", handler="app.handler", code=CODE)',
    ),
    (
        "secret-fn",
        "lambda-env-no-secrets",
        'sg.SecureFunction("secret-fn", runtime="python3.13", handler="app.handler", '
        'code=CODE, environment={"variables": {"DB_PASSWORD": "correct-horse-battery-staple"}})',
    ),
    (
        "clear-env-fn",
        "lambda-env-encrypted",
        'sg.SecureFunction("clear-env-fn", runtime="python3.13", handler="app.handler", '
        'code=CODE, kms_key_arn=None, environment={"variables": {"STAGE": "prod"}})',
    ),
    (
        "no-dlq-fn",
        "lambda-async-failure-handling",
        'sg.SecureFunction("no-dlq-fn", runtime="python3.13", handler="app.handler", '
        "code=CODE, dead_letter_config=None)",
    ),
    (
        "open-rest",
        "apigw-method-authorization",
        'sg.PrivateRestApi("open-rest", vpc_endpoint_ids=[VPCE], routes={"GET /open": '
        '{"function": handler, "authorization": "NONE"}})',
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
        "wildcard-role",
        "iam-no-wildcard-actions",
        'sg.LeastPrivilegeRole("wildcard-role", assume_role_policy=LAMBDA_TRUST, '
        'inline_policies=[{"name": "everything", "policy": json.dumps({"Version": "2012-10-17", '
        '"Statement": [{"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}]})}])',
    ),
)

WEAKENED_PROGRAM = (
    HEADER
    + '\nhandler = sg.SecureFunction("handler", runtime="python3.13", handler="app.handler", '
    + "code=CODE)\n"
    + "".join(f"{code}\n" for _, _, code in WEAKENED)
)


def owned_by(component: str, resource: str) -> bool:
    """Whether a resource is the component's (children are named `<component>-...`)."""
    return resource == component or resource.startswith(f"{component}-")


@pytest.fixture(scope="module")
def defaults(tmp_path_factory: pytest.TempPathFactory) -> Run:
    return run(write_program(tmp_path_factory.mktemp("defaults"), DEFAULTS))


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
