"""pulumi-aws (classic) WAFv2 web ACL associations."""

from __future__ import annotations

from collections.abc import Iterable

from serverless_guard.engines.props import link_text
from serverless_guard.engines.pulumi.extract.base import Extractor, PulumiView
from serverless_guard.engines.pulumi.extract.classic.common import assigned_arn_of
from serverless_guard.facts.base import Resource
from serverless_guard.facts.nodes import Ref
from serverless_guard.facts.waf import WebAclAssociation


def web_acl_association(view: PulumiView) -> Iterable[Resource]:
    """`wafv2.WebAclAssociation`: `resourceArn` names a stage or API (see `assigned_arn_of`)."""
    named = assigned_arn_of(view, "resourceArn")
    yield WebAclAssociation(
        **view.identity(),
        resource=Ref(named).render()
        if named is not None
        else link_text(view.props.link("resourceArn"), "associated resource"),
        web_acl=view.props.link("webAclArn"),
    )


EXTRACTORS: dict[str, Extractor] = {
    "aws:wafv2/webAclAssociation:WebAclAssociation": web_acl_association
}
