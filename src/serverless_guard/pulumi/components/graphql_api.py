"""SecureGraphqlApi: an AppSync GraphQL API that identifies its callers, logs, traces and is
filtered by AWS WAF."""

from __future__ import annotations

from typing import Unpack, cast

import pulumi
import pulumi_aws as aws

from serverless_guard.pulumi.components._base import SecureComponent, Where, given
from serverless_guard.pulumi.components._children import log_group, log_group_arn
from serverless_guard.pulumi.components._documents import allow, document, service_trust
from serverless_guard.pulumi.components._inputs import LATER
from serverless_guard.pulumi.components._wrapped import GraphqlApiKwargs, GraphqlApiOutputs
from serverless_guard.pulumi.components.key import KeyLike, key_for
from serverless_guard.pulumi.components.role import LeastPrivilegeRole
from serverless_guard.secure_defaults import (
    APPSYNC_LOG_PREFIX,
    WEB_ACL_MANAGED_RULE_GROUPS,
    WEB_ACL_RATE_LIMIT,
)

APPSYNC = "appsync.amazonaws.com"
LOG_ACTIONS = ("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents")


def appsync_trust(where: Where) -> dict[str, object]:
    """AppSync may assume the role for this account's APIs only."""
    return service_trust(APPSYNC, where, where.arn("appsync", "apis/*"))


def logs_policy(where: Where, api_id: str) -> dict[str, object]:
    """Write to the API's own log group (AppSync creates it if it is missing)."""
    name = f"{APPSYNC_LOG_PREFIX}{api_id}"
    return document(
        [allow(LOG_ACTIONS, [where.arn("logs", f"log-group:{name}"), log_group_arn(where, name)])]
    )


def web_acl_rules(prefix: str) -> list[aws.wafv2.WebAclRuleArgs]:
    """AWS managed rule groups for common exploits and known bad inputs, and a rate limit per
    client address."""
    waf = aws.wafv2
    rules = [
        waf.WebAclRuleArgs(
            name=group,
            priority=priority,
            # pulumi-aws declares no type for the empty block's constructor.
            override_action=waf.WebAclRuleOverrideActionArgs(
                none=waf.WebAclRuleOverrideActionNoneArgs()  # type: ignore[no-untyped-call]
            ),
            statement=waf.WebAclRuleStatementArgs(
                managed_rule_group_statement=waf.WebAclRuleStatementManagedRuleGroupStatementArgs(
                    vendor_name="AWS", name=group
                )
            ),
            visibility_config=waf.WebAclRuleVisibilityConfigArgs(
                cloudwatch_metrics_enabled=True,
                metric_name=f"{prefix}-{group}",
                sampled_requests_enabled=True,
            ),
        )
        for priority, group in enumerate(WEB_ACL_MANAGED_RULE_GROUPS)
    ]
    rules.append(
        waf.WebAclRuleArgs(
            name="RateLimitPerAddress",
            priority=len(rules),
            action=waf.WebAclRuleActionArgs(block=waf.WebAclRuleActionBlockArgs()),
            statement=waf.WebAclRuleStatementArgs(
                rate_based_statement=waf.WebAclRuleStatementRateBasedStatementArgs(
                    limit=WEB_ACL_RATE_LIMIT, aggregate_key_type="IP"
                )
            ),
            visibility_config=waf.WebAclRuleVisibilityConfigArgs(
                cloudwatch_metrics_enabled=True,
                metric_name=f"{prefix}-RateLimitPerAddress",
                sampled_requests_enabled=True,
            ),
        )
    )
    return rules


class SecureGraphqlApi(GraphqlApiOutputs, SecureComponent):
    """`aws.appsync.GraphQLApi` that passes every rule of the catalog by default.

    Takes the arguments of `aws.appsync.GraphQLApi` (`authentication_type` becomes optional),
    plus `kms_key` (a SecureKey or an `aws.kms.Key`) and `web_acl_arn`. Defaults:

    - `authentication_type`: `AWS_IAM` (callers sign their requests); additional providers
      are yours to add.
    - `log_config`: field log level ERROR without verbose content, written by a
      LeastPrivilegeRole of its own (`.logs_role`, trusted by AppSync for this account's APIs
      only, allowed to write to the API's log group only) to the API's log group
      (`/aws/appsync/apis/<api id>`, `.log_group`, encrypted with the key, kept 365 days).
    - `xray_enabled`: true.
    - an association (`.web_acl_association`) with the web ACL `web_acl_arn`, else with a web
      ACL of its own (`.web_acl`: AWS managed rule groups for common exploits and known bad
      inputs, and a rate limit per client address; give several APIs one `web_acl_arn`: a
      web ACL is billed monthly).

    An API key as the default authentication, logging off (`log_config=None`, level NONE) or
    tracing off warns. The API is `.graphql_api`; its outputs (`arn`, `uris`...) are the
    component's.
    """

    def __init__(
        self,
        resource_name: str,
        args: aws.appsync.GraphQLApiArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        kms_key: KeyLike | None = None,
        web_acl_arn: pulumi.Input[str] | None = None,
        **kwargs: Unpack[GraphqlApiKwargs],
    ) -> None:
        super().__init__("SecureGraphqlApi", resource_name, opts)
        values = cast(GraphqlApiKwargs, given(args, kwargs))
        merged: GraphqlApiKwargs = {"authentication_type": "AWS_IAM", "xray_enabled": True}
        checked: dict[str, object] = {}
        links: dict[str, str] = {}
        self.logs_role: LeastPrivilegeRole | None = None
        if "log_config" not in values:
            role_name = f"{resource_name}-logs-role"
            trust = self.render(appsync_trust)
            self.logs_role = LeastPrivilegeRole(
                role_name, assume_role_policy=trust.value, opts=self.child()
            )
            self.plan.add(aws.iam.Role, role_name, {"assume_role_policy": trust.check})
            merged["log_config"] = {
                "cloudwatch_logs_role_arn": self.logs_role.arn,
                "field_log_level": "ERROR",
                "exclude_verbose_content": True,
            }
            checked["log_config"] = {
                "cloudwatch_logs_role_arn": LATER,
                "field_log_level": "ERROR",
                "exclude_verbose_content": True,
            }
            links["log_config"] = role_name
        merged.update(values)
        for key in values:
            checked.pop(key, None)
            links.pop(key, None)
        self.graphql_api = self.resource = aws.appsync.GraphQLApi(
            resource_name, opts=self.wrapped(), **merged
        )
        self._wrapped = self.graphql_api
        self.plan.add(aws.appsync.GraphQLApi, resource_name, {**merged, **checked}, links=links)
        self.key: KeyLike | None = None
        self.log_group: aws.cloudwatch.LogGroup | None = None
        if self.logs_role is not None:
            self.key = key_for(self, kms_key)
            self.log_group = log_group(
                self,
                f"{resource_name}-logs",
                self.key.arn,
                group_name=self.graphql_api.id.apply(lambda api: f"{APPSYNC_LOG_PREFIX}{api}"),
                named_after=resource_name,
            )
            stand_in = self.plan.stand_in(resource_name)
            policy = self.render(logs_policy, (self.graphql_api.id, stand_in))
            self.logs_role.add_policy("logs", policy.value, check=policy.check)
        self.web_acl: aws.wafv2.WebAcl | None = None
        if web_acl_arn is None:
            self.web_acl = aws.wafv2.WebAcl(
                f"{resource_name}-web-acl",
                scope="REGIONAL",
                default_action=aws.wafv2.WebAclDefaultActionArgs(
                    allow=aws.wafv2.WebAclDefaultActionAllowArgs()
                ),
                description=f"Filters the requests to the GraphQL API {resource_name}",
                rules=web_acl_rules(resource_name),
                visibility_config=aws.wafv2.WebAclVisibilityConfigArgs(
                    cloudwatch_metrics_enabled=True,
                    metric_name=f"{resource_name}-web-acl",
                    sampled_requests_enabled=True,
                ),
                opts=self.child(),
            )
            web_acl_arn = self.web_acl.arn
        association = f"{resource_name}-web-acl-association"
        self.web_acl_association = aws.wafv2.WebAclAssociation(
            association,
            resource_arn=self.graphql_api.arn,
            web_acl_arn=web_acl_arn,
            opts=self.child(),
        )
        self.plan.add(
            aws.wafv2.WebAclAssociation,
            association,
            {"resource_arn": LATER, "web_acl_arn": LATER},
            links={"resource_arn": resource_name},
        )
        self.plan.check()
        self.register_outputs({"arn": self.graphql_api.arn, "uris": self.graphql_api.uris})
