from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from serverless_guard.catalog.checks.stages import covers_all_methods
from serverless_guard.catalog.fix import Fix
from serverless_guard.catalog.params import NoParams
from serverless_guard.catalog.rule import (
    Anchors,
    Context,
    Domain,
    Outcome,
    Remediation,
    Severity,
    Verdict,
    failed,
    not_applicable,
    passed,
    rule,
    unknown,
)
from serverless_guard.facts.apigw import ApiKind, MethodSetting, Stage, method_settings_of
from serverless_guard.facts.value import Absent, Known, Unknown, Value

ENCRYPT_CACHE = Fix.set(MethodSetting, "cache_encrypted", True)


@dataclass(frozen=True, slots=True)
class _Effective:
    """The caching and cache encryption a method setting ends up with."""

    where: str
    caching: Value[bool]
    encrypted: Value[bool]


def _last_set(values: Iterable[Value[bool]]) -> Value[bool]:
    """The stage-wide value of a setting: the last `*/*` setting that sets it."""
    out: Value[bool] = Absent()
    for value in values:
        if not isinstance(value, Absent):
            out = value
    return out


def _effective(settings: Sequence[MethodSetting]) -> list[_Effective]:
    defaults = [s for s in settings if covers_all_methods(s)]
    caching = _last_set(s.caching for s in defaults)
    encrypted = _last_set(s.cache_encrypted for s in defaults)
    # With a cache cluster, API Gateway caches GET methods unless told otherwise.
    if isinstance(caching, Absent):
        stage_wide = _Effective("GET methods (cached by default)", Known(True), encrypted)
    else:
        stage_wide = _Effective("all methods", caching, encrypted)
    out = [stage_wide]
    for setting in settings:
        if covers_all_methods(setting):
            continue
        own = setting.caching
        if isinstance(own, Absent):
            own = caching
            if isinstance(own, Absent):
                own = Known(setting.http_method.upper() == "GET")
        out.append(
            _Effective(
                f"{setting.http_method} {setting.resource_path}",
                own,
                encrypted
                if isinstance(setting.cache_encrypted, Absent)
                else setting.cache_encrypted,
            )
        )
    return out


def _problem(effective: _Effective) -> Verdict | None:
    """A failing or unknown verdict for one method setting, or None when it is fine."""
    match effective.caching:
        case Known(value=False):
            return None
        case Unknown() as u:
            if not isinstance(effective.encrypted, Known) or effective.encrypted.value is not True:
                return unknown(u)
            return None
    match effective.encrypted:
        case Known(value=True):
            return None
        case Unknown() as u:
            return unknown(u)
    return failed(f"the cache of {effective.where} is not encrypted", at=effective.encrypted)


@rule(
    id="apigw-cache-encrypted",
    title="API Gateway stage caches are encrypted",
    severity=Severity.MEDIUM,
    domain=Domain.ENCRYPTION,
    rationale=(
        "A REST API stage with a cache cluster keeps responses (GET methods by default) in a "
        "cache that is not encrypted unless its method settings say so. Those responses often "
        "hold the very data the API protects; encrypting the cache keeps them encrypted at "
        "rest like the backends they come from."
    ),
    remediation=Remediation(
        cdk="Set `cache_data_encrypted=True` in the stage's `deploy_options` (or in each "
        "method option that enables caching).",
        pulumi="Declare `aws.apigateway.MethodSettings` for `*/*` with "
        "`settings={'caching_enabled': True, 'cache_data_encrypted': True}`.",
        cloudformation="Add a `MethodSettings` entry with `ResourcePath: '/*'`, "
        "`HttpMethod: '*'` and `CacheDataEncrypted: true` on the stage (SAM: the API's "
        "`MethodSettings`).",
    ),
    references=(
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html",
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/data-protection-encryption.html",
    ),
    anchors=Anchors(
        fsbp=("APIGateway.5",),
        cdk_nag=(
            "NIST.800.53.R5-APIGWCacheEnabledAndEncrypted",
            "PCI.DSS.321-APIGWCacheEnabledAndEncrypted",
        ),
        checkov=("CKV_AWS_308",),
    ),
    fixes=(ENCRYPT_CACHE,),
)
def apigw_cache_encrypted(stage: Stage, ctx: Context[NoParams]) -> Verdict:
    if stage.api_kind is not ApiKind.REST:
        return not_applicable("HTTP and WebSocket APIs have no cache")
    cluster_unknown: Unknown | None = None
    match stage.cache_cluster:
        case Absent() | Known(value=False):
            return not_applicable("the stage has no cache cluster")
        case Unknown() as u:
            cluster_unknown = u
    listed_settings = method_settings_of(stage, ctx.graph)
    match listed_settings:
        case Unknown() as u:
            return unknown(u)
        case Known(value=listed):
            settings: Sequence[MethodSetting] = listed
        case Absent():
            settings = ()
    problems = [p for p in map(_problem, _effective(settings)) if p is not None]
    failure = next((p for p in problems if p.outcome is Outcome.FAIL), None)
    if failure is not None and cluster_unknown is not None:
        return unknown(cluster_unknown)
    if failure is not None:
        return failed(
            f"stage {stage.name} has a cache cluster but {failure.message}",
            at=failure.at or listed_settings,
            fix=ENCRYPT_CACHE,
        )
    if problems:
        return problems[0]
    return passed()
