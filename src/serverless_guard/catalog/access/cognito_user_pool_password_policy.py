from __future__ import annotations

from dataclasses import dataclass

from serverless_guard.catalog.fix import Fix
from serverless_guard.catalog.params import param
from serverless_guard.catalog.rule import (
    Anchors,
    Context,
    Domain,
    Remediation,
    Severity,
    Verdict,
    failed,
    passed,
    rule,
    unknown,
)
from serverless_guard.facts.cognito import PasswordPolicy, UserPool
from serverless_guard.facts.value import Absent, Known, Path, Unknown

COGNITO_DEFAULT_LENGTH = 8
"""Cognito's default password policy: 8 characters, with every character class required."""


@dataclass(frozen=True, slots=True)
class PasswordParams:
    min_length: int = param(12, "The shortest minimum password length that passes (6 to 99).")
    require_lowercase: bool = param(True, "Passwords must require a lowercase letter.")
    require_uppercase: bool = param(True, "Passwords must require an uppercase letter.")
    require_numbers: bool = param(True, "Passwords must require a number.")
    require_symbols: bool = param(True, "Passwords must require a symbol.")


_CLASSES = (
    ("require_lowercase", "a lowercase letter"),
    ("require_uppercase", "an uppercase letter"),
    ("require_numbers", "a number"),
    ("require_symbols", "a symbol"),
)
"""The character-class fields of a password policy (and of the parameters), and what each
requires."""
STRONG = Fix.set(PasswordPolicy, "minimum_length", PasswordParams().min_length)
for _field, _ in _CLASSES:
    STRONG = STRONG.also(PasswordPolicy, _field, True)


def _required(params: PasswordParams) -> list[tuple[str, str]]:
    """The character classes the parameters require: (field, what it requires)."""
    return [(field, what) for field, what in _CLASSES if getattr(params, field)]


def _fix(length: int | None, classes: list[str]) -> Fix | None:
    """Set the minimum length (when `length`) and require the classes."""
    settings = [(PasswordPolicy, "minimum_length", length)] if length is not None else []
    settings += [(PasswordPolicy, field, True) for field in classes]
    if not settings:
        return None
    kind, field, value = settings[0]
    fix = Fix.set(kind, field, value)
    for kind, field, value in settings[1:]:
        fix = fix.also(kind, field, value)
    return fix


@rule(
    id="cognito-user-pool-password-policy",
    title="Cognito user pools require long passwords with the required character classes",
    severity=Severity.LOW,
    domain=Domain.NETWORK,
    rationale=(
        "Short passwords fall to guessing and to credential stuffing; length is what makes a "
        "password hard to guess. Cognito's default policy asks for 8 characters with a "
        "lowercase and an uppercase letter, a number and a symbol; this rule asks for at least "
        "`min_length` (12) characters and the character classes its parameters require (all "
        "four by default, as Cognito's default and AWS Security Hub do; teams that follow NIST "
        "SP 800-63B, which favours length over composition rules, can turn them off). A "
        "requirement left out of a written policy is not required."
    ),
    remediation=Remediation(
        cdk="Set `password_policy=cognito.PasswordPolicy(min_length=12, require_lowercase=True, "
        "require_uppercase=True, require_digits=True, require_symbols=True)` on "
        "`cognito.UserPool` (SecureUserPool does this).",
        pulumi="Set `password_policy={'minimum_length': 12, 'require_lowercase': True, "
        "'require_uppercase': True, 'require_numbers': True, 'require_symbols': True}` on "
        "`aws.cognito.UserPool`.",
        cloudformation="Set `Policies.PasswordPolicy` with `MinimumLength: 12` and "
        "`RequireLowercase`, `RequireUppercase`, `RequireNumbers`, `RequireSymbols: true` on "
        "`AWS::Cognito::UserPool`.",
    ),
    references=(
        "https://docs.aws.amazon.com/cognito/latest/developerguide/managing-users-passwords.html",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/cognito-controls.html#cognito-3",
    ),
    params=PasswordParams,
    anchors=Anchors(fsbp=("Cognito.3",), cdk_nag=("AwsSolutions-COG1",)),
    fixes=(STRONG,),
)
def cognito_user_pool_password_policy(pool: UserPool, ctx: Context[PasswordParams]) -> Verdict:
    params = ctx.params
    required = _required(params)
    match pool.password_policy:
        case Unknown() as u:
            return unknown(u)
        case Absent():
            if params.min_length <= COGNITO_DEFAULT_LENGTH:
                return passed(f"Cognito's default policy ({COGNITO_DEFAULT_LENGTH} characters)")
            return failed(
                f"user pool {pool.name} has Cognito's default password policy, which accepts "
                f"passwords of {COGNITO_DEFAULT_LENGTH} characters",
                at=pool.password_policy,
                fix=_fix(params.min_length, [field for field, _ in required]),
            )
        case Known(value=policy):
            pass
    problems: list[str] = []
    first_at: Path | None = None
    undecided: Unknown | None = None
    length: int | None = None
    match policy.minimum_length:
        case Known(value=found) if found < params.min_length:
            problems.append(f"accepts passwords of {found} characters")
            first_at, length = policy.minimum_length.at, params.min_length
        case Absent():
            problems.append("sets no minimum length")
            first_at, length = policy.minimum_length.at, params.min_length
        case Unknown() as u:
            undecided = u
    missing: list[tuple[str, str]] = []
    for field, what in required:
        value = getattr(policy, field)
        match value:
            case Unknown() as u:
                undecided = undecided or u
            case Known(value=True):
                pass
            case _:
                missing.append((field, what))
                first_at = first_at or value.at
    if missing:
        problems.append(f"does not require {' or '.join(what for _, what in missing)}")
    if problems:
        return failed(
            f"the password policy of user pool {pool.name} {' and '.join(problems)}",
            at=first_at,
            fix=_fix(length, [field for field, _ in missing]),
        )
    if undecided is not None:
        return unknown(undecided)
    return passed()
