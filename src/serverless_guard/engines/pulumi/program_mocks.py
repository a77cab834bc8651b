"""Run a Pulumi Python program offline, as a preview, under mocks that answer like a cloud.

`program.py` starts this file as a script in a child process (`python -P program_mocks.py`): it
reads a request (JSON) on stdin, runs the program as the Pulumi language host does, and writes
the outcome (JSON) on its own stdout; the program's output goes to stderr. The file imports only
the standard library and the Pulumi SDK, so the program's imports and global state stay in the
child, and no interpreter of the program's virtualenv is ever executed.

- Mocks: every resource gets plausible outputs (ids, ARNs, names, URLs, endpoints) derived from
  its type token and inputs; a resource the program names in no input gets the deterministic
  physical name `<name>-<7 hex>` (Pulumi appends a random suffix). Invokes such as
  `getCallerIdentity`, `getRegion` and `getPolicyDocument` (a real IAM JSON document) answer too.
- Capture: the mock monitor records each registration as the engine would hand it to a policy
  pack: URN, type, name, inputs (camelCase, plain data), property dependencies, dependencies and
  parent. URNs follow the engine's rules (no stack type in the type chain).
- Offline: every network connection the program attempts, except to loopback, is refused.
"""

from __future__ import annotations

import asyncio
import errno
import hashlib
import importlib
import ipaddress
import json
import logging
import os
import re
import runpy
import socket
import sys
import threading
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pulumi.config import ConfigMissingError, ConfigTypeError
from pulumi.errors import RunError
from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime.config import set_all_config
from pulumi.runtime.settings import configure
from pulumi.runtime.stack import run_in_stack

# protobuf ships no type information: its JSON conversion is reached through an untyped handle.
_json_format: Any = importlib.import_module("google.protobuf.json_format")

ACCOUNT = "123456789012"
DEFAULT_REGION = "us-east-1"
ORGANIZATION = "organization"
STACK_TYPE = "pulumi:pulumi:Stack"

# Wire signatures of the Pulumi resource protocol.
_SIG = "4dabf18193072939515e22adb298388d"
_SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
_RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e"
_OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4"
_UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"

Outputs = dict[str, Any]


# --- naming ---------------------------------------------------------------------------------


def digest(seed: str) -> str:
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()


def _unwrap(value: Any) -> Any:
    """A secret's value (both the SDK's and the wire's wrapping), else the value itself."""
    if isinstance(value, Mapping) and value.get(_SIG) == _SECRET_SIG:
        return _unwrap(value.get("value"))
    return value


def _text(inputs: Mapping[str, Any], key: str) -> str | None:
    value = _unwrap(inputs.get(key))
    return value if isinstance(value, str) and value and value != _UNKNOWN else None


def _flag(inputs: Mapping[str, Any], key: str) -> bool:
    return _unwrap(inputs.get(key)) is True


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
    given = _text(inputs, prop)
    if given is not None:
        return given
    prefix = _text(inputs, "namePrefix") or _text(inputs, f"{prop}Prefix")
    if prefix is not None:
        return prefix + digest(seed)[:26]
    name = f"{logical}-{digest(seed)[:7]}"
    if typ in _LOWERCASE_NAMES:
        name = re.sub(r"[^a-z0-9.-]", "-", name.lower())
    if (typ == "aws:sqs/queue:Queue" and _flag(inputs, "fifoQueue")) or (
        typ == "aws:sns/topic:Topic" and _flag(inputs, "fifoTopic")
    ):
        name += ".fifo"
    return name


# --- resource outputs -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Ctx:
    """What an output builder knows of one resource."""

    typ: str
    logical: str
    inputs: Mapping[str, Any]
    region: str
    name: str  # the physical name
    hash: str  # hex digest, stable per resource

    def text(self, key: str) -> str | None:
        return _text(self.inputs, key)

    def arn(self, service: str, resource: str, *, regional: bool = True) -> str:
        region = self.region if regional else ""
        return f"arn:aws:{service}:{region}:{ACCOUNT}:{resource}"

    def hexid(self, size: int, offset: int = 0) -> str:
        return self.hash[offset : offset + size]

    def alnum(self, size: int) -> str:
        """Lowercase letters and digits, as AWS ids such as API Gateway's look."""
        alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
        number = int(self.hash, 16)
        chars = []
        for _ in range(size):
            number, index = divmod(number, len(alphabet))
            chars.append(alphabet[index])
        return "".join(chars)

    def uuid(self) -> str:
        h = self.hash
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"


Builder = Callable[[Ctx], tuple[str, Outputs]]

_CREATED = "2024-01-01T00:00:00Z"


def _lambda_function(c: Ctx) -> tuple[str, Outputs]:
    arn = c.arn("lambda", f"function:{c.name}")
    version = "1" if _flag(c.inputs, "publish") else "$LATEST"
    invoke = f"arn:aws:apigateway:{c.region}:lambda:path/2015-03-31/functions/{arn}/invocations"
    qualified = f"{arn}:{version}"
    return c.name, {
        "name": c.name,
        "arn": arn,
        "invokeArn": invoke,
        "qualifiedArn": qualified,
        "qualifiedInvokeArn": invoke.replace(arn, qualified),
        "version": version,
        "lastModified": _CREATED,
        "codeSha256": c.hash[:43],
        "sourceCodeHash": c.hash[:43],
        "tagsAll": {},
    }


def _function_ref(c: Ctx, key: str) -> str:
    """A function input that can be a name or an ARN, as an ARN."""
    value = c.text(key) or c.logical
    return value if value.startswith("arn:") else c.arn("lambda", f"function:{value}")


def _lambda_alias(c: Ctx) -> tuple[str, Outputs]:
    arn = f"{_function_ref(c, 'functionName')}:{c.name}"
    invoke = f"arn:aws:apigateway:{c.region}:lambda:path/2015-03-31/functions/{arn}/invocations"
    return arn, {"name": c.name, "arn": arn, "invokeArn": invoke}


def _lambda_url(c: Ctx) -> tuple[str, Outputs]:
    url_id = c.alnum(32)
    return c.text("functionName") or c.name, {
        "functionUrl": f"https://{url_id}.lambda-url.{c.region}.on.aws/",
        "urlId": url_id,
        "functionArn": _function_ref(c, "functionName"),
    }


def _lambda_layer(c: Ctx) -> tuple[str, Outputs]:
    layer = c.arn("lambda", f"layer:{c.name}")
    return f"{layer}:1", {
        "layerName": c.name,
        "layerArn": layer,
        "arn": f"{layer}:1",
        "version": "1",
    }


def _event_source_mapping(c: Ctx) -> tuple[str, Outputs]:
    return c.uuid(), {"uuid": c.uuid(), "functionArn": _function_ref(c, "functionName")}


def _iam_entity(kind: str, prefix: str) -> Builder:
    def build(c: Ctx) -> tuple[str, Outputs]:
        path = c.text("path") or "/"
        arn = f"arn:aws:iam::{ACCOUNT}:{kind}{path}{c.name}"
        unique = prefix + c.hash[:17].upper()
        outputs: Outputs = {"name": c.name, "arn": arn, "uniqueId": unique, "createDate": _CREATED}
        if kind == "policy":
            return arn, {**outputs, "policyId": unique}
        return c.name, outputs

    return build


def _role_policy(c: Ctx) -> tuple[str, Outputs]:
    return f"{c.text('role') or 'role'}:{c.name}", {"name": c.name}


def _attachment(c: Ctx) -> tuple[str, Outputs]:
    owner = c.text("role") or c.text("user") or c.text("group") or c.logical
    return f"{owner}-{c.hexid(20)}", {}


def _log_group(c: Ctx) -> tuple[str, Outputs]:
    return c.name, {"name": c.name, "arn": c.arn("logs", f"log-group:{c.name}")}


def _event_rule(c: Ctx) -> tuple[str, Outputs]:
    bus = c.text("eventBusName")
    path = f"rule/{bus}/{c.name}" if bus and bus != "default" else f"rule/{c.name}"
    return c.name, {"name": c.name, "arn": c.arn("events", path)}


def _event_bus(c: Ctx) -> tuple[str, Outputs]:
    return c.name, {"name": c.name, "arn": c.arn("events", f"event-bus/{c.name}")}


def _event_target(c: Ctx) -> tuple[str, Outputs]:
    target = c.text("targetId") or f"terraform-{c.hexid(20)}"
    return f"{c.text('rule') or 'rule'}-{target}", {"targetId": target}


def _metric_alarm(c: Ctx) -> tuple[str, Outputs]:
    return c.name, {"name": c.name, "arn": c.arn("cloudwatch", f"alarm:{c.name}")}


def _rest_api(c: Ctx) -> tuple[str, Outputs]:
    api = c.alnum(10)
    return api, {
        "name": c.name,
        "rootResourceId": c.hash[10:20],
        "executionArn": c.arn("execute-api", api),
        "arn": f"arn:aws:apigateway:{c.region}::/restapis/{api}",
        "createdDate": _CREATED,
    }


def _rest_resource(c: Ctx) -> tuple[str, Outputs]:
    return c.alnum(6), {"path": f"/{c.text('pathPart') or c.logical}"}


def _method_id(kind: str) -> Builder:
    def build(c: Ctx) -> tuple[str, Outputs]:
        api, resource = c.text("restApi") or "api", c.text("resourceId") or "resource"
        return f"{kind}-{api}-{resource}-{c.text('httpMethod') or 'ANY'}", {}

    return build


def _deployment(c: Ctx) -> tuple[str, Outputs]:
    return c.alnum(6), {"createdDate": _CREATED}


def _rest_stage(c: Ctx) -> tuple[str, Outputs]:
    api, stage = c.text("restApi") or "api", c.text("stageName") or c.logical
    return f"ags-{api}-{stage}", {
        "invokeUrl": f"https://{api}.execute-api.{c.region}.amazonaws.com/{stage}",
        "executionArn": c.arn("execute-api", f"{api}/{stage}"),
        "arn": f"arn:aws:apigateway:{c.region}::/restapis/{api}/stages/{stage}",
    }


def _rest_authorizer(c: Ctx) -> tuple[str, Outputs]:
    api, auth = c.text("restApi") or "api", c.alnum(6)
    return auth, {
        "name": c.name,
        "arn": f"arn:aws:apigateway:{c.region}::/restapis/{api}/authorizers/{auth}",
    }


def _api_key(c: Ctx) -> tuple[str, Outputs]:
    key = c.alnum(10)
    return key, {
        "name": c.name,
        "value": c.hash[:40],
        "arn": f"arn:aws:apigateway:{c.region}::/apikeys/{key}",
    }


def _usage_plan(c: Ctx) -> tuple[str, Outputs]:
    plan = c.alnum(6)
    return plan, {"name": c.name, "arn": f"arn:aws:apigateway:{c.region}::/usageplans/{plan}"}


def _domain_name(c: Ctx) -> tuple[str, Outputs]:
    domain = c.text("domainName") or f"{c.logical}.example.com"
    return domain, {
        "domainName": domain,
        "arn": f"arn:aws:apigateway:{c.region}::/domainnames/{domain}",
        "cloudfrontDomainName": f"d{c.alnum(13)}.cloudfront.net",
        "cloudfrontZoneId": "Z2FDTNDATAQYW2",
        "regionalDomainName": f"d-{c.alnum(10)}.execute-api.{c.region}.amazonaws.com",
        "regionalZoneId": "Z1UJRXOUMOOFQ8",
    }


def _http_api(c: Ctx) -> tuple[str, Outputs]:
    api = c.alnum(10)
    scheme = "wss" if c.text("protocolType") == "WEBSOCKET" else "https"
    return api, {
        "name": c.name,
        "apiEndpoint": f"{scheme}://{api}.execute-api.{c.region}.amazonaws.com",
        "executionArn": c.arn("execute-api", api),
        "arn": f"arn:aws:apigateway:{c.region}::/apis/{api}",
    }


def _http_stage(c: Ctx) -> tuple[str, Outputs]:
    api, stage = c.text("apiId") or "api", c.text("name") or c.logical
    path = "" if stage == "$default" else stage
    return stage, {
        "name": stage,
        "invokeUrl": f"https://{api}.execute-api.{c.region}.amazonaws.com/{path}",
        "executionArn": c.arn("execute-api", f"{api}/{stage}"),
        "arn": f"arn:aws:apigateway:{c.region}::/apis/{api}/stages/{stage}",
    }


def _short_id(size: int) -> Builder:
    def build(c: Ctx) -> tuple[str, Outputs]:
        return c.alnum(size), {}

    return build


def _vpc_link(c: Ctx) -> tuple[str, Outputs]:
    link = c.alnum(6)
    return link, {"name": c.name, "arn": f"arn:aws:apigateway:{c.region}::/vpclinks/{link}"}


def _bucket(c: Ctx) -> tuple[str, Outputs]:
    return c.name, {
        "bucket": c.name,
        "arn": f"arn:aws:s3:::{c.name}",
        "bucketDomainName": f"{c.name}.s3.amazonaws.com",
        "bucketRegionalDomainName": f"{c.name}.s3.{c.region}.amazonaws.com",
        "hostedZoneId": "Z3AQBSTGFYJSTF",
        "region": c.region,
        "tagsAll": {},
    }


def _bucket_child(c: Ctx) -> tuple[str, Outputs]:
    return c.text("bucket") or c.name, {}


def _website(c: Ctx) -> tuple[str, Outputs]:
    bucket = c.text("bucket") or c.name
    return bucket, {
        "websiteEndpoint": f"{bucket}.s3-website-{c.region}.amazonaws.com",
        "websiteDomain": f"s3-website-{c.region}.amazonaws.com",
    }


def _bucket_object(c: Ctx) -> tuple[str, Outputs]:
    key = c.text("key") or c.logical
    return key, {"key": key, "etag": c.hash[:32], "versionId": ""}


def _queue(c: Ctx) -> tuple[str, Outputs]:
    url = f"https://sqs.{c.region}.amazonaws.com/{ACCOUNT}/{c.name}"
    return url, {"name": c.name, "url": url, "arn": c.arn("sqs", c.name)}


def _queue_child(c: Ctx) -> tuple[str, Outputs]:
    return c.text("queueUrl") or c.name, {}


def _topic(c: Ctx) -> tuple[str, Outputs]:
    arn = c.arn("sns", c.name)
    return arn, {"name": c.name, "arn": arn}


def _subscription(c: Ctx) -> tuple[str, Outputs]:
    arn = f"{c.text('topic') or c.arn('sns', 'topic')}:{c.uuid()}"
    return arn, {"arn": arn}


def _topic_child(c: Ctx) -> tuple[str, Outputs]:
    return c.text("arn") or c.arn("sns", c.name), {}


def _table(c: Ctx) -> tuple[str, Outputs]:
    arn = c.arn("dynamodb", f"table/{c.name}")
    label = "2024-01-01T00:00:00.000"
    return c.name, {
        "name": c.name,
        "arn": arn,
        "streamArn": f"{arn}/stream/{label}",
        "streamLabel": label,
    }


def _kms_key(c: Ctx) -> tuple[str, Outputs]:
    key = c.uuid()
    return key, {"keyId": key, "arn": c.arn("kms", f"key/{key}")}


def _kms_alias(c: Ctx) -> tuple[str, Outputs]:
    name = c.text("name") or f"alias/{c.logical}-{c.hexid(7)}"
    target = c.text("targetKeyId") or c.uuid()
    target_arn = target if target.startswith("arn:") else c.arn("kms", f"key/{target}")
    return name, {"name": name, "arn": c.arn("kms", name), "targetKeyArn": target_arn}


def _state_machine(c: Ctx) -> tuple[str, Outputs]:
    arn = c.arn("states", f"stateMachine:{c.name}")
    return arn, {
        "name": c.name,
        "arn": arn,
        "creationDate": _CREATED,
        "status": "ACTIVE",
        "revisionId": "",
        "stateMachineVersionArn": "",
    }


def _activity(c: Ctx) -> tuple[str, Outputs]:
    arn = c.arn("states", f"activity:{c.name}")
    return arn, {"name": c.name, "arn": arn}


def _secret(c: Ctx) -> tuple[str, Outputs]:
    arn = c.arn("secretsmanager", f"secret:{c.name}-{c.alnum(6)}")
    return arn, {"name": c.name, "arn": arn}


def _secret_version(c: Ctx) -> tuple[str, Outputs]:
    secret, version = c.text("secretId") or c.name, c.uuid()
    return f"{secret}|{version}", {"versionId": version, "arn": secret}


def _stream(c: Ctx) -> tuple[str, Outputs]:
    arn = c.arn("kinesis", f"stream/{c.name}")
    return arn, {"name": c.name, "arn": arn}


def _firehose(c: Ctx) -> tuple[str, Outputs]:
    arn = c.arn("firehose", f"deliverystream/{c.name}")
    return arn, {"name": c.name, "arn": arn}


def _ec2(prefix: str, kind: str) -> Builder:
    def build(c: Ctx) -> tuple[str, Outputs]:
        ident = f"{prefix}-{c.hexid(17)}"
        outputs: Outputs = {"arn": c.arn("ec2", f"{kind}/{ident}"), "ownerId": ACCOUNT}
        if prefix == "vpc":
            outputs.update(
                defaultSecurityGroupId=f"sg-{c.hexid(17, 17)}",
                mainRouteTableId=f"rtb-{c.hexid(17, 34)}",
                defaultNetworkAclId=f"acl-{c.hexid(17, 51)}",
            )
        if prefix == "sg":
            outputs["name"] = c.name
        if prefix == "eipalloc":
            outputs.update(allocationId=ident, publicIp=f"203.0.113.{int(c.hash[:2], 16) % 250}")
        return ident, outputs

    return build


def _repository(c: Ctx) -> tuple[str, Outputs]:
    return c.name, {
        "name": c.name,
        "arn": c.arn("ecr", f"repository/{c.name}"),
        "registryId": ACCOUNT,
        "repositoryUrl": f"{ACCOUNT}.dkr.ecr.{c.region}.amazonaws.com/{c.name}",
    }


def _user_pool(c: Ctx) -> tuple[str, Outputs]:
    pool = f"{c.region}_{c.alnum(9)}"
    return pool, {
        "name": c.name,
        "arn": c.arn("cognito-idp", f"userpool/{pool}"),
        "endpoint": f"cognito-idp.{c.region}.amazonaws.com/{pool}",
    }


def _user_pool_client(c: Ctx) -> tuple[str, Outputs]:
    return c.alnum(26), {"name": c.name, "clientSecret": c.hash[:51]}


def _distribution(c: Ctx) -> tuple[str, Outputs]:
    ident = "E" + c.alnum(13).upper()
    return ident, {
        "arn": f"arn:aws:cloudfront::{ACCOUNT}:distribution/{ident}",
        "domainName": f"d{c.alnum(13)}.cloudfront.net",
        "hostedZoneId": "Z2FDTNDATAQYW2",
        "status": "Deployed",
        "etag": "E" + c.hash[:13].upper(),
    }


def _origin_access_identity(c: Ctx) -> tuple[str, Outputs]:
    ident = "E" + c.alnum(13).upper()
    return ident, {
        "iamArn": f"arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity {ident}",
        "cloudfrontAccessIdentityPath": f"origin-access-identity/cloudfront/{ident}",
        "s3CanonicalUserId": c.hash,
        "etag": "E" + c.hash[:13].upper(),
    }


def _cloudfront_id(c: Ctx) -> tuple[str, Outputs]:
    return "E" + c.alnum(13).upper(), {"etag": "E" + c.hash[:13].upper()}


def _parameter(c: Ctx) -> tuple[str, Outputs]:
    return c.name, {"name": c.name, "arn": c.arn("ssm", f"parameter/{c.name.lstrip('/')}")}


def _web_acl(c: Ctx) -> tuple[str, Outputs]:
    scope = "global" if c.text("scope") == "CLOUDFRONT" else "regional"
    return c.uuid(), {"name": c.name, "arn": c.arn("wafv2", f"{scope}/webacl/{c.name}/{c.uuid()}")}


def _schedule(c: Ctx) -> tuple[str, Outputs]:
    group = c.text("groupName") or "default"
    return f"{group}/{c.name}", {
        "name": c.name,
        "arn": c.arn("scheduler", f"schedule/{group}/{c.name}"),
    }


def _graphql_api(c: Ctx) -> tuple[str, Outputs]:
    api = c.alnum(26)
    return api, {
        "name": c.name,
        "arn": c.arn("appsync", f"apis/{api}"),
        "uris": {"GRAPHQL": f"https://{c.alnum(26)}.appsync-api.{c.region}.amazonaws.com/graphql"},
    }


BUILDERS: dict[str, Builder] = {
    "aws:lambda/function:Function": _lambda_function,
    "aws:lambda/alias:Alias": _lambda_alias,
    "aws:lambda/functionUrl:FunctionUrl": _lambda_url,
    "aws:lambda/layerVersion:LayerVersion": _lambda_layer,
    "aws:lambda/eventSourceMapping:EventSourceMapping": _event_source_mapping,
    "aws:lambda/permission:Permission": lambda c: (c.name, {"statementId": c.name}),
    "aws:iam/role:Role": _iam_entity("role", "AROA"),
    "aws:iam/policy:Policy": _iam_entity("policy", "ANPA"),
    "aws:iam/user:User": _iam_entity("user", "AIDA"),
    "aws:iam/group:Group": _iam_entity("group", "AGPA"),
    "aws:iam/instanceProfile:InstanceProfile": _iam_entity("instance-profile", "AIPA"),
    "aws:iam/rolePolicy:RolePolicy": _role_policy,
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": _attachment,
    "aws:iam/userPolicyAttachment:UserPolicyAttachment": _attachment,
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": _attachment,
    "aws:iam/policyAttachment:PolicyAttachment": _attachment,
    "aws:cloudwatch/logGroup:LogGroup": _log_group,
    "aws:cloudwatch/eventRule:EventRule": _event_rule,
    "aws:cloudwatch/eventBus:EventBus": _event_bus,
    "aws:cloudwatch/eventTarget:EventTarget": _event_target,
    "aws:cloudwatch/metricAlarm:MetricAlarm": _metric_alarm,
    "aws:apigateway/restApi:RestApi": _rest_api,
    "aws:apigateway/resource:Resource": _rest_resource,
    "aws:apigateway/method:Method": _method_id("agm"),
    "aws:apigateway/integration:Integration": _method_id("agi"),
    "aws:apigateway/methodResponse:MethodResponse": _method_id("agmr"),
    "aws:apigateway/integrationResponse:IntegrationResponse": _method_id("agir"),
    "aws:apigateway/deployment:Deployment": _deployment,
    "aws:apigateway/stage:Stage": _rest_stage,
    "aws:apigateway/authorizer:Authorizer": _rest_authorizer,
    "aws:apigateway/apiKey:ApiKey": _api_key,
    "aws:apigateway/usagePlan:UsagePlan": _usage_plan,
    "aws:apigateway/domainName:DomainName": _domain_name,
    "aws:apigatewayv2/api:Api": _http_api,
    "aws:apigatewayv2/stage:Stage": _http_stage,
    "aws:apigatewayv2/integration:Integration": _short_id(7),
    "aws:apigatewayv2/route:Route": _short_id(7),
    "aws:apigatewayv2/authorizer:Authorizer": _short_id(6),
    "aws:apigatewayv2/deployment:Deployment": _short_id(6),
    "aws:apigatewayv2/vpcLink:VpcLink": _vpc_link,
    "aws:s3/bucket:Bucket": _bucket,
    "aws:s3/bucketV2:BucketV2": _bucket,
    "aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration": _website,
    "aws:s3/bucketWebsiteConfigurationV2:BucketWebsiteConfigurationV2": _website,
    "aws:s3/bucketObject:BucketObject": _bucket_object,
    "aws:s3/bucketObjectv2:BucketObjectv2": _bucket_object,
    "aws:sqs/queue:Queue": _queue,
    "aws:sns/topic:Topic": _topic,
    "aws:sns/topicSubscription:TopicSubscription": _subscription,
    "aws:sns/topicPolicy:TopicPolicy": _topic_child,
    "aws:dynamodb/table:Table": _table,
    "aws:kms/key:Key": _kms_key,
    "aws:kms/alias:Alias": _kms_alias,
    "aws:sfn/stateMachine:StateMachine": _state_machine,
    "aws:sfn/activity:Activity": _activity,
    "aws:secretsmanager/secret:Secret": _secret,
    "aws:secretsmanager/secretVersion:SecretVersion": _secret_version,
    "aws:kinesis/stream:Stream": _stream,
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": _firehose,
    "aws:ec2/vpc:Vpc": _ec2("vpc", "vpc"),
    "aws:ec2/subnet:Subnet": _ec2("subnet", "subnet"),
    "aws:ec2/securityGroup:SecurityGroup": _ec2("sg", "security-group"),
    "aws:ec2/vpcEndpoint:VpcEndpoint": _ec2("vpce", "vpc-endpoint"),
    "aws:ec2/internetGateway:InternetGateway": _ec2("igw", "internet-gateway"),
    "aws:ec2/natGateway:NatGateway": _ec2("nat", "natgateway"),
    "aws:ec2/routeTable:RouteTable": _ec2("rtb", "route-table"),
    "aws:ec2/eip:Eip": _ec2("eipalloc", "elastic-ip"),
    "aws:ecr/repository:Repository": _repository,
    "aws:cognito/userPool:UserPool": _user_pool,
    "aws:cognito/userPoolClient:UserPoolClient": _user_pool_client,
    "aws:cloudfront/distribution:Distribution": _distribution,
    "aws:cloudfront/originAccessIdentity:OriginAccessIdentity": _origin_access_identity,
    "aws:cloudfront/originAccessControl:OriginAccessControl": _cloudfront_id,
    "aws:ssm/parameter:Parameter": _parameter,
    "aws:wafv2/webAcl:WebAcl": _web_acl,
    "aws:scheduler/schedule:Schedule": _schedule,
    "aws:appsync/graphQLApi:GraphQLApi": _graphql_api,
}

# Resource types whose id is the bucket, queue URL, ... they configure.
_CHILD_KEYS = (("aws:s3/", "bucket", _bucket_child), ("aws:sqs/", "queueUrl", _queue_child))

# The ARN service of a pulumi-aws module, where the two differ.
_ARN_SERVICES = {
    "sfn": "states",
    "cognito": "cognito-idp",
    "apigatewayv2": "apigateway",
    "cloudwatch": "logs",
    "lb": "elasticloadbalancing",
    "alb": "elasticloadbalancing",
}


def _random(c: Ctx) -> tuple[str, Outputs]:
    length = _unwrap(c.inputs.get("length"))
    size = int(length) if isinstance(length, int | float) and 0 < length <= 64 else 16
    kind = c.typ.rsplit(":", 1)[-1]
    if kind in ("RandomString", "RandomPassword"):
        value = c.alnum(size)
        return "none", {"result": value, "bcryptHash": c.hash}
    if kind == "RandomId":
        width = _unwrap(c.inputs.get("byteLength"))
        hexed = c.hash[: 2 * int(width) if isinstance(width, int | float) else 16]
        return hexed, {"hex": hexed, "b64Url": hexed, "b64Std": hexed, "dec": str(int(hexed, 16))}
    if kind == "RandomPet":
        return f"{c.logical}-pet", {}
    if kind == "RandomInteger":
        low, high = _unwrap(c.inputs.get("min")), _unwrap(c.inputs.get("max"))
        number = int(low) if isinstance(low, int | float) else 0
        if isinstance(high, int | float) and high > number:
            number += int(c.hash[:8], 16) % (int(high) - number + 1)
        return str(number), {"result": number}
    if kind == "RandomUuid":
        return c.uuid(), {"result": c.uuid()}
    return c.logical, {}


def resource_outputs(
    typ: str,
    logical: str,
    inputs: Mapping[str, Any],
    *,
    region: str,
    seed: str,
    resource_id: str | None = None,
) -> tuple[str, Outputs]:
    """A plausible physical id and outputs (camelCase) for a custom resource."""
    name = resource_id or physical_name(typ, logical, inputs, seed)
    ctx = Ctx(typ, logical, inputs, _text(inputs, "region") or region, name, digest(seed))
    builder = BUILDERS.get(typ)
    if builder is None and typ.startswith("random:"):
        builder = _random
    if builder is None:
        for prefix, key, child in _CHILD_KEYS:
            if typ.startswith(prefix) and ctx.text(key):
                builder = child
    if builder is None:
        if typ.startswith("aws:"):
            module = typ.split(":")[1].split("/")[0]
            service = _ARN_SERVICES.get(module, module)
            return resource_id or f"{name}-id", {"name": name, "arn": ctx.arn(service, name)}
        if typ == "pulumi:pulumi:StackReference":
            return resource_id or logical, {"name": logical, "outputs": {}, "secretOutputNames": []}
        if typ.startswith("pulumi:providers:"):
            return resource_id or ctx.uuid(), {}
        return resource_id or f"{logical}-id", {}
    ident, outputs = builder(ctx)
    return resource_id or ident, outputs


# --- invokes --------------------------------------------------------------------------------


def _strings(value: Any) -> list[str]:
    value = _unwrap(value)
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [str(_unwrap(v)) for v in value if _unwrap(v) is not None]
    return []


def _one_or_many(values: list[str]) -> str | list[str]:
    unique = list(dict.fromkeys(values))
    return unique[0] if len(unique) == 1 else unique


def _principals(entries: Any) -> str | dict[str, Any]:
    grouped: dict[str, list[str]] = {}
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, Mapping):
            continue
        kind = str(_unwrap(entry.get("type")) or "AWS")
        grouped.setdefault(kind, []).extend(_strings(entry.get("identifiers")))
    if set(grouped) == {"*"}:
        return "*"
    return {kind: _one_or_many(ids) for kind, ids in grouped.items()}


def _conditions(entries: Any) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, Mapping):
            continue
        test, variable = _unwrap(entry.get("test")), _unwrap(entry.get("variable"))
        values = _strings(entry.get("values"))
        out.setdefault(str(test), {})[str(variable)] = _one_or_many(values) if values else []
    return out


def _statement(raw: Mapping[str, Any]) -> dict[str, Any]:
    statement: dict[str, Any] = {}
    sid = _unwrap(raw.get("sid"))
    if isinstance(sid, str) and sid:
        statement["Sid"] = sid
    statement["Effect"] = _unwrap(raw.get("effect")) or "Allow"
    for key, field in (
        ("actions", "Action"),
        ("notActions", "NotAction"),
        ("resources", "Resource"),
        ("notResources", "NotResource"),
    ):
        values = _strings(raw.get(key))
        if values:
            statement[field] = _one_or_many(values)
    for key, field in (("principals", "Principal"), ("notPrincipals", "NotPrincipal")):
        if raw.get(key):
            statement[field] = _principals(raw.get(key))
    if raw.get("conditions"):
        statement["Condition"] = _conditions(raw.get("conditions"))
    return statement


def _document_statements(text: Any) -> list[dict[str, Any]]:
    try:
        document = json.loads(str(_unwrap(text)))
    except ValueError:
        return []
    statements = document.get("Statement", []) if isinstance(document, dict) else []
    statements = [statements] if isinstance(statements, dict) else statements
    return [s for s in statements if isinstance(s, dict)]


def _merge(statements: list[dict[str, Any]], extra: list[dict[str, Any]]) -> None:
    """Add statements; one with the Sid of an existing statement replaces it."""
    for statement in extra:
        sid = statement.get("Sid")
        index = next((i for i, s in enumerate(statements) if sid and s.get("Sid") == sid), None)
        if index is None:
            statements.append(statement)
        else:
            statements[index] = statement


def policy_document(args: Mapping[str, Any]) -> Outputs:
    """What `aws.iam.get_policy_document` answers: the IAM JSON document of its statements."""
    statements: list[dict[str, Any]] = []
    for source in _strings(args.get("sourcePolicyDocuments")) + _strings(args.get("sourceJson")):
        _merge(statements, _document_statements(source))
    raw = _unwrap(args.get("statements"))
    _merge(statements, [_statement(s) for s in raw or [] if isinstance(s, Mapping)])
    overrides = _strings(args.get("overridePolicyDocuments")) + _strings(args.get("overrideJson"))
    for override in overrides:
        _merge(statements, _document_statements(override))
    document: dict[str, Any] = {"Version": _unwrap(args.get("version")) or "2012-10-17"}
    policy_id = _unwrap(args.get("policyId"))
    if isinstance(policy_id, str) and policy_id:
        document["Id"] = policy_id
    document["Statement"] = statements
    minified = json.dumps(document, separators=(",", ":"))
    return {
        "json": json.dumps(document, indent=2),
        "minifiedJson": minified,
        "id": digest(minified)[:10],
    }


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
    region = _text(args, "region") or region
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
        name = _text(args, key) or ctx.logical
        ident, outputs = resource_outputs(
            typ, name, {AUTONAME.get(typ, "name"): name}, region=region, seed=seed
        )
        if key == "id":
            outputs = {**outputs, "cidrBlock": "10.0.0.0/16", "default": False}
        return {**outputs, **args, "id": _text(args, "id") or ident}
    return {**args, "id": ctx.hexid(12)}


# --- mocks and the recording monitor -------------------------------------------------------

_CURRENT = threading.local()


def _has_unknown(value: Any) -> bool:
    if type(value).__name__ == "Unknown":
        return True
    if isinstance(value, Mapping):
        return any(_has_unknown(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_has_unknown(v) for v in value)
    return False


class CloudMocks(pulumi_mocks.Mocks):
    """Answers resource registrations and invokes as AWS would, deterministically."""

    def __init__(self, region: str) -> None:
        self.region = region
        self.names: dict[str, tuple[str, str]] = {}  # URN -> (autonamed input, physical name)
        self.provider_regions: dict[str, str] = {}  # explicit aws provider URN -> its region

    def region_of(self, provider: Any) -> str:
        """The region of the provider a resource or invoke uses (a reference `urn::id`)."""
        if isinstance(provider, str) and provider:
            return self.provider_regions.get(provider.rsplit("::", 1)[0], self.region)
        return self.region

    def new_resource(self, args: Any) -> tuple[str | None, Outputs]:
        typ, logical = str(args.typ), str(args.name)
        inputs: dict[str, Any] = dict(args.inputs or {})
        if args.custom is False and not args.resource_id:
            return None, {}
        urn = getattr(_CURRENT, "urn", None) or f"{typ}::{logical}"
        resource_id = str(args.resource_id) if args.resource_id else None
        region = self.region_of(args.provider)
        ident, outputs = resource_outputs(
            typ, logical, inputs, region=region, seed=urn, resource_id=resource_id
        )
        prop = AUTONAME.get(typ)
        if (
            prop is not None
            and prop in outputs
            and _text(inputs, prop) is None
            and _text(inputs, "namePrefix") is None
            and _text(inputs, f"{prop}Prefix") is None
        ):
            self.names[urn] = (prop, outputs[prop])
        known = {k: v for k, v in inputs.items() if not _has_unknown(v)}
        return ident, {**outputs, **known}

    def call(self, args: Any) -> tuple[Outputs, list[tuple[str, str]]]:
        region = self.region_of(args.provider)
        return invoke_result(str(args.token), dict(args.args or {}), region=region), []


def plain(value: Any) -> Any:
    """A wire value as the policy pack receives it: secrets unwrapped, resource references as
    their id (custom resources) or URN; assets, archives and unknown sentinels unchanged."""
    if isinstance(value, Mapping):
        sig = value.get(_SIG)
        if sig == _SECRET_SIG:
            return plain(value.get("value"))
        if sig == _RESOURCE_SIG:
            ident = value.get("id")
            return ident if isinstance(ident, str) and ident else value.get("urn")
        if sig == _OUTPUT_SIG:
            return plain(value["value"]) if "value" in value else _UNKNOWN
        return {str(k): plain(value[k]) for k in sorted(value, key=str)}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


class DuplicateUrnError(Exception):
    pass


class RecordingMonitor(pulumi_mocks.MockMonitor):
    """The SDK's mock monitor, with the engine's URNs, recording every registration."""

    def __init__(self, mocks: CloudMocks, project: str, stack: str) -> None:
        super().__init__(mocks)
        self.cloud = mocks
        self.project = project
        self.stack = stack
        self.records: dict[str, dict[str, Any]] = {}
        self.lock = threading.Lock()

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        qualified = type_
        if parent:
            parent_type = parent.split("::")[2]
            if parent_type != STACK_TYPE:
                qualified = f"{parent_type}${type_}"
        return f"urn:pulumi:{self.stack}::{self.project}::{qualified}::{name}"

    def RegisterResource(self, request: Any) -> Any:
        urn = self.make_urn(request.parent, request.type, request.name)
        record: dict[str, Any] = {
            "urn": urn,
            "type": request.type,
            "name": request.name,
            "custom": bool(request.custom),
            "props": plain(_json_format.MessageToDict(request.object)),
            "propertyDependencies": {
                key: sorted(set(deps.urns)) for key, deps in request.propertyDependencies.items()
            },
            "dependencies": sorted(set(request.dependencies)),
            "parent": request.parent or None,
        }
        with self.lock:
            if urn in self.records:
                raise DuplicateUrnError(
                    f"duplicate resource URN '{urn}': give each resource a unique name"
                )
            self.records[urn] = record
            region = record["props"].get("region")
            if request.type == "pulumi:providers:aws" and isinstance(region, str) and region:
                self.cloud.provider_regions[urn] = region
        _CURRENT.urn = urn
        try:
            return super().RegisterResource(request)  # type: ignore[no-untyped-call]
        finally:
            _CURRENT.urn = None
            with self.lock:
                named = self.cloud.names.get(urn)
                if named is not None and named[0] not in record["props"]:
                    record["props"][named[0]] = named[1]

    def recorded(self) -> list[dict[str, Any]]:
        with self.lock:
            records = list(self.records.values())
        return sorted(records, key=lambda r: (r["type"] != STACK_TYPE, r["urn"]))


# --- offline --------------------------------------------------------------------------------

_BLOCKED: list[str] = []


def _local(host: Any) -> bool:
    if host is None or host in ("", "localhost", b"localhost"):
        return True
    text = host.decode() if isinstance(host, bytes) else str(host)
    try:
        return ipaddress.ip_address(text.split("%")[0]).is_loopback
    except ValueError:
        return text.endswith(".localhost")


def _refuse(host: Any, port: Any) -> OSError:
    where = f"{host}:{port}" if port not in (None, 0, "") else str(host)
    if not _BLOCKED:
        _BLOCKED.append(where)
    return OSError(errno.ENETUNREACH, f"network access is disabled (offline run): {where}")


def install_network_guard() -> None:
    """Refuse every connection and name lookup except to the local host."""
    connect, connect_ex = socket.socket.connect, socket.socket.connect_ex
    getaddrinfo, gethostbyname = socket.getaddrinfo, socket.gethostbyname

    def address_ok(address: Any) -> None:
        if isinstance(address, tuple) and address and not _local(address[0]):
            raise _refuse(address[0], address[1] if len(address) > 1 else None)

    def guarded_connect(self: socket.socket, address: Any) -> None:
        address_ok(address)
        connect(self, address)

    def guarded_connect_ex(self: socket.socket, address: Any) -> int:
        address_ok(address)
        return connect_ex(self, address)

    def guarded_getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if not _local(host):
            raise _refuse(host, port)
        return getaddrinfo(host, port, *args, **kwargs)

    def guarded_gethostbyname(host: str) -> str:
        if not _local(host):
            raise _refuse(host, None)
        return gethostbyname(host)

    setattr(socket.socket, "connect", guarded_connect)  # noqa: B010
    setattr(socket.socket, "connect_ex", guarded_connect_ex)  # noqa: B010
    setattr(socket, "getaddrinfo", guarded_getaddrinfo)  # noqa: B010
    setattr(socket, "gethostbyname", guarded_gethostbyname)  # noqa: B010


# --- running the program --------------------------------------------------------------------


def _location(exc: BaseException, roots: list[Path]) -> tuple[str | None, int | None]:
    """The innermost frame in the program's own files, looking through causes too."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        for frame in reversed(traceback.extract_tb(current.__traceback__)):
            path = Path(frame.filename)
            if "site-packages" in path.parts or not path.is_absolute():
                continue
            for root in roots:
                if path.is_relative_to(root):
                    return str(path.relative_to(root)), frame.lineno
        current = current.__cause__ or current.__context__
    return None, None


def _one_line(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= 400 else line[:397] + "..."


def _failure(exc: BaseException, root: Path) -> dict[str, Any]:
    file, line = _location(exc, [root])
    if isinstance(exc, SyntaxError) and exc.filename:
        path = Path(exc.filename)
        if path.is_absolute() and path.is_relative_to(root):
            file, line = str(path.relative_to(root)), exc.lineno
    error: dict[str, Any] = {
        "file": file,
        "line": line,
        "network": _BLOCKED[0] if _BLOCKED else None,
    }
    if isinstance(exc, ConfigMissingError):
        return {**error, "kind": "config_missing", "key": exc.key}
    if isinstance(exc, ConfigTypeError):
        return {
            **error,
            "kind": "config_type",
            "key": exc.key,
            "value": exc.value,
            "expected": exc.expect_type,
        }
    if isinstance(exc, ModuleNotFoundError) and exc.name:
        return {**error, "kind": "missing_module", "module": exc.name}
    if isinstance(exc, DuplicateUrnError):
        return {**error, "kind": "exception", "type": None, "message": str(exc)}
    if isinstance(exc, RunError):
        return {**error, "kind": "exception", "type": None, "message": _one_line(str(exc))}
    return {
        **error,
        "kind": "exception",
        "type": type(exc).__name__,
        "message": _one_line(str(exc)),
    }


def _quiet_logger() -> logging.Logger:
    logger = logging.getLogger("serverless-guard.pulumi-program")
    logger.propagate = False
    logger.addHandler(logging.NullHandler())
    return logger


def _run_path(program: str) -> None:
    """Run the program's file as the Pulumi language host does."""
    runpy.run_path(program, run_name="__main__")


def run(request: Mapping[str, Any]) -> dict[str, Any]:
    """Run one program as a preview under the mocks; its resources, or what went wrong."""
    root = Path(request["project_dir"]).resolve()
    program = str(Path(request["program"]).resolve())
    project, stack = str(request["project"]), str(request["stack"])
    config: dict[str, str] = dict(request.get("config", {}))

    os.chdir(root)
    search = [str(Path(p).resolve()) for p in request.get("search_path", [])]
    search += [str(Path(p).resolve()) for p in request.get("site_packages", [])]
    sys.path[:0] = [p for p in search if p not in sys.path]
    sys.argv = [program]
    install_network_guard()
    set_all_config(config, list(request.get("secret_keys", [])))

    mocks = CloudMocks(config.get("aws:region") or DEFAULT_REGION)
    monitor = RecordingMonitor(mocks, project, stack)
    info = monitor.GetDeploymentInfo(None)  # type: ignore[no-untyped-call]
    features = set(info.supportedFeatures)
    configure(
        pulumi_mocks.MockSettings(  # type: ignore[no-untyped-call]
            monitor=monitor,
            monitor_features=features,
            engine=pulumi_mocks.MockEngine(_quiet_logger()),
            project=project,
            stack=stack,
            dry_run=True,
            organization=ORGANIZATION,
            callbacks=None,
        )
    )
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(run_in_stack(lambda: _run_path(program)))
    except SystemExit as exc:
        if exc.code not in (None, 0):
            file, line = _location(exc, [root])
            return {"error": {"kind": "exit", "code": str(exc.code), "file": file, "line": line}}
    except Exception as exc:  # the program's own failure, reported as one line
        traceback.print_exc()  # for whoever reads the child's stderr
        return {"error": _failure(exc, root)}
    return {"resources": monitor.recorded()}


def main() -> int:
    request = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    result = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # the program's prints go to stderr
    outcome = run(request)
    sys.stdout.flush()
    json.dump(outcome, result)
    result.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
