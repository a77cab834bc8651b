"""serverless-guard for the AWS CDK: the validation plugin, and secure constructs.

```python
import aws_cdk as cdk
from serverless_guard.cdk import ServerlessGuard

app = cdk.App()
cdk.Validations.of(app).add_plugins(ServerlessGuard(config="guard.json"))
```

The constructs (`SecureFunction`, `SecureBucket`, `PrivateRestApi`, ...) live in
`serverless_guard.cdk.constructs`. Both need the `cdk` extra (aws-cdk-lib and constructs).
`ServerlessGuard` is imported on first use, so that the modules that only read templates and
cloud assemblies (`validate`, `assembly`) load without aws-cdk-lib and its Node runtime.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from serverless_guard.cdk.plugin import ServerlessGuard

__all__ = ["ServerlessGuard"]


def __getattr__(name: str) -> object:
    if name == "ServerlessGuard":
        from serverless_guard.cdk.plugin import ServerlessGuard

        return ServerlessGuard
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
