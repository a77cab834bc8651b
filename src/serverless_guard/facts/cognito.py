"""Cognito facts: user pools (sign-in settings) and identity pools (AWS credentials)."""

from __future__ import annotations

from dataclasses import dataclass, field

from serverless_guard.facts.base import Resource
from serverless_guard.facts.value import Absent, Value


@dataclass(frozen=True, slots=True, kw_only=True)
class PasswordPolicy:
    """A user pool's password policy as written. A requirement left out of a written policy
    is not required (Cognito reads a missing flag as false)."""

    minimum_length: Value[int] = field(default_factory=Absent)
    require_lowercase: Value[bool] = field(default_factory=Absent)
    require_uppercase: Value[bool] = field(default_factory=Absent)
    require_numbers: Value[bool] = field(default_factory=Absent)
    require_symbols: Value[bool] = field(default_factory=Absent)


@dataclass(frozen=True, slots=True, kw_only=True)
class UserPool(Resource):
    """A user pool.

    - `mfa`: `OFF`, `ON` or `OPTIONAL` (absent: OFF);
    - `threat_protection`: the threat protection (advanced security) mode for standard
      authentication, `OFF`, `AUDIT` or `ENFORCED` (absent: OFF);
    - `tier`: the feature plan, `LITE`, `ESSENTIALS` or `PLUS` (threat protection needs PLUS);
    - `password_policy`: the written password policy (absent: Cognito's default policy).
    """

    mfa: Value[str] = field(default_factory=Absent)
    threat_protection: Value[str] = field(default_factory=Absent)
    tier: Value[str] = field(default_factory=Absent)
    password_policy: Value[PasswordPolicy] = field(default_factory=Absent)


@dataclass(frozen=True, slots=True, kw_only=True)
class IdentityPool(Resource):
    """An identity pool: `allow_unauthenticated` gives AWS credentials to guests (anyone who
    asks); `pool_name` is its IdentityPoolName."""

    pool_name: Value[str] = field(default_factory=Absent)
    allow_unauthenticated: Value[bool] = field(default_factory=Absent)
