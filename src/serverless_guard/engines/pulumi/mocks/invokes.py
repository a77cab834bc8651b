"""Plausible answers to provider functions (data sources): caller identity, region, partition,
availability zones, policy documents, and lookups answered like the resource they look up."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from serverless_guard.engines.pulumi.mocks.get_policy_document import policy_document
from serverless_guard.engines.pulumi.mocks.naming import AUTONAME
from serverless_guard.engines.pulumi.mocks.outputs import resource_outputs
from serverless_guard.engines.pulumi.mocks.resource_context import (
    ACCOUNT,
    Ctx,
    Outputs,
    digest,
)
from serverless_guard.engines.pulumi.mocks.wire import input_text

# Data sources answered like the resource of the same kind: (resource type, name argument).
_DATA_SOURCES: dict[str, tuple[str, str]] = {
    "aws:iam/getRole:getRole": ("aws:iam/role:Role", "name"),
    "aws:iam/getPolicy:getPolicy": ("aws:iam/policy:Policy", "name"),
    "aws:iam/getUser:getUser": ("aws:iam/user:User", "userName"),
    "aws:lambda/getFunction:getFunction": ("aws:lambda/function:Function", "functionName"),
    "aws:s3/getBucket:getBucket": ("aws:s3/bucket:Bucket", "bucket"),
    "aws:sqs/getQueue:getQueue": ("aws:sqs/queue:Queue", "name"),
    "aws:sns/getTopic:getTopic": ("aws:sns/topic:Topic", "name"),
    "aws:dynamodb/getTable:getTable": ("aws:dynamodb/table:Table", "name"),
    "aws:kms/getKey:getKey": ("aws:kms/key:Key", "keyId"),
    "aws:kms/getAlias:getAlias": ("aws:kms/alias:Alias", "name"),
    "aws:cloudwatch/getLogGroup:getLogGroup": ("aws:cloudwatch/logGroup:LogGroup", "name"),
    "aws:secretsmanager/getSecret:getSecret": ("aws:secretsmanager/secret:Secret", "name"),
    "aws:ssm/getParameter:getParameter": ("aws:ssm/parameter:Parameter", "name"),
    "aws:sfn/getStateMachine:getStateMachine": ("aws:sfn/stateMachine:StateMachine", "name"),
    "aws:apigateway/getRestApi:getRestApi": ("aws:apigateway/restApi:RestApi", "name"),
    "aws:ecr/getRepository:getRepository": ("aws:ecr/repository:Repository", "name"),
    "aws:ec2/getVpc:getVpc": ("aws:ec2/vpc:Vpc", "id"),
    "aws:ec2/getSubnet:getSubnet": ("aws:ec2/subnet:Subnet", "id"),
    "aws:ec2/getSecurityGroup:getSecurityGroup": ("aws:ec2/securityGroup:SecurityGroup", "id"),
}


def invoke_result(token: str, args: Mapping[str, Any], *, region: str) -> Outputs:
    """A plausible answer to a provider function (data source) call."""
    region = input_text(args, "region") or region
    seed = f"{token}:{json.dumps(args, sort_keys=True, default=str)}"
    ctx = Ctx(token, token.rsplit(":", 1)[-1], args, region, token, digest(seed))
    if token == "aws:index/getCallerIdentity:getCallerIdentity":
        return {
            "accountId": ACCOUNT,
            "arn": f"arn:aws:iam::{ACCOUNT}:user/preview",
            "userId": "AIDA" + ctx.hash[:17].upper(),
            "id": ACCOUNT,
        }
    if token == "aws:index/getRegion:getRegion":
        return {
            "name": region,
            "region": region,
            "id": region,
            "description": region,
            "endpoint": f"ec2.{region}.amazonaws.com",
        }
    if token == "aws:index/getPartition:getPartition":
        return {
            "partition": "aws",
            "dnsSuffix": "amazonaws.com",
            "reverseDnsPrefix": "com.amazonaws",
            "id": "aws",
        }
    if token == "aws:index/getAvailabilityZones:getAvailabilityZones":
        zones = [f"{region}{letter}" for letter in "abc"]
        short = "".join(part[0] for part in region.split("-")[:-1]) + region.split("-")[-1]
        return {
            "names": zones,
            "zoneIds": [f"{short}-az{i}" for i in (1, 2, 3)],
            "groupNames": [region] * 3,
            "id": region,
        }
    if token == "aws:iam/getPolicyDocument:getPolicyDocument":
        return policy_document(args)
    if token == "aws:ec2/getSubnets:getSubnets":
        return {"ids": [f"subnet-{ctx.hexid(17, offset)}" for offset in (0, 17)], "id": region}
    if token == "aws:secretsmanager/getSecretVersion:getSecretVersion":
        return {**args, "secretString": "{}", "versionId": ctx.uuid(), "id": ctx.uuid()}
    if token in _DATA_SOURCES:
        typ, key = _DATA_SOURCES[token]
        name = input_text(args, key) or ctx.logical
        ident, outputs = resource_outputs(
            typ, name, {AUTONAME.get(typ, "name"): name}, region=region, seed=seed
        )
        if key == "id":
            outputs = {**outputs, "cidrBlock": "10.0.0.0/16", "default": False}
        return {**outputs, **args, "id": input_text(args, "id") or ident}
    return {**args, "id": ctx.hexid(12)}
