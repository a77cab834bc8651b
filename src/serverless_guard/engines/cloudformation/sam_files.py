"""Local definition files of SAM resources, read before the SAM transform.

`sam deploy` uploads what a local `DefinitionUri` names and the translator reads it from S3; the
scan reads it from the folder instead, so the rules judge the API's OpenAPI document (its
authorizers, its methods) and the state machine's definition:

- `AWS::Serverless::Api` and `AWS::Serverless::HttpApi`: a local `DefinitionUri` becomes the
  `DefinitionBody`;
- `AWS::Serverless::StateMachine`: a local `DefinitionUri` becomes the `Definition`.

The file is read as an include is (`include.read_beside`): inside the template's folder tree,
regular files only. A missing file leaves the definition unknown (reported); a refused one is
an error (reported). An S3 location stays as written.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from serverless_guard.engines.cloudformation.gaps import Gap
from serverless_guard.engines.cloudformation.include import Unreadable, read_beside
from serverless_guard.engines.cloudformation.parse import LineDict, line_of

DEFINITION_KEYS = {
    "AWS::Serverless::Api": "DefinitionBody",
    "AWS::Serverless::HttpApi": "DefinitionBody",
    "AWS::Serverless::StateMachine": "Definition",
}
_REMOTE = ("s3://", "https://", "http://")


def read_definitions(data: LineDict, path: str) -> list[Gap]:
    """Put the local definition files of SAM resources in place (in `data`); what could not be
    read is returned."""
    resources = data.get("Resources")
    if not isinstance(resources, Mapping):
        return []
    folder = os.path.dirname(os.path.abspath(path))
    gaps: list[Gap] = []
    for logical_id, body in resources.items():
        key = DEFINITION_KEYS.get(str(body.get("Type"))) if isinstance(body, Mapping) else None
        properties = body.get("Properties") if key else None
        if not (key and isinstance(properties, dict)):
            continue
        uri = properties.get("DefinitionUri")
        if not isinstance(uri, str) or uri.lower().startswith(_REMOTE) or key in properties:
            continue
        try:
            properties[key], _ = read_beside(folder, uri)
        except Unreadable as err:
            what = f"DefinitionUri {err}"
            gaps.append(
                Gap(what, resource=logical_id, line=line_of(resources, logical_id), error=err.error)
            )
            continue
        del properties["DefinitionUri"]
    return gaps


def mentions(node: Any, marker: str) -> bool:
    """Whether `marker` is a key anywhere in `node` (an iterative walk)."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, Mapping):
            if marker in item:
                return True
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False
