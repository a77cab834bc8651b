"""AWS::StepFunctions::StateMachine."""

from __future__ import annotations

from collections.abc import Iterable

from serverless_guard.engines.cloudformation.extract.base import CfnResource, Extractor
from serverless_guard.engines.props import Props
from serverless_guard.facts.base import Resource
from serverless_guard.facts.nodes import Opaque
from serverless_guard.facts.stepfunctions import StateMachine
from serverless_guard.facts.value import Known, Unknown, Value


def _destinations(logging: Props) -> Value[tuple[str, ...]]:
    if "Destinations" not in logging:
        return logging.value("Destinations")
    out: list[str] = []
    for destination in logging.children("Destinations"):
        group = destination.child("CloudWatchLogsLogGroup")
        arn = group.link("LogGroupArn") if isinstance(group, Props) else group
        if isinstance(arn, Known):
            out.append(arn.value)
        elif isinstance(arn, Unknown):
            out.append(Opaque(arn.reason).render())
    return Known(tuple(out), logging.path("Destinations"))


def state_machine(res: CfnResource) -> Iterable[Resource]:
    props = res.props
    logging = props.child("LoggingConfiguration")
    tracing = props.child("TracingConfiguration")
    yield StateMachine(
        **res.identity(name_property="StateMachineName", ref_is_name=False),
        logging_level=logging.string("Level") if isinstance(logging, Props) else logging,
        log_destinations=_destinations(logging) if isinstance(logging, Props) else logging,
        tracing=tracing.boolean("Enabled") if isinstance(tracing, Props) else tracing,
    )


EXTRACTORS: dict[str, Extractor] = {"AWS::StepFunctions::StateMachine": state_machine}
