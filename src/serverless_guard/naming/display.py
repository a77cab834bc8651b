"""Resource types and property names as each dialect writes them."""

from __future__ import annotations

from serverless_guard.naming.spelling import Spelling, snake_case
from serverless_guard.naming.wording import Dialect, Wording

NATIVE_PREFIX = "aws-native:"


def python_module(name: str) -> str:
    """A Python SDK's module for a service (`lambda` is a keyword: `lambda_`)."""
    return "lambda_" if name == "lambda" else name


def cdk_module(cfn_type: str) -> str:
    """The aws-cdk-lib module alias of a CloudFormation type's service, as the CDK's Python
    examples import it: `AWS::Lambda::Function` -> `lambda_` (`aws_cdk.aws_lambda`)."""
    return python_module(cfn_type.split("::")[1].lower())


def resource_name(token: str, wording: Wording) -> str:
    """How the dialect names a resource type, from its type token."""
    dialect = wording.dialect
    if dialect in (Dialect.CLOUDFORMATION, Dialect.SAM):
        return token
    if dialect is Dialect.CDK:
        parts = token.split("::")
        return f"{cdk_module(token)}.Cfn{parts[2]}" if len(parts) == 3 else token
    if token.startswith(NATIVE_PREFIX):
        if dialect is Dialect.PULUMI:
            return token
        module, _, name = token[len(NATIVE_PREFIX) :].partition(":")
        return f"aws_native.{python_module(module)}.{name}"
    package, _, rest = token.partition(":")
    module = rest.split("/", 1)[0]
    name = rest.rsplit(":", 1)[-1]
    if dialect is Dialect.PULUMI:
        return f"{package}:{module}:{name}"  # as `pulumi preview` shows types
    return f"{package}.{python_module(module)}.{name}"


def to_python(spelling: Spelling) -> Spelling:
    """A Pulumi spelling with the Python SDK's argument names (`pointInTimeRecovery` ->
    `point_in_time_recovery`); keys inside documents stay as they are."""
    return spelling.renamed(snake_case, spelling.resource)
