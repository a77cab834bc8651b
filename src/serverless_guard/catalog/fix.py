"""How a finding is fixed, in engine-neutral terms: which fact fields to set, and to what.

A rule's message says what is wrong; its `Fix` says which fields of which fact kinds hold the
fix (`Table.point_in_time_recovery`) and the values that fix them (`True`), never an engine's
property names. Each front end renders the fix in the words of the user's engine
(`serverless_guard.naming`): `pointInTimeRecovery.enabled` at `pulumi preview`,
`point_in_time_recovery={"enabled": True}` in a Pulumi Python program,
`PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled` in a template.

```python
PITR = Fix.set(Table, "point_in_time_recovery", True)
ENCRYPT = Fix.set(Table, "sse_enabled", True).also(Table, "kms_key", CUSTOMER_KEY)
FAILURES = Fix.set(Function, "dead_letter_target", QUEUE_ARN).otherwise(
    EventInvokeConfig, "on_failure", QUEUE_ARN
)
```
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from serverless_guard.facts.base import Resource


@dataclass(frozen=True, slots=True)
class Choice:
    """A value the user chooses, described: `Choice("a customer-managed KMS key's ARN")`."""

    text: str


@dataclass(frozen=True, slots=True)
class AnyOf:
    """Any one of a few literal values: `AnyOf(("ERROR", "INFO"))`, the first preferred."""

    values: tuple[str, ...]


FixValue = bool | int | str | Choice | AnyOf

# Values many fixes use.
CUSTOMER_KEY = Choice("a customer-managed KMS key")
KMS_KEY = Choice("a KMS key")


@dataclass(frozen=True, slots=True)
class Setting:
    """Set `field` of a fact of `kind` to `value`. `kind` is a fact dataclass (a resource kind,
    or a part of one such as `MethodSetting`). `on` names another resource of the stack that
    holds the field (a function's existing asynchronous invoke configuration); by default the
    field belongs to the resource the finding is about."""

    kind: type
    field: str
    value: FixValue
    on: Resource | None = dataclasses.field(default=None, compare=False)

    def __post_init__(self) -> None:
        if not dataclasses.is_dataclass(self.kind):
            raise TypeError(f"{self.kind!r} is not a fact kind")
        names = {f.name for f in dataclasses.fields(self.kind)}
        if self.field not in names:
            raise ValueError(f"{self.kind.__name__} has no field {self.field!r}")

    @property
    def key(self) -> str:
        """`Table.point_in_time_recovery`: how naming tables name the field."""
        return f"{self.kind.__name__}.{self.field}"


@dataclass(frozen=True, slots=True)
class Fix:
    """Ways to fix a finding: any one of `options`, each a group of settings made together."""

    options: tuple[tuple[Setting, ...], ...]

    @classmethod
    def set(cls, kind: type, field: str, value: FixValue, on: Resource | None = None) -> Fix:
        return cls(((Setting(kind, field, value, on),),))

    def also(self, kind: type, field: str, value: FixValue, on: Resource | None = None) -> Fix:
        """This fix, with one more setting in its last option."""
        *rest, last = self.options
        return Fix((*rest, (*last, Setting(kind, field, value, on))))

    def otherwise(self, kind: type, field: str, value: FixValue, on: Resource | None = None) -> Fix:
        """This fix, or (as another option) setting `field` of `kind` to `value`."""
        return Fix((*self.options, (Setting(kind, field, value, on),)))

    @property
    def settings(self) -> tuple[Setting, ...]:
        return tuple(s for option in self.options for s in option)
