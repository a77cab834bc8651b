"""Extractors from pulumi-aws (classic) resource types to facts, one module per service.

The facts carry the same values as the CloudFormation extractors give for the same situation.
Where pulumi-aws declares a part of a resource as a resource of its own (a role's inline policy,
a stage's method settings, a bucket's encryption, a queue's policy), the part links to its owner
through the input that names it: by property dependency (`${urn}`, which every fact of the owner
has among its aliases) or by the owner's literal name, URL or ARN.
"""

from __future__ import annotations

from serverless_guard.engines.pulumi.extract.base import Extractor
from serverless_guard.engines.pulumi.extract.classic import (
    apigateway,
    appsync,
    cognito,
    data,
    iam,
    lambda_,
    logs,
    messaging,
    s3,
    stepfunctions,
    wafv2,
)

EXTRACTORS: dict[str, Extractor] = {
    **s3.EXTRACTORS,
    **messaging.EXTRACTORS,
    **data.EXTRACTORS,
    **logs.EXTRACTORS,
    **lambda_.EXTRACTORS,
    **iam.EXTRACTORS,
    **apigateway.EXTRACTORS,
    **stepfunctions.EXTRACTORS,
    **appsync.EXTRACTORS,
    **cognito.EXTRACTORS,
    **wafv2.EXTRACTORS,
}

__all__ = ["EXTRACTORS"]
