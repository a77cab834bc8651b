"""Generate realistic serverless CloudFormation templates of a given size for benchmarks."""

from __future__ import annotations

import json
from typing import Any


def _service(index: int) -> dict[str, Any]:
    """Ten resources: a function with its role, log group, queue, table, bucket and API parts."""
    n = f"S{index}"
    return {
        f"{n}Role": {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "lambda.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        }
                    ],
                },
                "Policies": [
                    {
                        "PolicyName": "app",
                        "PolicyDocument": {
                            "Version": "2012-10-17",
                            "Statement": [
                                {
                                    "Effect": "Allow",
                                    "Action": ["dynamodb:GetItem", "dynamodb:PutItem"],
                                    "Resource": {"Fn::GetAtt": [f"{n}Table", "Arn"]},
                                },
                                {
                                    "Effect": "Allow",
                                    "Action": "sqs:*",
                                    "Resource": "*",
                                },
                            ],
                        },
                    }
                ],
            },
        },
        f"{n}Function": {
            "Type": "AWS::Lambda::Function",
            "Properties": {
                "Runtime": "python3.12",
                "Handler": "index.handler",
                "Role": {"Fn::GetAtt": [f"{n}Role", "Arn"]},
                "Code": {"ZipFile": "def handler(event, context):\n    return event\n"},
                "Environment": {"Variables": {"TABLE": {"Ref": f"{n}Table"}}},
                "TracingConfig": {"Mode": "Active"},
            },
        },
        f"{n}Logs": {
            "Type": "AWS::Logs::LogGroup",
            "Properties": {
                "LogGroupName": {"Fn::Sub": f"/aws/lambda/${{{n}Function}}"},
                "RetentionInDays": 30,
            },
        },
        f"{n}Queue": {
            "Type": "AWS::SQS::Queue",
            "Properties": {"KmsMasterKeyId": "alias/aws/sqs"},
        },
        f"{n}Table": {
            "Type": "AWS::DynamoDB::Table",
            "Properties": {
                "BillingMode": "PAY_PER_REQUEST",
                "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
                "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
                "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
            },
        },
        f"{n}Bucket": {
            "Type": "AWS::S3::Bucket",
            "Properties": {
                "PublicAccessBlockConfiguration": {
                    "BlockPublicAcls": True,
                    "IgnorePublicAcls": True,
                    "BlockPublicPolicy": True,
                    "RestrictPublicBuckets": True,
                }
            },
        },
        f"{n}Api": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Name": n}},
        f"{n}Method": {
            "Type": "AWS::ApiGateway::Method",
            "Properties": {
                "RestApiId": {"Ref": f"{n}Api"},
                "ResourceId": {"Fn::GetAtt": [f"{n}Api", "RootResourceId"]},
                "HttpMethod": "GET",
                "AuthorizationType": "AWS_IAM",
            },
        },
        f"{n}Permission": {
            "Type": "AWS::Lambda::Permission",
            "Properties": {
                "Action": "lambda:InvokeFunction",
                "FunctionName": {"Ref": f"{n}Function"},
                "Principal": "apigateway.amazonaws.com",
                "SourceArn": {
                    "Fn::Sub": f"arn:aws:execute-api:eu-west-1:123456789012:${{{n}Api}}/*"
                },
            },
        },
        f"{n}Stage": {
            "Type": "AWS::ApiGateway::Stage",
            "Properties": {
                "RestApiId": {"Ref": f"{n}Api"},
                "StageName": "prod",
                "TracingEnabled": True,
            },
        },
    }


def template(resources: int) -> dict[str, Any]:
    """A template of about `resources` resources (a multiple of ten)."""
    body: dict[str, Any] = {}
    for index in range(max(1, resources // 10)):
        body.update(_service(index))
    return {"AWSTemplateFormatVersion": "2010-09-09", "Resources": body}


def write(path: str, resources: int) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(template(resources), handle, indent=1)
