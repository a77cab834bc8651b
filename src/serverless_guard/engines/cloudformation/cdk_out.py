"""A CDK cloud assembly (`cdk.out`): every stack template, nested assemblies included."""

from __future__ import annotations

from dataclasses import dataclass

from serverless_guard.engines.cloudformation.stack import LoadedStack


@dataclass(frozen=True, slots=True)
class CloudAssembly:
    folder: str

    def load(self) -> list[LoadedStack]:
        raise NotImplementedError("cloud assemblies")
