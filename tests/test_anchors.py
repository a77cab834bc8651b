"""Every rule's related controls are written as their tools write them: a Security Hub control
of the Foundational Security Best Practices standard as `Service.N`, a cdk-nag rule as
`<Pack>-<Name>` with one of cdk-nag's packs (a rule in no pack has no id a user can see or
acknowledge), a checkov check as `CKV_AWS_N` (or `CKV2_AWS_N` for its graph checks)."""

from __future__ import annotations

import re

import pytest

from serverless_guard.catalog import CATALOG
from serverless_guard.catalog.rule import Anchors, Rule

FSBP = re.compile(r"[A-Z][A-Za-z0-9]*\.[1-9][0-9]*")
CDK_NAG_PACKS = (
    "AwsSolutions",
    "Serverless",
    "HIPAA.Security",
    "NIST.800.53.R4",
    "NIST.800.53.R5",
    "PCI.DSS.321",
)
CDK_NAG = re.compile(rf"(?:{'|'.join(re.escape(p) for p in CDK_NAG_PACKS)})-[A-Z][A-Za-z0-9]*")
CHECKOV = re.compile(r"CKV2?_AWS_[1-9][0-9]*")
FORMS = {"fsbp": FSBP, "cdk_nag": CDK_NAG, "checkov": CHECKOV}


def malformed(anchors: Anchors) -> list[str]:
    """The ids of `anchors` not in their tool's form, and ids listed twice."""
    wrong = []
    for tool, form in FORMS.items():
        ids: tuple[str, ...] = getattr(anchors, tool)
        wrong += [f"{tool}: {i!r}" for i in ids if not form.fullmatch(i)]
        wrong += [f"{tool}: {i!r} twice" for i in sorted(set(ids)) if ids.count(i) > 1]
    return wrong


@pytest.mark.parametrize("rule", CATALOG, ids=[r.id for r in CATALOG])
def test_anchor_ids_have_their_tools_form(rule: Rule) -> None:
    assert malformed(rule.anchors) == []


@pytest.mark.parametrize(
    ("anchors", "problem"),
    [
        (Anchors(fsbp=("Lambda3",)), "fsbp: 'Lambda3'"),
        (Anchors(fsbp=("lambda.1",)), "fsbp: 'lambda.1'"),
        (Anchors(cdk_nag=("LambdaFunctionUrlAuth",)), "cdk_nag: 'LambdaFunctionUrlAuth'"),
        (Anchors(cdk_nag=("AwsSolutions-",)), "cdk_nag: 'AwsSolutions-'"),
        (
            Anchors(cdk_nag=("NIST.800.53-IAMNoInlinePolicy",)),
            "cdk_nag: 'NIST.800.53-IAMNoInlinePolicy'",
        ),
        (Anchors(checkov=("CKV_AWS_07",)), "checkov: 'CKV_AWS_07'"),
        (Anchors(checkov=("CKV_AZURE_1",)), "checkov: 'CKV_AZURE_1'"),
        (Anchors(checkov=("CKV_AWS_7", "CKV_AWS_7")), "checkov: 'CKV_AWS_7' twice"),
    ],
)
def test_a_malformed_anchor_is_named(anchors: Anchors, problem: str) -> None:
    assert malformed(anchors) == [problem]


def test_well_formed_anchors_pass() -> None:
    anchors = Anchors(
        fsbp=("APIGateway.8", "SQS.3"),
        cdk_nag=("HIPAA.Security-LambdaDLQ", "NIST.800.53.R5-LambdaConcurrency"),
        checkov=("CKV_AWS_33", "CKV2_AWS_57"),
    )
    assert malformed(anchors) == []
