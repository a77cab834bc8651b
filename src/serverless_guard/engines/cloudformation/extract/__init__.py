"""Extractors from CloudFormation resource types to facts, one module per service."""

from __future__ import annotations

from collections.abc import Mapping

from serverless_guard.engines.cloudformation.extract import (
    apigw,
    appsync,
    cognito,
    data,
    iam,
    lambda_,
    logs,
    messaging,
    s3,
    stepfunctions,
    waf,
)
from serverless_guard.engines.cloudformation.extract.base import CfnResource, Extractor

EXTRACTORS: Mapping[str, Extractor] = {
    **apigw.EXTRACTORS,
    **appsync.EXTRACTORS,
    **cognito.EXTRACTORS,
    **data.EXTRACTORS,
    **iam.EXTRACTORS,
    **lambda_.EXTRACTORS,
    **logs.EXTRACTORS,
    **messaging.EXTRACTORS,
    **s3.EXTRACTORS,
    **stepfunctions.EXTRACTORS,
    **waf.EXTRACTORS,
}

__all__ = ["EXTRACTORS", "CfnResource", "Extractor"]
