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

Importing `ServerlessGuard` before `aws_cdk` also silences jsii's end-of-life banner for the
installed Node (`JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION`, unless it is set already):
jsii reads that variable once, when aws-cdk-lib starts it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from serverless_guard.cdk.plugin import ServerlessGuard

__all__ = ["ServerlessGuard"]


NODE_BANNER_SWITCH = "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"


def silence_node_end_of_life_banner() -> None:
    """List the installed Node's major version in `NODE_BANNER_SWITCH`, as the Makefile does,
    unless the user has set it or aws-cdk-lib is loaded already (jsii has read it then)."""
    if NODE_BANNER_SWITCH in os.environ or "aws_cdk" in sys.modules:
        return
    node = os.environ.get("JSII_NODE") or shutil.which("node")
    if not node:
        return
    try:
        done = subprocess.run(
            [node, "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return
    major = done.stdout.strip().removeprefix("v").partition(".")[0]
    if major.isdigit():
        os.environ[NODE_BANNER_SWITCH] = major


def __getattr__(name: str) -> object:
    if name == "ServerlessGuard":
        silence_node_end_of_life_banner()
        from serverless_guard.cdk.plugin import ServerlessGuard

        return ServerlessGuard
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
