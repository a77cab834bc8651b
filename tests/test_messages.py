"""Findings in the user's own words, over every rule's fixtures.

For each rule, on each engine, the message of every failing fixture names the fix as that
engine spells it (CloudFormation, SAM, pulumi-aws and aws-native as `pulumi preview` shows
them, and in a Python program's argument names) and none of another engine's names. Each rule
declares the fixes its failures give (`@rule(fixes=...)`): every fix a fixture gets is declared,
and every declared fix has a spelling for every resource its fixtures hold, on every engine.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import pytest
from fixture_cases import PULUMI_ENGINES, Case, all_cases, pulumi_resources

from serverless_guard.catalog import BY_ID, CATALOG
from serverless_guard.catalog.fix import Fix, Setting
from serverless_guard.catalog.rule import Enforcement, Outcome, Verdict
from serverless_guard.config import config_from_mapping
from serverless_guard.engines.cloudformation.stack import load_file
from serverless_guard.engines.pulumi.extract import facts_from
from serverless_guard.evaluate import results
from serverless_guard.facts.base import Resource
from serverless_guard.facts.value import Absent, known_or
from serverless_guard.naming import (
    Dialect,
    Wording,
    Words,
    cloudformation,
    message,
    native,
    pulumi_aws,
    sam,
    words_in,
)
from serverless_guard.naming import cdk as cdk_names
from serverless_guard.naming.display import to_python
from serverless_guard.naming.render import choose
from serverless_guard.naming.spelling import ANY_KEY, ENTRY, Spelling, lookup
from serverless_guard.naming.templates import TemplateWords
from serverless_guard.naming.wording import spellings

CASES = all_cases()
FAILING = [c for c in CASES if c.expectation == "fail"]


@dataclass(frozen=True)
class Worded:
    """One failing verdict of a fixture, worded in one dialect."""

    verdict: Verdict
    subject: Resource
    wording: Wording
    message: str
    resources: frozenset[str] = frozenset()
    """The names of the stack's resources, which a message may mention."""

    @property
    def dialect(self) -> str:
        """`cloudformation`, `sam`, `cdk`, `pulumi`, `native`, `pulumi-python`, `native-python`."""
        name = self.wording.dialect.value
        if native.is_native(self.wording.type) and self.wording.dialect in (
            Dialect.PULUMI,
            Dialect.PULUMI_PYTHON,
        ):
            return name.replace("pulumi", "native")
        return name


def stack_of(case: Case) -> tuple[list[Resource], list[Words]]:
    """A fixture's facts, and how each of its engines words them (a template's resources also
    as a CDK app's L1 constructs)."""
    if case.engine in PULUMI_ENGINES:
        words = [words_in(Dialect.PULUMI), words_in(Dialect.PULUMI_PYTHON)]
        return facts_from(pulumi_resources(case.path)), words
    stack = load_file(str(case.path))
    if case.engine == "cloudformation":  # and as the L1 constructs of a CDK app declare them
        return stack.facts, [TemplateWords(stack), words_in(Dialect.CDK)]
    return stack.facts, [TemplateWords(stack)]


def worded(case: Case) -> list[Worded]:
    raw = {case.rule: {"enforcementLevel": Enforcement.MANDATORY.value}, **case.config}
    facts, words = stack_of(case)
    resources = frozenset(
        name
        for f in facts
        for name in (f.name, f.id, f.ref_value, known_or(getattr(f, "stage_name", Absent()), None))
        if name
    )
    out: list[Worded] = []
    for result in results(facts, config_from_mapping(raw), [BY_ID[case.rule]]):
        verdict, subject = result.verdict, result.subject
        if verdict.outcome is Outcome.FAIL:
            for word in words:
                text = message(verdict, subject, word)
                out.append(Worded(verdict, subject, word(subject), text, resources))
    return out


def names(spelling: Spelling, companions: bool = True) -> set[str]:
    """The property names a spelling writes (a document's keys included: the engine writes
    them as they are), with those of its companions (which only a new entry needs)."""
    out: set[str] = set()
    paths = (
        (spelling.path, *(p for p, _ in spelling.companions)) if companions else (spelling.path,)
    )
    for path in paths:
        out.update(p for p in path if isinstance(p, str) and p not in (ENTRY, ANY_KEY, "Globals"))
    return out


@cache
def names_by_dialect(key: str) -> dict[str, frozenset[str]]:
    """Every name each dialect has for a fact field, over all resource types."""
    cfn = [s for t in cloudformation.NAMES for s in cloudformation.spellings(t, key)]
    classic = [s for t in pulumi_aws.NAMES for s in pulumi_aws.spellings(t, key)]
    natives = [
        s for t in cloudformation.NAMES for s in native.spellings(native.native_type(t), key)
    ]
    sams = [
        s
        for sam_type in sam.MAIN_RESOURCES
        for t in cloudformation.NAMES
        for s in sam.explicit(sam_type, t, key) or sam.passthrough(sam_type, t, key)
    ]
    cdk = [
        *(s for t in cdk_names.L2 for s in lookup(cdk_names.L2, t, key)),
        *(s for table in cdk_names.OWNERS.values() for s in lookup(table, "*", key)),
        *(s for t in cloudformation.NAMES for s in cdk_names.l1_spellings(t, key)),
    ]
    spelled = {
        "cloudformation": cfn,
        "sam": sams,
        "pulumi": classic,
        "native": natives,
        "pulumi-python": [to_python(s) for s in classic],
        "native-python": [to_python(s) for s in natives],
        "cdk": cdk,
    }
    return {d: frozenset(n for s in found for n in names(s)) for d, found in spelled.items()}


def distinctive(name: str) -> bool:
    """A name no English sentence uses as it is: it has a capital or an underscore."""
    return name != name.lower() or "_" in name


def contains(text: str, name: str) -> bool:
    return re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", text) is not None


WORDED = [(case, w) for case in FAILING for w in worded(case)]
WITH_FIX = [(c, w) for c, w in WORDED if w.verdict.fix is not None]


def _id(case: Case, w: Worded) -> str:
    return f"{case.id}/{w.dialect}/{w.subject.name}"


@pytest.mark.parametrize(("case", "w"), WITH_FIX, ids=[_id(c, w) for c, w in WITH_FIX])
def test_the_fix_is_in_the_engines_words(case: Case, w: Worded) -> None:
    assert w.verdict.fix is not None
    for setting in w.verdict.fix.settings:
        wording = w.wording if setting.on is None else _words_for(case, w, setting.on)
        candidates = spellings(wording, setting)
        at = (w.verdict.at or w.subject.at) if setting.on is None else ()
        if choose(candidates, at).instead:  # the engine cannot set it: it says what instead
            assert choose(candidates, at).instead in w.message
            continue
        found = [s for s in candidates if not s.instead]
        if w.wording.dialect is Dialect.PULUMI_PYTHON:
            found = [to_python(s) for s in found]
        assert any(all(contains(w.message, n) for n in names(s, False)) for s in found), (
            w.message,
            [names(s, False) for s in found],
        )


@pytest.mark.parametrize(("case", "w"), WORDED, ids=[_id(c, w) for c, w in WORDED])
def test_no_other_engines_names(case: Case, w: Worded) -> None:
    keys = {s.key for s in (w.verdict.fix.settings if w.verdict.fix else ())}
    keys |= {k for rule_fix in BY_ID[case.rule].fixes for k in _keys(rule_fix)}
    own = {n for key in keys for n in names_by_dialect(key)[w.dialect]}
    foreign = {
        name
        for key in keys
        for dialect, found in names_by_dialect(key).items()
        if dialect != w.dialect
        for name in found
        if distinctive(name) and name not in own
    }
    text = without_names(w.message, w.resources)
    assert not [name for name in foreign if contains(text, name)], w.message


# Resource types (`AWS::Lambda::Url`, `aws:lambda:FunctionUrl`, `aws.lambda_.FunctionUrl`) and
# IAM condition keys (`aws:SourceArn`), which are no engine's property names.
_TYPES = re.compile(
    r"AWS::\w+::\w+|aws(?:-native)?:[\w/]+:\w+|aws(?:_native)?\.\w+\.\w+|\b[a-z-]+:[A-Za-z]+"
)


def without_names(text: str, resources: frozenset[str]) -> str:
    """A message without the resource types and resource names it mentions."""
    text = _TYPES.sub(" ", text)
    for name in sorted(resources, key=len, reverse=True):
        text = re.sub(rf"(?<![\w]){re.escape(name)}(?![\w])", " ", text)
    return text


def _keys(fix: Fix) -> set[str]:
    return {s.key for s in fix.settings}


def _words_for(case: Case, w: Worded, other: Resource) -> Wording:
    if w.wording.dialect in (Dialect.PULUMI, Dialect.PULUMI_PYTHON, Dialect.CDK):
        return Wording(w.wording.dialect, other.type)
    return TemplateWords(load_file(str(case.path)))(other)


def test_every_rule_with_failing_fixtures_is_checked_on_every_engine() -> None:
    """The fixture-wide checks cover every rule on the engines its fixtures hold, SAM, pulumi-aws
    and aws-native included."""
    covered = {(c.rule, c.engine) for c, _ in WORDED}
    expected = {(c.rule, c.engine) for c in FAILING}
    assert covered == expected
    assert {"cloudformation", "sam", "pulumi", "native"} <= {e for _, e in covered}


def test_every_fix_a_rule_gives_is_declared() -> None:
    """`@rule(fixes=...)` lists the fact fields of every fix its failures give."""
    undeclared = {
        (c.rule, s.key)
        for c, w in WITH_FIX
        if w.verdict.fix is not None
        for s in w.verdict.fix.settings
        if s.key not in {k for f in BY_ID[c.rule].fixes for k in _keys(f)}
    }
    assert not undeclared


COMPLETE = [
    (case, rule_fix) for case in CASES for rule_fix in BY_ID[case.rule].fixes if case.rule in BY_ID
]


def _subjects(case: Case) -> Iterator[tuple[Resource, list[Words]]]:
    kinds = BY_ID[case.rule].subjects
    facts, words = stack_of(case)
    for fact in facts:
        if type(fact) in kinds:
            yield fact, words


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_every_declared_fix_has_a_spelling_for_each_resource_of_the_fixtures(case: Case) -> None:
    """A fix field with no spelling on an engine the rule supports fails here (a table entry is
    missing), for every resource type the rule's fixtures hold."""
    missing: set[tuple[str, str, str]] = set()
    for rule_fix in BY_ID[case.rule].fixes:
        for setting in rule_fix.settings:
            for fact, words in _subjects(case):
                for word in words:
                    wording = word(fact)
                    if not _spelled(wording, setting):
                        missing.add((wording.dialect.value, wording.type, setting.key))
    assert not missing


def _spelled(wording: Wording, setting: Setting) -> bool:
    return bool(spellings(wording, setting))


def test_rules_without_fixes_still_name_no_engines_properties() -> None:
    """A rule whose failures have no fix says what to do in plain words (a message that
    names a property names it as one engine spells it)."""
    without = {r.id for r in CATALOG if not r.fixes}
    for case, w in WORDED:
        if case.rule in without:
            assert w.verdict.fix is None


@cache
def all_names_by_dialect() -> dict[str, frozenset[str]]:
    """Every name each dialect has, for every fact field of the tables."""
    keys = {
        key
        for table in (cloudformation.NAMES, pulumi_aws.NAMES)
        for fields in table.values()
        for key in fields
    }
    out: dict[str, set[str]] = {}
    for key in keys:
        for dialect, found in names_by_dialect(key).items():
            out.setdefault(dialect, set()).update(found)
    return {dialect: frozenset(found) for dialect, found in out.items()}


@pytest.mark.parametrize(("case", "w"), WORDED, ids=[_id(c, w) for c, w in WORDED])
def test_no_message_names_another_engines_property(case: Case, w: Worded) -> None:
    """Whatever its fix, a message names no property as another engine spells it (a problem
    text that says `has no TracingConfig` to a Pulumi user fails here)."""
    names = all_names_by_dialect()
    own = names[w.dialect]
    foreign = {
        name
        for dialect, found in names.items()
        if dialect != w.dialect
        for name in found
        if distinctive(name) and name not in own and len(name) > 3
    }
    text = without_names(w.message, w.resources)
    assert not [name for name in foreign if contains(text, name)], w.message
