"""Secure-by-default CDK constructs: each passes every rule of the catalog as it is.

Each construct is the aws-cdk-lib construct it replaces (`SecureFunction` is a
`aws_lambda.Function`, `SecureBucket` an `aws_s3.Bucket`...), with the same arguments: change
the class name and nothing else. Arguments are layered: secure defaults, then yours, then what
the construct enforces. An argument that breaks a rule adds a CDK warning that names the rule
(`serverless-guard::<rule-id>`, the id under which the validation plugin reports it). The
secure constructs of a stack share one KMS key (`SecureDefaults`); what a construct creates
beside itself (log group, dead-letter queue) is an attribute. `docs/constructs.md` lists the
rules each construct satisfies.

```python
from aws_cdk import aws_lambda as lambda_
from serverless_guard.cdk.constructs import SecureFunction, SecureTable

table = SecureTable(stack, "Orders", partition_key=...)
handler = SecureFunction(
    stack, "Handler", runtime=lambda_.Runtime.PYTHON_3_13, handler="app.handler", code=...
)
table.grant_read_write_data(handler)
```
"""

from serverless_guard.cdk.constructs.bucket import SecureBucket
from serverless_guard.cdk.constructs.defaults import SecureDefaults
from serverless_guard.cdk.constructs.event_bus import SecureEventBus
from serverless_guard.cdk.constructs.function import SecureFunction
from serverless_guard.cdk.constructs.graphql_api import SecureGraphqlApi
from serverless_guard.cdk.constructs.http_api import SecureHttpApi
from serverless_guard.cdk.constructs.key import SecureKey
from serverless_guard.cdk.constructs.queue import SecureQueue
from serverless_guard.cdk.constructs.rest_api import PrivateLambdaRestApi, PrivateRestApi
from serverless_guard.cdk.constructs.role import LeastPrivilegeRole
from serverless_guard.cdk.constructs.state_machine import SecureStateMachine
from serverless_guard.cdk.constructs.table import SecureTable, SecureTableV2
from serverless_guard.cdk.constructs.topic import SecureTopic
from serverless_guard.cdk.constructs.user_pool import SecureUserPool

__all__ = [
    "LeastPrivilegeRole",
    "PrivateLambdaRestApi",
    "PrivateRestApi",
    "SecureBucket",
    "SecureDefaults",
    "SecureEventBus",
    "SecureFunction",
    "SecureGraphqlApi",
    "SecureHttpApi",
    "SecureKey",
    "SecureQueue",
    "SecureStateMachine",
    "SecureTable",
    "SecureTableV2",
    "SecureTopic",
    "SecureUserPool",
]
