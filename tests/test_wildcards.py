"""The IAM wildcard matcher: agrees with a slow reference, and never backtracks."""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from serverless_guard.catalog.checks.iam_patterns import (
    action_on_every_resource,
    all_resources,
    service_resources,
)
from serverless_guard.catalog.checks.wildcards import (
    ANY_VALUE,
    glob_covers,
    glob_matches,
    matches_every,
    simulate,
)
from serverless_guard.catalog.iam.iam_passrole_scoped import every_role


def reference_match(pattern: str, text: str, *, text_is_pattern: bool = False) -> bool:
    """The textbook recursive definition (exponential without its cache): `*` matches any run,
    `?` one character; in a text that is itself a pattern, a `*` is matched only by a `*`, a
    `?` by a `*` or a `?`."""

    @cache
    def match(i: int, j: int) -> bool:
        if i == len(pattern):
            return j == len(text)
        item = pattern[i]
        if item == "*":
            return match(i + 1, j) or (j < len(text) and match(i, j + 1))
        if j == len(text):
            return False
        char = text[j]
        if text_is_pattern and char == "*":
            return False
        if item == "?" or item.lower() == char.lower():
            return (not text_is_pattern or char != "?" or item == "?") and match(i + 1, j + 1)
        return False

    return match(0, 0)


ALPHABET = st.sampled_from("ab:/*?")
PATTERNS = st.text(ALPHABET, max_size=12)
TEXTS = st.text(st.sampled_from("abAB:/"), max_size=16)


@settings(max_examples=600, deadline=None)
@given(PATTERNS, TEXTS)
def test_matches_like_the_reference(pattern: str, text: str) -> None:
    assert glob_matches(pattern, text) == reference_match(pattern, text)


@settings(max_examples=600, deadline=None)
@given(PATTERNS, st.text(ALPHABET, max_size=12))
def test_covers_like_the_reference(pattern: str, granted: str) -> None:
    expected = reference_match(pattern, granted, text_is_pattern=True)
    assert glob_covers(pattern, granted) == expected


@settings(max_examples=300, deadline=None)
@given(PATTERNS, st.text(ALPHABET, max_size=12), TEXTS)
def test_covering_is_sound(pattern: str, granted: str, text: str) -> None:
    """What a covering pattern covers, it matches."""
    if glob_covers(pattern, granted) and glob_matches(granted, text):
        assert glob_matches(pattern, text)


@settings(max_examples=300, deadline=None)
@given(PATTERNS, TEXTS)
def test_steps_are_linear(pattern: str, text: str) -> None:
    _, steps = simulate(pattern, text, ignore_case=True, text_is_pattern=False)
    assert steps <= len(text)


ADVERSARIAL = [
    # (pattern, text): each would take a backtracking matcher (a regex of `.*`) forever.
    ("*a" * 5_000, "a" * 10_000 + "b"),
    ("a*" * 5_000 + "b", "a" * 10_240),
    ("*" + "?" * 5_000 + "b", "a" * 10_240),
    ("arn:*:*:*:*:*" * 800, "arn:" * 2_560),
    ("*a*a*a*a*a*a*a*a*a*a*a*a*c", "a" * 10_240),
]


@pytest.mark.parametrize(("pattern", "text"), ADVERSARIAL, ids=range(len(ADVERSARIAL)))
def test_adversarial_inputs_take_one_step_per_character(pattern: str, text: str) -> None:
    matched, steps = simulate(pattern, text, ignore_case=True, text_is_pattern=False)
    assert not matched
    assert steps <= len(text)
    assert glob_covers(pattern, text) is False


def test_long_inputs_that_match() -> None:
    text = "x" * 10_240
    assert glob_matches("*x" * 5_000, text)
    assert glob_matches("x?" * 5_120, text)
    assert matches_every("*" * 10_000, ANY_VALUE)


def test_case_and_unicode() -> None:
    assert glob_matches("S3:Get*", "s3:getobject")
    assert not glob_matches("arn:aws:s3:::Bucket", "arn:aws:s3:::bucket", ignore_case=False)
    assert glob_matches("?", "İ")  # one character, whatever its lower case
    assert not glob_matches("??", "İ")


# Patterns judged by what they match: IAM's `*` crosses colons and slashes.
ALL_RESOURCES = [
    "*",
    "?*",
    "??*",
    "arn:*",
    "arn*",
    "a*",  # every ARN starts with an a
    "arn:aws:*",
    "arn:*:*:*:*:*",
    "arn:aws:*:*:*:*",
    "arn:aws:*:us-east-1:123456789012:*",
    "arn:\x00:*:\x00:\x00:*",
]
NOT_ALL_RESOURCES = [
    "arn:aws:s3:::*",
    "arn:aws:iam::*",
    "arn:aws:s3:::bucket/*",
    "arn:aws:dynamodb:*:*:table/orders",
    "arn:aws:*:*:*:table/orders-*",
    "b*",
    "",
    "arn:aws:sqs:*:*:*",
]


@pytest.mark.parametrize("resource", ALL_RESOURCES)
def test_all_resources(resource: str) -> None:
    assert all_resources(resource)


@pytest.mark.parametrize("resource", NOT_ALL_RESOURCES)
def test_not_all_resources(resource: str) -> None:
    assert not all_resources(resource)


EVERY_RESOURCE_OF_A_SERVICE = [
    ("s3", "arn:aws:s3:::*"),
    ("s3", "arn:aws:s3:::*/*"),
    ("s3", "arn:*:s3:*"),
    ("iam", "arn:aws:iam::*"),
    ("iam", "arn:aws:iam::*:role/*"),
    ("logs", "arn:aws:logs:*:*:*"),
    ("logs", "arn:aws:logs:*:*:log-group:*"),
    ("dynamodb", "arn:aws:dynamodb:*:*:table/*"),
    ("dynamodb", "arn:\x00:dynamodb:\x00:\x00:table/*"),
    ("lambda", "arn:aws:lambda:*:123456789012:function:*"),
    ("sqs", "arn:aws:sqs:*:*:*"),
]
SCOPED_WITHIN_A_SERVICE = [
    ("s3", "arn:aws:s3:::bucket/*"),
    ("s3", "arn:aws:s3:::bucket*"),
    ("s3", "arn:aws:iam::*"),
    ("dynamodb", "arn:aws:dynamodb:*:*:table/orders-*"),
    ("logs", "arn:aws:logs:*:*:log-group:/aws/lambda/*"),
    ("lambda", "arn:aws:lambda:*:123456789012:function:orders-*"),
    ("sqs", "arn:aws:sqs:*:*:orders"),
]


@pytest.mark.parametrize(("service", "resource"), EVERY_RESOURCE_OF_A_SERVICE)
def test_every_resource_of_a_service(service: str, resource: str) -> None:
    assert service_resources(resource, service)


@pytest.mark.parametrize(("service", "resource"), SCOPED_WITHIN_A_SERVICE)
def test_scoped_within_a_service(service: str, resource: str) -> None:
    assert not service_resources(resource, service)


@pytest.mark.parametrize(
    ("action", "resource", "expected"),
    [
        ("s3:PutObject", "arn:aws:s3:::*", True),
        ("s3:Put*", "arn:aws:s3:::*/*", True),
        ("*", "arn:aws:s3:::*", True),
        ("s*:Put*", "arn:aws:s3:::*", True),
        ("sqs:SendMessage", "arn:aws:s3:::*", False),
        ("iam:DeleteRole", "arn:aws:iam::*:role/*", True),
        ("s3:PutObject", "arn:aws:s3:::bucket/*", False),
    ],
)
def test_action_on_every_resource(action: str, resource: str, expected: bool) -> None:
    assert action_on_every_resource(action, resource) is expected


EVERY_ROLE = [
    "*",
    "arn:*",
    "arn:aws:iam::*",
    "arn:aws:iam::*:*",
    "arn:aws:iam::*:role/*",
    "arn:aws:iam::*:role*",
    "arn:aws:iam::*:*role/*",
    "arn:aws:iam::123456789012:*",
    "arn:aws:iam::123456789012:role/*",
    "arn:aws:iam::????????????:role/*",
    "arn:aws:*:*:*:*",
    "arn:aws:iam::\x00:role/*",
]
SCOPED_ROLES = [
    "arn:aws:iam::*:role/service-role/*",
    "arn:aws:iam::*:role/orders-*",
    "arn:aws:iam::123456789012:role/admin",
    "arn:aws:iam::*:user/*",
    "arn:aws:s3:::*",
    "arn:aws:iam::\x00:role/\x00",
]


@pytest.mark.parametrize("resource", EVERY_ROLE)
def test_every_role(resource: str) -> None:
    assert every_role(resource)


@pytest.mark.parametrize("resource", SCOPED_ROLES)
def test_scoped_roles(resource: str) -> None:
    assert not every_role(resource)


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("arn:aws*?/role"), max_size=24))
def test_every_role_means_it(resource: str) -> None:
    """A pattern judged to cover every role matches roles of any (long) name in some account."""
    if every_role(resource):
        for name in ("x" * 40, "path/" + "y" * 40):
            assert any(
                glob_matches(resource, f"arn:{p}:iam::{a}:role/{name}")
                for p in ("aws", "a" * 40)
                for a in ("123456789012", "", "\x00")
            ) or all_resources(resource)
