"""Offline: every network connection or name lookup the program attempts, except to the local
host, is refused, and the first one refused is remembered for the error message."""

from __future__ import annotations

import errno
import ipaddress
import socket
from typing import Any

_BLOCKED: list[str] = []


def _local(host: Any) -> bool:
    if host is None or host in ("", "localhost", b"localhost"):
        return True
    text = host.decode() if isinstance(host, bytes) else str(host)
    try:
        return ipaddress.ip_address(text.split("%")[0]).is_loopback
    except ValueError:
        return text.endswith(".localhost")


def _refuse(host: Any, port: Any) -> OSError:
    where = f"{host}:{port}" if port not in (None, 0, "") else str(host)
    if not _BLOCKED:
        _BLOCKED.append(where)
    return OSError(errno.ENETUNREACH, f"network access is disabled (offline run): {where}")


def install_network_guard() -> None:
    """Refuse every connection and name lookup except to the local host."""
    connect, connect_ex = socket.socket.connect, socket.socket.connect_ex
    getaddrinfo, gethostbyname = socket.getaddrinfo, socket.gethostbyname

    def address_ok(address: Any) -> None:
        if isinstance(address, tuple) and address and not _local(address[0]):
            raise _refuse(address[0], address[1] if len(address) > 1 else None)

    def guarded_connect(self: socket.socket, address: Any) -> None:
        address_ok(address)
        connect(self, address)

    def guarded_connect_ex(self: socket.socket, address: Any) -> int:
        address_ok(address)
        return connect_ex(self, address)

    def guarded_getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if not _local(host):
            raise _refuse(host, port)
        return getaddrinfo(host, port, *args, **kwargs)

    def guarded_gethostbyname(host: str) -> str:
        if not _local(host):
            raise _refuse(host, None)
        return gethostbyname(host)

    setattr(socket.socket, "connect", guarded_connect)  # noqa: B010
    setattr(socket.socket, "connect_ex", guarded_connect_ex)  # noqa: B010
    setattr(socket, "getaddrinfo", guarded_getaddrinfo)  # noqa: B010
    setattr(socket, "gethostbyname", guarded_gethostbyname)  # noqa: B010


def blocked_address() -> str | None:
    """The first address the program tried to reach (`host:port`), if any."""
    return _BLOCKED[0] if _BLOCKED else None
