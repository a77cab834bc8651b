"""KMS keys: what names a key at all, which keys AWS manages, and the parameter that requires a
customer-managed one."""

from __future__ import annotations

from dataclasses import dataclass

from serverless_guard.catalog.params import param
from serverless_guard.facts.value import Absent, Known, Value


def key_of(value: Value[str]) -> Value[str]:
    """A key id, ARN or alias as a key: an empty or blank one (`KmsMasterKeyId: ""`, in any
    branch of a condition, on any engine) names no key, which is what AWS makes of it."""
    if isinstance(value, Known) and not value.value.strip():
        return Absent(value.at)
    return value


def aws_managed_alias(key: str) -> str | None:
    """The AWS-managed alias (`alias/aws/<service>`) a key is named by, alone or in an alias
    ARN; None for any other key. AWS-managed keys have key policies nobody can change."""
    start = key.lower().find("alias/aws/")
    if start == 0 or (start > 0 and key[start - 1] == ":"):
        return key[start:]
    return None


@dataclass(frozen=True, slots=True)
class KmsKeyParams:
    require_customer_key: bool = param(
        False, "Require a customer-managed KMS key (an AWS-managed key fails)."
    )
