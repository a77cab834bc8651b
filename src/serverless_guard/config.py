"""One configuration format for every front end: Pulumi's policy-pack config JSON.

```
{"all": "advisory", "strict_unknowns": false,
 "logs-retention-set": {"enforcementLevel": "mandatory", "min_days": 90},
 "lambda-in-vpc": "advisory"}
```

The pack-wide keys `strict_unknowns`, `exemptions`, `framework_resources` (`suppress`, the
default, or `check`: whether the resources aws-cdk-lib creates on its own are judged) and
`baseline` (a baseline file, relative to the configuration file) may also be written under
`"serverless-guard": {...}`, the policy pack's settings policy: the Pulumi CLI only accepts
levels and objects at the top level of `--policy-pack-config`, so that is the spelling one
guard.json shares between this CLI and `pulumi preview`. A key written twice is an error.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from serverless_guard.catalog import CATALOG
from serverless_guard.catalog.params import ParamError, parse
from serverless_guard.catalog.rule import Enforcement, Rule
from serverless_guard.errors import ConfigError, did_you_mean
from serverless_guard.strict_json import StrictJsonError, loads

SETTINGS = "serverless-guard"
SETTINGS_KEYS = ("strict_unknowns", "exemptions", "framework_resources", "baseline")
FRAMEWORK_SUPPRESS = "suppress"
FRAMEWORK_CHECK = "check"
RESERVED = ("all", *SETTINGS_KEYS, SETTINGS)


@dataclass(frozen=True, slots=True)
class Config:
    levels: Mapping[str, Enforcement] = field(default_factory=dict)
    params: Mapping[str, object] = field(default_factory=dict)
    all: Enforcement | None = None
    strict_unknowns: bool = False
    exemptions: tuple[Mapping[str, Any], ...] = ()
    framework_resources: str = FRAMEWORK_SUPPRESS
    baseline: str | None = None

    def enforcement(self, rule: Rule) -> Enforcement:
        if rule.id in self.levels:
            return self.levels[rule.id]
        if self.all is not None:
            return self.all
        return rule.default_enforcement

    def params_for(self, rule: Rule) -> object:
        return self.params.get(rule.id) or rule.params()


def _level(value: object, where: str) -> Enforcement:
    try:
        return Enforcement(str(value))
    except ValueError:
        allowed = ", ".join(e.value for e in Enforcement)
        raise ConfigError(
            f"{where}: enforcement level must be one of {allowed}, not {value!r}"
        ) from None


def config_from_mapping(raw: object, source: str = "configuration") -> Config:
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{source}: must be a JSON object")
    rules = {r.id: r for r in CATALOG}
    levels: dict[str, Enforcement] = {}
    params: dict[str, object] = {}
    for key, value in raw.items():
        if key in RESERVED:
            continue
        rule = rules.get(key)
        if rule is None:
            hint = did_you_mean(key, rules) or " (see `serverless-guard rules`)"
            raise ConfigError(f"{source}: unknown rule id {key!r}{hint}")
        if isinstance(value, str):
            levels[key] = _level(value, f"{source}: {key}")
            continue
        if not isinstance(value, Mapping):
            raise ConfigError(f"{source}: {key} must be a level or an object")
        settings = dict(value)
        if "enforcementLevel" in settings:
            levels[key] = _level(settings.pop("enforcementLevel"), f"{source}: {key}")
        try:
            params[key] = parse(rule.params, settings)
        except ParamError as err:
            raise ConfigError(f"{source}: {key}: {err}") from None
    pack = _settings(raw, source)
    strict = pack.get("strict_unknowns", False)
    if not isinstance(strict, bool):
        raise ConfigError(f"{source}: strict_unknowns must be true or false")
    exemptions = pack.get("exemptions", [])
    if not isinstance(exemptions, list) or not all(isinstance(e, Mapping) for e in exemptions):
        raise ConfigError(f"{source}: exemptions must be a list of objects")
    framework = pack.get("framework_resources", FRAMEWORK_SUPPRESS)
    if framework not in (FRAMEWORK_SUPPRESS, FRAMEWORK_CHECK):
        raise ConfigError(
            f"{source}: framework_resources must be {FRAMEWORK_SUPPRESS!r} or "
            f"{FRAMEWORK_CHECK!r}, not {framework!r}"
        )
    baseline = pack.get("baseline")
    if baseline is not None and (not isinstance(baseline, str) or not baseline):
        raise ConfigError(f"{source}: baseline must be the path of a baseline file")
    return Config(
        levels=levels,
        params=params,
        all=_level(raw["all"], f"{source}: all") if "all" in raw else None,
        strict_unknowns=strict,
        exemptions=tuple(exemptions),
        framework_resources=framework,
        baseline=baseline,
    )


def _settings(raw: Mapping[str, Any], source: str) -> dict[str, Any]:
    """The pack-wide keys, from the top level or from the `serverless-guard` object."""
    nested = raw.get(SETTINGS, {})
    if isinstance(nested, str):
        _level(nested, f"{source}: {SETTINGS}")
        nested = {}
    if not isinstance(nested, Mapping):
        raise ConfigError(f"{source}: {SETTINGS} must be a level or an object")
    nested = dict(nested)
    if "enforcementLevel" in nested:
        _level(nested.pop("enforcementLevel"), f"{source}: {SETTINGS}")
    extra = sorted(set(nested) - set(SETTINGS_KEYS))
    if extra:
        raise ConfigError(
            f"{source}: {SETTINGS}: unknown setting {extra[0]!r} "
            f"(allowed: {', '.join(SETTINGS_KEYS)})"
        )
    out = {key: raw[key] for key in SETTINGS_KEYS if key in raw}
    for key, value in nested.items():
        if key in out:
            raise ConfigError(f"{source}: {key} is given both at the top level and in {SETTINGS}")
        out[key] = value
    return out


def load_config(path: str) -> Config:
    """The configuration in a JSON file; its `baseline` is relative to the file's folder."""
    try:
        with open(path, encoding="utf-8") as handle:
            raw = loads(handle.read())
    except FileNotFoundError:
        raise ConfigError("no such file", file=path) from None
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"cannot read: {err}", file=path) from None
    except StrictJsonError as err:
        raise ConfigError(err.message, file=path, line=err.line) from None
    config = config_from_mapping(raw, path)
    if config.baseline is not None and not os.path.isabs(config.baseline):
        folder = os.path.dirname(path)
        config = dataclasses.replace(config, baseline=os.path.join(folder, config.baseline))
    return config
