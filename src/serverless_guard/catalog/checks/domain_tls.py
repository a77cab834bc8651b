"""Which security policies of API Gateway custom domains accept TLS 1.2 or later only."""

from __future__ import annotations

# Enhanced security policies (SecurityPolicy_TLS12_..., SecurityPolicy_TLS13_...) accept
# TLS 1.2 at least; TLS_1_0 accepts TLS 1.0 and 1.1 too.
_MODERN_PREFIXES = ("SecurityPolicy_TLS12", "SecurityPolicy_TLS13")


def modern(policy: str) -> bool:
    return policy == "TLS_1_2" or policy.startswith(_MODERN_PREFIXES)
