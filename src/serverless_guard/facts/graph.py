"""All facts of one stack, with the links between them."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import TypeVar

from serverless_guard.facts.base import ALWAYS, Resource
from serverless_guard.facts.nodes import INSIDE

F = TypeVar("F", bound=Resource)
T = TypeVar("T")
# `${Id}` (not `${Id.Attr}`); a Pulumi URN may hold periods (`urn:pulumi:dev.eu::app::...`).
_REF = re.compile(r"\$\{(urn:pulumi:" + INSIDE + r"|[^?}.$][^}.$]*+)\}")


class Graph:
    """Facts of one stack, indexed by kind, id and alias.

    Links are rendered strings (see `facts.nodes.render`). A link denotes a resource when its
    canonical form equals one of the resource's canonical aliases. The canonical form replaces a
    reference `${X}` by X's literal name where that is known, so `/aws/lambda/${Fn}` and
    `/aws/lambda/orders` match when Fn is named `orders`.
    """

    def __init__(self, facts: Sequence[Resource]) -> None:
        self.facts = tuple(facts)
        self._by_kind: dict[type[Resource], list[Resource]] = defaultdict(list)
        self._by_id: dict[str, list[Resource]] = defaultdict(list)
        for fact in self.facts:
            self._by_kind[type(fact)].append(fact)
            self._by_id[fact.id].append(fact)
        self._ref_values = {
            fact.id: fact.ref_value for fact in self.facts if fact.ref_value is not None
        }
        self._canonical: dict[str, str] = {}
        self._of_kind: dict[type[Resource], tuple[Resource, ...]] = {}
        # Link indexes for `linked`, by kind and by the identity of the links function's code.
        self._links: dict[tuple[type[Resource], int], tuple[object, dict[str, list[int]]]] = {}
        self._memo: dict[Hashable, object] = {}
        self._by_alias: dict[str, list[Resource]] = defaultdict(list)
        for fact in self.facts:
            for alias in fact.aliases:
                self._by_alias[self.canonical(alias)].append(fact)

    def memo(self, key: Hashable, build: Callable[[], T]) -> T:
        """A value derived from the whole graph, built once per graph: rules that compare a
        resource with all others index them here instead of scanning the stack per resource."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]  # type: ignore[return-value]

    def conditional(self, subject: Resource) -> tuple[Resource, ...]:
        """Facts that may be missing where `subject` exists: they exist only under a condition
        decided at deployment that is not the subject's own (see `Resource.deployed`)."""
        found: tuple[Resource, ...] = self.memo(
            "facts deployed under a condition",
            lambda: tuple(f for f in self.facts if f.deployed != ALWAYS),
        )
        return tuple(f for f in found if f.deployed != subject.deployed)

    def deployed_with(self, subject: Resource) -> Graph:
        """The stack as deployed where `subject` exists and every condition that is not its own
        is false: without the facts of `conditional(subject)`."""
        return self.memo(
            ("deployed with", subject.deployed),
            lambda: Graph([f for f in self.facts if f.deployed in (ALWAYS, subject.deployed)]),
        )

    def of_kind(self, kind: type[F]) -> tuple[F, ...]:
        found = self._of_kind.get(kind)
        if found is None:
            found = self._of_kind[kind] = tuple(
                f for f in self._by_kind.get(kind, ()) if isinstance(f, kind)
            )
        return found  # type: ignore[return-value]

    def by_id(self, resource_id: str) -> list[Resource]:
        return list(self._by_id.get(resource_id, ()))

    def canonical(self, link: str) -> str:
        if "${" not in link:
            return link
        known = self._canonical.get(link)
        if known is not None:
            return known

        def substitute(match: re.Match[str]) -> str:
            value = self._ref_values.get(match.group(1))
            return value if value is not None else match.group(0)

        known = self._canonical[link] = _REF.sub(substitute, link)
        return known

    def resolve(self, link: str, kind: type[F]) -> list[F]:
        """The facts of `kind` that `link` denotes."""
        return [f for f in self._by_alias.get(self.canonical(link), ()) if isinstance(f, kind)]

    def linked(
        self, kind: type[F], links: Callable[[F], Iterable[str]], target: Resource
    ) -> list[F]:
        """The facts of `kind` with a link (given by `links`) that denotes `target`.

        A `links` function without a closure (a rule's lambda) computes the same links on every
        call, so its links are indexed once per graph: rules that ask for every resource stay
        linear in the size of the stack.
        """
        wanted = {self.canonical(a) for a in target.aliases}
        facts = self.of_kind(kind)
        code = getattr(links, "__code__", None)
        if code is None or getattr(links, "__closure__", None) is not None:
            return [f for f in facts if any(self.canonical(x) in wanted for x in links(f))]
        key = (kind, id(code))
        cached = self._links.get(key)
        if cached is None or cached[0] is not code:
            index: dict[str, list[int]] = defaultdict(list)
            for position, fact in enumerate(facts):
                for link in {self.canonical(x) for x in links(fact)}:
                    index[link].append(position)
            cached = self._links[key] = (code, index)
        positions = sorted({p for w in wanted for p in cached[1].get(w, ())})
        return [facts[p] for p in positions]
