"""The serverless-guard policy pack: `pulumi preview --policy-pack policypack`.

Pulumi runs this folder with `python -u -m pulumi.policy <engine address> .`; the policies live
in `serverless_guard.engines.pulumi.pack`.
"""

from serverless_guard.engines.pulumi.pack import build_pack

build_pack()
