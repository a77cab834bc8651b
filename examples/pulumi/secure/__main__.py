"""Orders service on pulumi-aws: a private REST API, a function, a table, a queue, a topic and a
bucket, configured the way serverless-guard's catalog recommends (the policy pack passes it).

    pulumi preview --policy-pack policypack          # with the Pulumi CLI
    serverless-guard pulumi .                        # offline, no CLI or credentials
"""

import json
import os

import pulumi
import pulumi_aws as aws

config = pulumi.Config()
vpc_endpoint_id = config.get("apiVpcEndpointId") or "vpce-0a1b2c3d4e5f60789"
retention_days = config.get_int("logRetentionDays") or 365

caller = aws.get_caller_identity()
region = aws.get_region()
account_root = f"arn:aws:iam::{caller.account_id}:root"


def tls_only(resource_arns, action):
    """A resource policy statement that refuses requests without TLS."""
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": action,
        "Resource": resource_arns,
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


# --- one customer-managed key, rotated, usable by CloudWatch Logs -------------------------------
key = aws.kms.Key(
    "service-key",
    description="Orders service data key",
    enable_key_rotation=True,
    policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "AccountAdministration",
                    "Effect": "Allow",
                    "Principal": {"AWS": account_root},
                    "Action": "kms:*",
                    "Resource": "*",
                },
                {
                    "Sid": "CloudWatchLogs",
                    "Effect": "Allow",
                    "Principal": {"Service": f"logs.{region.region}.amazonaws.com"},
                    "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"],
                    "Resource": "*",
                    "Condition": {
                        "ArnLike": {
                            "kms:EncryptionContext:aws:logs:arn": f"arn:aws:logs:{region.region}:{caller.account_id}:*"
                        }
                    },
                },
            ],
        }
    ),
)

# --- storage ------------------------------------------------------------------------------------
bucket = aws.s3.Bucket("documents", bucket="orders-documents-example")
aws.s3.BucketServerSideEncryptionConfiguration(
    "documents-encryption",
    bucket=bucket.id,
    rules=[
        {
            "apply_server_side_encryption_by_default": {
                "sse_algorithm": "aws:kms",
                "kms_master_key_id": key.arn,
            },
            "bucket_key_enabled": True,
        }
    ],
)
aws.s3.BucketPublicAccessBlock(
    "documents-public-access",
    bucket=bucket.id,
    block_public_acls=True,
    ignore_public_acls=True,
    block_public_policy=True,
    restrict_public_buckets=True,
)
aws.s3.BucketPolicy(
    "documents-policy",
    bucket=bucket.id,
    policy=bucket.arn.apply(
        lambda arn: json.dumps(
            {"Version": "2012-10-17", "Statement": [tls_only([arn, f"{arn}/*"], "s3:*")]}
        )
    ),
)

table = aws.dynamodb.Table(
    "orders",
    billing_mode="PAY_PER_REQUEST",
    hash_key="id",
    attributes=[{"name": "id", "type": "S"}],
    server_side_encryption={"enabled": True, "kms_key_arn": key.arn},
    point_in_time_recovery={"enabled": True},
)

# --- messaging ----------------------------------------------------------------------------------
dead_letters = aws.sqs.Queue("work-dlq", kms_master_key_id=key.arn, message_retention_seconds=1209600)
queue = aws.sqs.Queue(
    "work",
    kms_master_key_id=key.arn,
    redrive_policy=dead_letters.arn.apply(
        lambda arn: json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": 5})
    ),
)
for name, q in (("work", queue), ("work-dlq", dead_letters)):
    aws.sqs.QueuePolicy(
        f"{name}-policy",
        queue_url=q.url,
        policy=q.arn.apply(
            lambda arn: json.dumps({"Version": "2012-10-17", "Statement": [tls_only(arn, "sqs:*")]})
        ),
    )

topic = aws.sns.Topic("order-events", kms_master_key_id=key.arn)
aws.sns.TopicPolicy(
    "order-events-policy",
    arn=topic.arn,
    policy=topic.arn.apply(
        lambda arn: json.dumps({"Version": "2012-10-17", "Statement": [tls_only(arn, "sns:Publish")]})
    ),
)

# --- function -----------------------------------------------------------------------------------
function_logs = aws.cloudwatch.LogGroup(
    "orders-function-logs",
    name="/orders/function",
    retention_in_days=retention_days,
    kms_key_id=key.arn,
)
role = aws.iam.Role(
    "orders-function-role",
    assume_role_policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "lambda.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
    ),
)
aws.iam.RolePolicy(
    "orders-function-policy",
    role=role.id,
    policy=pulumi.Output.all(function_logs.arn, table.arn, dead_letters.arn, topic.arn, key.arn).apply(
        lambda arns: json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                        "Resource": f"{arns[0]}:*",
                    },
                    {"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:Scan"], "Resource": arns[1]},
                    {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": arns[2]},
                    {"Effect": "Allow", "Action": "sns:Publish", "Resource": arns[3]},
                    {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": arns[4]},
                    {
                        "Effect": "Allow",
                        "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
                        "Resource": "*",
                    },
                ],
            }
        )
    ),
)
function = aws.lambda_.Function(
    "orders",
    runtime="python3.13",
    handler="handler.handler",
    code=pulumi.FileArchive(os.path.join(os.path.dirname(__file__), "app")),
    role=role.arn,
    kms_key_arn=key.arn,
    environment={"variables": {"TABLE_NAME": table.name, "TOPIC_ARN": topic.arn}},
    tracing_config={"mode": "Active"},
    dead_letter_config={"target_arn": dead_letters.arn},
    logging_config={"log_format": "JSON", "log_group": function_logs.name},
)

# --- private REST API ---------------------------------------------------------------------------
api = aws.apigateway.RestApi(
    "orders-api",
    endpoint_configuration={"types": "PRIVATE", "vpc_endpoint_ids": [vpc_endpoint_id]},
    policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "execute-api:Invoke",
                    "Resource": "execute-api:/*",
                    "Condition": {"StringEquals": {"aws:SourceVpce": vpc_endpoint_id}},
                },
                {
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "execute-api:Invoke",
                    "Resource": "execute-api:/*",
                    "Condition": {"StringNotEquals": {"aws:SourceVpce": vpc_endpoint_id}},
                },
            ],
        }
    ),
)
orders = aws.apigateway.Resource("orders-resource", rest_api=api.id, parent_id=api.root_resource_id, path_part="orders")
method = aws.apigateway.Method(
    "list-orders", rest_api=api.id, resource_id=orders.id, http_method="GET", authorization="AWS_IAM"
)
integration = aws.apigateway.Integration(
    "list-orders-integration",
    rest_api=api.id,
    resource_id=orders.id,
    http_method=method.http_method,
    integration_http_method="POST",
    type="AWS_PROXY",
    uri=function.invoke_arn,
)
aws.lambda_.Permission(
    "api-invoke",
    action="lambda:InvokeFunction",
    function=function.name,
    principal="apigateway.amazonaws.com",
    source_arn=api.execution_arn.apply(lambda arn: f"{arn}/*/GET/orders"),
)
deployment = aws.apigateway.Deployment(
    "orders-api-deployment", rest_api=api.id, opts=pulumi.ResourceOptions(depends_on=[integration])
)
access_logs = aws.cloudwatch.LogGroup("orders-api-access-logs", retention_in_days=retention_days, kms_key_id=key.arn)
stage = aws.apigateway.Stage(
    "prod",
    rest_api=api.id,
    deployment=deployment.id,
    stage_name="prod",
    xray_tracing_enabled=True,
    access_log_settings={
        "destination_arn": access_logs.arn,
        "format": json.dumps({"requestId": "$context.requestId", "status": "$context.status"}),
    },
)
aws.apigateway.MethodSettings(
    "prod-settings",
    rest_api=api.id,
    stage_name=stage.stage_name,
    method_path="*/*",
    settings={"logging_level": "ERROR", "data_trace_enabled": False, "metrics_enabled": True},
)

pulumi.export("api_id", api.id)
pulumi.export("table", table.name)
