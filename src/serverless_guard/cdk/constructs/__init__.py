"""Secure-by-default CDK constructs: each passes every rule of the catalog as it is.

Each construct takes the keyword arguments of the construct it wraps (`SecureFunction` those
of `aws_lambda.Function`, `SecureBucket` those of `aws_s3.Bucket`...) and layers them:
secure defaults, then your arguments, then what the construct enforces. An argument that
breaks a rule adds a CDK warning that names the rule (`serverless-guard::<rule-id>`, the id
under which the validation plugin reports it). Children are attributes: `.function`, `.role`,
`.log_group`, `.key`, `.bucket`, `.table`, `.api`... The wrapped construct is each one's
default child (id `Default`), so replacing `s3.Bucket(stack, "Data")` by
`SecureBucket(stack, "Data")` keeps the bucket's logical id. `docs/constructs.md` lists the
rules each construct satisfies.

```python
from aws_cdk import aws_lambda as lambda_
from serverless_guard.cdk.constructs import SecureFunction, SecureTable

table = SecureTable(stack, "Orders", partition_key=...)
handler = SecureFunction(
    stack, "Handler", runtime=lambda_.Runtime.PYTHON_3_13, handler="app.handler", code=...
)
table.table.grant_read_write_data(handler)
```
"""

from serverless_guard.cdk.constructs.bucket import SecureBucket
from serverless_guard.cdk.constructs.event_bus import SecureEventBus
from serverless_guard.cdk.constructs.function import SecureFunction
from serverless_guard.cdk.constructs.http_api import SecureHttpApi
from serverless_guard.cdk.constructs.key import SecureKey
from serverless_guard.cdk.constructs.queue import SecureQueue
from serverless_guard.cdk.constructs.rest_api import PrivateRestApi
from serverless_guard.cdk.constructs.role import LeastPrivilegeRole
from serverless_guard.cdk.constructs.state_machine import SecureStateMachine
from serverless_guard.cdk.constructs.table import SecureTable
from serverless_guard.cdk.constructs.topic import SecureTopic

__all__ = [
    "LeastPrivilegeRole",
    "PrivateRestApi",
    "SecureBucket",
    "SecureEventBus",
    "SecureFunction",
    "SecureHttpApi",
    "SecureKey",
    "SecureQueue",
    "SecureStateMachine",
    "SecureTable",
    "SecureTopic",
]
