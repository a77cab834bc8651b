"""`python -m serverless_guard`: the `serverless-guard` command."""

from __future__ import annotations

from serverless_guard.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
