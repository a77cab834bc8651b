"""All facts of one stack, with the links between them."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from serverless_guard.facts.base import Resource

F = TypeVar("F", bound=Resource)
_REF = re.compile(r"\$\{([^?}.][^}.]*)\}")


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
        self._by_alias: dict[str, list[Resource]] = defaultdict(list)
        for fact in self.facts:
            for alias in fact.aliases:
                self._by_alias[self.canonical(alias)].append(fact)

    def of_kind(self, kind: type[F]) -> list[F]:
        return [f for f in self._by_kind.get(kind, ()) if isinstance(f, kind)]

    def by_id(self, resource_id: str) -> list[Resource]:
        return list(self._by_id.get(resource_id, ()))

    def canonical(self, link: str) -> str:
        if "${" not in link:
            return link

        def substitute(match: re.Match[str]) -> str:
            value = self._ref_values.get(match.group(1))
            return value if value is not None else match.group(0)

        return _REF.sub(substitute, link)

    def resolve(self, link: str, kind: type[F]) -> list[F]:
        """The facts of `kind` that `link` denotes."""
        return [f for f in self._by_alias.get(self.canonical(link), ()) if isinstance(f, kind)]

    def linked(
        self, kind: type[F], links: Callable[[F], Iterable[str]], target: Resource
    ) -> list[F]:
        """The facts of `kind` with a link (given by `links`) that denotes `target`."""
        wanted = {self.canonical(a) for a in target.aliases}
        return [
            fact
            for fact in self.of_kind(kind)
            if any(self.canonical(link) in wanted for link in links(fact))
        ]
