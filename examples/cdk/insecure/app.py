"""An orders service written with plain CDK defaults: `cdk synth` fails with the report.

The function's handler is inline, so the app needs no asset bundling. Run it from this folder:
`cdk synth` (the Makefile's `make demo` does, with the CDK CLI it installs).
"""

# First: it silences jsii's Node end-of-life banner before aws_cdk starts jsii.
from serverless_guard.cdk import ServerlessGuard  # isort: skip

import aws_cdk as cdk
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sqs as sqs
from constructs import Construct


HANDLER = """
def handler(event, context):
    return {"statusCode": 200, "body": "ok"}
"""


class OrdersStack(cdk.Stack):
    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        documents = s3.Bucket(self, "Documents")
        work = sqs.Queue(self, "Work", encryption=sqs.QueueEncryption.UNENCRYPTED)
        handler = lambda_.Function(
            self,
            "Handler",
            runtime=lambda_.Runtime.PYTHON_3_12,
            handler="index.handler",
            code=lambda_.Code.from_inline(HANDLER),
            environment={
                "BUCKET": documents.bucket_name,
                "QUEUE_URL": work.queue_url,
                "PAYMENT_API_TOKEN": "tok_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0",
            },
        )
        handler.add_to_role_policy(iam.PolicyStatement(actions=["s3:*", "sqs:*"], resources=["*"]))
        api = apigw.LambdaRestApi(self, "Api", handler=handler)
        api.root.add_resource("orders").add_method("POST")


app = cdk.App()
cdk.Validations.of(app).add_plugins(ServerlessGuard())
OrdersStack(app, "InsecureOrders")
app.synth()
