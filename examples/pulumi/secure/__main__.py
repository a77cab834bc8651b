"""Orders service on pulumi-aws, built with serverless-guard's components: a private REST API,
a function, a table, a queue, a topic and a bucket, secure by default (the policy pack passes
it, and no component warns).

    pulumi preview --policy-pack policypack          # with the Pulumi CLI
    serverless-guard pulumi .                        # offline, no CLI or credentials

Its insecure twin, `examples/pulumi/insecure`, writes the same service with plain pulumi-aws
resources.
"""

import os

import pulumi

from serverless_guard.pulumi import components as sg

config = pulumi.Config()
vpc_endpoint_id = config.get("apiVpcEndpointId") or "vpce-0a1b2c3d4e5f60789"

# One customer-managed key for the whole service, rotated; every component below uses it.
key = sg.SecureKey("service-key", description="Orders service data key")
sg.shared_key(key)

bucket = sg.SecureBucket("documents", bucket="orders-documents-example")
table = sg.SecureTable("orders", hash_key="id", attributes=[{"name": "id", "type": "S"}])
queue = sg.SecureQueue("work")
topic = sg.SecureTopic("order-events")

function = sg.SecureFunction(
    "orders",
    runtime="python3.13",
    handler="handler.handler",
    code=pulumi.FileArchive(os.path.join(os.path.dirname(__file__), "app")),
    environment={"variables": {"TABLE_NAME": table.name, "TOPIC_ARN": topic.arn}},
    logging_config={"log_format": "JSON"},
)
table.grant_read(function)
bucket.grant_read(function)
queue.grant_send(function)
topic.grant_publish(function)

api = sg.PrivateRestApi(
    "orders-api", vpc_endpoint_ids=[vpc_endpoint_id], routes={"GET /orders": function}
)

pulumi.export("api_id", api.id)
pulumi.export("api_url", api.url)
pulumi.export("table", table.name)
