"""The public corpus of real templates (`tests/data/corpus/`, with its licences and sources).

Every template loads (SAM ones through the SAM transform) and evaluates without a crash and
without an `error` verdict, with every rule enabled; and its findings under the default
configuration equal the reviewed snapshot `tests/snapshots/corpus.json`:
`{"cfn/<file>": ["<rule> <resource> <verdict>", ...], ...}`, each list sorted. The hash that
the SAM transform appends to an API's deployment id changes on every run when the API sets
`AlwaysDeploy`, so it is written `Deployment*`.

After a deliberate change to the rules or the engines, regenerate the snapshot and review the
diff before committing it:

    .venv/bin/python tests/test_corpus.py

The corpus lives in the repository (`tests/data/corpus/`, see its README and MANIFEST.tsv).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from serverless_guard.catalog.rule import Outcome
from serverless_guard.config import config_from_mapping
from serverless_guard.engines.cloudformation.stack import LoadedStack, load_file
from serverless_guard.scan import evaluate_stack

CORPUS = Path(__file__).resolve().parent / "data" / "corpus"
SNAPSHOT = Path(__file__).parent / "snapshots" / "corpus.json"
FOLDERS = ("cfn", "serverless-rules")
SUFFIXES = (".yaml", ".yml", ".json")
ALL_RULES = config_from_mapping({"all": "advisory"})
_DEPLOYMENT_HASH = re.compile(r"Deployment[0-9a-f]{10}$")
# The default configuration, with the date runtime deprecations are judged at pinned to the
# snapshot's review, so that an AWS deprecation date passing does not change it silently.
SNAPSHOT_CONFIG = config_from_mapping({"lambda-runtime-supported": {"as_of": "2026-11-29"}})


def corpus_files() -> Iterator[str]:
    for folder in FOLDERS:
        base = CORPUS / folder
        if base.is_dir():
            for path in sorted(base.iterdir()):
                if path.suffix in SUFFIXES:
                    yield f"{folder}/{path.name}"


def load(name: str) -> LoadedStack:
    return load_file(str(CORPUS / name), display_name=name)


def snapshot_of(stack: LoadedStack) -> list[str]:
    """Findings under the default configuration, as `rule resource verdict` lines."""
    return sorted(
        f"{f.rule} {_DEPLOYMENT_HASH.sub('Deployment*', f.resource)} {f.verdict}"
        for f in evaluate_stack(stack, SNAPSHOT_CONFIG)
    )


def read_snapshot() -> dict[str, list[str]]:
    data = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


FILES = list(corpus_files())


@pytest.mark.parametrize("name", FILES)
def test_corpus_template(name: str) -> None:
    stack = load(name)
    errors = [
        f"{f.rule} {f.resource}: {f.message}"
        for f in evaluate_stack(stack, ALL_RULES)
        if f.outcome is Outcome.ERROR
    ]
    assert not errors
    expected = read_snapshot().get(name)
    assert expected is not None, f"{name} is not in the snapshot: run python {__file__}"
    assert snapshot_of(stack) == expected, f"findings changed: review, then run python {__file__}"


def test_snapshot_lists_exactly_the_corpus() -> None:
    assert sorted(read_snapshot()) == sorted(FILES)


def write_snapshot() -> None:
    snapshot = {name: snapshot_of(load(name)) for name in corpus_files()}
    SNAPSHOT.parent.mkdir(exist_ok=True)
    SNAPSHOT.write_text(json.dumps(snapshot, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    count = sum(len(lines) for lines in snapshot.values())
    print(f"wrote {SNAPSHOT}: {len(snapshot)} templates, {count} findings")


if __name__ == "__main__":
    write_snapshot()
