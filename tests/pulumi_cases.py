"""Policy pack cases: resources as the Pulumi engine sends them to the pack, a guard.json, and
the diagnostics expected back. The same table drives the pack in process (tests/test_pulumi_pack.py)
and over its Analyzer gRPC protocol (tests/test_pulumi_grpc.py).

A case lists resources (type, name, inputs, and the property dependencies the engine records
for inputs computed from other resources), the configuration, the policies it is about (`scope`)
and the diagnostics those policies must give: policy, resource name ("" for the stack),
enforcement level, and a text the message contains. Diagnostics of other policies are ignored,
so adding extractors or rules does not disturb a case. To cover a new resource type, add a case.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from google.protobuf import json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2

UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
UNKNOWN_NUMBER = "3eeb2bf0-c639-47a8-9e75-3b44932eb421"
STACK_URN_PREFIX = "urn:pulumi:dev::shop::"
# How the engine marshals secrets and archives (Pulumi's property signatures).
SIG = "4dabf18193072939515e22adb298388d"
SECRET = "1b47061264138c4ac30d75fd1eb44270"
ARCHIVE = "0def7320c3a5731c473e5ecbe6d01bc7"

LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
FUNCTION = "aws:lambda/function:Function"
KMS_KEY = "aws:kms/key:Key"
QUEUE = "aws:sqs/queue:Queue"
LOG_GROUP_POLICIES = frozenset({"logs-retention-set", "logs-group-encrypted"})
KEY_ARN = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"


@dataclass(frozen=True)
class Res:
    type: str
    name: str
    props: Mapping[str, Any] = field(default_factory=dict)
    deps: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # input -> resource names

    @property
    def urn(self) -> str:
        return f"{STACK_URN_PREFIX}{self.type}::{self.name}"


@dataclass(frozen=True)
class Expect:
    policy: str
    resource: str
    level: str
    text: str = ""


@dataclass(frozen=True)
class Case:
    id: str
    resources: tuple[Res, ...]
    expect: tuple[Expect, ...] = ()
    config: Mapping[str, Any] = field(default_factory=dict)
    scope: frozenset[str] = LOG_GROUP_POLICIES


@dataclass(frozen=True)
class Seen:
    policy: str
    resource: str
    level: str
    message: str
    request: str  # "analyze" or "stack"


def log_group(name: str, **props: Any) -> Res:
    return Res(LOG_GROUP, name, {"name": name, **props})


GOOD = {"retentionInDays": 365, "kmsKeyId": KEY_ARN}
EXEMPT = {"rule": "logs-retention-set", "urn": f"{STACK_URN_PREFIX}*::legacy-*"}
REASON = "Shipped to the archive account daily"

CASES: tuple[Case, ...] = (
    Case(
        "defaults: both log group rules fail, advisory",
        (log_group("app"),),
        (
            Expect("logs-retention-set", "app", "advisory", "keeps logs forever"),
            Expect("logs-group-encrypted", "app", "advisory", "not encrypted"),
        ),
    ),
    Case("a good log group passes", (log_group("app", **GOOD),)),
    Case(
        "all: mandatory",
        (log_group("app"),),
        (
            Expect("logs-retention-set", "app", "mandatory", "(at retentionInDays)"),
            Expect("logs-group-encrypted", "app", "mandatory"),
        ),
        {"all": "mandatory"},
    ),
    Case(
        "one rule disabled, its own entry wins over all",
        (log_group("app"),),
        (Expect("logs-retention-set", "app", "mandatory"),),
        {"all": "mandatory", "logs-group-encrypted": "disabled"},
    ),
    Case(
        "a short retention fails with the default minimum",
        (log_group("app", retentionInDays=30, kmsKeyId=KEY_ARN),),
        (Expect("logs-retention-set", "app", "advisory", "fewer than the 365 required"),),
    ),
    Case(
        "a parameter flips the verdict",
        (log_group("app", retentionInDays=30, kmsKeyId=KEY_ARN),),
        (),
        {"logs-retention-set": {"min_days": 30}},
    ),
    Case(
        "a maximum",
        (log_group("app", retentionInDays=3653, kmsKeyId=KEY_ARN),),
        (Expect("logs-retention-set", "app", "mandatory", "more than the 400 allowed"),),
        {"logs-retention-set": {"enforcementLevel": "mandatory", "max_days": 400}},
    ),
    Case(
        "an unknown is advisory under a mandatory rule",
        (log_group("app", retentionInDays=UNKNOWN_NUMBER, kmsKeyId=KEY_ARN),),
        (Expect("logs-retention-set", "app", "advisory", "unknown: "),),
        {"all": "mandatory"},
    ),
    Case(
        "strict_unknowns: an unknown blocks under a mandatory rule",
        (log_group("app", retentionInDays=UNKNOWN_NUMBER, kmsKeyId=KEY_ARN),),
        (Expect("logs-retention-set", "app", "mandatory", "(at retentionInDays)"),),
        {"all": "mandatory", "serverless-guard": {"strict_unknowns": True}},
    ),
    Case(
        "an unknown key counts as set; its dependency is a key of the stack",
        (
            Res(KMS_KEY, "logs-key", {"enableKeyRotation": True}),
            Res(
                LOG_GROUP,
                "app",
                {"name": "app", "retentionInDays": 365, "kmsKeyId": UNKNOWN_STRING},
                {"kmsKeyId": ("logs-key",)},
            ),
        ),
        (),
        {"all": "mandatory"},
    ),
    Case(
        "an exempted failure is advisory, with its reason",
        (log_group("legacy-app", kmsKeyId=KEY_ARN), log_group("app", kmsKeyId=KEY_ARN)),
        (
            Expect("logs-retention-set", "legacy-app", "advisory", f"exempted ({REASON}): "),
            Expect("logs-retention-set", "app", "mandatory", "keeps logs forever"),
        ),
        {"all": "mandatory", "serverless-guard": {"exemptions": [{**EXEMPT, "reason": REASON}]}},
    ),
    Case(
        "an expired exemption exempts nothing and is reported",
        (log_group("legacy-app", kmsKeyId=KEY_ARN),),
        (
            Expect("logs-retention-set", "legacy-app", "mandatory", "ignored: expired on 2020"),
            Expect("serverless-guard", "", "mandatory", "exemption #1"),
        ),
        {
            "all": "mandatory",
            "serverless-guard": {
                "exemptions": [{**EXEMPT, "reason": REASON, "expires": "2020-01-31"}]
            },
        },
        LOG_GROUP_POLICIES | {"serverless-guard"},
    ),
    Case(
        "an exemption valid through a future date exempts",
        (log_group("legacy-app", kmsKeyId=KEY_ARN),),
        (Expect("logs-retention-set", "legacy-app", "advisory", "exempted"),),
        {
            "all": "mandatory",
            "serverless-guard": {
                "exemptions": [{**EXEMPT, "reason": REASON, "expires": "2999-12-31"}]
            },
        },
        LOG_GROUP_POLICIES | {"serverless-guard"},
    ),
    Case(
        "an exemption with a short reason is mandatory even when its rule is advisory",
        (log_group("legacy-app", kmsKeyId=KEY_ARN),),
        (
            Expect("logs-retention-set", "legacy-app", "advisory", "needs a reason"),
            Expect("serverless-guard", "", "mandatory", "needs a reason of at least 10"),
        ),
        {"serverless-guard": {"exemptions": [{**EXEMPT, "reason": "legacy"}]}},
        LOG_GROUP_POLICIES | {"serverless-guard"},
    ),
    Case(
        "an exemption naming an unknown rule",
        (log_group("app", **GOOD),),
        (Expect("serverless-guard", "", "mandatory", "names unknown rule 'log-retention'"),),
        {
            "serverless-guard": {
                "exemptions": [{"rule": "log-retention", "urn": "*", "reason": REASON}]
            }
        },
        frozenset({"serverless-guard"}),
    ),
    Case(
        "a secret input is read through its envelope",
        (log_group("app", retentionInDays=365, kmsKeyId={SIG: SECRET, "value": KEY_ARN}),),
    ),
    Case(
        "a function with a code archive",
        (
            Res(
                FUNCTION,
                "legacy",
                {"name": "legacy", "runtime": "python3.8", "code": {SIG: ARCHIVE, "path": "."}},
            ),
        ),
        (Expect("lambda-runtime-supported", "legacy", "mandatory", "python3.8"),),
        scope=frozenset({"lambda-runtime-supported"}),
    ),
    Case(
        "a deprecated runtime blocks by default",
        (Res(FUNCTION, "legacy", {"name": "legacy", "runtime": "python3.8"}),),
        (Expect("lambda-runtime-supported", "legacy", "mandatory", "python3.8"),),
        scope=frozenset({"lambda-runtime-supported"}),
    ),
    Case(
        "all: advisory",
        (Res(FUNCTION, "legacy", {"name": "legacy", "runtime": "python3.8"}),),
        (Expect("lambda-runtime-supported", "legacy", "advisory", "python3.8"),),
        {"all": "advisory"},
        frozenset({"lambda-runtime-supported"}),
    ),
    Case(
        "a function's declared log group, named from the function (property dependency)",
        (
            Res(FUNCTION, "orders", {"name": "orders-1a2b3c4", "runtime": "python3.13"}),
            Res(
                LOG_GROUP,
                "orders-logs",
                {"name": "/aws/lambda/orders-1a2b3c4", "retentionInDays": 30},
                {"name": ("orders",)},
            ),
        ),
        (Expect("lambda-log-retention", "orders", "advisory", "fewer than the 365 required"),),
        scope=frozenset({"lambda-log-retention"}),
    ),
    Case(
        "another rule's parameter reaches a stack rule",
        (
            Res(FUNCTION, "orders", {"name": "orders-1a2b3c4", "runtime": "python3.13"}),
            Res(
                LOG_GROUP,
                "orders-logs",
                {"name": "/aws/lambda/orders-1a2b3c4", "retentionInDays": 30},
                {"name": ("orders",)},
            ),
        ),
        (),
        {"logs-retention-set": {"min_days": 30}},
        frozenset({"lambda-log-retention"}),
    ),
    Case(
        "preview: a log group named from a function Pulumi names, both unknown",
        (
            Res(FUNCTION, "orders", {"name": UNKNOWN_STRING, "runtime": "python3.13"}),
            Res(
                LOG_GROUP,
                "orders-logs",
                {"name": UNKNOWN_STRING, "retentionInDays": 365},
                {"name": ("orders",)},
            ),
        ),
        (),
        {"all": "mandatory"},
        frozenset({"lambda-log-retention"}),
    ),
    Case(
        "preview: a function's dead-letter queue, named in a nested input still unknown",
        (
            Res(
                FUNCTION,
                "orders",
                {"name": "orders-1a2b3c4", "deadLetterConfig": {"targetArn": UNKNOWN_STRING}},
                {"deadLetterConfig": ("orders-dlq",)},
            ),
            Res(QUEUE, "orders-dlq", {"name": UNKNOWN_STRING}),
            Res(QUEUE, "jobs", {"name": UNKNOWN_STRING}),
        ),
        (Expect("sqs-queue-dlq", "jobs", "advisory", "has no dead-letter queue"),),
        scope=frozenset({"sqs-queue-dlq"}),
    ),
    Case(
        "a function without a declared log group",
        (Res(FUNCTION, "orders", {"name": "orders-1a2b3c4", "runtime": "python3.13"}),),
        (Expect("lambda-log-retention", "orders", "mandatory", "does not declare"),),
        {"lambda-log-retention": "mandatory"},
        frozenset({"lambda-log-retention"}),
    ),
)


def _nested(depth: int) -> dict[str, Any]:
    value: dict[str, Any] = {"leaf": None}
    for _ in range(depth):
        value = {"a": [value]}
    return value


# Inputs of unexpected shapes: the pack answers (at worst with `error` diagnostics).
MALFORMED: tuple[Res, ...] = (
    Res(LOG_GROUP, "wrong-types", {"retentionInDays": {"days": [1]}, "kmsKeyId": [1], "name": 7}),
    log_group("bool", retentionInDays=True, kmsKeyId=False),
    log_group("text", retentionInDays="a year", kmsKeyId=""),
    log_group("negative", retentionInDays=-5, kmsKeyId=None),
    log_group("huge", retentionInDays=10**300, kmsKeyId="k" * 2_000_000),
    log_group("deep", tags=_nested(30), retentionInDays=_nested(30)),
    Res(LOG_GROUP, "nothing"),
    Res(FUNCTION, "odd-function", {"name": ["not", "a", "name"], "environment": "x"}),
    Res(FUNCTION, "odd-config", {"loggingConfig": 12, "vpcConfig": {"subnetIds": "s"}}),
    Res("aws:unknown/type:Type", "other", {"anything": {"at": "all"}}),
)


# --- what the engine sends -------------------------------------------------------------------


def struct(data: Mapping[str, Any]) -> struct_pb2.Struct:
    out = struct_pb2.Struct()
    out.update(dict(data))
    return out


def analyze_request(res: Res) -> analyzer_pb2.AnalyzeRequest:
    return analyzer_pb2.AnalyzeRequest(
        urn=res.urn, type=res.type, name=res.name, properties=struct(res.props)
    )


def stack_request(resources: Iterable[Res]) -> analyzer_pb2.AnalyzeStackRequest:
    resources = tuple(resources)
    urns = {r.name: r.urn for r in resources}
    out = []
    for res in resources:
        deps = {key: [urns[name] for name in names] for key, names in res.deps.items()}
        out.append(
            analyzer_pb2.AnalyzerResource(
                urn=res.urn,
                type=res.type,
                name=res.name,
                properties=struct(res.props),
                dependencies=sorted({u for urns_ in deps.values() for u in urns_}),
                propertyDependencies={
                    key: analyzer_pb2.AnalyzerPropertyDependencies(urns=value)
                    for key, value in deps.items()
                },
            )
        )
    return analyzer_pb2.AnalyzeStackRequest(resources=out)


LEVELS = {
    "advisory": analyzer_pb2.ADVISORY,
    "mandatory": analyzer_pb2.MANDATORY,
    "remediate": analyzer_pb2.REMEDIATE,
    "disabled": analyzer_pb2.DISABLED,
}


def level_name(level: int) -> str:
    return next(name for name, value in LEVELS.items() if value == level)


def engine_config(
    guard: Mapping[str, Any], info: analyzer_pb2.AnalyzerInfo
) -> dict[str, tuple[str, dict[str, Any]]]:
    """What the engine sends `Configure` for a `--policy-pack-config` file: every policy's level
    and properties, schema defaults filled in, `all` applied first, each policy's own entry
    last (as Pulumi's `ReconcilePolicyPackConfig` does)."""
    result: dict[str, tuple[str, dict[str, Any]]] = {}
    for policy in info.policies:
        schema = json_format.MessageToDict(policy.configSchema.properties)
        defaults = {k: v["default"] for k, v in schema.items() if "default" in v}
        result[policy.name] = (level_name(policy.enforcementLevel), defaults)
    given: dict[str, tuple[str | None, dict[str, Any]]] = {}
    for key, value in guard.items():
        if isinstance(value, str):
            given[key] = (value, {})
        else:
            props = dict(value)
            given[key] = (props.pop("enforcementLevel", None), props)
    if "all" in given and given["all"][0]:
        result = {name: (str(given["all"][0]), props) for name, (_, props) in result.items()}
    for key, (level, props) in given.items():
        old_level, old_props = result.get(key, ("", {}))
        result[key] = (level or old_level, {**old_props, **props})
    return result


def configure_request(
    guard: Mapping[str, Any], info: analyzer_pb2.AnalyzerInfo
) -> analyzer_pb2.ConfigureAnalyzerRequest:
    return analyzer_pb2.ConfigureAnalyzerRequest(
        policyConfig={
            name: analyzer_pb2.PolicyConfig(
                enforcementLevel=LEVELS[level], properties=struct(props)
            )
            for name, (level, props) in engine_config(guard, info).items()
        }
    )


# --- running a case ------------------------------------------------------------------------


class Driver(Protocol):
    def info(self) -> analyzer_pb2.AnalyzerInfo: ...
    def configure(self, request: analyzer_pb2.ConfigureAnalyzerRequest) -> None: ...
    def analyze(self, request: analyzer_pb2.AnalyzeRequest) -> analyzer_pb2.AnalyzeResponse: ...
    def analyze_stack(
        self, request: analyzer_pb2.AnalyzeStackRequest
    ) -> analyzer_pb2.AnalyzeResponse: ...


def observe(driver: Driver, resources: Iterable[Res], config: Mapping[str, Any]) -> list[Seen]:
    """Configure, then what `pulumi preview` asks: Analyze per resource, then AnalyzeStack."""
    resources = tuple(resources)
    names = {r.urn: r.name for r in resources}
    driver.configure(configure_request(config, driver.info()))
    seen: list[Seen] = []

    def add(response: analyzer_pb2.AnalyzeResponse, request: str) -> None:
        for d in response.diagnostics:
            seen.append(
                Seen(
                    d.policyName,
                    names.get(d.urn, d.urn),
                    level_name(d.enforcementLevel),
                    d.message,
                    request,
                )
            )

    for res in resources:
        add(driver.analyze(analyze_request(res)), "analyze")
    add(driver.analyze_stack(stack_request(resources)), "stack")
    return seen


def check(case: Case, seen: list[Seen]) -> None:
    relevant = [s for s in seen if s.policy in case.scope]
    got = Counter((s.policy, s.resource, s.level) for s in relevant)
    want = Counter((e.policy, e.resource, e.level) for e in case.expect)
    assert got == want, "\n".join(f"{s.policy} {s.resource} {s.level}: {s.message}" for s in seen)
    for expect in case.expect:
        messages = [
            s.message
            for s in relevant
            if (s.policy, s.resource, s.level) == (expect.policy, expect.resource, expect.level)
        ]
        assert any(expect.text in m for m in messages), (expect, messages)
