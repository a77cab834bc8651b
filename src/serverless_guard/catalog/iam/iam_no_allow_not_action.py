from __future__ import annotations

from serverless_guard.catalog.checks.iam_statements import (
    Breach,
    allowing,
    document_of,
    subject_label,
    verdict_of,
)
from serverless_guard.catalog.rule import (
    Anchors,
    Domain,
    Remediation,
    Severity,
    Verdict,
    rule,
)
from serverless_guard.facts.iam import IdentityPolicy


@rule(
    id="iam-no-allow-not-action",
    title="Identity policies allow listed actions on listed resources (no NotAction or "
    "NotResource in Allow)",
    severity=Severity.HIGH,
    domain=Domain.IAM,
    rationale=(
        "An Allow statement with NotAction grants every action except the listed ones, "
        "including every action AWS adds later; with NotResource it grants on every resource "
        "except the listed ones. Both read like restrictions and grant almost everything. "
        "NotAction and NotResource belong in Deny statements."
    ),
    remediation=Remediation(
        cdk="Build `iam.PolicyStatement` with `actions=` and `resources=`; keep "
        "`not_actions`/`not_resources` for `effect=iam.Effect.DENY`.",
        pulumi="Use `Action` and `Resource` in Allow statements; keep `NotAction` and "
        "`NotResource` for Deny statements.",
        cloudformation="Replace `NotAction`/`NotResource` in Allow statements with `Action`/"
        "`Resource` lists, or turn the statement into a Deny.",
    ),
    references=(
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html",
    ),
    anchors=Anchors(),
)
def iam_no_allow_not_action(policy: IdentityPolicy) -> Verdict:
    document = document_of(policy)
    if isinstance(document, Verdict):
        return document
    breaches = []
    for statement, allows in allowing(document):
        items = tuple(f"NotAction: {a}" for a in statement.not_actions) + tuple(
            f"NotResource: {r}" for r in statement.not_resources
        )
        if items:
            breaches.append(Breach(statement, items, allows))
    return verdict_of(
        subject_label(policy),
        breaches,
        "(so it grants everything except what is listed)",
        "list the allowed actions and resources, or make the statement a Deny",
        verb="allows",
    )
