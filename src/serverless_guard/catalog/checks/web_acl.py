"""Which WAF web ACL associations of a stack protect a REST API stage or an AppSync API.

An association names the resource it protects by ARN, written as the template or program
writes it and rendered (`arn:${?AWS::Partition}:apigateway:${?AWS::Region}::/restapis/${Api}/
stages/${Stage}`, `${GraphqlApi.Arn}`). It protects:

- a resource it names by reference (one of the resource's aliases);
- a stage whose ARN it spells out: its API part names the stage's API and its stage part names
  the stage (a reference to it, or its stage name);
- an AppSync API whose ARN it spells out with a reference to the API's id.

Region, partition and account are not compared: an association deploys in its stack's region
and account. A part only known at deployment may name the resource: the association may
protect it (unknown). An association deployed with an `Fn::If` protects only when every
variant does.
"""

from __future__ import annotations

import re
from collections import defaultdict
from enum import IntEnum

from serverless_guard.facts.apigw import RestApi, Stage
from serverless_guard.facts.appsync import GraphqlApi
from serverless_guard.facts.graph import Graph
from serverless_guard.facts.nodes import RENDERED_PART, is_opaque_text
from serverless_guard.facts.value import Absent, Known, Path
from serverless_guard.facts.waf import WebAclAssociation

# ARNs with each `${...}` part masked as `\0<n>\0` (a part may hold colons and slashes).
_STAGE_ARN = re.compile(r"arn:[^:]*:apigateway:[^:]*::/restapis/([^/]+)/stages/([^/]+)")
_APPSYNC_ARN = re.compile(r"arn:[^:]*:appsync:[^:]*:[^:]*:apis/([^/]+)")
_MASK = re.compile(r"\x00(\d+)\x00")


class Fit(IntEnum):
    NO = 0
    MAYBE = 1
    YES = 2


def _parts(link: str, pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """The groups of `pattern` in a rendered ARN, each with its `${...}` parts restored."""
    rendered: list[str] = []

    def mask(match: re.Match[str]) -> str:
        rendered.append(match.group(0))
        return f"\x00{len(rendered) - 1}\x00"

    found = pattern.fullmatch(RENDERED_PART.sub(mask, link))
    if found is None:
        return None
    return tuple(_MASK.sub(lambda m: rendered[int(m.group(1))], g) for g in found.groups())


def _names(graph: Graph, link: str, target: Stage | GraphqlApi) -> bool:
    canonical = graph.canonical(link)
    return any(graph.canonical(alias) == canonical for alias in target.aliases)


def _same_api(graph: Graph, part: str, stage: Stage) -> bool:
    if graph.canonical(part) == graph.canonical(stage.api):
        return True
    mine = {id(api) for api in graph.resolve(stage.api, RestApi)}
    return any(id(api) in mine for api in graph.resolve(part, RestApi))


def _stage_fit(graph: Graph, link: str, stage: Stage) -> Fit:
    parts = _parts(link, _STAGE_ARN)
    if parts is None:
        return Fit.NO
    api, name = parts
    if not _same_api(graph, api, stage) and not is_opaque_text(api):
        return Fit.NO
    named = isinstance(stage.stage_name, Known) and graph.canonical(name) == stage.stage_name.value
    if not (named or _names(graph, name, stage)) and not is_opaque_text(name):
        return Fit.NO
    return Fit.MAYBE if is_opaque_text(api) or is_opaque_text(name) else Fit.YES


def _api_fit(graph: Graph, link: str, api: GraphqlApi) -> Fit:
    parts = _parts(link, _APPSYNC_ARN)
    if parts is None:
        return Fit.NO
    (api_id,) = parts
    if _names(graph, api_id, api):
        return Fit.YES
    return Fit.MAYBE if is_opaque_text(api_id) else Fit.NO


def fit(graph: Graph, association: WebAclAssociation, target: Stage | GraphqlApi) -> Fit:
    """Whether one association (one variant of it) protects `target`."""
    web_acl = association.web_acl
    if isinstance(web_acl, Absent) or (isinstance(web_acl, Known) and not web_acl.value.strip()):
        return Fit.NO
    link = association.resource
    if _names(graph, link, target):
        return Fit.YES
    if RENDERED_PART.fullmatch(link) and is_opaque_text(link):
        return Fit.MAYBE
    if isinstance(target, Stage):
        return _stage_fit(graph, link, target)
    return _api_fit(graph, link, target)


def protection(graph: Graph, target: Stage | GraphqlApi) -> tuple[Fit, WebAclAssociation | None]:
    """The best protection any association of the stack gives `target`, with the association
    that gives it; an association counts as well as its worst variant."""
    variants: dict[tuple[str, Path], list[tuple[Fit, WebAclAssociation]]] = defaultdict(list)
    for association in graph.of_kind(WebAclAssociation):
        variants[(association.id, association.at)].append(
            (fit(graph, association, target), association)
        )
    judged = [min(found, key=lambda item: item[0]) for found in variants.values()]
    best = max(judged, key=lambda item: item[0], default=(Fit.NO, None))
    return best if best[0] is not Fit.NO else (Fit.NO, None)
