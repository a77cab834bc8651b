"""The Pulumi policy pack, as a folder shipped in the package.

`PACK_DIR` is a complete pack (`PulumiPolicy.yaml`, `__main__.py`, `requirements.txt`):
`pulumi preview --policy-pack "$(serverless-guard policy-pack path)"` runs it with the python3
on PATH, the environment serverless-guard is installed in once it is activated. `write_pack`
copies the same files into a folder of their own, ready for `pulumi policy publish`; the
repository's `policypack/` folder is such a copy.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from serverless_guard.errors import GuardError

PACK_DIR = Path(__file__).resolve().parent
PACK_FILES = ("PulumiPolicy.yaml", "__main__.py", "requirements.txt")


def write_pack(folder: str | os.PathLike[str]) -> list[Path]:
    """Copy the pack's files into `folder` (created if missing); refuses to overwrite a file."""
    dest = Path(folder)
    if dest.exists() and not dest.is_dir():
        raise GuardError("not a folder", file=str(dest))
    taken = [name for name in PACK_FILES if (dest / name).exists()]
    if taken:
        raise GuardError(f"{taken[0]} exists already: choose an empty folder", file=str(dest))
    try:
        dest.mkdir(parents=True, exist_ok=True)
        return [Path(shutil.copyfile(PACK_DIR / name, dest / name)) for name in PACK_FILES]
    except OSError as err:
        raise GuardError(f"cannot write the pack: {err.strerror or err}", file=str(dest)) from None


def python_on_path_note() -> str | None:
    """Why `pulumi` might not find this environment: it starts a local pack with the python3 on
    PATH, and that one is not this interpreter's (None when it is)."""
    name = "python" if os.name == "nt" else "python3"
    found = shutil.which(name)
    here = Path(sys.executable).absolute().parent
    if found is not None and Path(found).absolute().parent == here:
        return None
    which = found or f"no {name}"
    return (
        f"note: pulumi starts the pack with the {name} on PATH ({which}), not this "
        f"environment's ({here}): activate it before `pulumi preview`"
    )
