"""Plausible ids and outputs of AWS resources, per type token, as pulumi-aws names them.

Each builder answers one resource type from what it knows of the resource (`Ctx`): its physical
id and its outputs (camelCase). `BUILDERS` is the table `outputs.resource_outputs` looks in.
"""

from __future__ import annotations

from serverless_guard.engines.pulumi.mocks.resource_context import (
    ACCOUNT,
    Builder,
    Ctx,
    Outputs,
)
from serverless_guard.engines.pulumi.mocks.wire import input_flag

_CREATED = "2024-01-01T00:00:00Z"


def _lambda_function(c: Ctx) -> tuple[str, Outputs]:
    arn = c.arn("lambda", f"function:{c.name}")
    version = "1" if input_flag(c.inputs, "publish") else "$LATEST"
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


# Resource types whose id is the bucket, queue URL, ... they configure: (type prefix, input,
# builder).
CHILD_BUILDERS: tuple[tuple[str, str, Builder], ...] = (
    ("aws:s3/", "bucket", _bucket_child),
    ("aws:sqs/", "queueUrl", _queue_child),
)
