"""AppSync facts: GraphQL APIs (and merged APIs) with their authentication, logging and
tracing."""

from __future__ import annotations

from dataclasses import dataclass, field

from serverless_guard.facts.base import Resource
from serverless_guard.facts.value import Absent, Value


@dataclass(frozen=True, slots=True, kw_only=True)
class GraphqlApi(Resource):
    """A GraphQL API (`api_type` GRAPHQL, the default, or MERGED).

    - `authentication_type`: the default authorization mode (`API_KEY`, `AWS_IAM`,
      `AMAZON_COGNITO_USER_POOLS`, `OPENID_CONNECT`, `AWS_LAMBDA`);
    - `additional_authentication_types`: the modes of the additional providers, in order;
    - `log_role` and `field_log_level`: the log configuration's CloudWatch Logs role and
      field log level (both absent, at the log configuration's path, when there is none);
    - `xray`: whether X-Ray tracing is enabled;
    - `visibility`: `GLOBAL` (the default) or `PRIVATE` (reachable through VPC endpoints).
    """

    authentication_type: Value[str] = field(default_factory=Absent)
    additional_authentication_types: Value[tuple[str, ...]] = field(default_factory=Absent)
    log_role: Value[str] = field(default_factory=Absent)
    field_log_level: Value[str] = field(default_factory=Absent)
    xray: Value[bool] = field(default_factory=Absent)
    visibility: Value[str] = field(default_factory=Absent)
    api_type: Value[str] = field(default_factory=Absent)
