"""pulumi-aws (classic) Step Functions state machines."""

from __future__ import annotations

from collections.abc import Iterable

from serverless_guard.engines.props import Props
from serverless_guard.engines.pulumi.extract.base import Extractor, PulumiView
from serverless_guard.engines.pulumi.extract.classic.common import (
    LOG_GROUP_TYPE,
    identity,
    nested_link,
)
from serverless_guard.facts.base import Resource
from serverless_guard.facts.stepfunctions import StateMachine
from serverless_guard.facts.value import Known, Value


def state_machine(view: PulumiView) -> Iterable[Resource]:
    """`sfn.StateMachine`: one log destination, a log group's ARN ending in `:*`."""
    props = view.props
    logging = props.child("loggingConfiguration")
    destinations: Value[tuple[str, ...]]
    if isinstance(logging, Props):
        destination = nested_link(
            view, "loggingConfiguration", logging, "logDestination", LOG_GROUP_TYPE
        )
        destinations = (
            Known((destination.value,), destination.at)
            if isinstance(destination, Known)
            else destination
        )
    else:
        destinations = logging
    tracing = props.child("tracingConfiguration")
    yield StateMachine(
        **identity(view, "name"),
        logging_level=logging.string("level") if isinstance(logging, Props) else logging,
        log_destinations=destinations,
        tracing=tracing.boolean("enabled") if isinstance(tracing, Props) else tracing,
    )


EXTRACTORS: dict[str, Extractor] = {"aws:sfn/stateMachine:StateMachine": state_machine}
