"""Least-privilege IAM: roles, policies and trust."""

from __future__ import annotations

from serverless_guard.catalog.iam.iam_no_admin_policies import iam_no_admin_policies
from serverless_guard.catalog.iam.iam_no_allow_not_action import iam_no_allow_not_action
from serverless_guard.catalog.iam.iam_no_wildcard_actions import iam_no_wildcard_actions
from serverless_guard.catalog.iam.iam_no_wildcard_resources import iam_no_wildcard_resources
from serverless_guard.catalog.iam.iam_passrole_scoped import iam_passrole_scoped
from serverless_guard.catalog.iam.iam_role_trust_scoped import iam_role_trust_scoped
from serverless_guard.catalog.iam.lambda_role_not_shared import lambda_role_not_shared
from serverless_guard.catalog.rule import Rule

RULES: tuple[Rule, ...] = (
    iam_no_wildcard_actions,
    iam_no_wildcard_resources,
    iam_passrole_scoped,
    iam_no_allow_not_action,
    iam_no_admin_policies,
    iam_role_trust_scoped,
    lambda_role_not_shared,
)
