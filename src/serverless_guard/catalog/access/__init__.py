"""Who may call and reach resources: private APIs, authorization, resource policies."""

from __future__ import annotations

from serverless_guard.catalog.access.api_waf_associated import api_waf_associated
from serverless_guard.catalog.access.apigw_http_route_authorization import (
    apigw_http_route_authorization,
)
from serverless_guard.catalog.access.apigw_method_authorization import apigw_method_authorization
from serverless_guard.catalog.access.apigw_private_api_vpce_policy import (
    apigw_private_api_vpce_policy,
)
from serverless_guard.catalog.access.apigw_rest_private_endpoint import (
    apigw_rest_private_endpoint,
)
from serverless_guard.catalog.access.appsync_auth_not_api_key import appsync_auth_not_api_key
from serverless_guard.catalog.access.cognito_identity_pool_no_unauthenticated import (
    cognito_identity_pool_no_unauthenticated,
)
from serverless_guard.catalog.access.cognito_user_pool_mfa import cognito_user_pool_mfa
from serverless_guard.catalog.access.cognito_user_pool_password_policy import (
    cognito_user_pool_password_policy,
)
from serverless_guard.catalog.access.lambda_permission_not_public import (
    lambda_permission_not_public,
)
from serverless_guard.catalog.access.lambda_permission_source_scoped import (
    lambda_permission_source_scoped,
)
from serverless_guard.catalog.access.lambda_url_auth_iam import lambda_url_auth_iam
from serverless_guard.catalog.access.resource_policy_no_wildcard_actions import (
    resource_policy_no_wildcard_actions,
)
from serverless_guard.catalog.access.resource_policy_not_public import resource_policy_not_public
from serverless_guard.catalog.access.s3_bucket_public_access_blocked import (
    s3_bucket_public_access_blocked,
)
from serverless_guard.catalog.rule import Rule

RULES: tuple[Rule, ...] = (
    s3_bucket_public_access_blocked,
    lambda_url_auth_iam,
    lambda_permission_not_public,
    lambda_permission_source_scoped,
    apigw_rest_private_endpoint,
    apigw_private_api_vpce_policy,
    apigw_method_authorization,
    apigw_http_route_authorization,
    resource_policy_not_public,
    resource_policy_no_wildcard_actions,
    appsync_auth_not_api_key,
    cognito_identity_pool_no_unauthenticated,
    cognito_user_pool_mfa,
    cognito_user_pool_password_policy,
    api_waf_associated,
)
