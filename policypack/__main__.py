"""The serverless-guard policy pack: `pulumi preview --policy-pack <this folder>`.

Pulumi runs the pack's folder with `python3 -u -m pulumi.policy <engine address> .`; the
policies live in `serverless_guard.engines.pulumi.pack`.
"""

from serverless_guard.engines.pulumi.pack import build_pack

build_pack()
