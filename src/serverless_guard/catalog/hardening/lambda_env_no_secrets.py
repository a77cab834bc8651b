from __future__ import annotations

import re
from dataclasses import dataclass

from serverless_guard.catalog.params import ParamError, param
from serverless_guard.catalog.rule import (
    Anchors,
    Context,
    Domain,
    Remediation,
    Severity,
    Verdict,
    failed,
    not_applicable,
    passed,
    rule,
    unknown,
)
from serverless_guard.facts.lambda_ import Function
from serverless_guard.facts.value import Absent, Known, Unknown

# Parts of a rendered value that are not literal text: CloudFormation dynamic references
# ({{resolve:...}}, resolved at deployment), references to stack resources (${Id}, ${Id.Attr})
# and deployment-time values (${?what}). They are masked before any check, so that only what is
# written in the template can be reported.
MASK = "\x00"
_DYNAMIC_REFERENCE = re.compile(r"\{\{resolve:(?:[^}]|\}(?!\}))*\}\}")
_RENDERED_PART = re.compile(r"\$\{[^}]*\}")

# Values whose shape gives them away, whatever the variable's name.
_SHAPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("an AWS access key id", re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])")),
    ("a private key", re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----")),
    (
        "a GitHub token",
        re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})"),
    ),
    ("a GitLab token", re.compile(r"\bglpat-[A-Za-z0-9_-]{20,}")),
    ("a Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    (
        "a Slack webhook URL",
        re.compile(r"hooks\.slack\.com/services/T[A-Za-z0-9_]+/B[A-Za-z0-9_]+/[A-Za-z0-9_]+"),
    ),
    ("a Stripe secret key", re.compile(r"\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}")),
    ("a Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}")),
    ("an npm token", re.compile(r"\bnpm_[A-Za-z0-9]{36}")),
    ("a SendGrid API key", re.compile(r"\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}")),
    (
        "a JSON web token",
        re.compile(r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}"),
    ),
)
# Credentials inside connection strings: `scheme://user:password@host` and `Password=...;`.
# The password must be literal text (a masked part does not match).
_CREDENTIALS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "a URL with a password",
        re.compile(r"\b[A-Za-z][A-Za-z0-9+.-]*://[^:@/\s]*:(?P<secret>[^@/\s\x00]+)@"),
    ),
    (
        "a connection string with a password",
        re.compile(
            r"(?i)(?:^|[;?&\s])(?:password|passwd|pwd)\s*=\s*(?P<secret>[^;&\s\x00]+)(?=[;&\s]|$)"
        ),
    ),
)
_AWS_SECRET_KEY = re.compile(r"^[A-Za-z0-9/+]{40}$")

# Variable names that announce a secret: the name ends with one of these words (ignoring a
# trailing word such as VALUE). Names that end otherwise (DB_PASSWORD_ARN, TOKEN_TABLE,
# SECRET_NAME, API_KEY_HEADER) name something about a secret, not the secret itself.
_SECRET_ENDINGS: frozenset[tuple[str, ...]] = frozenset(
    {
        *((word,) for word in ("PASSWORD", "PASSWD", "PASSPHRASE", "PWD", "PASS", "SECRET")),
        *((word,) for word in ("SECRETS", "TOKEN", "TOKENS", "APIKEY", "CREDENTIAL")),
        *((word,) for word in ("CREDENTIALS", "CREDS", "PRIVATEKEY", "SECRETKEY", "ACCESSKEY")),
        *(
            (word, "KEY")
            for word in ("API", "PRIVATE", "SECRET", "ACCESS", "AUTH", "SIGNING", "MASTER", "HMAC")
        ),
    }
)
_VALUE_WORDS = frozenset({"VALUE", "PLAIN", "PLAINTEXT", "RAW", "B64", "BASE64", "HEX", "STRING"})

# Literal values that cannot be a secret under a secret's name.
_PLACEHOLDER = re.compile(
    r"(?i)^(?:<[^<>]*>|\{[^{}]*\}|\[[^\[\]]*\]|%[^%]*%|\*+|x+|\.+|-+|#+|"
    r"none|null|nil|n/?a|undefined|unset|empty|todo|tbd|fixme|placeholder|dummy|redacted|"
    r"your[-_ ]?\w*)$"
)
_FLAG = frozenset({"true", "false", "yes", "no", "on", "off", "enabled", "disabled"})
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
# `prod/db/credentials`: the name of a secret or parameter, not its content.
_RESOURCE_NAME = re.compile(r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*(?:/[a-z0-9]+(?:[-_.][a-z0-9]+)*)+$")


@dataclass(frozen=True, slots=True)
class SecretParams:
    extra_patterns: tuple[str, ...] = param(
        [],
        "Regular expressions (Python syntax) of further secret values; a variable whose value "
        "contains a match fails. An invalid expression is a configuration error.",
    )

    def __post_init__(self) -> None:
        for index, pattern in enumerate(self.extra_patterns):
            try:
                re.compile(pattern)
            except re.error as err:
                raise ParamError(
                    f"extra_patterns[{index}] is not a valid regular expression: {err}"
                ) from None


def literal_text(value: str) -> str:
    """A rendered value with everything that is not literal text masked."""
    return _RENDERED_PART.sub(MASK, _DYNAMIC_REFERENCE.sub(MASK, value))


def _words(name: str) -> list[str]:
    spaced = re.sub(r"([a-z0-9])([A-Z])|([A-Z])([A-Z][a-z])", r"\1\3_\2\4", name)
    return [word for word in re.split(r"[^A-Za-z0-9]+", spaced.upper()) if word]


def is_secret_name(name: str) -> bool:
    words = _words(name)
    while len(words) > 1 and (words[-1] in _VALUE_WORDS or words[-1].isdigit()):
        words.pop()
    if words:
        words[-1] = words[-1].rstrip("0123456789") or words[-1]  # TOKEN2
    return tuple(words[-1:]) in _SECRET_ENDINGS or tuple(words[-2:]) in _SECRET_ENDINGS


def _could_be_secret(text: str) -> bool:
    """Whether a fully literal value could be a secret, knowing its name announces one."""
    value = text.strip()
    return not (
        not value
        or _PLACEHOLDER.match(value)
        or value.lower() in _FLAG
        or _NUMBER.match(value)
        or value.startswith(("arn:", "/"))
        or _URL.match(value)
        or _RESOURCE_NAME.match(value)
    )


def secret_kind(name: str, value: str, extra: tuple[re.Pattern[str], ...] = ()) -> str | None:
    """What the variable's literal value looks like, when it looks like a secret; else None.
    The answer never contains the value."""
    text = literal_text(value)
    for kind, pattern in _SHAPES:
        if pattern.search(text):
            return kind
    for kind, pattern in _CREDENTIALS:
        for match in pattern.finditer(text):
            if not _PLACEHOLDER.match(match.group("secret")):
                return kind
    for index, pattern in enumerate(extra):
        if pattern.search(text):
            return f"matches extra_patterns[{index}]"
    if MASK in text or not is_secret_name(name) or not _could_be_secret(text):
        return None
    if _AWS_SECRET_KEY.match(text.strip()):
        return "looks like an AWS secret access key"
    return "a value written in the template under a secret's name"


@rule(
    id="lambda-env-no-secrets",
    title="Lambda environment variables hold no literal secrets",
    severity=Severity.HIGH,
    domain=Domain.HARDENING,
    rationale=(
        "Environment variables are part of the function's configuration: anyone allowed "
        "lambda:GetFunctionConfiguration reads them in clear text, and a secret written in the "
        "template also lives in source control, in the deployed template and in every "
        "synthesized artifact, and cannot be rotated without a deployment. Keep secrets in "
        "Secrets Manager or Parameter Store and read them at run time."
    ),
    remediation=Remediation(
        cdk="Store the secret in `secretsmanager.Secret`, pass its ARN "
        "(`environment={'DB_SECRET_ARN': secret.secret_arn}`), call `secret.grant_read(fn)` "
        "and read it at run time (for example with the Parameters and Secrets Lambda "
        "extension).",
        pulumi="Create an `aws.secretsmanager.Secret` (mark inputs with `pulumi.Output.secret`), "
        "pass its ARN in the environment, grant secretsmanager:GetSecretValue to the role and "
        "read it at run time.",
        cloudformation="Replace the literal with the ARN or name of an "
        "`AWS::SecretsManager::Secret` (`!Ref DbSecret`) read at run time, or at least with a "
        "dynamic reference such as `{{resolve:secretsmanager:db:SecretString:password}}`.",
    ),
    references=(
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html",
        "https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html",
    ),
    params=SecretParams,
    anchors=Anchors(checkov=("CKV_AWS_45",)),
)
def lambda_env_no_secrets(fn: Function, ctx: Context[SecretParams]) -> Verdict:
    match fn.environment:
        case Absent():
            return not_applicable("no environment variables")
        case Known(value=variables) if not variables:
            return not_applicable("no environment variables")
        case Unknown() as u:
            return unknown(u)
        case Known(value=variables):
            pass
    extra = tuple(re.compile(pattern) for pattern in ctx.params.extra_patterns)
    found = [
        (name, kind)
        for name, value in variables.items()
        if (kind := secret_kind(name, value, extra)) is not None
    ]
    if not found:
        return passed()
    listed = ", ".join(f"{name} ({kind})" for name, kind in found)
    return failed(
        f"function {fn.name} has environment variables that hold literal secrets: {listed}; "
        "keep secrets in Secrets Manager or Parameter Store (SecureString) and pass their name "
        "or ARN instead",
        at=(*fn.environment.at, found[0][0]),
    )
