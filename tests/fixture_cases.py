"""Rule fixtures: `tests/fixtures/rules/<rule-id>/<expectation>_<case>.<engine suffix>`.

Expectations: `pass`, `fail`, `unknown`, `na` (not applicable). Engine suffixes: `.yaml` or
`.json` for CloudFormation, `.sam.yaml` for SAM. A YAML fixture may start with comment lines:
`# config: {...}` (the configuration, as in guard.json) and `# resource: Id` (the logical id,
or SAM resource id, that the expectation is about).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
EXPECTATIONS = ("pass", "fail", "unknown", "na")


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


def engine_of(path: Path) -> str | None:
    name = path.name
    if name.endswith(".sam.yaml"):
        return "sam"
    if name.endswith((".yaml", ".yml", ".json")):
        return "cloudformation"
    return None


def _header(path: Path) -> tuple[dict[str, object], str | None]:
    config: dict[str, object] = {}
    resource = None
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
