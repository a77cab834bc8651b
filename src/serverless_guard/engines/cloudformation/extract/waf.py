"""AWS::WAFv2::WebACLAssociation."""

from __future__ import annotations

from collections.abc import Iterable

from serverless_guard.engines.cloudformation.extract.base import CfnResource, Extractor
from serverless_guard.engines.props import link_text
from serverless_guard.facts.base import Resource
from serverless_guard.facts.waf import WebAclAssociation


def web_acl_association(res: CfnResource) -> Iterable[Resource]:
    props = res.props
    yield WebAclAssociation(
        **res.identity(),
        resource=link_text(props.link("ResourceArn"), "associated resource"),
        web_acl=props.link("WebACLArn"),
    )


EXTRACTORS: dict[str, Extractor] = {"AWS::WAFv2::WebACLAssociation": web_acl_association}
