"""What the principal of a Lambda permission denotes: everyone, a service, or an account."""

from __future__ import annotations

import re
from enum import StrEnum

from serverless_guard.facts.nodes import OPAQUE_MARK


class PrincipalKind(StrEnum):
    PUBLIC = "public"
    SERVICE = "service"
    ACCOUNT = "account"
    UNKNOWN = "unknown"


_LABEL = r"(?:[a-z0-9-]+|\$\{\?[^}]*\})"
# `events.amazonaws.com`, `s3.${AWS::URLSuffix}`, `alexa-appkit.amazon.com`, ...
_SERVICE = re.compile(
    rf"^{_LABEL}(?:\.{_LABEL})*\.(?:amazonaws\.com(?:\.cn)?|amazon\.com|\$\{{\?[^}}]*\}})$"
)
_ACCOUNT_ID = "${?AWS::AccountId}"


def principal_kind(principal: str) -> PrincipalKind:
    """What a Lambda permission's rendered principal denotes."""
    value = principal.strip()
    if value == "*":
        return PrincipalKind.PUBLIC
    if _SERVICE.match(value):
        return PrincipalKind.SERVICE
    if value == _ACCOUNT_ID or OPAQUE_MARK not in value:
        return PrincipalKind.ACCOUNT
    if value.startswith("arn:") or value.endswith(":root"):
        return PrincipalKind.ACCOUNT
    return PrincipalKind.UNKNOWN
