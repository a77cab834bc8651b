"""Whether a literal value written in a template looks like a secret, and what kind of one."""

from __future__ import annotations

import re

from serverless_guard.facts.nodes import RENDERED_PART

# Parts of a rendered value that are not literal text: CloudFormation dynamic references
# ({{resolve:...}}, resolved at deployment), references to stack resources (${Id}, ${Id.Attr})
# and deployment-time values (${?what}). They are masked before any check, so that only what is
# written in the template can be reported.
MASK = "\x00"
_DYNAMIC_REFERENCE = re.compile(r"\{\{resolve:(?:[^{}]|\{(?!\{)|\}(?!\}))*+\}\}")

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
        re.compile(
            r"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{10,}+\.eyJ[A-Za-z0-9_-]{10,}+\.[A-Za-z0-9_-]{10,}"
        ),
    ),
)
# Credentials inside connection strings: `scheme://user:password@host` and `Password=...;`.
# The password must be literal text (a masked part does not match).
_CREDENTIALS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "a URL with a password",
        re.compile(
            r"(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*+://[^:@/\s]*+:(?P<secret>[^@/\s\x00]++)@"
        ),
    ),
    (
        "a connection string with a password",
        re.compile(
            r"(?i)(?:^|[;?&\s])(?:password|passwd|pwd)\s*=\s*(?P<secret>[^;&\s\x00]++)(?=[;&\s]|$)"
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


def literal_text(value: str) -> str:
    """A rendered value with everything that is not literal text masked."""
    return RENDERED_PART.sub(MASK, _DYNAMIC_REFERENCE.sub(MASK, value))


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
