"""Which callers can satisfy a policy statement's conditions: the one condition evaluator of
every rule that judges principals.

A statement that admits everyone (`Principal: "*"`, NotPrincipal, a whole account, a shared
identity provider) is limited only by a condition that pins the caller to known values: an
account, an organization, a source resource, a VPC or VPC endpoint, an address range, a token
subject. A condition limits callers only if it holds for those and no one else:

- its key identifies the caller (`aws:SecureTransport`, tags and headers do not);
- its operator holds only for the listed values: not negated (`StringNotEquals` admits everyone
  else), not `...IfExists` and not `ForAllValues:` (both hold when the key is absent), unless
  the statement also requires the key (`Null: {key: "false"}`); `Null` alone pins nothing;
- every value is specific: no wildcard in a `Like`/`Arn` operator that reaches an attacker's
  own account, organization, endpoint or repository (`vpce-*`, `arn:aws:iam::*:*`, `?*`, a
  `SourceArn` of `arn:aws:s3:::*`), no policy variable (`${aws:PrincipalAccount}` is the
  caller's own), no address range wider than a /8 (IPv4) or a /32 (IPv6), alone or together
  (`0.0.0.0/1` with `128.0.0.0/1` is the internet).

Conditions of a statement are ANDed: one real pin suffices. A value only known at deployment
pins when the operator compares it literally, and may or may not pin when it is a pattern (the
verdict is then unknown). Values are rendered strings (see `facts.nodes`); references to stack
resources and pseudo parameters are specific values (`iam_patterns.concrete`).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum, IntEnum

from serverless_guard.catalog.checks.iam_patterns import SPECIFIC, concrete
from serverless_guard.catalog.checks.wildcards import has_wildcard, literal_prefix
from serverless_guard.facts.nodes import is_opaque_text
from serverless_guard.facts.policy import Condition


class Pin(IntEnum):
    """How far a statement's conditions limit its callers (ordered: more is better)."""

    NONE = 0
    MAYBE = 1  # depends on values only known at deployment
    PINNED = 2


@dataclass(frozen=True, slots=True)
class Limit:
    pin: Pin
    why: str = ""  # the pinning condition, or what makes it undecided


class ValueKind(Enum):
    """What a condition key's values name, which decides what a wildcard in them admits."""

    ACCOUNT = "account"  # an account id: any wildcard reaches other accounts
    IDENTIFIER = "identifier"  # an organization, VPC, endpoint, external id, app or pool id
    ARN = "arn"  # pins when the account (or, without one, the bucket) is written out
    ORG_PATH = "organization path"  # pins when the organization id is written out
    ADDRESS = "address range"
    USER_ID = "user id"  # `AROLEID:*` pins the role
    SUBJECT = "token subject"  # an OIDC `sub`: pins when a repository owner or a name is fixed
    GITHUB_SUBJECT = "GitHub token subject"  # pins when `repo:<owner>/` is written out
    EKS_SUBJECT = "EKS token subject"  # pins when `system:serviceaccount:<namespace>:` is


CALLER_KEYS: Mapping[str, ValueKind] = {
    "aws:sourcearn": ValueKind.ARN,
    "aws:sourceaccount": ValueKind.ACCOUNT,
    "aws:sourceowner": ValueKind.ACCOUNT,
    "aws:sourcevpc": ValueKind.IDENTIFIER,
    "aws:sourcevpce": ValueKind.IDENTIFIER,
    "aws:sourceip": ValueKind.ADDRESS,
    "aws:vpcsourceip": ValueKind.ADDRESS,
    "aws:sourceorgid": ValueKind.IDENTIFIER,
    "aws:sourceorgpaths": ValueKind.ORG_PATH,
    "aws:principalarn": ValueKind.ARN,
    "aws:principalaccount": ValueKind.ACCOUNT,
    "aws:principalorgid": ValueKind.IDENTIFIER,
    "aws:principalorgpaths": ValueKind.ORG_PATH,
    "aws:userid": ValueKind.USER_ID,
    "s3:dataaccesspointarn": ValueKind.ARN,
    "s3:dataaccesspointaccount": ValueKind.ACCOUNT,
    # S3 counts a fixed KMS key as non-public: only callers the key's own policy admits can
    # use it.
    "s3:x-amz-server-side-encryption-aws-kms-key-id": ValueKind.ARN,
}
"""Condition keys that identify the caller (the keys S3 and IAM Access Analyzer accept as
making a grant to `*` non-public), by the kind of value they take."""

ACCOUNT_TRUST_KEYS: Mapping[str, ValueKind] = {
    **CALLER_KEYS,
    "sts:externalid": ValueKind.IDENTIFIER,
}
"""For a role that trusts a whole account: the caller keys, and the external id a third party
must present (the confused-deputy guard for cross-account roles)."""

KEY_POLICY_KEYS: Mapping[str, ValueKind] = {
    **CALLER_KEYS,
    "kms:calleraccount": ValueKind.ACCOUNT,
}
"""For a KMS key policy: the caller keys, and the account KMS says the caller belongs to (how
AWS's own key policies limit `Principal: "*"` to one account)."""

VPC_KEYS: Mapping[str, ValueKind] = {
    "aws:sourcevpce": ValueKind.IDENTIFIER,
    "aws:sourcevpc": ValueKind.IDENTIFIER,
}
"""The keys that keep a private API to known networks."""

# Shared web identity providers and the claims that name the application or the user.
_WEB_IDENTITY_CLAIMS: Mapping[str, Mapping[str, ValueKind]] = {
    "cognito-identity.amazonaws.com": {"aud": ValueKind.IDENTIFIER},  # the identity pool
    "accounts.google.com": {
        "aud": ValueKind.IDENTIFIER,
        "oaud": ValueKind.IDENTIFIER,
        "sub": ValueKind.IDENTIFIER,
    },
    "graph.facebook.com": {"app_id": ValueKind.IDENTIFIER, "id": ValueKind.IDENTIFIER},
    "www.amazon.com": {"app_id": ValueKind.IDENTIFIER, "user_id": ValueKind.IDENTIFIER},
}
SHARED_PROVIDERS = frozenset(_WEB_IDENTITY_CLAIMS)
_GITHUB = "token.actions.githubusercontent.com"
_OIDC = "oidc-provider/"


def provider_keys(provider: str) -> Mapping[str, ValueKind]:
    """The token claims that pin the callers of a `Federated` principal: a shared web identity
    provider's application or pool id; an OIDC provider's `sub` only (its `aud` is the same for
    every customer of GitHub Actions or EKS: `sts.amazonaws.com`)."""
    host = provider.lower()
    if _OIDC in host:
        host = host.split(_OIDC, 1)[1]
    claims = _WEB_IDENTITY_CLAIMS.get(host)
    if claims is not None:
        return {f"{host}:{claim}": kind for claim, kind in claims.items()}
    if host == _GITHUB:
        kind = ValueKind.GITHUB_SUBJECT
    elif host.startswith("oidc.eks."):
        kind = ValueKind.EKS_SUBJECT
    else:
        kind = ValueKind.SUBJECT
    return {f"{host}:sub": kind}


_POSITIVE = frozenset(
    {
        "stringequals",
        "stringequalsignorecase",
        "stringlike",
        "arnequals",
        "arnlike",
        "ipaddress",
    }
)
_PATTERNS = frozenset({"stringlike", "arnequals", "arnlike"})  # values are wildcard patterns


def _operator(operator: str) -> tuple[str, str, bool]:
    """(set qualifier, base operator, IfExists) of an operator, lower-case."""
    qualifier, _, base = operator.lower().rpartition(":")
    if_exists = base.endswith("ifexists")
    return qualifier, base.removesuffix("ifexists"), if_exists


def _required(conditions: Sequence[Condition]) -> frozenset[str]:
    """Keys the statement requires to be present (`Null: {key: "false"}`)."""
    return frozenset(
        c.key.lower()
        for c in conditions
        if c.operator.lower() == "null" and any(v.strip().lower() == "false" for v in c.values)
    )


def policy_variable(value: str) -> bool:
    """A `${aws:...}`-style policy variable: replaced per request, often by the caller's own
    account, name or id."""
    start = value.find("${")
    while start >= 0:
        end = value.find("}", start)
        inner = value[start + 2 : end if end > 0 else len(value)]
        if ":" in inner and not inner.startswith(("?", "urn:pulumi:")):
            return True
        start = value.find("${", start + 2)
    return False


def _arn_pins(value: str, component_wise: bool) -> bool:
    """An ARN pattern pins its owner when its account is written out (or, for S3, whose ARNs
    have none, its bucket name). `ArnLike` and `ArnEquals` match each of the six components
    separately, so wildcards in the partition, service or region stay there; in `StringLike`
    a `*` crosses colons, so nothing before the account may be a wildcard
    (`arn:aws:sqs:*:123456789012:*` reaches another account's resource whose name holds
    `:123456789012:`)."""
    parts = value.split(":", 5)
    if len(parts) < 6 or parts[0].lower() != "arn":
        return not has_wildcard(value)
    if not component_wise and any(has_wildcard(part) for part in parts[:4]):
        return False
    if has_wildcard(parts[4]):
        return False
    if parts[4]:
        return True
    bucket = parts[5].split("/", 1)[0]
    return bool(bucket) and not has_wildcard(bucket)


def _subject_pins(value: str, kind: ValueKind) -> bool:
    prefix = literal_prefix(value)
    if prefix == value:
        return bool(value)
    if kind is ValueKind.GITHUB_SUBJECT:
        owner = prefix.removeprefix("repo:").split("/", 1)
        return prefix.startswith("repo:") and len(owner) == 2 and bool(owner[0])
    if kind is ValueKind.EKS_SUBJECT:
        fields = prefix.split(":")
        return prefix.startswith("system:serviceaccount:") and len(fields) >= 4 and bool(fields[2])
    return bool(prefix.strip(":/"))


_MAX_V4 = 2**24  # a /8
_MAX_V6 = 2**96  # a /32
_MAPPED = ipaddress.IPv6Network("::ffff:0:0/96")


def addresses_pin(values: Iterable[str]) -> bool:
    """Address ranges pin callers to a network when, together, they hold no more than a /8 of
    IPv4 and a /32 of IPv6 (IPv4-mapped IPv6 ranges count as IPv4)."""
    v4: list[ipaddress.IPv4Network] = []
    v6: list[ipaddress.IPv6Network] = []
    for value in values:
        try:
            network = ipaddress.ip_network(value.strip(), strict=False)
        except ValueError:
            return False
        if isinstance(network, ipaddress.IPv6Network) and network.subnet_of(_MAPPED):
            mapped = network.network_address.ipv4_mapped
            if mapped is None:
                return False
            v4.append(ipaddress.IPv4Network((mapped, network.prefixlen - 96)))
        elif isinstance(network, ipaddress.IPv6Network):
            if network.supernet_of(_MAPPED):
                return False
            v6.append(network)
        else:
            v4.append(network)
    size4 = sum(n.num_addresses for n in ipaddress.collapse_addresses(v4))
    size6 = sum(n.num_addresses for n in ipaddress.collapse_addresses(v6))
    return size4 <= _MAX_V4 and size6 <= _MAX_V6


def _value_pins(value: str, kind: ValueKind, pattern: bool, component_wise: bool) -> bool:
    """Whether one (concrete) value admits only known callers."""
    if not value.strip():
        return False
    if value.startswith(SPECIFIC):
        # A stack resource, or something under it (`${Bucket.Arn}/*`); a wildcard right after
        # it reaches names that start like it (`${Bucket.Arn}*`: any account's bucket-x).
        return not (pattern and value[1:2] in ("*", "?"))
    if kind is ValueKind.ARN:
        return _arn_pins(value, component_wise) if pattern else True
    if not pattern or not has_wildcard(value):
        return True
    if kind is ValueKind.ORG_PATH:
        org = literal_prefix(value).split("/", 1)
        return len(org) == 2 and bool(org[0])
    if kind is ValueKind.USER_ID:
        return ":" in literal_prefix(value)
    if kind in (ValueKind.SUBJECT, ValueKind.GITHUB_SUBJECT, ValueKind.EKS_SUBJECT):
        return _subject_pins(value, kind)
    return False


def _values_pin(condition: Condition, kind: ValueKind, worst: bool) -> bool:
    base = _operator(condition.operator)[1]
    pattern = base in _PATTERNS
    if not condition.values or any(policy_variable(v) for v in condition.values):
        return False
    values = [concrete(v, worst=worst) for v in condition.values]
    if kind is ValueKind.ADDRESS:
        if any("*" in v for v in values):
            return False
        if any(SPECIFIC in v for v in values):
            return not worst
        return addresses_pin(values)
    return all(_value_pins(v, kind, pattern, base.startswith("arn")) for v in values)


def fixed_values(conditions: Sequence[Condition], key: str) -> tuple[str, ...] | None:
    """The values the conditions fix `key` to: those of a `StringEquals` (or
    `StringEqualsIgnoreCase`) condition on it that holds only for them (not `...IfExists` or
    `ForAllValues:` unless the statement also requires the key). None when no condition
    fixes it."""
    required = _required(conditions)
    for condition in conditions:
        name = condition.key.lower()
        if name != key.lower() or not condition.values:
            continue
        qualifier, base, if_exists = _operator(condition.operator)
        if base not in ("stringequals", "stringequalsignorecase"):
            continue
        if (if_exists or qualifier == "forallvalues") and name not in required:
            continue
        return condition.values
    return None


def condition_pin(
    condition: Condition, keys: Mapping[str, ValueKind], required: frozenset[str] = frozenset()
) -> Pin:
    """Whether one condition pins the caller (see the module docstring)."""
    if is_opaque_text(condition.key) or is_opaque_text(condition.operator):
        return Pin.MAYBE
    kind = keys.get(condition.key.lower())
    qualifier, base, if_exists = _operator(condition.operator)
    if kind is None or base not in _POSITIVE:
        return Pin.NONE
    if (if_exists or qualifier == "forallvalues") and condition.key.lower() not in required:
        return Pin.NONE
    if (base == "ipaddress") != (kind is ValueKind.ADDRESS):
        return Pin.NONE
    if _values_pin(condition, kind, worst=True):
        return Pin.PINNED
    return Pin.MAYBE if _values_pin(condition, kind, worst=False) else Pin.NONE


def caller_limit(conditions: Sequence[Condition], keys: Mapping[str, ValueKind]) -> Limit:
    """How far a statement's conditions (ANDed) limit its callers: pinned by one condition,
    maybe (a value only known at deployment decides), or not at all."""
    required = _required(conditions)
    maybe: Condition | None = None
    for condition in conditions:
        pin = condition_pin(condition, keys, required)
        if pin is Pin.PINNED:
            return Limit(Pin.PINNED, f"{condition.operator} on {condition.key}")
        if pin is Pin.MAYBE and maybe is None:
            maybe = condition
    if maybe is not None:
        return Limit(
            Pin.MAYBE,
            f"its condition {maybe.operator} on {maybe.key} depends on values only known at "
            "deployment",
        )
    return Limit(Pin.NONE)
