"""Plausible outputs of the `random` provider's resources (strings, ids, integers, pets)."""

from __future__ import annotations

from serverless_guard.engines.pulumi.mocks.resource_context import Ctx, Outputs
from serverless_guard.engines.pulumi.mocks.wire import unwrap


def random_outputs(c: Ctx) -> tuple[str, Outputs]:
    """The id and outputs of a `random:` resource, by its kind (the type's last segment)."""
    length = unwrap(c.inputs.get("length"))
    size = int(length) if isinstance(length, int | float) and 0 < length <= 64 else 16
    kind = c.typ.rsplit(":", 1)[-1]
    if kind in ("RandomString", "RandomPassword"):
        value = c.alnum(size)
        return "none", {"result": value, "bcryptHash": c.hash}
    if kind == "RandomId":
        width = unwrap(c.inputs.get("byteLength"))
        hexed = c.hash[: 2 * int(width) if isinstance(width, int | float) else 16]
        return hexed, {"hex": hexed, "b64Url": hexed, "b64Std": hexed, "dec": str(int(hexed, 16))}
    if kind == "RandomPet":
        return f"{c.logical}-pet", {}
    if kind == "RandomInteger":
        low, high = unwrap(c.inputs.get("min")), unwrap(c.inputs.get("max"))
        number = int(low) if isinstance(low, int | float) else 0
        if isinstance(high, int | float) and high > number:
            number += int(c.hash[:8], 16) % (int(high) - number + 1)
        return str(number), {"result": number}
    if kind == "RandomUuid":
        return c.uuid(), {"result": c.uuid()}
    return c.logical, {}
