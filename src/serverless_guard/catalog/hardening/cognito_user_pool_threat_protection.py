from __future__ import annotations

from serverless_guard.catalog.fix import Fix
from serverless_guard.catalog.rule import (
    Anchors,
    Domain,
    Remediation,
    Severity,
    Verdict,
    failed,
    passed,
    rule,
    unknown,
)
from serverless_guard.facts.cognito import UserPool
from serverless_guard.facts.value import Known, Unknown

ENFORCE = Fix.set(UserPool, "threat_protection", "ENFORCED").also(UserPool, "tier", "PLUS")


@rule(
    id="cognito-user-pool-threat-protection",
    title="Cognito user pools block risky sign-ins with threat protection in enforced mode",
    severity=Severity.MEDIUM,
    domain=Domain.HARDENING,
    rationale=(
        "Threat protection (formerly advanced security features, part of the Plus feature "
        "plan) scores every sign-in for risk (a new device or place, an IP address seen in "
        "attacks, a password found in public leaks) and, in enforced mode, blocks the sign-in "
        "or asks for MFA. Audit mode only records the risk; without it credential stuffing "
        "and compromised passwords go through."
    ),
    remediation=Remediation(
        cdk="Set `feature_plan=cognito.FeaturePlan.PLUS` and "
        "`standard_threat_protection_mode=cognito.StandardThreatProtectionMode.FULL_FUNCTION` "
        "on `cognito.UserPool` (SecureUserPool does this).",
        pulumi="Set `user_pool_tier='PLUS'` and `user_pool_add_ons={'advanced_security_mode': "
        "'ENFORCED'}` on `aws.cognito.UserPool`.",
        cloudformation="Set `UserPoolTier: PLUS` and `UserPoolAddOns: {AdvancedSecurityMode: "
        "ENFORCED}` on `AWS::Cognito::UserPool`.",
    ),
    references=(
        "https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-settings-threat-protection.html",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/cognito-controls.html#cognito-1",
    ),
    anchors=Anchors(fsbp=("Cognito.1",), cdk_nag=("AwsSolutions-COG8",)),
    fixes=(ENFORCE,),
)
def cognito_user_pool_threat_protection(pool: UserPool) -> Verdict:
    match pool.threat_protection:
        case Known(value=mode) if mode.strip().upper() == "ENFORCED":
            return passed()
        case Unknown() as u:
            return unknown(u)
        case Known(value=mode) if mode.strip().upper() == "AUDIT":
            return failed(
                f"user pool {pool.name} only audits risky sign-ins (threat protection in audit "
                "mode)",
                at=pool.threat_protection,
                fix=ENFORCE,
            )
    return failed(
        f"user pool {pool.name} has no threat protection against risky sign-ins (which needs "
        "the Plus feature plan)",
        at=pool.threat_protection,
        fix=ENFORCE,
    )
