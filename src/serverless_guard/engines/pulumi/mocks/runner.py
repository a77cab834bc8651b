"""Run one program as the Pulumi language host does for a preview, under the mocks and offline,
and return the resources it registered, or what went wrong."""

from __future__ import annotations

import asyncio
import logging
import os
import runpy
import sys
import traceback
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime.config import set_all_config
from pulumi.runtime.settings import configure
from pulumi.runtime.stack import run_in_stack

from serverless_guard.engines.pulumi.mocks.cloud import CloudMocks
from serverless_guard.engines.pulumi.mocks.failures import exit_failure, failure
from serverless_guard.engines.pulumi.mocks.monitor import RecordingMonitor
from serverless_guard.engines.pulumi.mocks.offline import install_network_guard

DEFAULT_REGION = "us-east-1"
ORGANIZATION = "organization"


def _quiet_logger() -> logging.Logger:
    logger = logging.getLogger("serverless-guard.pulumi-program")
    logger.propagate = False
    logger.addHandler(logging.NullHandler())
    return logger


def _run_path(program: str) -> None:
    """Run the program's file as the Pulumi language host does."""
    runpy.run_path(program, run_name="__main__")


def run(request: Mapping[str, Any]) -> dict[str, Any]:
    """Run one program as a preview under the mocks; its resources, or what went wrong."""
    root = Path(request["project_dir"]).resolve()
    program = str(Path(request["program"]).resolve())
    project, stack = str(request["project"]), str(request["stack"])
    config: dict[str, str] = dict(request.get("config", {}))

    os.chdir(root)
    search = [str(Path(p).resolve()) for p in request.get("search_path", [])]
    search += [str(Path(p).resolve()) for p in request.get("site_packages", [])]
    sys.path[:0] = [p for p in search if p not in sys.path]
    sys.argv = [program]
    install_network_guard()
    set_all_config(config, list(request.get("secret_keys", [])))

    mocks = CloudMocks(config.get("aws:region") or DEFAULT_REGION)
    monitor = RecordingMonitor(mocks, project, stack, root)
    info = monitor.GetDeploymentInfo(None)  # type: ignore[no-untyped-call]
    features = set(info.supportedFeatures)
    configure(
        pulumi_mocks.MockSettings(  # type: ignore[no-untyped-call]
            monitor=monitor,
            monitor_features=features,
            engine=pulumi_mocks.MockEngine(_quiet_logger()),
            project=project,
            stack=stack,
            dry_run=True,
            organization=ORGANIZATION,
            callbacks=None,
        )
    )
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(run_in_stack(lambda: _run_path(program)))
    except SystemExit as exc:
        if exc.code not in (None, 0):
            return {"error": exit_failure(exc, root)}
    except Exception as exc:  # the program's own failure, reported as one line
        traceback.print_exc()  # for whoever reads the child's stderr
        return {"error": failure(exc, root)}
    return {"resources": monitor.recorded()}
