"""A secure construct takes exactly the arguments of the L2 it subclasses.

`same_arguments_as(s3.Bucket.__init__)` on `SecureBucket.__init__` gives it, for mypy and for
`inspect.signature`/`help`, the L2's own signature (scope, id and every keyword argument, struct
arguments as structs or dicts alike). At run time, arguments the L2 would refuse (one missing, a
misspelled keyword) raise the L2's own `TypeError` before the construct builds anything.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from typing import ParamSpec

from constructs import Construct

P = ParamSpec("P")


def same_arguments_as(
    base: Callable[P, None],
) -> Callable[[Callable[..., None]], Callable[P, None]]:
    """Decorate a subclass's `__init__` with the signature of `base` (the L2's `__init__`)."""
    signature = inspect.signature(base)

    def decorate(init: Callable[..., None]) -> Callable[P, None]:
        @functools.wraps(init)
        def checked(*args: P.args, **kwargs: P.kwargs) -> None:
            try:
                signature.bind(*args, **kwargs)
            except TypeError:
                base(*args, **kwargs)  # raises the L2's own error for these arguments
                raise
            init(*args, **kwargs)

        # `inspect.signature` follows `__wrapped__`: help() shows the L2's arguments.
        functools.update_wrapper(checked, base, assigned=(), updated=())
        return checked

    return decorate


def init_l2(
    init: Callable[..., None], scope: Construct, id: str, arguments: Mapping[str, object]
) -> None:
    """Run the L2's constructor (`super().__init__`) with the layered arguments. Their types are
    those the user passed, checked by the L2 itself (jsii checks every argument's type)."""
    init(scope, id, **arguments)
