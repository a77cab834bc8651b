"""Resource policies of keys, secrets and layers: the condition evaluator's hostile and pinning
tables hold for them as for buckets and queues; which action patterns grant every action of a
service; whose a principal is."""

from __future__ import annotations

import pytest
from test_conditions import HOSTILE, PINNING

from serverless_guard.catalog import BY_ID
from serverless_guard.catalog.access.resource_policy_no_wildcard_actions import OwnerAccounts
from serverless_guard.catalog.checks.accounts import Owner, principal_owner, statement_others
from serverless_guard.catalog.checks.iam_patterns import every_action_of
from serverless_guard.catalog.rule import Outcome
from serverless_guard.facts.graph import Graph
from serverless_guard.facts.policy import Condition, PolicyDocument, Principal, Statement
from serverless_guard.facts.resource_policy import PolicyService, ResourcePolicy
from serverless_guard.facts.value import Known

C = Condition
NOT_PUBLIC = BY_ID["resource-policy-not-public"]
NO_WILDCARD = BY_ID["resource-policy-no-wildcard-actions"]
OWN, OTHER = "123456789012", "111122223333"
SERVICES = (PolicyService.KMS, PolicyService.SECRETSMANAGER)

# Conditions on the account KMS says the caller is in, which only look restrictive.
KMS_HOSTILE: list[tuple[str, list[Condition]]] = [
    ("caller account if exists", [C("StringEqualsIfExists", "kms:CallerAccount", (OWN,))]),
    ("caller account negated", [C("StringNotEquals", "kms:CallerAccount", (OWN,))]),
    ("caller account wildcard", [C("StringLike", "kms:CallerAccount", ("*",))]),
    (
        "caller's own account",
        [C("StringEquals", "kms:CallerAccount", ("${aws:PrincipalAccount}",))],
    ),
    ("through a service", [C("StringEquals", "kms:ViaService", ("s3.us-east-1.amazonaws.com",))]),
]


def policy(service: PolicyService, *statements: Statement) -> ResourcePolicy:
    return ResourcePolicy(
        id="Policy",
        type="test",
        name="Policy",
        service=service,
        targets=("${Target}",),
        document=Known(PolicyDocument(statements)),
    )


def everyone(action: str, conditions: list[Condition]) -> Statement:
    return Statement(
        effect="Allow",
        actions=(action,),
        resources=("*",),
        principals=(Principal("AWS", "*"),),
        conditions=tuple(conditions),
    )


def outcome(rule_id: str, subject: ResourcePolicy, **params: object) -> Outcome:
    rule = BY_ID[rule_id]
    return rule.run(subject, Graph([subject]), rule.params(**params)).outcome


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize(
    ("name", "conditions"), HOSTILE + KMS_HOSTILE, ids=[n for n, _ in HOSTILE + KMS_HOSTILE]
)
def test_hostile_conditions_leave_keys_and_secrets_public(
    service: PolicyService, name: str, conditions: list[Condition]
) -> None:
    subject = policy(service, everyone(f"{service.value}:Describe*", conditions))
    assert outcome(NOT_PUBLIC.id, subject) is Outcome.FAIL
    every_action = policy(service, everyone(f"{service.value}:*", conditions))
    assert outcome(NO_WILDCARD.id, every_action, owner_accounts=(OWN,)) is Outcome.FAIL


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize(("name", "conditions"), PINNING, ids=[n for n, _ in PINNING])
def test_pinning_conditions_keep_keys_and_secrets_private(
    service: PolicyService, name: str, conditions: list[Condition]
) -> None:
    subject = policy(service, everyone(f"{service.value}:Describe*", conditions))
    assert outcome(NOT_PUBLIC.id, subject) is Outcome.PASS


def test_the_caller_account_pins_a_key_policy_only() -> None:
    """`kms:CallerAccount` is KMS's: elsewhere it is no caller key of the evaluator's."""
    pinned = [C("StringEquals", "kms:CallerAccount", (OWN,))]
    assert outcome(NOT_PUBLIC.id, policy(PolicyService.KMS, everyone("kms:Decrypt", pinned))) is (
        Outcome.PASS
    )
    secret = policy(PolicyService.SECRETSMANAGER, everyone("secretsmanager:Get*", pinned))
    assert outcome(NOT_PUBLIC.id, secret) is Outcome.FAIL


@pytest.mark.parametrize(
    ("action", "service", "every"),
    [
        ("*", "sqs", True),
        ("*:*", "sqs", True),
        ("sqs:*", "sqs", True),
        ("SQS:*", "sqs", True),
        ("Sqs:?*", "sqs", True),
        ("s*", "sqs", True),
        ("sqs*", "sqs", True),
        ("kms:*", "s3", True),  # every action of the service it names
        ("sqs:Send*", "sqs", False),
        ("sqs:SendMessage", "sqs", False),
        ("s3:*Object*", "s3", False),
        ("s3:Get*", "s3", False),
        ("sns:*Topic*", "sns", False),
        ("secretsmanager:*Secret*", "secretsmanager", False),
        ("lambda:GetLayerVersion", "lambda", False),
    ],
)
def test_every_action_of_a_service(action: str, service: str, every: bool) -> None:
    assert every_action_of(action, service) is every


@pytest.mark.parametrize(
    ("principal", "owners", "owner"),
    [
        (Principal("AWS", "${?AWS::AccountId}"), (), Owner.OWNER),
        (Principal("AWS", "arn:${?AWS::Partition}:iam::${?AWS::AccountId}:root"), (), Owner.OWNER),
        (Principal("AWS", "arn:aws:iam::${?AWS::AccountId}:role/admin"), (), Owner.OWNER),
        (Principal("AWS", "${AdminRole.Arn}"), (), Owner.OWNER),
        (Principal("AWS", f"arn:aws:iam::{OWN}:root"), (OWN,), Owner.OWNER),
        (Principal("AWS", OWN), (OWN,), Owner.OWNER),
        (Principal("AWS", f"arn:aws:iam::{OWN}:root"), (), Owner.UNDECIDED),
        (Principal("AWS", f"arn:aws:iam::{OTHER}:root"), (OWN,), Owner.OTHER),
        (Principal("AWS", OTHER), (OWN,), Owner.OTHER),
        (Principal("AWS", "${?parameter Admin}"), (OWN,), Owner.UNDECIDED),
        (Principal("AWS", "arn:aws:iam::${?parameter Account}:root"), (), Owner.UNDECIDED),
        (Principal("AWS", "arn:aws:iam::*:root"), (), Owner.OTHER),
        (Principal("AWS", "AROAEXAMPLEROLEID"), (OWN,), Owner.UNDECIDED),
        (Principal("Service", "logs.amazonaws.com"), (), Owner.OTHER),
        (Principal("Federated", "cognito-identity.amazonaws.com"), (), Owner.OTHER),
        (Principal("CanonicalUser", "79a59df900b949e55d96a1e698fbaced"), (), Owner.OTHER),
    ],
)
def test_whose_a_principal_is(principal: Principal, owners: tuple[str, ...], owner: Owner) -> None:
    assert principal_owner(principal, owners) is owner


@pytest.mark.parametrize(
    ("conditions", "others"),
    [
        ([], {"*": Owner.OTHER}),
        ([C("StringEquals", "aws:PrincipalAccount", ("${?AWS::AccountId}",))], {}),
        ([C("StringEquals", "kms:CallerAccount", (OWN,))], {}),
        ([C("StringEqualsIfExists", "kms:CallerAccount", (OWN,))], {"*": Owner.OTHER}),
        (
            [
                C("StringEqualsIfExists", "aws:PrincipalAccount", (OWN,)),
                C("Null", "aws:PrincipalAccount", ("false",)),
            ],
            {},
        ),
        ([C("StringEquals", "aws:PrincipalAccount", (OWN, OTHER))], {"*": Owner.OTHER}),
        ([C("StringNotEquals", "aws:PrincipalAccount", (OTHER,))], {"*": Owner.OTHER}),
        ([C("StringEquals", "aws:PrincipalOrgID", ("o-a1b2c3d4e5",))], {"*": Owner.OTHER}),
    ],
)
def test_everyone_is_the_owning_account_only_when_a_condition_fixes_it(
    conditions: list[Condition], others: dict[str, Owner]
) -> None:
    statement = Statement(
        effect="Allow", principals=(Principal("*", "*"),), conditions=tuple(conditions)
    )
    assert statement_others(statement, (OWN,)) == others


def test_owner_accounts_decide_literal_accounts() -> None:
    root = Statement(
        effect="Allow",
        actions=("kms:*",),
        resources=("*",),
        principals=(Principal("AWS", f"arn:aws:iam::{OWN}:root"),),
    )
    subject = policy(PolicyService.KMS, root)
    assert outcome(NO_WILDCARD.id, subject) is Outcome.UNKNOWN
    assert outcome(NO_WILDCARD.id, subject, owner_accounts=(OWN,)) is Outcome.PASS
    assert outcome(NO_WILDCARD.id, subject, owner_accounts=(OTHER,)) is Outcome.FAIL
    assert OwnerAccounts().owner_accounts == ()


@pytest.mark.parametrize(
    ("not_actions", "expected"),
    [
        (("sqs:DeleteQueue",), Outcome.FAIL),
        (("sqs:*",), Outcome.PASS),  # grants nothing of the queue's service
        (("*",), Outcome.PASS),
        (("${?parameter Excluded}",), Outcome.UNKNOWN),
    ],
)
def test_not_action_in_an_allow_grants_every_other_action(
    not_actions: tuple[str, ...], expected: Outcome
) -> None:
    statement = Statement(
        effect="Allow",
        not_actions=not_actions,
        resources=("*",),
        principals=(Principal("Service", "sns.amazonaws.com"),),
    )
    assert outcome(NO_WILDCARD.id, policy(PolicyService.SQS, statement)) is expected
