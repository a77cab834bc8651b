"""SecureGraphqlApi: an AppSync GraphQL API that identifies its callers, logs, traces and is
filtered by AWS WAF."""

from __future__ import annotations

from collections.abc import Mapping

from aws_cdk import Fn
from aws_cdk import aws_appsync as appsync
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from serverless_guard.cdk.constructs._children import record_helpers, retained_log_group
from serverless_guard.cdk.constructs._shared import (
    DEFAULT_LOG_RETENTION,
    as_struct,
    layered,
    warn,
)
from serverless_guard.cdk.constructs._signature import init_l2, same_arguments_as
from serverless_guard.cdk.constructs.defaults import default_key
from serverless_guard.cdk.constructs.web_acl import default_web_acl_arn
from serverless_guard.secure_defaults import APPSYNC_LOG_PREFIX

_IAM = appsync.AuthorizationMode(authorization_type=appsync.AuthorizationType.IAM)
_LOGGED = (
    appsync.FieldLogLevel.ERROR,
    appsync.FieldLogLevel.INFO,
    appsync.FieldLogLevel.DEBUG,
    appsync.FieldLogLevel.ALL,
)


class SecureGraphqlApi(appsync.GraphqlApi):
    """`appsync.GraphqlApi` that passes every rule of the catalog by default.

    Takes the arguments of `appsync.GraphqlApi`. Defaults: IAM authorization
    (`authorization_config` with a default `AuthorizationMode` of type IAM; its own default is
    an API key; additional modes, an API key among them, are yours to add), `xray_enabled=True`,
    and `log_config` at field log level ERROR without verbose content (the L2 creates the role
    AppSync writes with); the API's log group (`/aws/appsync/apis/<api id>`, a child
    `LogGroup`) is encrypted with the stack's shared key (`.key`) and kept 365 days. The API is
    associated (a child `WebAclAssociation`) with the stack's shared web ACL
    (`SecureDefaults.web_acl_arn`, created on first use). An API key as the default
    authorization, `xray_enabled=False`, or logging off (`log_config=None`, level NONE) warns
    and names the rule. It is an `appsync.GraphqlApi`: `api.add_dynamo_db_data_source(...)`,
    `api.grant_query(role)` work unchanged.
    """

    @same_arguments_as(appsync.GraphqlApi.__init__)
    def __init__(self, scope: Construct, id: str, **props: object) -> None:
        merged: dict[str, object] = {"xray_enabled": True, **props}
        merged["authorization_config"] = layered(
            appsync.AuthorizationConfig,
            {"default_authorization": _IAM},
            props.get("authorization_config"),
        )
        given = as_struct(appsync.LogConfig, props.get("log_config"))
        if "log_config" not in props or given is not None:
            merged["log_config"] = layered(
                appsync.LogConfig,
                {"field_log_level": appsync.FieldLogLevel.ERROR, "exclude_verbose_content": True},
                given,
            )
        # The L2 gives a log configuration a LogRetention custom resource (a function that
        # creates the log group, unencrypted); the log group is declared here instead.
        init_l2(super().__init__, scope, id, {**merged, "log_config": None})
        self.key: kms.IKey | None = None
        options = merged.get("log_config")
        if isinstance(options, appsync.LogConfig):
            self._log_to_cloudwatch(options)
        wafv2.CfnWebACLAssociation(
            self,
            "WebAclAssociation",
            resource_arn=self.arn,
            web_acl_arn=default_web_acl_arn(self),
        )
        self._warn_weakened(merged)

    def _log_to_cloudwatch(self, options: appsync.LogConfig) -> None:
        """The API's log configuration, its role (the L2's, unless given) and its log group
        (`/aws/appsync/apis/<api id>`, where AppSync writes), encrypted and kept."""
        role = options.role or iam.Role(
            self,
            "ApiLogsRole",
            assumed_by=iam.ServicePrincipal("appsync.amazonaws.com"),
            managed_policies=[
                iam.ManagedPolicy.from_aws_managed_policy_name(
                    "service-role/AWSAppSyncPushToCloudWatchLogs"
                )
            ],
        )
        level = options.field_log_level or appsync.FieldLogLevel.NONE
        resource = self.node.default_child
        if isinstance(resource, appsync.CfnGraphQLApi):
            resource.log_config = appsync.CfnGraphQLApi.LogConfigProperty(
                cloud_watch_logs_role_arn=role.role_ref.role_arn,
                field_log_level=level.value,
                exclude_verbose_content=options.exclude_verbose_content,
            )
        self.key = default_key(self)
        record_helpers(
            self,
            retained_log_group(
                self,
                "Logs",
                self.key,
                retention=options.retention or DEFAULT_LOG_RETENTION,
                name=Fn.join("", [APPSYNC_LOG_PREFIX, self.api_id]),
            ),
        )

    def _warn_weakened(self, merged: Mapping[str, object]) -> None:
        config = merged.get("authorization_config")
        default = (
            config.default_authorization
            if isinstance(config, appsync.AuthorizationConfig)
            else None
        )
        if default is not None and default.authorization_type is appsync.AuthorizationType.API_KEY:
            warn(self, "appsync-auth-not-api-key", "the default authorization is an API key")
        options = merged.get("log_config")
        if not isinstance(options, appsync.LogConfig):
            warn(self, "appsync-logging", "log_config is None")
        elif options.field_log_level not in _LOGGED:
            warn(self, "appsync-logging", "log_config's field log level records nothing")
        if not merged.get("xray_enabled"):
            warn(self, "appsync-tracing", "xray_enabled is off")
