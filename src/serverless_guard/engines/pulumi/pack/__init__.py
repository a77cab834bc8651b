"""The Pulumi policy pack: one pulumi-policy policy per catalog rule, plus the pack's settings.

`policypack/__main__.py` calls `build_pack()`, which starts pulumi-policy's Analyzer server and
blocks; everything else is importable and testable without a server.
"""

from serverless_guard.engines.pulumi.pack.classify import reads_graph
from serverless_guard.engines.pulumi.pack.policy_pack import PACK_NAME, build_pack, policies
from serverless_guard.engines.pulumi.pack.settings import SETTINGS_POLICY

__all__ = ["PACK_NAME", "SETTINGS_POLICY", "build_pack", "policies", "reads_graph"]
