"""The AWS WAF web ACL the secure APIs of a stack share."""

from __future__ import annotations

from aws_cdk import Stack
from aws_cdk import aws_wafv2 as wafv2
from constructs import IConstruct

from serverless_guard.cdk.constructs.defaults import ID, SecureDefaults
from serverless_guard.secure_defaults import WEB_ACL_MANAGED_RULE_GROUPS, WEB_ACL_RATE_LIMIT


def _visibility(metric: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
    return wafv2.CfnWebACL.VisibilityConfigProperty(
        cloud_watch_metrics_enabled=True, metric_name=metric, sampled_requests_enabled=True
    )


def _rules(prefix: str) -> list[wafv2.CfnWebACL.RuleProperty]:
    rules = [
        wafv2.CfnWebACL.RuleProperty(
            name=group,
            priority=priority,
            override_action=wafv2.CfnWebACL.OverrideActionProperty(none={}),
            statement=wafv2.CfnWebACL.StatementProperty(
                managed_rule_group_statement=wafv2.CfnWebACL.ManagedRuleGroupStatementProperty(
                    vendor_name="AWS", name=group
                )
            ),
            visibility_config=_visibility(f"{prefix}-{group}"),
        )
        for priority, group in enumerate(WEB_ACL_MANAGED_RULE_GROUPS)
    ]
    rules.append(
        wafv2.CfnWebACL.RuleProperty(
            name="RateLimitPerAddress",
            priority=len(rules),
            action=wafv2.CfnWebACL.RuleActionProperty(block={}),
            statement=wafv2.CfnWebACL.StatementProperty(
                rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                    limit=WEB_ACL_RATE_LIMIT, aggregate_key_type="IP"
                )
            ),
            visibility_config=_visibility(f"{prefix}-RateLimitPerAddress"),
        )
    )
    return rules


def default_web_acl_arn(scope: IConstruct) -> str:
    """The ARN of the web ACL a secure API created in `scope` is associated with: the nearest
    SecureDefaults `web_acl_arn`, else its stack's own, created on first use
    (`<Stack>/SecureDefaults/WebAcl`: AWS managed rule groups for common exploits and known bad
    inputs, and a rate limit per client address)."""
    for ancestor in reversed(scope.node.scopes):
        found = ancestor.node.try_find_child(ID)
        if isinstance(found, SecureDefaults) and (arn := found._use_web_acl()) is not None:
            return arn
    stack = Stack.of(scope)
    defaults = SecureDefaults.of(stack)
    acl = wafv2.CfnWebACL(
        defaults,
        "WebAcl",
        scope="REGIONAL",
        default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
        description="Filters the requests to the secure APIs of this stack",
        rules=_rules(stack.stack_name),
        visibility_config=_visibility(f"{stack.stack_name}-WebAcl"),
    )
    return defaults._created_web_acl(acl.attr_arn)
