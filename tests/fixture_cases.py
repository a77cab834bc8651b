"""Rule fixtures: `tests/fixtures/rules/<rule-id>/<expectation>_<case>.<engine suffix>`.

Expectations: `pass`, `fail`, `unknown`, `na` (not applicable). Engine suffixes: `.yaml` or
`.json` for CloudFormation, `.sam.yaml` for SAM, `.pulumi.json` for pulumi-aws (classic) and
`.native.json` for aws-native. A YAML fixture may start with comment lines:
`# config: {...}` (the configuration, as in guard.json) and `# resource: Id` (the logical id,
or SAM resource id, that the expectation is about).

A Pulumi fixture is a JSON object:

    {"resource": "fn", "config": {}, "resources": [
       {"type": "aws:iam/role:Role", "name": "role", "props": {"assumeRolePolicy": "{...}"}},
       {"type": "aws:lambda/function:Function", "name": "fn",
        "props": {"role": "$unknown", "runtime": "python3.12"},
        "dependencies": {"role": ["role"]}}]}

- `props`: the resource's inputs as the engine sends them to a policy pack (camelCase); the
  string `"$unknown"` anywhere stands for a value unknown during preview.
- `dependencies`: for each input property, the names of the resources its value was computed
  from (they become property dependencies on those resources' URNs).
- `parent` (optional): the name of the parent resource.
- `resource` (optional): the Pulumi resource name the expectation is about; `config`
  (optional): the configuration, as in guard.json.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from serverless_guard.engines.pulumi.model import PulumiResource

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
EXPECTATIONS = ("pass", "fail", "unknown", "na")
PULUMI_ENGINES = ("pulumi", "native")

# What a fixture's "$unknown" becomes: the engine's sentinel for an unknown string (rules and
# extractors treat every sentinel alike).
UNKNOWN = "$unknown"
UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
FIXTURE_KEYS = {"resource", "config", "resources"}
RESOURCE_KEYS = {"type", "name", "props", "dependencies", "parent"}


@dataclass(frozen=True)
class Case:
    rule: str
    expectation: str
    path: Path
    engine: str
    config: dict[str, object]
    resource: str | None

    @property
    def id(self) -> str:
        return f"{self.rule}/{self.path.name}"

    @property
    def stem(self) -> str:
        """The case name without the engine suffix: same-stem cases mirror each other."""
        return stem_of(self.path)


def engine_of(path: Path) -> str | None:
    name = path.name
    if name.endswith(".sam.yaml"):
        return "sam"
    if name.endswith(".pulumi.json"):
        return "pulumi"
    if name.endswith(".native.json"):
        return "native"
    if name.endswith((".yaml", ".yml", ".json")):
        return "cloudformation"
    return None


def stem_of(path: Path) -> str:
    name = path.name
    for suffix in (".sam.yaml", ".pulumi.json", ".native.json", ".yaml", ".yml", ".json"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _header(path: Path) -> tuple[dict[str, object], str | None]:
    config: dict[str, object] = {}
    resource = None
    if engine_of(path) in PULUMI_ENGINES:
        data = json.loads(path.read_text())
        return dict(data.get("config") or {}), data.get("resource")
    if path.suffix in (".yaml", ".yml"):
        for line in path.read_text().splitlines():
            if not line.startswith("#"):
                break
            body = line[1:].strip()
            if body.startswith("config:"):
                config = json.loads(body[len("config:") :])
            elif body.startswith("resource:"):
                resource = body[len("resource:") :].strip()
    return config, resource


def all_cases() -> list[Case]:
    cases: list[Case] = []
    for folder in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        for path in sorted(folder.iterdir()):
            engine = engine_of(path)
            expectation = path.name.split("_", 1)[0]
            if engine is None or expectation not in EXPECTATIONS:
                continue
            config, resource = _header(path)
            cases.append(Case(folder.name, expectation, path, engine, config, resource))
    return cases


def urn_of(type_: str, name: str) -> str:
    return f"urn:pulumi:test::proj::{type_}::{name}"


def with_sentinels(value: Any) -> Any:
    """Fixture props with every "$unknown" replaced by the engine's unknown sentinel."""
    if value == UNKNOWN:
        return UNKNOWN_SENTINEL
    if isinstance(value, Mapping):
        return {key: with_sentinels(item) for key, item in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [with_sentinels(item) for item in value]
    return value


def pulumi_resources(path: Path) -> list[PulumiResource]:
    """The resources of a Pulumi fixture, as a policy pack would receive them."""
    data = json.loads(path.read_text())
    assert set(data) <= FIXTURE_KEYS, f"{path.name}: unexpected keys {set(data) - FIXTURE_KEYS}"
    entries = data["resources"]
    urns: dict[str, str] = {}
    for entry in entries:
        extra = set(entry) - RESOURCE_KEYS
        assert not extra, f"{path.name}: unexpected resource keys {extra}"
        name = entry["name"]
        assert name not in urns, f"{path.name}: two resources named {name}"
        urns[name] = urn_of(entry["type"], name)

    def urn(name: str) -> str:
        assert name in urns, f"{path.name}: dependency on unknown resource {name}"
        return urns[name]

    resources: list[PulumiResource] = []
    for entry in entries:
        by_property = {
            prop: tuple(urn(name) for name in names)
            for prop, names in (entry.get("dependencies") or {}).items()
        }
        resources.append(
            PulumiResource(
                urn=urns[entry["name"]],
                type=entry["type"],
                name=entry["name"],
                props=with_sentinels(entry.get("props") or {}),
                property_dependencies=by_property,
                dependencies=tuple(dict.fromkeys(u for us in by_property.values() for u in us)),
                parent=urn(entry["parent"]) if entry.get("parent") else None,
            )
        )
    return resources
