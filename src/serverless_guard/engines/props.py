"""Read facts out of a resolved property tree (see `facts.nodes`), keeping each value's path.

Every engine resolves its raw properties into that tree first; these readers then turn tree
nodes into three-state `Value`s. They accept any `Mapping`/`Sequence`, because engines hand out
read-only proxies as well as dicts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

from serverless_guard.facts.nodes import Opaque, Ref, Text, render
from serverless_guard.facts.value import Absent, Known, Path, Unknown, Value

T = TypeVar("T")


def _is_list(node: object) -> bool:
    return isinstance(node, Sequence) and not isinstance(node, str | bytes)


def scalar_text(node: object) -> str | None:
    """A scalar node as a rendered string; None for mappings and lists."""
    if isinstance(node, Mapping) or _is_list(node):
        return None
    return render(node)


def opaque_reason(node: object) -> str | None:
    """Why a node cannot be known before deployment, or None when it can."""
    if isinstance(node, Opaque):
        return node.what
    if isinstance(node, Text) and node.has_opaque:
        return next(p.what for p in node.parts if isinstance(p, Opaque))
    return None


class Props:
    """A mapping of resolved properties at a path within a resource."""

    __slots__ = ("at", "data")

    def __init__(self, data: Mapping[str, Any], at: Path = ()) -> None:
        self.data = data
        self.at = at

    def __contains__(self, key: str) -> bool:
        return key in self.data and self.data[key] is not None

    def raw(self, key: str) -> Any:
        return self.data.get(key)

    def path(self, *keys: str | int) -> Path:
        return self.at + keys

    def value(self, key: str) -> Value[Any]:
        """The node as it is: Known for literals and structures, Unknown for opaque nodes."""
        node = self.data.get(key)
        at = self.path(key)
        if node is None:
            return Absent(at)
        if isinstance(node, Opaque):
            return Unknown(node.what, at)
        return Known(node, at)

    def string(self, key: str) -> Value[str]:
        """A literal string; references and computed strings are unknown."""
        node = self.data.get(key)
        at = self.path(key)
        if node is None:
            return Absent(at)
        if isinstance(node, str):
            return Known(node, at)
        if isinstance(node, bool | int | float):
            return Known(render(node), at)
        if isinstance(node, Ref | Text | Opaque):
            return Unknown(opaque_reason(node) or f"depends on {render(node)}", at)
        return Unknown(f"unexpected {type(node).__name__} value", at)

    def link(self, key: str) -> Value[str]:
        """Any scalar rendered (references included): for presence checks and links."""
        node = self.data.get(key)
        at = self.path(key)
        if node is None:
            return Absent(at)
        if isinstance(node, Opaque):
            return Unknown(node.what, at)
        text = scalar_text(node)
        if text is None:
            return Unknown(f"unexpected {type(node).__name__} value", at)
        return Known(text, at)

    def integer(self, key: str) -> Value[int]:
        node = self.data.get(key)
        at = self.path(key)
        if node is None:
            return Absent(at)
        if isinstance(node, bool):
            return Unknown(f"unexpected boolean {node}", at)
        if isinstance(node, int):
            return Known(node, at)
        if isinstance(node, float) and node.is_integer():
            return Known(int(node), at)
        if isinstance(node, str):
            try:
                return Known(int(node.strip()), at)
            except ValueError:
                return Unknown(f"not a number: {node[:40]!r}", at)
        return Unknown(opaque_reason(node) or f"depends on {render(node)}", at)

    def boolean(self, key: str) -> Value[bool]:
        node = self.data.get(key)
        at = self.path(key)
        if node is None:
            return Absent(at)
        if isinstance(node, bool):
            return Known(node, at)
        if isinstance(node, str) and node.strip().lower() in ("true", "false"):
            return Known(node.strip().lower() == "true", at)
        return Unknown(opaque_reason(node) or f"depends on {render(node)}", at)

    def strings(self, key: str) -> Value[tuple[str, ...]]:
        """A list of scalars, rendered; a single scalar is a list of one."""
        node = self.data.get(key)
        at = self.path(key)
        if node is None:
            return Absent(at)
        if isinstance(node, Opaque):
            return Unknown(node.what, at)
        if _is_list(node):
            items = [scalar_text(item) for item in node]
            if any(item is None for item in items):
                return Unknown("list with structured items", at)
            return Known(tuple(item for item in items if item is not None), at)
        text = scalar_text(node)
        if text is None:
            return Unknown(f"unexpected {type(node).__name__} value", at)
        return Known((text,), at)

    def child(self, key: str) -> Props | Unknown | Absent:
        node = self.data.get(key)
        at = self.path(key)
        if node is None:
            return Absent(at)
        if isinstance(node, Mapping):
            return Props(node, at)
        return Unknown(opaque_reason(node) or "not a mapping", at)

    def children(self, key: str) -> Iterator[Props]:
        """The mappings of a list property; other items are skipped."""
        node = self.data.get(key)
        if isinstance(node, Sequence) and not isinstance(node, str | bytes):
            for index, item in enumerate(node):
                if isinstance(item, Mapping):
                    yield Props(item, self.path(key, index))


def first_child(props: Props | Unknown | Absent, key: str) -> Props | Unknown | Absent:
    """`props.child(key)` through a chain that may already be absent or unknown."""
    return props.child(key) if isinstance(props, Props) else props


def text_map(props: Props | Unknown | Absent) -> Value[Mapping[str, str]]:
    """A mapping of scalars (environment variables, tags) with its values rendered; a
    structured value renders as an opaque part."""
    if not isinstance(props, Props):
        return props
    out: dict[str, str] = {}
    for key, node in props.data.items():
        text = scalar_text(node)
        out[str(key)] = text if text is not None else Opaque("structured value").render()
    return Known(out, props.at)


def rendered_link(props: Props, key: str) -> Value[str]:
    """`props.link(key)`, except that a value only known at deployment stays known in its
    rendered form (`${?AWS::AccountId}`, `${?parameter Caller}`): rules can then tell a principal
    that is an account from an unknown one."""
    node = props.raw(key)
    if isinstance(node, Opaque):
        return Known(node.render(), props.path(key))
    return props.link(key)


def weakest(values: Sequence[Value[T]], good: Callable[[Value[T]], bool]) -> Value[T]:
    """Of values that must all pass `good` (a table's settings in each of its regions), the
    first that does not, else the first; `values` holds at least one."""
    return next((value for value in values if not good(value)), values[0])


def item_strings(props: Props, key: str, item_key: str) -> Value[tuple[str, ...]]:
    """A string field of each mapping in a list property (the authentication type of each
    additional provider), in order. The list, an item or a field only known at deployment
    makes the whole unknown; an item without the field gives an empty string."""
    node = props.raw(key)
    at = props.path(key)
    if node is None:
        return Absent(at)
    if not _is_list(node):
        return Unknown(opaque_reason(node) or "list built at deployment", at)
    found: list[str] = []
    for index, item in enumerate(node):
        if not isinstance(item, Mapping):
            return Unknown(
                opaque_reason(item) or "item built at deployment", props.path(key, index)
            )
        value = Props(item, props.path(key, index)).string(item_key)
        if isinstance(value, Unknown):
            return value
        found.append(value.value if isinstance(value, Known) else "")
    return Known(tuple(found), at)


def link_text(value: Value[str], what: str) -> str:
    """A link field from a value: its rendered text, or an opaque part naming `what` when the
    value is absent or only known at deployment."""
    return value.value if isinstance(value, Known) else Opaque(what).render()


def link_texts(props: Props, *keys: str) -> tuple[str, ...]:
    """The rendered links of list properties (a whole list only known at deployment is one
    opaque link)."""
    out: list[str] = []
    for key in keys:
        value = props.strings(key)
        if isinstance(value, Known):
            out.extend(value.value)
        elif isinstance(value, Unknown):
            out.append(Opaque(value.reason).render())
    return tuple(out)
