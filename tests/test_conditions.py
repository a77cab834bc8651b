"""The condition evaluator: which conditions pin a statement's callers, and which only look
restrictive."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from serverless_guard.catalog.checks.conditions import (
    ACCOUNT_TRUST_KEYS,
    CALLER_KEYS,
    VPC_KEYS,
    Pin,
    addresses_pin,
    caller_limit,
    provider_keys,
)
from serverless_guard.facts.policy import Condition

C = Condition

# Hostile conditions: each looks restrictive and admits everyone (or an attacker's own
# account, organization, endpoint or repository).
HOSTILE: list[tuple[str, list[Condition]]] = [
    ("TLS only", [C("Bool", "aws:SecureTransport", ("true",))]),
    ("a tag", [C("StringEquals", "aws:PrincipalTag/team", ("orders",))]),
    ("a header", [C("StringEquals", "aws:Referer", ("https://example.com",))]),
    ("endpoint wildcard", [C("StringLike", "aws:SourceVpce", ("vpce-*",))]),
    ("endpoint any", [C("StringLike", "aws:SourceVpce", ("*",))]),
    ("any non-empty", [C("StringLike", "aws:PrincipalOrgID", ("?*",))]),
    ("principal in any account", [C("ArnLike", "aws:PrincipalArn", ("arn:aws:iam::*:*",))]),
    ("role name in any account", [C("ArnLike", "aws:PrincipalArn", ("arn:aws:iam::*:role/x",))]),
    ("ArnEquals takes wildcards", [C("ArnEquals", "aws:SourceArn", ("arn:aws:s3:::*",))]),
    ("every bucket", [C("ArnLike", "aws:SourceArn", ("arn:aws:s3:::*",))]),
    ("bucket name prefix", [C("ArnLike", "aws:SourceArn", ("arn:aws:s3:::logs-*",))]),
    ("stack bucket's name prefix", [C("ArnLike", "aws:SourceArn", ("${Bucket.Arn}*",))]),
    ("star crosses the account", [C("ArnLike", "aws:SourceArn", ("arn:aws:sns:*",))]),
    (
        "star crosses colons in StringLike",
        [C("StringLike", "aws:SourceArn", ("arn:aws:sqs:*:123456789012:*",))],
    ),
    ("account wildcard", [C("StringLike", "aws:SourceAccount", ("12345678901?",))]),
    ("org path wildcard", [C("ForAnyValue:StringLike", "aws:PrincipalOrgPaths", ("o-*/*",))]),
    ("negated", [C("StringNotEquals", "aws:SourceAccount", ("123456789012",))]),
    ("negated like", [C("ArnNotLike", "aws:SourceArn", ("arn:aws:s3:::mine",))]),
    ("if exists", [C("StringEqualsIfExists", "aws:SourceAccount", ("123456789012",))]),
    ("all values: absent key", [C("ForAllValues:StringEquals", "aws:SourceVpce", ("vpce-1",))]),
    ("null only", [C("Null", "aws:SourceArn", ("false",))]),
    ("internet in halves", [C("IpAddress", "aws:SourceIp", ("0.0.0.0/1", "128.0.0.0/1"))]),
    ("internet", [C("IpAddress", "aws:SourceIp", ("0.0.0.0/0",))]),
    ("IPv6 internet", [C("IpAddress", "aws:SourceIp", ("::/1", "8000::/1"))]),
    ("IPv4 through IPv6", [C("IpAddress", "aws:SourceIp", ("::ffff:0:0/96",))]),
    ("a /7", [C("IpAddress", "aws:SourceIp", ("10.0.0.0/7",))]),
    ("two /8s", [C("IpAddress", "aws:SourceIp", ("10.0.0.0/8", "11.0.0.0/8"))]),
    ("not an address", [C("IpAddress", "aws:SourceIp", ("anywhere",))]),
    ("string test of an address", [C("StringLike", "aws:SourceIp", ("*",))]),
    (
        "caller's own account",
        [C("StringEquals", "aws:SourceAccount", ("${aws:PrincipalAccount}",))],
    ),
    ("empty", [C("StringEquals", "aws:SourceAccount", ("",))]),
    ("no values", [C("StringEquals", "aws:SourceAccount", ())]),
    ("one open value", [C("StringLike", "aws:SourceVpce", ("vpce-0a1b2c3d", "*"))]),
    (
        "service name",
        [C("StringEquals", "aws:PrincipalServiceName", ("cloudfront.amazonaws.com",))],
    ),
    (
        "two weak conditions",
        [
            C("Bool", "aws:SecureTransport", ("true",)),
            C("StringLike", "aws:SourceVpce", ("vpce-*",)),
        ],
    ),
]

# Conditions that do pin the caller: to one account, organization, source, endpoint, network.
PINNING: list[tuple[str, list[Condition]]] = [
    ("account", [C("StringEquals", "aws:SourceAccount", ("123456789012",))]),
    ("stack account", [C("StringEquals", "aws:SourceAccount", ("${?AWS::AccountId}",))]),
    ("organization", [C("StringEquals", "aws:PrincipalOrgID", ("o-a1b2c3d4e5",))]),
    ("org path", [C("ForAnyValue:StringLike", "aws:PrincipalOrgPaths", ("o-a1b2c3d4e5/*",))]),
    ("source resource", [C("ArnEquals", "aws:SourceArn", ("${Topic}",))]),
    ("objects of a stack bucket", [C("ArnLike", "aws:SourceArn", ("${Bucket.Arn}/*",))]),
    (
        "roles of one account",
        [C("ArnLike", "aws:PrincipalArn", ("arn:aws:iam::123456789012:role/*",))],
    ),
    ("one bucket", [C("ArnLike", "aws:SourceArn", ("arn:aws:s3:::orders-logs",))]),
    (
        "any region of one account, component by component",
        [C("ArnLike", "aws:SourceArn", ("arn:aws:sqs:*:123456789012:*",))],
    ),
    ("endpoint", [C("StringEquals", "aws:SourceVpce", ("vpce-0a1b2c3d4e5f60718",))]),
    ("endpoint, any set qualifier", [C("ForAnyValue:StringEquals", "aws:SourceVpce", ("vpce-1",))]),
    ("literal star", [C("StringEquals", "aws:SourceVpce", ("*",))]),
    ("office network", [C("IpAddress", "aws:SourceIp", ("203.0.113.0/24", "2001:db8::/48"))]),
    ("a /8", [C("IpAddress", "aws:SourceIp", ("10.0.0.0/8",))]),
    (
        "if exists, but required",
        [
            C("StringEqualsIfExists", "aws:SourceAccount", ("123456789012",)),
            C("Null", "aws:SourceAccount", ("false",)),
        ],
    ),
    (
        "one pin among weak conditions",
        [
            C("Bool", "aws:SecureTransport", ("true",)),
            C("StringEquals", "aws:PrincipalOrgID", ("o-a1b2c3d4e5",)),
        ],
    ),
    ("role session", [C("StringLike", "aws:userid", ("AROAEXAMPLEID:*",))]),
]

# Values only known at deployment: a literal comparison pins, a pattern may not.
UNDECIDED: list[tuple[str, list[Condition]]] = [
    ("pattern from a parameter", [C("StringLike", "aws:SourceVpce", ("${?parameter Endpoint}",))]),
    ("ARN pattern from output", [C("ArnLike", "aws:SourceArn", ("${?preview output}",))]),
    ("range from a parameter", [C("IpAddress", "aws:SourceIp", ("${?parameter Cidr}",))]),
    ("condition built at deployment", [C("${?condition}", "${?condition}", ())]),
]


@pytest.mark.parametrize(("name", "conditions"), HOSTILE, ids=[n for n, _ in HOSTILE])
def test_hostile_conditions_do_not_pin(name: str, conditions: list[Condition]) -> None:
    assert caller_limit(conditions, CALLER_KEYS).pin is Pin.NONE


@pytest.mark.parametrize(("name", "conditions"), PINNING, ids=[n for n, _ in PINNING])
def test_pinning_conditions(name: str, conditions: list[Condition]) -> None:
    limit = caller_limit(conditions, CALLER_KEYS)
    assert limit.pin is Pin.PINNED
    assert limit.why


@pytest.mark.parametrize(("name", "conditions"), UNDECIDED, ids=[n for n, _ in UNDECIDED])
def test_undecided_conditions(name: str, conditions: list[Condition]) -> None:
    assert caller_limit(conditions, CALLER_KEYS).pin is Pin.MAYBE


def test_a_literal_comparison_with_a_parameter_pins() -> None:
    condition = C("StringEquals", "aws:SourceAccount", ("${?parameter Trusted}",))
    assert caller_limit([condition], CALLER_KEYS).pin is Pin.PINNED


def test_external_id_pins_only_a_whole_account_trust() -> None:
    condition = [C("StringEquals", "sts:ExternalId", ("7f1c2d9e-orders",))]
    assert caller_limit(condition, ACCOUNT_TRUST_KEYS).pin is Pin.PINNED
    assert caller_limit(condition, CALLER_KEYS).pin is Pin.NONE


def test_private_api_keys() -> None:
    assert caller_limit([C("StringEquals", "aws:SourceAccount", ("1",))], VPC_KEYS).pin is Pin.NONE
    pinned = [C("StringEquals", "aws:SourceVpc", ("vpc-0a1b",))]
    assert caller_limit(pinned, VPC_KEYS).pin is Pin.PINNED


GITHUB = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"


@pytest.mark.parametrize(
    ("provider", "conditions", "pin"),
    [
        (
            GITHUB,
            [C("StringEquals", "token.actions.githubusercontent.com:aud", ("sts.amazonaws.com",))],
            Pin.NONE,
        ),
        (GITHUB, [C("StringLike", "token.actions.githubusercontent.com:sub", ("*",))], Pin.NONE),
        (
            GITHUB,
            [C("StringLike", "token.actions.githubusercontent.com:sub", ("repo:*",))],
            Pin.NONE,
        ),
        (
            GITHUB,
            [C("StringLike", "token.actions.githubusercontent.com:sub", ("repo:*/orders:*",))],
            Pin.NONE,
        ),
        (
            GITHUB,
            [C("StringLike", "token.actions.githubusercontent.com:sub", ("repo:org/*",))],
            Pin.PINNED,
        ),
        (
            GITHUB,
            [
                C(
                    "StringEquals",
                    "token.actions.githubusercontent.com:sub",
                    ("repo:org/app:ref:refs/heads/main",),
                )
            ],
            Pin.PINNED,
        ),
        (
            "cognito-identity.amazonaws.com",
            [C("StringEquals", "cognito-identity.amazonaws.com:aud", ("eu-west-1:1111",))],
            Pin.PINNED,
        ),
        (
            "cognito-identity.amazonaws.com",
            [C("StringLike", "cognito-identity.amazonaws.com:aud", ("*",))],
            Pin.NONE,
        ),
        (
            "cognito-identity.amazonaws.com",
            [C("ForAnyValue:StringLike", "cognito-identity.amazonaws.com:amr", ("authenticated",))],
            Pin.NONE,
        ),
        (
            "arn:aws:iam::1:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC",
            [
                C(
                    "StringLike",
                    "oidc.eks.eu-west-1.amazonaws.com/id/abc:sub",
                    ("system:serviceaccount:*",),
                )
            ],
            Pin.NONE,
        ),
        (
            "arn:aws:iam::1:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC",
            [
                C(
                    "StringLike",
                    "oidc.eks.eu-west-1.amazonaws.com/id/abc:sub",
                    ("system:serviceaccount:orders:*",),
                )
            ],
            Pin.PINNED,
        ),
        (
            "arn:aws:iam::1:oidc-provider/gitlab.example.com",
            [C("StringEquals", "gitlab.example.com:aud", ("https://gitlab.example.com",))],
            Pin.NONE,
        ),
        (
            "arn:aws:iam::1:oidc-provider/gitlab.example.com",
            [C("StringLike", "gitlab.example.com:sub", ("project_path:group/app:*",))],
            Pin.PINNED,
        ),
    ],
)
def test_identity_provider_claims(provider: str, conditions: list[Condition], pin: Pin) -> None:
    assert caller_limit(conditions, provider_keys(provider)).pin is pin


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=32), min_size=1, max_size=6))
def test_address_budget(prefixes: list[int]) -> None:
    """Ranges pin only while their union stays within a /8."""
    networks = [f"{(i * 37) % 256}.0.0.0/{p}" for i, p in enumerate(prefixes)]
    import ipaddress

    union = ipaddress.collapse_addresses(ipaddress.IPv4Network(n, strict=False) for n in networks)
    size = sum(n.num_addresses for n in union)
    assert addresses_pin(networks) is (size <= 2**24)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(
                [
                    "StringEquals",
                    "StringLike",
                    "ArnLike",
                    "StringNotEquals",
                    "Bool",
                    "Null",
                    "StringEqualsIfExists",
                    "ForAllValues:StringEquals",
                    "IpAddress",
                ]
            ),
            st.sampled_from(
                [
                    "aws:SourceAccount",
                    "aws:SourceArn",
                    "aws:SourceVpce",
                    "aws:SecureTransport",
                    "aws:SourceIp",
                    "aws:PrincipalTag/x",
                ]
            ),
            st.lists(
                st.sampled_from(
                    [
                        "*",
                        "?*",
                        "vpce-1",
                        "123456789012",
                        "0.0.0.0/0",
                        "arn:aws:s3:::b",
                        "arn:aws:s3:::*",
                        "true",
                        "false",
                        "10.0.0.0/8",
                    ]
                ),
                max_size=3,
            ),
        ),
        max_size=4,
    )
)
def test_adding_a_condition_never_opens(entries: list[tuple[str, str, list[str]]]) -> None:
    """Conditions are ANDed: adding one never makes a statement less limited, and the limit
    does not depend on their order."""
    conditions = [C(o, k, tuple(v)) for o, k, v in entries]
    limit = caller_limit(conditions, CALLER_KEYS).pin
    for index in range(len(conditions)):
        assert caller_limit(conditions[:index], CALLER_KEYS).pin <= limit
    assert caller_limit(list(reversed(conditions)), CALLER_KEYS).pin is limit
