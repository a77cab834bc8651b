"""One of each component with its defaults, used the way an app uses them (code, routes,
grants): the program `docs` derives the rules-per-component table from, and that the tests
run through the policy pack (no finding, no warning).

    from serverless_guard.pulumi.components.example import build
    build()    # in a Pulumi program
"""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws

from serverless_guard.pulumi.components import (
    LeastPrivilegeRole,
    PrivateRestApi,
    SecureBucket,
    SecureEventBus,
    SecureFunction,
    SecureGraphqlApi,
    SecureHttpApi,
    SecureKey,
    SecureQueue,
    SecureStateMachine,
    SecureTable,
    SecureTopic,
    SecureUserPool,
)

VPC_ENDPOINT = "vpce-0123456789abcdef0"
CODE = "def handler(event, context):\n    return event\n"
DEFINITION = {"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": True}}}
SCHEMA = "type Item { id: ID! name: String }\ntype Query { item(id: ID!): Item }\n"


def scheduler_trust(account: str) -> str:
    """EventBridge Scheduler may assume the role for this account's schedules only."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "scheduler.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                    "Condition": {"StringEquals": {"aws:SourceAccount": account}},
                }
            ],
        }
    )


def build() -> dict[str, pulumi.Resource]:
    """The components, by the name of their class."""
    key = SecureKey("key", description="Application data")
    bucket = SecureBucket("documents")
    table = SecureTable("orders", hash_key="id", attributes=[{"name": "id", "type": "S"}])
    queue = SecureQueue("work")
    topic = SecureTopic("events")
    bus = SecureEventBus("bus")
    handler = SecureFunction(
        "handler",
        runtime="python3.13",
        handler="index.handler",
        code=pulumi.AssetArchive({"index.py": pulumi.StringAsset(CODE)}),
        environment={"variables": {"TABLE": table.name, "BUCKET": bucket.bucket}},
    )
    table.grant_read_write(handler)
    bucket.grant_read(handler)
    queue.grant_send(handler)
    topic.grant_publish(handler)
    bus.grant_put_events(handler)
    key.grant_encrypt_decrypt(handler)
    rest = PrivateRestApi(
        "api",
        vpc_endpoint_ids=[VPC_ENDPOINT],
        routes={"GET /orders": handler, "GET /orders/{id}": handler},
    )
    http = SecureHttpApi("http", routes={"GET /items": handler})
    machine = SecureStateMachine("machine", definition=json.dumps(DEFINITION))
    handler.grant_invoke(machine)
    account = aws.get_caller_identity_output().account_id
    role = LeastPrivilegeRole("scheduler", assume_role_policy=account.apply(scheduler_trust))
    machine.grant_start_execution(role)
    graphql = SecureGraphqlApi("graphql", name="items", schema=SCHEMA)
    user_pool = SecureUserPool("users", name="customers")
    pulumi.export("api_url", rest.url)
    pulumi.export("http_url", http.url)
    return {
        "SecureKey": key,
        "SecureBucket": bucket,
        "SecureFunction": handler,
        "PrivateRestApi": rest,
        "SecureHttpApi": http,
        "SecureTable": table,
        "SecureQueue": queue,
        "SecureTopic": topic,
        "SecureStateMachine": machine,
        "SecureEventBus": bus,
        "SecureGraphqlApi": graphql,
        "SecureUserPool": user_pool,
        "LeastPrivilegeRole": role,
    }
