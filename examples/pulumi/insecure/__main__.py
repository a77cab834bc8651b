"""Orders service on pulumi-aws, insecure: the mistakes serverless-guard's policy pack blocks at
`pulumi preview` (a public API without authorization, wildcard IAM, unencrypted data, logs kept
forever, a secret in an environment variable)."""

import json
import os

import pulumi
import pulumi_aws as aws

bucket = aws.s3.Bucket("documents")
table = aws.dynamodb.Table(
    "orders", billing_mode="PAY_PER_REQUEST", hash_key="id", attributes=[{"name": "id", "type": "S"}]
)
queue = aws.sqs.Queue("work")
topic = aws.sns.Topic("order-events")

role = aws.iam.Role(
    "orders-function-role",
    assume_role_policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
            ],
        }
    ),
    managed_policy_arns=["arn:aws:iam::aws:policy/AdministratorAccess"],
)
aws.iam.RolePolicy(
    "orders-function-policy",
    role=role.id,
    policy=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}]}
    ),
)
function = aws.lambda_.Function(
    "orders",
    runtime="python3.9",
    handler="handler.handler",
    code=pulumi.FileArchive(os.path.join(os.path.dirname(__file__), "app")),
    role=role.arn,
    environment={"variables": {"TABLE_NAME": table.name, "DB_PASSWORD": "correct-horse-battery-staple"}},
)
aws.lambda_.FunctionUrl("orders-url", function_name=function.name, authorization_type="NONE")

api = aws.apigateway.RestApi("orders-api")
method = aws.apigateway.Method(
    "list-orders", rest_api=api.id, resource_id=api.root_resource_id, http_method="GET", authorization="NONE"
)
integration = aws.apigateway.Integration(
    "list-orders-integration",
    rest_api=api.id,
    resource_id=api.root_resource_id,
    http_method=method.http_method,
    integration_http_method="POST",
    type="AWS_PROXY",
    uri=function.invoke_arn,
)
aws.lambda_.Permission(
    "api-invoke", action="lambda:InvokeFunction", function=function.name, principal="apigateway.amazonaws.com"
)
deployment = aws.apigateway.Deployment(
    "orders-api-deployment", rest_api=api.id, opts=pulumi.ResourceOptions(depends_on=[integration])
)
aws.apigateway.Stage("prod", rest_api=api.id, deployment=deployment.id, stage_name="prod")
