"""AWS WAF (v2) facts: the association of a web ACL with a regional resource."""

from __future__ import annotations

from dataclasses import dataclass, field

from serverless_guard.facts.base import Resource
from serverless_guard.facts.value import Absent, Value


@dataclass(frozen=True, slots=True, kw_only=True)
class WebAclAssociation(Resource):
    """A WAFv2 web ACL associated with the resource `resource` names: a link, the resource's
    ARN as written and rendered (`arn:${?AWS::Partition}:apigateway:...::/restapis/${Api}/
    stages/prod`, `${GraphqlApi.Arn}`), opaque where only known at deployment."""

    resource: str
    web_acl: Value[str] = field(default_factory=Absent)
