"""`ServerlessGuard`: the catalog as a CDK policy-validation plugin.

```python
import aws_cdk as cdk
from serverless_guard.cdk import ServerlessGuard

app = cdk.App()
cdk.Validations.of(app).add_plugins(ServerlessGuard(config="guard.json"))  # or config={...}
```

After synthesis the CDK hands the plugin the templates of the stacks it validates; the plugin
evaluates them in this process (nested stacks included) and returns a report. The CDK prints it,
writes it to `cdk.out/validation-report.json`, and fails the synth when a finding blocks (a
mandatory rule fails or errors, or an unknown value under `strict_unknowns`): under the CDK CLI
`cdk synth` exits with 1 after the report; in a plain `python app.py` or a unit test,
`app.synth()` raises. Advisory findings are listed as warnings, values only known at deployment
as info; neither fails the synth. See `validate.py` for how findings become violations.

Acknowledge a finding with the CDK's own mechanism, on the resource, its L2 construct, a stack,
a stage or the app:

```python
cdk.Validations.of(function).acknowledge(
    cdk.Acknowledgment(id="serverless-guard::lambda-in-vpc", reason="Calls only public AWS APIs")
)
```

The CDK reports acknowledged findings as suppressed, with the reason (`suppressedViolations` in
`cdk.out/validation-report.json`), and they do not fail the synth. An acknowledgement without a
proper reason suppresses nothing: it is a `fatal` finding, and so is what it would cover (see
`validate.py`). The resource metadata of templates (`serverless-guard: {suppress: [{id,
reason}]}`, set with `add_metadata` on the CloudFormation resource), the configuration's
exemptions and `baseline` work as well, and the resources aws-cdk-lib creates on its own are
suppressed unless the configuration says `"framework_resources": "check"`.

The plugin also fits the deprecated `App(policy_validation_beta1=[...])` property.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import TypeAlias

import jsii
from aws_cdk import (
    IPolicyValidationContext,
    IPolicyValidationPlugin,
    IPolicyValidationPluginBeta1,
    PolicyValidationPluginReport,
    PolicyViolatingResource,
    PolicyViolation,
)
from constructs import IConstruct

from serverless_guard import __version__
from serverless_guard.catalog import CATALOG
from serverless_guard.catalog.rule import Enforcement
from serverless_guard.cdk.validate import (
    PLUGIN_NAME,
    Evaluation,
    Violation,
    ancestors,
    evaluate_stacks,
)
from serverless_guard.config import Config, config_from_mapping, load_config
from serverless_guard.engines.cloudformation.assembly import (
    ACKNOWLEDGED_RULES,
    Acknowledgement,
    acknowledgements_of,
    read_stack,
)
from serverless_guard.errors import GuardError
from serverless_guard.waivers.baseline import read_baseline

ConfigSource: TypeAlias = "str | os.PathLike[str] | Mapping[str, object] | Config | None"


def resolve_config(config: ConfigSource) -> Config:
    """A `Config` from a guard.json path, a mapping in the same format, or a `Config`."""
    if config is None:
        return Config()
    if isinstance(config, Config):
        return config
    if isinstance(config, Mapping):
        return config_from_mapping(config, "ServerlessGuard(config=...)")
    return load_config(os.fspath(config))


@jsii.implements(IPolicyValidationPlugin, IPolicyValidationPluginBeta1)
class ServerlessGuard:
    """The serverless-guard rule catalog, run by `cdk synth` on every synthesized template.

    `config` is the configuration every front end shares: the path of a guard.json file
    (relative to the working directory, which is the app's folder under the CDK CLI), a mapping
    in the same format, or a `Config`. A configuration that does not fit the catalog (or a
    missing file), or a `baseline` file that cannot be read, fails the synth with one fatal
    message saying why (see `plugin_failure`; the `config` property raises the error).

    Each validation writes one line to stderr, `serverless-guard: 2 blocking, 5 advisory, 1
    suppressed (1 template, 22 resources)`, also in the report's metadata as `summary`.
    """

    def __init__(self, config: ConfigSource = None) -> None:
        self._problem: GuardError | None = None
        try:
            self._config = resolve_config(config)
            if self._config.baseline is not None:
                read_baseline(self._config.baseline)
        except GuardError as err:  # `validate` reports it: one message, not a traceback
            self._config, self._problem = Config(), err
        self._rule_ids = [
            rule.id
            for rule in CATALOG
            if self._config.enforcement(rule) is not Enforcement.DISABLED
        ]
        self._evaluation: Evaluation | None = None

    @property
    def name(self) -> str:
        """The name in the report; acknowledgement ids are `serverless-guard::<rule id>`."""
        return PLUGIN_NAME

    @property
    def version(self) -> str:
        return __version__

    @property
    def rule_ids(self) -> list[str]:
        """The ids of the rules the configuration enables."""
        return list(self._rule_ids)

    @property
    def config(self) -> Config:
        """The configuration; raises the error of one that does not fit the catalog."""
        if self._problem is not None:
            raise self._problem
        return self._config

    @property
    def evaluation(self) -> Evaluation | None:
        """What the last validation found (every finding, suppressed ones included)."""
        return self._evaluation

    def validate(self, context: IPolicyValidationContext) -> PolicyValidationPluginReport:
        templates = list(context.template_paths)
        try:
            stacks = [read_stack(path) for path in templates]
            outer = outer_acknowledgements(context.app_construct, ancestors(stacks))
            evaluation = evaluate_stacks(stacks, self.config, outer)
        except GuardError as err:
            return plugin_failure(str(err), templates, self.version)
        except Exception as err:  # a bug of ours fails the synth too, never passes it
            return plugin_failure(
                f"internal error: {type(err).__name__}: {err}", templates, self.version
            )
        self._evaluation = evaluation
        summary = count_line(evaluation)
        print(f"{PLUGIN_NAME}: {summary}", file=sys.stderr, flush=True)
        return PolicyValidationPluginReport(
            success=evaluation.report_success,
            violations=[cdk_violation(v) for v in evaluation.violations],
            metadata={**evaluation.metadata, "summary": summary},
            plugin_version=self.version,
        )


PLUGIN_ERROR = "plugin-error"


def plugin_failure(
    message: str, template_paths: Sequence[str], version: str
) -> PolicyValidationPluginReport:
    """A failed report for a problem that stopped the check (a configuration that does not fit
    the catalog, a template that cannot be read): one `fatal` violation, which cannot be
    acknowledged, saying why.

    A failed report without violations is not enough: the CDK CLI counts such a report as a
    success once it has kept the violations of the stacks it synthesized, and prints nothing
    of it. The violation names a template but no construct, which the CLI keeps for every
    stack and prints as `FATAL <message> (serverless-guard)`."""
    message = " ".join(message.split())
    return PolicyValidationPluginReport(
        success=False,
        violations=[
            PolicyViolation(
                rule_name=PLUGIN_ERROR,
                description=message,
                severity="fatal",
                violating_resources=[
                    PolicyViolatingResource(locations=[], template_path=path)
                    for path in template_paths[:1]
                ],
            )
        ],
        metadata={"error": f"{PLUGIN_NAME}: {message}"},
        plugin_version=version,
    )


def count_line(evaluation: Evaluation) -> str:
    """`2 blocking, 5 advisory, 1 suppressed (1 template, 22 resources)`: every finding counted
    once (advisory: reported without blocking, unknowns included)."""
    findings = evaluation.findings
    blocking = sum(1 for f in findings if f.blocking)
    suppressed = sum(1 for f in findings if f.suppression is not None)
    advisory = len(findings) - blocking - suppressed
    return (
        f"{blocking} blocking, {advisory} advisory, {suppressed} suppressed "
        f"({evaluation.metadata['scanned']})"
    )


def cdk_violation(violation: Violation) -> PolicyViolation:
    return PolicyViolation(
        rule_name=violation.rule_name,
        description=violation.description,
        fix=violation.fix,
        severity=violation.severity,
        rule_metadata=dict(violation.rule_metadata),
        violating_resources=[
            PolicyViolatingResource(
                locations=list(violation.locations),
                construct_path=violation.construct_path,
                resource_logical_id=violation.logical_id,
                template_path=violation.template_path,
            )
        ],
    )


def outer_acknowledgements(root: IConstruct, paths: Sequence[str]) -> list[Acknowledgement]:
    """The acknowledgements recorded on the constructs at `paths` (the app and the stages above
    the stacks: the assembly metadata has those of the constructs inside each stack)."""
    out: list[Acknowledgement] = []
    for path in paths:
        construct = _find(root, path)
        if construct is None:
            continue
        for entry in construct.node.metadata:
            if entry.type == ACKNOWLEDGED_RULES:
                out.extend(acknowledgements_of(path, entry.data))
    return out


def _find(root: IConstruct, path: str) -> IConstruct | None:
    construct: IConstruct | None = root
    parts: Iterable[str] = path.split("/") if path else ()
    for part in parts:
        if construct is None:
            return None
        construct = construct.node.try_find_child(part)
    return construct
