"""serverless-guard: security guardrails for serverless AWS apps.

One catalog of rules, enforced on CloudFormation/SAM templates and CDK cloud assemblies (the
`serverless-guard` CLI), at `cdk synth` (a CDK policy-validation plugin) and at `pulumi preview`
(a Pulumi policy pack).
"""

from serverless_guard.catalog import CATALOG
from serverless_guard.config import Config, config_from_mapping, load_config
from serverless_guard.errors import ConfigError, GuardError, InputError
from serverless_guard.findings import Finding, Location, ScanResult, Suppression
from serverless_guard.scan import scan

__version__ = "0.2.0"

__all__ = [
    "CATALOG",
    "Config",
    "ConfigError",
    "Finding",
    "GuardError",
    "InputError",
    "Location",
    "ScanResult",
    "Suppression",
    "__version__",
    "config_from_mapping",
    "load_config",
    "scan",
]
