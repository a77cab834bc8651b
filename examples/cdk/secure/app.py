"""The orders service of `../insecure`, built from the secure constructs: `cdk synth` passes.

Each construct wraps the CDK construct of the same kind (`SecureFunction` an
`aws_lambda.Function`, `PrivateRestApi` an `aws_apigateway.RestApi`...) with settings that pass
every rule of the catalog; the wrapped construct is an attribute (`.function`, `.bucket`...).
The guard runs with guard.json, the configuration the CLI and the Pulumi pack read too.
"""

# First: it silences jsii's Node end-of-life banner before aws_cdk starts jsii.
from serverless_guard.cdk import ServerlessGuard  # isort: skip

import aws_cdk as cdk
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from serverless_guard.cdk.constructs import (
    PrivateRestApi,
    SecureBucket,
    SecureFunction,
    SecureQueue,
    SecureTable,
)

HANDLER = """
def handler(event, context):
    return {"statusCode": 200, "body": "ok"}
"""
# The execute-api interface endpoint of the VPC the API is called from.
API_VPC_ENDPOINT = "vpce-0a1b2c3d4e5f60789"


class OrdersStack(cdk.Stack):
    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        documents = SecureBucket(self, "Documents")
        work = SecureQueue(self, "Work")
        orders = SecureTable(
            self,
            "Orders",
            partition_key=dynamodb.Attribute(name="id", type=dynamodb.AttributeType.STRING),
        )
        handler = SecureFunction(
            self,
            "Handler",
            runtime=lambda_.Runtime.PYTHON_3_12,
            handler="index.handler",
            code=lambda_.Code.from_inline(HANDLER),
            environment={
                "BUCKET": documents.bucket.bucket_name,
                "QUEUE_URL": work.queue.queue_url,
                "TABLE": orders.table.table_name,
            },
        )
        documents.bucket.grant_read_write(handler.function)
        work.queue.grant_send_messages(handler.function)
        orders.table.grant_read_write_data(handler.function)

        endpoint = ec2.InterfaceVpcEndpoint.from_interface_vpc_endpoint_attributes(
            self, "ApiEndpoint", vpc_endpoint_id=API_VPC_ENDPOINT, port=443
        )
        api = PrivateRestApi(self, "Api", vpc_endpoints=[endpoint])
        api.api.root.add_resource("orders").add_method(
            "POST", apigw.LambdaIntegration(handler.function)
        )


app = cdk.App()
cdk.Validations.of(app).add_plugins(ServerlessGuard(config="guard.json"))
OrdersStack(app, "SecureOrders")
app.synth()
