"""Resources a framework created on its own: waived unless the configuration says `check`.

The engine recognises them (for the CDK, in the construct tree of a cloud assembly: see
`engines/cloudformation/cdk_framework.py`) and marks their findings' location with the feature
that created them; this waiver applies to all of them, for every rule, with the reason
`created by aws-cdk-lib`.
"""

from __future__ import annotations

from serverless_guard.config import FRAMEWORK_CHECK
from serverless_guard.waivers.model import ANY_RULE, MadeByFramework, Source, Waiver

CDK = "aws-cdk-lib"
REASON = f"created by {CDK}"


def framework_waivers(setting: str) -> list[Waiver]:
    """The waiver of framework resources for the `framework_resources` setting."""
    if setting == FRAMEWORK_CHECK:
        return []
    label = f"the resources {CDK} creates on its own"
    return [Waiver(Source.FRAMEWORK, ANY_RULE, REASON, MadeByFramework(CDK), label)]
