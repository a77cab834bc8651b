"""What the secure CDK constructs and the Pulumi components write alike: the KMS actions
CloudWatch Logs needs on a log group's key, the network-interface actions of a function in a
VPC, the JSON access log format of HTTP API stages, the rules of the web ACL of the secure
APIs and where AppSync writes its logs. Plain data, no SDK."""

from __future__ import annotations

import json

LOGS_KMS_ACTIONS = (
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:DescribeKey",
)
"""What CloudWatch Logs does with the key of a log group it encrypts."""

VPC_ACTIONS = (
    "ec2:CreateNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSubnets",
    "ec2:DeleteNetworkInterface",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
)
"""What a function in a VPC needs to manage its network interfaces (these actions take no
narrower resource in practice; the catalog allows them on `*`)."""

HTTP_ACCESS_LOG_FORMAT = json.dumps(
    {
        "requestId": "$context.requestId",
        "ip": "$context.identity.sourceIp",
        "caller": "$context.identity.caller",
        "user": "$context.identity.user",
        "requestTime": "$context.requestTime",
        "httpMethod": "$context.httpMethod",
        "routeKey": "$context.routeKey",
        "status": "$context.status",
        "protocol": "$context.protocol",
        "responseLength": "$context.responseLength",
        "integrationError": "$context.integrationErrorMessage",
        "authorizerError": "$context.authorizer.error",
    },
    separators=(",", ":"),
)
"""JSON access logs of an HTTP API stage: who called which route, when, and the answer."""

WEB_ACL_MANAGED_RULE_GROUPS = (
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
)
"""The AWS managed rule groups of the web ACL the secure APIs get: common web exploits (OWASP
Top 10), known bad inputs (Log4j and other exploit payloads)."""

WEB_ACL_RATE_LIMIT = 2000
"""Requests one client address may make in five minutes before that web ACL blocks it."""

APPSYNC_LOG_PREFIX = "/aws/appsync/apis/"
"""Where AppSync writes an API's logs: this prefix and the API's id."""
