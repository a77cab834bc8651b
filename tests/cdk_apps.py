"""The example CDK apps of examples/cdk: the plain app, the secure app derived from it by
replacing class names, and which resources of theirs aws-cdk-lib adds on its own."""

from __future__ import annotations

import re
from pathlib import Path

from serverless_guard.cdk.constructs import docs

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "cdk"
PLAIN = EXAMPLES / "plain" / "app.py"
SECURE = EXAMPLES / "secure" / "app.py"

# The secure app imports the secure constructs after this line of the plain app.
IMPORT_AFTER = "from constructs import Construct\n\n"

# The framework resources of aws-cdk-lib in the example apps: singletons it adds at the top of
# a stack for `auto_delete_objects` and for bucket notifications. The validation plugin is to
# report their findings as suppressed ("created by aws-cdk-lib"); until it does, the drop-in
# tests leave out these, recognised by construct path here and nowhere else.
AWS_CDK_LIB_SINGLETONS = (
    "Custom::S3AutoDeleteObjectsCustomResourceProvider",
    "BucketNotificationsHandler050a0587b7544547bf325f094a3db834",
)


def created_by_aws_cdk_lib(construct_path: str) -> bool:
    """Whether the resource at `construct_path` (`Stack/Id/...`) is one aws-cdk-lib adds."""
    parts = construct_path.strip("/").split("/")
    return len(parts) > 1 and parts[1] in AWS_CDK_LIB_SINGLETONS


def swapped(source: str) -> tuple[str, list[str]]:
    """A CDK app's source with every aws-cdk-lib class that has a secure construct replaced by
    it (`s3.Bucket(` -> `SecureBucket(`, by the module aliases the app imports), and an import
    of those added; with the names of the secure constructs used."""
    aliases = dict(re.findall(r"^from aws_cdk import (aws_\w+) as (\w+)$", source, re.MULTILINE))
    used: list[str] = []
    for secure in docs.SECURE:
        base = docs.replaced(secure)
        alias = aliases.get(base.__module__.removeprefix("aws_cdk."))
        if alias is None:
            continue
        pattern = re.compile(rf"\b{re.escape(alias)}\.{base.__name__}\(")
        source, count = pattern.subn(f"{secure.__name__}(", source)
        if count:
            used.append(secure.__name__)
    names = "".join(f"    {name},\n" for name in sorted(used))
    imports = f"from serverless_guard.cdk.constructs import (\n{names})\n"
    assert IMPORT_AFTER in source
    return source.replace(IMPORT_AFTER, IMPORT_AFTER + imports, 1), used
