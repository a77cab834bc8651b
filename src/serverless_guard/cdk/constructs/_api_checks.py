"""An aspect for the API constructs: what is added to an API after it is built.

Methods, routes, stages and custom domains are usually added after the API construct exists
(`api.root.add_method(...)`, `api.add_routes(...)`, `api.add_domain_name(...)`), so the API
constructs check them at synthesis: a method or route without authorization and a stage
without access logs get a warning naming the rule; a REST custom domain without a security
policy gets TLS_1_2 (a secure default), and one with an older policy gets a warning.
"""

from __future__ import annotations

import jsii
from aws_cdk import IAspect, Token
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_apigatewayv2 as apigwv2
from constructs import IConstruct

from serverless_guard.catalog.checks.domain_tls import modern
from serverless_guard.cdk.constructs._shared import warn

TLS_1_2 = "TLS_1_2"


def _unauthorized(authorization_type: str | None) -> bool:
    if authorization_type is None:
        return True
    return not Token.is_unresolved(authorization_type) and authorization_type.upper() == "NONE"


def _literal(text: str | None) -> str | None:
    return None if text is None or Token.is_unresolved(text) else text


@jsii.implements(IAspect)
class ApiChecks:
    def visit(self, node: IConstruct) -> None:
        if isinstance(node, apigw.CfnMethod):
            method = _literal(node.http_method)
            checked = method is not None and method.upper() != "OPTIONS"
            if checked and _unauthorized(node.authorization_type):
                warn(node, "apigw-method-authorization", f"method {method} has no authorization")
        elif isinstance(node, apigwv2.CfnRoute):
            if _unauthorized(node.authorization_type):
                route = _literal(node.route_key) or "?"
                warn(node, "apigw-http-route-authorization", f"route {route} has no authorization")
        elif isinstance(node, apigw.CfnStage):
            if node.access_log_setting is None:
                warn(node, "apigw-stage-access-logging", "the stage has no access_log_destination")
        elif isinstance(node, apigwv2.CfnStage):
            if node.access_log_settings is None:
                warn(node, "apigw-stage-access-logging", "the stage has no access_log_settings")
        elif isinstance(node, apigw.CfnDomainName):
            policy = _literal(node.security_policy)
            if node.security_policy is None:
                node.security_policy = TLS_1_2
            elif policy is not None and not modern(policy):
                warn(node, "apigw-domain-tls12", f"security_policy is {policy}")
