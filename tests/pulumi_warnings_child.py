"""The child process of `serverless-guard pulumi` (`engines/pulumi/mocks/__main__.py`), also
returning the warnings the program logged (`pulumi.log.warn`): URN and message of each."""

from __future__ import annotations

import sys
from typing import Any

from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime.proto import engine_pb2

from serverless_guard.engines.pulumi.mocks import __main__ as child
from serverless_guard.engines.pulumi.mocks import runner

WARNINGS: list[dict[str, str]] = []


class RecordingEngine(pulumi_mocks.MockEngine):
    def Log(self, request: Any) -> None:
        if request.severity == engine_pb2.WARNING:
            WARNINGS.append({"urn": request.urn, "message": request.message})


def run(request: Any) -> dict[str, Any]:
    outcome = PROGRAM_RUN(request)
    outcome["warnings"] = WARNINGS
    return outcome


PROGRAM_RUN = runner.run
pulumi_mocks.MockEngine = RecordingEngine  # type: ignore[misc]
runner.run = run

if __name__ == "__main__":
    sys.exit(child.main())
