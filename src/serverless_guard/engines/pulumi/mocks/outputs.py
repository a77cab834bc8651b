"""A plausible physical id and outputs for any resource: the answer of the type's builder (AWS,
`random`), else a generic one from the type token."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from serverless_guard.engines.pulumi.mocks.aws_outputs import BUILDERS, CHILD_BUILDERS
from serverless_guard.engines.pulumi.mocks.naming import physical_name
from serverless_guard.engines.pulumi.mocks.random_outputs import random_outputs
from serverless_guard.engines.pulumi.mocks.resource_context import Ctx, Outputs, digest
from serverless_guard.engines.pulumi.mocks.wire import input_text

# The ARN service of a pulumi-aws module, where the two differ.
_ARN_SERVICES = {
    "sfn": "states",
    "cognito": "cognito-idp",
    "apigatewayv2": "apigateway",
    "cloudwatch": "logs",
    "lb": "elasticloadbalancing",
    "alb": "elasticloadbalancing",
}


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
    ctx = Ctx(typ, logical, inputs, input_text(inputs, "region") or region, name, digest(seed))
    builder = BUILDERS.get(typ)
    if builder is None and typ.startswith("random:"):
        builder = random_outputs
    if builder is None:
        for prefix, key, child in CHILD_BUILDERS:
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
