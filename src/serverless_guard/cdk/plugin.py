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
    in the same format, or a `Config`. A configuration that does not fit the catalog raises
    `ConfigError` here, before anything is synthesized, and so does a `baseline` file that
    cannot be read (`InputError`).
    """

    def __init__(self, config: ConfigSource = None) -> None:
        self._config = resolve_config(config)
        if self._config.baseline is not None:
            read_baseline(self._config.baseline)
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
        return self._config

    @property
    def evaluation(self) -> Evaluation | None:
        """What the last validation found (every finding, suppressed ones included)."""
        return self._evaluation

    def validate(self, context: IPolicyValidationContext) -> PolicyValidationPluginReport:
        try:
            stacks = [read_stack(path) for path in context.template_paths]
            outer = outer_acknowledgements(context.app_construct, ancestors(stacks))
            evaluation = evaluate_stacks(stacks, self._config, outer)
        except GuardError as err:
            return PolicyValidationPluginReport(
                success=False,
                violations=[],
                metadata={"error": f"{PLUGIN_NAME}: {err}"},
                plugin_version=self.version,
            )
        self._evaluation = evaluation
        return PolicyValidationPluginReport(
            success=evaluation.report_success,
            violations=[cdk_violation(v) for v in evaluation.violations],
            metadata=evaluation.metadata,
            plugin_version=self.version,
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
