"""Which rules become stack policies: those whose verdict on a fact may depend on other resources.

A rule that reads the stack's graph (`ctx.graph`) becomes a stack validation policy, run once per
`AnalyzeStack` with every resource and the property dependencies between them. Every other rule
becomes a resource validation policy, run by `Analyze` on each resource as `pulumi preview`
registers it (earlier feedback, one resource's facts).

`reads_graph` decides from the rule's code: its check function, the functions defined in the
package that it calls by name (transitively, so a helper that receives `ctx` counts), and the
functions nested in them, looking for an access to `graph`. Anything it cannot analyse counts as
reading the graph. A test runs every rule on every rule fixture with a graph that records access
and checks that no rule classified as a resource policy touches it.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator, Sequence
from types import CodeType, FunctionType, ModuleType

from serverless_guard.catalog.rule import Rule


def reads_graph(rule: Rule) -> bool:
    """True when the rule may read the stack's graph (see the module docstring)."""
    if not rule.wants_context:
        return False
    check = inspect.unwrap(rule.check)
    if not isinstance(check, FunctionType):
        return True
    return _function_reads_graph(check, set())


def _codes(code: CodeType) -> Iterator[CodeType]:
    yield code
    for const in code.co_consts:
        if isinstance(const, CodeType):
            yield from _codes(const)


def _own(obj: object) -> bool:
    return str(getattr(obj, "__module__", "") or "").startswith("serverless_guard.")


def _callees(target: object, names: Sequence[str], module: str) -> Iterator[FunctionType]:
    """The functions a name in a rule's code may call: functions of the package (or of the
    rule's own module), and the named members of the package's modules."""
    target = inspect.unwrap(target) if callable(target) else target
    if isinstance(target, FunctionType) and (_own(target) or target.__module__ == module):
        yield target
    elif isinstance(target, ModuleType) and target.__name__.startswith("serverless_guard."):
        for name in names:
            member = getattr(target, name, None)
            if isinstance(member, FunctionType):
                yield member


def _function_reads_graph(function: FunctionType, seen: set[CodeType]) -> bool:
    if function.__code__ in seen:
        return False
    seen.add(function.__code__)
    for code in _codes(function.__code__):
        if "graph" in code.co_names or "graph" in code.co_consts:
            return True
        for name in code.co_names:
            target = function.__globals__.get(name)
            for callee in _callees(target, code.co_names, function.__module__):
                if _function_reads_graph(callee, seen):
                    return True
    return False
