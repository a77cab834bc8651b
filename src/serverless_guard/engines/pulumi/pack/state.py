"""What the policies share: the rules, and one extraction per engine request.

pulumi-policy calls each policy separately, with its own copy of the request's resources. The
settings and the facts (and the graph) are computed once per engine request and shared by all
policies of that request; each policy then runs its own rule.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar, cast

from serverless_guard.catalog import CATALOG
from serverless_guard.catalog.rule import Rule
from serverless_guard.engines.pulumi.pack.args import resource_of, stack_resources
from serverless_guard.engines.pulumi.pack.channel import Channel
from serverless_guard.engines.pulumi.pack.extraction import Extracted, extract
from serverless_guard.engines.pulumi.pack.settings import PackSettings, settings_from

T = TypeVar("T")


class RequestCache:
    """Values computed once per engine request, keyed by an object unique to the request."""

    def __init__(self, size: int = 32) -> None:
        self._lock = threading.Lock()
        self._size = size
        self._entries: OrderedDict[tuple[int, Hashable], tuple[object, object]] = OrderedDict()

    def get(self, request: object | None, key: Hashable, build: Callable[[], T]) -> T:
        if request is None:
            return build()
        slot = (id(request), key)
        with self._lock:
            hit = self._entries.get(slot)
            if hit is not None and hit[0] is request:
                self._entries.move_to_end(slot)
                return cast(T, hit[1])
        value = build()
        with self._lock:
            self._entries[slot] = (request, value)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return value


class PackState:
    """The policies' shared state: the rules, and one evaluation per engine request."""

    def __init__(self, rules: Sequence[Rule] = CATALOG) -> None:
        self.rules = tuple(rules)
        self._cache = RequestCache()

    def settings(self, channel: Channel) -> PackSettings:
        return self._cache.get(
            channel.request,
            "settings",
            lambda: settings_from(channel.policy_config(), channel.levels(), self.rules),
        )

    def resource_facts(self, channel: Channel, args: Any) -> Extracted:
        return self._cache.get(
            channel.request, ("resource", str(args.urn)), lambda: extract([resource_of(args)])
        )

    def stack_facts(self, channel: Channel, args: Any) -> Extracted:
        return self._cache.get(channel.request, "stack", lambda: extract(stack_resources(args)))
