"""Physical names: the name a provider gives a resource the program names in no input."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from serverless_guard.engines.pulumi.mocks.resource_context import digest
from serverless_guard.engines.pulumi.mocks.wire import input_flag, input_text

# The input a provider fills with an auto-generated name when the program gives none.
AUTONAME: dict[str, str] = {
    "aws:lambda/function:Function": "name",
    "aws:lambda/permission:Permission": "statementId",
    "aws:lambda/layerVersion:LayerVersion": "layerName",
    "aws:iam/role:Role": "name",
    "aws:iam/policy:Policy": "name",
    "aws:iam/rolePolicy:RolePolicy": "name",
    "aws:iam/user:User": "name",
    "aws:iam/group:Group": "name",
    "aws:iam/instanceProfile:InstanceProfile": "name",
    "aws:cloudwatch/logGroup:LogGroup": "name",
    "aws:cloudwatch/eventRule:EventRule": "name",
    "aws:cloudwatch/eventBus:EventBus": "name",
    "aws:cloudwatch/metricAlarm:MetricAlarm": "name",
    "aws:apigateway/restApi:RestApi": "name",
    "aws:apigateway/apiKey:ApiKey": "name",
    "aws:apigateway/usagePlan:UsagePlan": "name",
    "aws:apigateway/authorizer:Authorizer": "name",
    "aws:apigatewayv2/api:Api": "name",
    "aws:apigatewayv2/authorizer:Authorizer": "name",
    "aws:apigatewayv2/vpcLink:VpcLink": "name",
    "aws:s3/bucket:Bucket": "bucket",
    "aws:s3/bucketV2:BucketV2": "bucket",
    "aws:sqs/queue:Queue": "name",
    "aws:sns/topic:Topic": "name",
    "aws:dynamodb/table:Table": "name",
    "aws:sfn/stateMachine:StateMachine": "name",
    "aws:sfn/activity:Activity": "name",
    "aws:secretsmanager/secret:Secret": "name",
    "aws:kinesis/stream:Stream": "name",
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": "name",
    "aws:ec2/securityGroup:SecurityGroup": "name",
    "aws:ecr/repository:Repository": "name",
    "aws:cognito/userPool:UserPool": "name",
    "aws:cognito/userPoolClient:UserPoolClient": "name",
    "aws:ssm/parameter:Parameter": "name",
    "aws:wafv2/webAcl:WebAcl": "name",
    "aws:scheduler/schedule:Schedule": "name",
    "aws:appsync/graphQLApi:GraphQLApi": "name",
}

_LOWERCASE_NAMES = frozenset({"aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"})


def physical_name(typ: str, logical: str, inputs: Mapping[str, Any], seed: str) -> str:
    """The resource's physical name: its name input, else `<logical>-<7 hex>`."""
    prop = AUTONAME.get(typ, "name")
    given = input_text(inputs, prop)
    if given is not None:
        return given
    prefix = input_text(inputs, "namePrefix") or input_text(inputs, f"{prop}Prefix")
    if prefix is not None:
        return prefix + digest(seed)[:26]
    name = f"{logical}-{digest(seed)[:7]}"
    if typ in _LOWERCASE_NAMES:
        name = re.sub(r"[^a-z0-9.-]", "-", name.lower())
    if (typ == "aws:sqs/queue:Queue" and input_flag(inputs, "fifoQueue")) or (
        typ == "aws:sns/topic:Topic" and input_flag(inputs, "fifoTopic")
    ):
        name += ".fifo"
    return name
