"""Parts of a pulumi-aws (classic) resource declared as resources of their own (a bucket's
encryption, public access block or policy; a queue's, topic's, event bus's, key's or secret's
policy), and the links from each part to its owner.

A part links to its owner through the input that names it (`bucket`, `queueUrl`, `arn`,
`eventBusName`): by property dependency (`${urn}`, an alias of every fact of the owner) or by
the owner's literal name, URL or ARN.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from serverless_guard.engines.policy_document import policy_document
from serverless_guard.engines.pulumi.extract.base import PulumiView
from serverless_guard.engines.pulumi.extract.classic.inputs import plain_inputs
from serverless_guard.facts.base import Resource
from serverless_guard.facts.nodes import Opaque
from serverless_guard.facts.resource_policy import PolicyService, ResourcePolicy
from serverless_guard.facts.value import Known, Unknown, Value

_SQS_URL = re.compile(r"^https://[^/]+/\d{12}/(?P<name>[^/]+)/?$")
_ARN = re.compile(r"^arn:[^:]*:(?P<service>sqs|sns|events):[^:]*:[^:]*:(?P<resource>.+)$")


def names_in(link: str) -> tuple[str, ...]:
    """The queue, topic or event bus name in a literal queue URL or ARN. A Pulumi program has
    the account and region where a template has `${?AWS::Region}` and `${?AWS::AccountId}`, so
    a policy attached by such a literal also links by the name."""
    if "${" in link:
        return ()
    if (url := _SQS_URL.match(link)) is not None:
        return (url.group("name"),)
    if (arn := _ARN.match(link)) is None:
        return ()
    resource = arn.group("resource")
    if arn.group("service") == "events":
        return (resource[len("event-bus/") :],) if resource.startswith("event-bus/") else ()
    return (resource,)


def target(view: PulumiView, key: str, default: str | None = None) -> tuple[str, ...]:
    """Links from a policy's input to the resource it is attached to. A literal URL or ARN
    also links by the name in it; a target only known at deployment stays opaque (it may be
    any resource of its kind, which rules take into account)."""
    match view.props.link(key):
        case Known(value=text):
            return (text, *names_in(text))
        case Unknown(reason=reason):
            return (Opaque(reason).render(),)
    return (default,) if default is not None else ()


def owner_link(view: PulumiView, key: str) -> str:
    """One link from a part's input to its owner (opaque when only known at deployment)."""
    targets = target(view, key)
    return targets[0] if targets else Opaque(f"no {key}").render()


def policy_of(view: PulumiView, key: str) -> Value[Any]:
    """A policy document input: a JSON string, a PolicyDocument object, or unknown. The
    provider treats an empty string as no policy."""
    raw = plain_inputs(view).raw(key)
    return policy_document(None if raw == "" else raw, (key,))


def inline_policy(
    view: PulumiView, ident: dict[str, Any], service: PolicyService
) -> Iterable[Resource]:
    """A resource's own `policy` input, as a policy attached to it."""
    if plain_inputs(view).raw("policy") not in (None, ""):
        yield ResourcePolicy(
            **{**ident, "at": ("policy",)},
            service=service,
            targets=(f"${{{view.urn}}}",),
            document=policy_of(view, "policy"),
        )


def attached_policy(
    view: PulumiView, service: PolicyService, target_key: str, default: str | None = None
) -> Iterable[Resource]:
    """A policy resource attached to the resource its `target_key` input names."""
    yield ResourcePolicy(
        **view.identity(),
        service=service,
        targets=target(view, target_key, default),
        document=policy_of(view, "policy"),
    )
