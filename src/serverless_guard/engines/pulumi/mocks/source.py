"""Where the program declared a resource: the innermost frame of a registration's stack trace
that lies in the project's own files (not in an installed package, not in these mocks)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from urllib.request import url2pathname

_MOCKS = Path(__file__).resolve().parent
_INSTALLED = frozenset({"site-packages", "dist-packages"})


def _positions(request: Any) -> Iterable[Any]:
    """The source positions of a registration, innermost first (the SDK sends the program's
    frames as `stackTrace`, the caller of the resource's constructor first)."""
    trace = getattr(request, "stackTrace", None)
    frames = list(getattr(trace, "frames", None) or ())
    if frames:
        return [frame.pc for frame in frames if frame.HasField("pc")]
    return [request.sourcePosition] if request.HasField("sourcePosition") else []


def _path(uri: str) -> Path | None:
    parsed = urlparse(uri)
    if parsed.scheme != "file" or not parsed.path:
        return None
    return Path(url2pathname(parsed.path))


def declared_at(request: Any, root: Path) -> dict[str, Any] | None:
    """The file (relative to `root`) and line of the innermost project frame, if any."""
    for position in _positions(request):
        path = _path(str(position.uri))
        if path is None or not path.is_absolute() or position.line <= 0:
            continue
        if _INSTALLED & set(path.parts) or path.is_relative_to(_MOCKS):
            continue
        if path.is_relative_to(root):
            return {"file": str(path.relative_to(root)), "line": int(position.line)}
    return None
