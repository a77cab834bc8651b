"""What an output builder knows of one resource (`Ctx`), and the deterministic ids, names and
ARNs it derives from it: the same program always gets the same answers."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from serverless_guard.engines.pulumi.mocks.wire import input_text

ACCOUNT = "123456789012"

Outputs = dict[str, Any]


def digest(seed: str) -> str:
    """A hex digest of `seed`: the source of every id, hash and suffix of one resource."""
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Ctx:
    """What an output builder knows of one resource."""

    typ: str
    logical: str
    inputs: Mapping[str, Any]
    region: str
    name: str  # the physical name
    hash: str  # hex digest, stable per resource

    def text(self, key: str) -> str | None:
        return input_text(self.inputs, key)

    def arn(self, service: str, resource: str, *, regional: bool = True) -> str:
        region = self.region if regional else ""
        return f"arn:aws:{service}:{region}:{ACCOUNT}:{resource}"

    def hexid(self, size: int, offset: int = 0) -> str:
        return self.hash[offset : offset + size]

    def alnum(self, size: int) -> str:
        """Lowercase letters and digits, as AWS ids such as API Gateway's look."""
        alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
        number = int(self.hash, 16)
        chars = []
        for _ in range(size):
            number, index = divmod(number, len(alphabet))
            chars.append(alphabet[index])
        return "".join(chars)

    def uuid(self) -> str:
        h = self.hash
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"


Builder = Callable[[Ctx], tuple[str, Outputs]]
