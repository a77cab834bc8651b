"""Extractors from CloudFormation resource types to facts, one module per service."""

from __future__ import annotations

from collections.abc import Mapping

from serverless_guard.engines.cloudformation.extract import (
    apigw,
    data,
    iam,
    lambda_,
    logs,
    messaging,
    s3,
    stepfunctions,
)
from serverless_guard.engines.cloudformation.extract.base import CfnResource, Extractor

EXTRACTORS: Mapping[str, Extractor] = {
    **apigw.EXTRACTORS,
    **data.EXTRACTORS,
    **iam.EXTRACTORS,
    **lambda_.EXTRACTORS,
    **logs.EXTRACTORS,
    **messaging.EXTRACTORS,
    **s3.EXTRACTORS,
    **stepfunctions.EXTRACTORS,
}

__all__ = ["EXTRACTORS", "CfnResource", "Extractor"]
