"""pulumi-aws-native resource types, through the CloudFormation extractors.

aws-native resources are CloudFormation resources: the type token `aws-native:lambda:Function`
is `AWS::Lambda::Function`, and the inputs are the CloudFormation properties with camelCase names
(`kmsKeyArn` for `KmsKeyArn`, `sseSpecification` for `SSESpecification`). So each resource is
turned back into a CloudFormation resource and read by the CloudFormation extractor of its type:

- names become PascalCase again, except inside free-form values, which aws-native passes through
  as written (policy documents, environment variables, tags, OpenAPI bodies, state machine
  definitions, redrive policies): those keep their keys;
- the few names whose CloudFormation spelling is not the capitalized camelCase one (acronyms:
  `SSESpecification`, `KMSMasterKeyID`, `PrincipalOrgID`) are listed per type;
- the facts get the Pulumi identity: id the URN, name the Pulumi resource name, type the Pulumi
  type token. A reference to a resource renders `${urn}`, which the CloudFormation identity
  already counts among the resource's aliases (as `${LogicalId}` for a template);
- the property paths in the facts get the aws-native names back (`loggingConfig.logGroup`), so
  that findings point at the program's inputs;
- a policy attached by a literal queue URL or topic or bus ARN also links by the name in it
  (`names_in`): a Pulumi program has the account and region where a template has
  `${AWS::AccountId}`.

Inputs computed from another resource arrive as property dependencies (one list per top-level
input). A top-level scalar becomes a reference to its resource (`engines.pulumi.resolve`). Here,
a structured input that depends on exactly one resource and holds exactly one value unknown
during preview gets that value as the reference too: `loggingConfig.logGroup`,
`deadLetterConfig.targetArn` or a redrive policy's `deadLetterTargetArn` then still link to the
resource. In IAM policies, every such value refers to the resource (as for pulumi-aws): the IAM
rules only need to know that it names a specific resource. Resource policies and other
documents are left alone: a value there is as often an ARN built from the resource's
(`${bucket.arn}/*`) as the resource itself, which the rules on them tell apart.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from serverless_guard.engines.cloudformation.extract import EXTRACTORS as CFN_EXTRACTORS
from serverless_guard.engines.cloudformation.extract.base import CfnResource
from serverless_guard.engines.cloudformation.extract.base import Extractor as CfnExtractor
from serverless_guard.engines.pulumi.extract.base import Extractor, PulumiView
from serverless_guard.engines.pulumi.extract.classic.common import assigned_arn_of, type_of
from serverless_guard.engines.pulumi.extract.classic.owners import names_in
from serverless_guard.engines.pulumi.model import is_unknown
from serverless_guard.engines.pulumi.resolve import PREVIEW_OUTPUT
from serverless_guard.facts.base import Resource
from serverless_guard.facts.nodes import Opaque, Ref, text
from serverless_guard.facts.resource_policy import ResourcePolicy
from serverless_guard.facts.value import Path

PREFIX = "aws-native:"

# aws-native module → CloudFormation service namespace.
_SERVICES = {
    "apigateway": "ApiGateway",
    "apigatewayv2": "ApiGatewayV2",
    "appsync": "AppSync",
    "cognito": "Cognito",
    "dynamodb": "DynamoDB",
    "events": "Events",
    "iam": "IAM",
    "kinesis": "Kinesis",
    "kms": "KMS",
    "lambda": "Lambda",
    "logs": "Logs",
    "s3": "S3",
    "secretsmanager": "SecretsManager",
    "sns": "SNS",
    "sqs": "SQS",
    "stepfunctions": "StepFunctions",
    "wafv2": "WAFv2",
}

# aws-native spells the initialisms in a type's name in title case (`GraphQlApi` for
# `AWS::AppSync::GraphQLApi`): the CloudFormation names that differ.
NATIVE_KINDS: Mapping[str, str] = {
    "GraphQLApi": "GraphQlApi",
    "WebACLAssociation": "WebAclAssociation",
}
_CFN_KINDS = {native: cfn for cfn, native in NATIVE_KINDS.items()}

# Inputs whose value aws-native passes through as written (typed `Any` or a string map in its
# schema): their keys are data, not property names.
FREE_FORM = frozenset(
    {
        "archivePolicy",
        "assumeRolePolicyDocument",
        "body",
        "dataProtectionPolicy",
        "definition",
        "definitionSubstitutions",
        "fieldIndexPolicies",
        "keyPolicy",
        "parameters",
        "policy",
        "policyDocument",
        "redriveAllowPolicy",
        "redrivePolicy",
        "requestModels",
        "requestParameters",
        "requestTemplates",
        "resourcePolicy",
        "resourcePolicyDocument",
        "responseModels",
        "responseParameters",
        "responseTemplates",
        "routeSettings",
        "simplePrefix",
        "stageVariableOverrides",
        "stageVariables",
        "statement",
        "tags",
        "variables",
    }
)

# Free-form inputs that are documents (policies, API definitions, workflows): a value there is
# not taken for a reference to the resource the input depends on.
_DOCUMENTS = frozenset(
    {
        "archivePolicy",
        "assumeRolePolicyDocument",
        "body",
        "dataProtectionPolicy",
        "definition",
        "keyPolicy",
        "policy",
        "policyDocument",
        "resourcePolicy",
        "resourcePolicyDocument",
        "statement",
    }
)

# CloudFormation names that are not the capitalized aws-native name, per type.
_SSE = {
    "sseSpecification": "SSESpecification",
    "sseEnabled": "SSEEnabled",
    "sseType": "SSEType",
    "kmsMasterKeyId": "KMSMasterKeyId",
}
RENAMES: Mapping[str, Mapping[str, str]] = {
    "AWS::DynamoDB::Table": _SSE,
    "AWS::DynamoDB::GlobalTable": _SSE,
    "AWS::S3::Bucket": {"sseAlgorithm": "SSEAlgorithm", "kmsMasterKeyId": "KMSMasterKeyID"},
    "AWS::Lambda::Permission": {"principalOrgId": "PrincipalOrgID"},
    "AWS::SecretsManager::RotationSchedule": {"rotationLambdaArn": "RotationLambdaARN"},
    "AWS::WAFv2::WebACLAssociation": {"webAclArn": "WebACLArn"},
}

# Inputs holding an ARN with ids the provider assigns, per type (see
# `classic.common.assigned_arn_of`).
ASSIGNED_ARNS: Mapping[str, str] = {"AWS::WAFv2::WebACLAssociation": "resourceArn"}


def cfn_type(token: str) -> str | None:
    """The CloudFormation type of an aws-native type token (`aws-native:sqs:Queue`)."""
    if not token.startswith(PREFIX):
        return None
    parts = token[len(PREFIX) :].split(":")
    if len(parts) != 2 or parts[0] not in _SERVICES:
        return None
    return f"AWS::{_SERVICES[parts[0]]}::{_CFN_KINDS.get(parts[1], parts[1])}"


def _is_list(node: object) -> bool:
    return isinstance(node, Sequence) and not isinstance(node, str | bytes)


def cfn_properties(node: Any, renames: Mapping[str, str]) -> Any:
    """aws-native inputs with CloudFormation names, free-form values kept as written."""
    if isinstance(node, Mapping):
        out: dict[str, Any] = {}
        for key, value in node.items():
            name = str(key)
            cfn = renames.get(name) or name[:1].upper() + name[1:]
            out[cfn] = value if name in FREE_FORM else cfn_properties(value, renames)
        return out
    if _is_list(node):
        return [cfn_properties(item, renames) for item in node]
    return node


def _copy(node: Any) -> Any:
    if isinstance(node, Mapping):
        return {key: _copy(value) for key, value in node.items()}
    if _is_list(node):
        return [_copy(item) for item in node]
    return node


# Where a preview-unknown value sits: its container and key, or None where it must not be
# replaced (within documents).
Leaf = tuple[Any, Any] | None


def _unknown_leaves(node: Any, replaceable: bool) -> list[Leaf]:
    found: list[Leaf] = []
    items: Iterable[tuple[Any, Any]]
    if isinstance(node, dict):
        items = node.items()
    elif isinstance(node, list):
        items = enumerate(node)
    else:
        return found
    for key, value in items:
        if isinstance(value, Opaque):
            found.append((node, key) if replaceable else None)
        else:
            inner = replaceable and not (isinstance(key, str) and key in _DOCUMENTS)
            found.extend(_unknown_leaves(value, inner))
    return found


def _all_unknowns(node: Any, ref: Ref) -> Any:
    if isinstance(node, Opaque):
        return ref
    if isinstance(node, dict):
        return {key: _all_unknowns(value, ref) for key, value in node.items()}
    if isinstance(node, list):
        return [_all_unknowns(value, ref) for value in node]
    return node


# IAM identities and policies, and their inputs that hold identity policies (`policies` holds a
# role's, user's or group's inline policies).
_IAM_TYPES = frozenset(
    {
        "AWS::IAM::Group",
        "AWS::IAM::GroupPolicy",
        "AWS::IAM::ManagedPolicy",
        "AWS::IAM::Role",
        "AWS::IAM::RolePolicy",
        "AWS::IAM::User",
        "AWS::IAM::UserPolicy",
    }
)
_IAM_DOCUMENTS = frozenset({"assumeRolePolicyDocument", "policies", "policyDocument"})


def link_nested(view: PulumiView, type_name: str) -> dict[str, Any]:
    """A copy of the view's nodes where values only known at deployment of a structured input
    computed from one resource refer to that resource:

    - in IAM identity policies and trust policies, every such value (an ARN of the resource or
      built from it: a specific resource, as the IAM rules need to know, never `*`);
    - elsewhere, outside documents, the input's only such value (`loggingConfig.logGroup`).
    """
    properties: dict[str, Any] = _copy(view.properties)
    for key, node in properties.items():
        deps = set(view.resource.property_dependencies.get(key, ()))
        if len(deps) != 1 or not isinstance(node, dict | list):
            continue
        ref = Ref(next(iter(deps)))
        if type_name in _IAM_TYPES and key in _IAM_DOCUMENTS:
            properties[key] = _all_unknowns(node, ref)
            continue
        leaves = _unknown_leaves(node, key not in _DOCUMENTS)
        if len(leaves) == 1 and leaves[0] is not None:
            container, at = leaves[0]
            container[at] = ref
    return properties


# The input holding each type's own physical name.
NAME_INPUTS: Mapping[str, str] = {
    "AWS::ApiGateway::DomainName": "domainName",
    "AWS::ApiGatewayV2::DomainName": "domainName",
    "AWS::DynamoDB::GlobalTable": "tableName",
    "AWS::DynamoDB::Table": "tableName",
    "AWS::Events::EventBus": "name",
    "AWS::IAM::Group": "groupName",
    "AWS::IAM::ManagedPolicy": "managedPolicyName",
    "AWS::IAM::Role": "roleName",
    "AWS::IAM::User": "userName",
    "AWS::Kinesis::Stream": "name",
    "AWS::Lambda::Function": "functionName",
    "AWS::Logs::LogGroup": "logGroupName",
    "AWS::S3::Bucket": "bucketName",
    "AWS::SNS::Topic": "topicName",
    "AWS::SQS::Queue": "queueName",
    "AWS::SecretsManager::Secret": "name",
    "AWS::StepFunctions::StateMachine": "stateMachineName",
}
FUNCTION_TOKEN = "aws-native:lambda:Function"
LAMBDA_LOGS = "/aws/lambda/"


def own_name(view: PulumiView, type_name: str, properties: dict[str, Any]) -> None:
    """A resource's own name is never a reference to another resource: a known name computed
    from one stays a literal. Names only known at deployment follow CloudFormation's forms:

    - a function whose name is only known at deployment is denoted by its URN, as one with no
      name is: its default log group is `/aws/lambda/${urn}`;
    - a log group whose name is only known at deployment and computed from one Lambda function
      of the stack is that function's default log group, `/aws/lambda/${function urn}` (as
      `!Sub /aws/lambda/${Fn}` reads).
    """
    key = NAME_INPUTS.get(type_name)
    if key is None or key not in view.resource.props:
        return
    raw = properties.get(key)
    literal = view.resource.props.get(key)
    if isinstance(raw, Ref) and isinstance(literal, str) and not is_unknown(literal):
        properties[key] = literal
    elif type_name == "AWS::Lambda::Function" and isinstance(raw, Ref | Opaque):
        del properties[key]
    elif type_name == "AWS::Logs::LogGroup" and is_unknown(literal):
        deps = set(view.resource.property_dependencies.get(key, ()))
        urn = next(iter(deps)) if len(deps) == 1 else None
        if urn is not None and type_of(urn) == FUNCTION_TOKEN:
            properties[key] = text((LAMBDA_LOGS, Ref(urn)))


def native_path(path: Path, renames: Mapping[str, str]) -> Path:
    """A property path of the CloudFormation form with the aws-native names (`("LoggingConfig",
    "LogGroup")` -> `("loggingConfig", "logGroup")`); keys within free-form values are data."""
    out: list[str | int] = []
    free = False
    for part in path:
        if isinstance(part, str) and not free:
            part = renames.get(part) or part[:1].lower() + part[1:]
            free = part in FREE_FORM
        out.append(part)
    return tuple(out)


def _with_paths(node: Any, translate: Callable[[Path], Path]) -> Any:
    """`node` (a fact, a value, a part of one) with every `at` path translated."""
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        changes: dict[str, Any] = {}
        for field in dataclasses.fields(node):
            value = getattr(node, field.name)
            if field.name == "at" and isinstance(value, tuple):
                new = translate(value)
            else:
                new = _with_paths(value, translate)
            if new is not value:
                changes[field.name] = new
        return dataclasses.replace(node, **changes) if changes else node
    if isinstance(node, tuple):
        items = tuple(_with_paths(item, translate) for item in node)
        return items if any(a is not b for a, b in zip(items, node, strict=True)) else node
    return node


def free_form_inputs(view: PulumiView, properties: dict[str, Any]) -> None:
    """A free-form input is a value, not a reference: one computed from a single resource keeps
    its known value (a JSON policy built from a queue's ARN is that policy), and one only known
    at deployment is unknown, except a redrive policy, whose only possible reference is its
    dead-letter queue."""
    for key, node in properties.items():
        if key not in FREE_FORM or not isinstance(node, Ref):
            continue
        raw = view.resource.props.get(key)
        if isinstance(raw, str) and not is_unknown(raw):
            properties[key] = raw
        elif key == "redrivePolicy":
            properties[key] = {"deadLetterTargetArn": node}
        else:
            properties[key] = Opaque(PREVIEW_OUTPUT)


def _with_pulumi_identity(fact: Resource, view: PulumiView, renames: Mapping[str, str]) -> Resource:
    """A fact of the CloudFormation extractor with the Pulumi name and type token (the
    extractors name facts of a resource's parts `<id> <part>`), and aws-native paths."""
    name = fact.name
    if name == view.urn:
        name = view.resource.name
    elif name.startswith(view.urn + " "):
        name = view.resource.name + name[len(view.urn) :]
    renamed: Resource = _with_paths(fact, lambda path: native_path(path, renames))
    if isinstance(renamed, ResourcePolicy):
        names = [n for target in renamed.targets for n in names_in(target)]
        if names:
            renamed = dataclasses.replace(renamed, targets=(*renamed.targets, *names))
    return dataclasses.replace(renamed, name=name, type=view.resource.type)


def _adapt(type_name: str, extractor: CfnExtractor) -> Extractor:
    renames = RENAMES.get(type_name, {})
    inverse = {cfn: name for name, cfn in renames.items()}

    def extract(view: PulumiView) -> Iterable[Resource]:
        nodes = link_nested(view, type_name)
        free_form_inputs(view, nodes)
        own_name(view, type_name, nodes)
        arn_key = ASSIGNED_ARNS.get(type_name)
        named = assigned_arn_of(view, arn_key) if arn_key is not None else None
        if arn_key is not None and named is not None:
            nodes[arn_key] = Ref(named)
        properties = cfn_properties(nodes, renames)
        resource = CfnResource(id=view.urn, type=type_name, properties=properties)
        return [_with_pulumi_identity(fact, view, inverse) for fact in extractor(resource)]

    extract.__name__ = extract.__qualname__ = getattr(extractor, "__name__", "extract")
    return extract


def _tokens() -> dict[str, Extractor]:
    out: dict[str, Extractor] = {}
    for module, service in _SERVICES.items():
        prefix = f"AWS::{service}::"
        for type_name, extractor in CFN_EXTRACTORS.items():
            if type_name.startswith(prefix):
                kind = type_name[len(prefix) :]
                token = f"{PREFIX}{module}:{NATIVE_KINDS.get(kind, kind)}"
                out[token] = _adapt(type_name, extractor)
    return out


# Every CloudFormation type with an extractor that aws-native also has (it has no
# `AWS::IAM::Policy` and no `AWS::SQS::QueuePolicy`: the inline policy resources replace them).
_MISSING = frozenset({"aws-native:iam:Policy", "aws-native:sqs:QueuePolicy"})
EXTRACTORS: dict[str, Extractor] = {
    token: extractor for token, extractor in _tokens().items() if token not in _MISSING
}
