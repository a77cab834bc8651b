"""Secure-by-default Pulumi components for pulumi-aws: each passes every rule of the catalog as
it is.

```python
import pulumi
from serverless_guard.pulumi import components as sg

table = sg.SecureTable("orders", hash_key="id", attributes=[{"name": "id", "type": "S"}])
fn = sg.SecureFunction("handler", runtime="python3.13", handler="app.handler",
                       code=pulumi.FileArchive("./app"),
                       environment={"variables": {"TABLE": table.name}})
table.grant_read_write(fn)
api = sg.PrivateRestApi("api", vpc_endpoint_ids=["vpce-0123456789abcdef0"],
                        routes={"GET /orders": fn})
pulumi.export("url", api.url)
```

Each component takes the arguments of the pulumi-aws resource it wraps (`SecureTable` those of
`aws.dynamodb.Table`...) and layers them: secure defaults, then your arguments, then what the
component enforces. Its children are checked with the catalog itself, and an argument that
breaks a rule logs a Pulumi warning that names it (`serverless-guard::<rule-id>`). The wrapped
resource's outputs (`arn`, `name`, `id`, ...) are the component's, the wrapped resource is
`.resource` (and `.table`, `.function`...), and every child is an attribute. `shared_key(key)`
makes the components that follow use one key instead of a key each.
"""

from serverless_guard.pulumi.components._routes import HttpRoute, RestRoute
from serverless_guard.pulumi.components.bucket import SecureBucket
from serverless_guard.pulumi.components.event_bus import SecureEventBus
from serverless_guard.pulumi.components.function import SecureFunction
from serverless_guard.pulumi.components.graphql_api import SecureGraphqlApi
from serverless_guard.pulumi.components.http_api import SecureHttpApi
from serverless_guard.pulumi.components.key import SecureKey, shared_key
from serverless_guard.pulumi.components.queue import SecureQueue
from serverless_guard.pulumi.components.rest_api import PrivateRestApi
from serverless_guard.pulumi.components.role import LeastPrivilegeRole
from serverless_guard.pulumi.components.state_machine import SecureStateMachine
from serverless_guard.pulumi.components.table import SecureTable
from serverless_guard.pulumi.components.topic import SecureTopic
from serverless_guard.pulumi.components.user_pool import SecureUserPool

__all__ = [
    "HttpRoute",
    "LeastPrivilegeRole",
    "PrivateRestApi",
    "RestRoute",
    "SecureBucket",
    "SecureEventBus",
    "SecureFunction",
    "SecureGraphqlApi",
    "SecureHttpApi",
    "SecureKey",
    "SecureQueue",
    "SecureStateMachine",
    "SecureTable",
    "SecureTopic",
    "SecureUserPool",
    "shared_key",
]
