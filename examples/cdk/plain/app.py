"""An orders service, written the way aws-cdk's own examples write it.

`examples/cdk/plain/app.py` builds it with aws-cdk-lib's constructs: `cdk synth` fails with the
validation plugin's report. `examples/cdk/secure/app.py` is the same file with each class name
replaced by the serverless-guard construct that subclasses it (`s3.Bucket` -> `SecureBucket`,
`lambda_.Function` -> `SecureFunction`...) and one import added: `cdk synth` passes. A test
checks that the second is derived from the first in exactly that way.

The handlers are inline, so the app needs no asset bundling. Run it from its folder:
`cdk synth` (the Makefile's `make demo` does, with the CDK CLI it installs).
"""

# First: it silences jsii's Node end-of-life banner before aws_cdk starts jsii.
from serverless_guard.cdk import ServerlessGuard  # isort: skip

from pathlib import Path

import aws_cdk as cdk
from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_appsync as appsync
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_notifications as s3n
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from aws_cdk.aws_apigatewayv2_integrations import HttpLambdaIntegration
from aws_cdk.aws_lambda_event_sources import SqsEventSource
from constructs import Construct


HANDLER = """
def handler(event, context):
    return {"statusCode": 200, "body": "ok"}
"""
# The execute-api interface endpoint of the VPC the private APIs are called from.
API_VPC_ENDPOINT = "vpce-0a1b2c3d4e5f60789"
# The schema of the customers' GraphQL API (order history).
SCHEMA = Path(__file__).with_name("schema.graphql")


class OrdersStack(cdk.Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)

        # Storage: uploads land in a bucket, orders and customers in tables.
        receipts_key = kms.Key(self, "ReceiptsKey", description="Encrypts the receipts")
        receipts = s3.Bucket(self, "Receipts", encryption_key=receipts_key, versioned=True)
        uploads = s3.Bucket(
            self,
            "Uploads",
            removal_policy=RemovalPolicy.DESTROY,
            auto_delete_objects=True,
        )
        orders = dynamodb.TableV2(
            self,
            "Orders",
            partition_key=dynamodb.Attribute(name="id", type=dynamodb.AttributeType.STRING),
        )
        customers = dynamodb.Table(
            self,
            "Customers",
            partition_key=dynamodb.Attribute(name="id", type=dynamodb.AttributeType.STRING),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
        )

        # Messaging: jobs for the worker, order events, and an audit trail of them.
        jobs = sqs.Queue(self, "Jobs", visibility_timeout=Duration.seconds(300))
        audit = sqs.Queue(self, "Audit")
        order_events = sns.Topic(self, "OrderEvents")
        order_events.add_subscription(subscriptions.SqsSubscription(audit))
        bus = events.EventBus(self, "Bus")

        # Compute: the API handler and the worker.
        handler = lambda_.Function(
            self,
            "ApiHandler",
            runtime=lambda_.Runtime.PYTHON_3_13,
            handler="index.handler",
            code=lambda_.Code.from_inline(HANDLER),
            environment={"ORDERS": orders.table_name, "CUSTOMERS": customers.table_name},
        )
        handler.add_environment("JOBS", jobs.queue_url)
        orders.grant_read_write_data(handler)
        customers.grant_read_data(handler)
        jobs.grant_send_messages(handler)
        order_events.grant_publish(handler)
        bus.grant_put_events_to(handler)

        worker = lambda_.Function(
            self,
            "Worker",
            runtime=lambda_.Runtime.PYTHON_3_13,
            handler="index.handler",
            code=lambda_.Code.from_inline(HANDLER),
            timeout=Duration.seconds(60),
            environment={"UPLOADS": uploads.bucket_name, "RECEIPTS": receipts.bucket_name},
        )
        worker.add_event_source(SqsEventSource(jobs, batch_size=10))
        uploads.grant_read(worker)
        receipts.grant_write(worker)
        uploads.add_event_notification(s3.EventType.OBJECT_CREATED, s3n.SqsDestination(jobs))
        events.Rule(
            self,
            "OrderPlaced",
            event_bus=bus,
            event_pattern=events.EventPattern(source=["orders"]),
            targets=[targets.LambdaFunction(worker)],
        )

        # Workflow: fulfilment runs the worker; a scheduler may start it.
        fulfilment = sfn.StateMachine(
            self,
            "Fulfilment",
            definition_body=sfn.DefinitionBody.from_chainable(
                tasks.LambdaInvoke(self, "Fulfil", lambda_function=worker, output_path="$.Payload")
            ),
            timeout=Duration.minutes(5),
        )
        scheduler = iam.Role(
            self, "Scheduler", assumed_by=iam.ServicePrincipal("scheduler.amazonaws.com")
        )
        fulfilment.grant_start_execution(scheduler)

        # APIs: two private REST APIs, called through the VPC endpoint, and an HTTP API.
        endpoint = ec2.InterfaceVpcEndpoint.from_interface_vpc_endpoint_attributes(
            self, "ApiEndpoint", vpc_endpoint_id=API_VPC_ENDPOINT, port=443
        )
        private = apigw.EndpointConfiguration(
            types=[apigw.EndpointType.PRIVATE], vpc_endpoints=[endpoint]
        )
        from_endpoint = iam.PolicyDocument(
            statements=[
                iam.PolicyStatement(
                    principals=[iam.AnyPrincipal()],
                    actions=["execute-api:Invoke"],
                    resources=["execute-api:/*"],
                    conditions={"StringEquals": {"aws:SourceVpce": API_VPC_ENDPOINT}},
                )
            ]
        )
        apigw.LambdaRestApi(
            self, "OrdersApi", handler=handler, endpoint_configuration=private, policy=from_endpoint
        )
        admin = apigw.RestApi(
            self, "AdminApi", endpoint_configuration=private, policy=from_endpoint
        )
        admin.root.add_resource("orders").add_method("GET", apigw.LambdaIntegration(handler))
        status = apigwv2.HttpApi(self, "StatusApi")
        status.add_routes(
            path="/status",
            methods=[apigwv2.HttpMethod.GET],
            integration=HttpLambdaIntegration("Status", handler),
        )

        # Customers sign in to a user pool and read their order history from a GraphQL API.
        cognito.UserPool(
            self,
            "CustomerPool",
            self_sign_up_enabled=True,
            sign_in_aliases=cognito.SignInAliases(email=True),
        )
        history = appsync.GraphqlApi(
            self,
            "HistoryApi",
            name="order-history",
            definition=appsync.Definition.from_file(str(SCHEMA)),
        )
        history.add_dynamo_db_data_source("Customers", customers).create_resolver(
            "CustomerQuery",
            type_name="Query",
            field_name="customer",
            request_mapping_template=appsync.MappingTemplate.dynamo_db_get_item("id", "id"),
            response_mapping_template=appsync.MappingTemplate.dynamo_db_result_item(),
        )


if __name__ == "__main__":
    app = cdk.App()
    cdk.Validations.of(app).add_plugins(ServerlessGuard(config="guard.json"))
    OrdersStack(app, "Orders")
    app.synth()
