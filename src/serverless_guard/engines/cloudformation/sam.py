"""SAM templates, transformed offline by the SAM translator.

The real translator (`aws-sam-translator`) turns `AWS::Serverless::*` resources and `Globals` into
plain CloudFormation. It runs here without AWS:

- local artifact locations (`CodeUri`, `ContentUri`, `DefinitionUri`, `SchemaUri`, a missing
  `ImageUri`, Serverless Application Repository `Location`s) become placeholder locations, so no
  upload and no repository call is needed;
- the region comes from a stand-in session (us-east-1, so ARNs the translator writes itself use
  the `aws` partition), never from boto3's configuration or credentials; `AWS::Region` and
  `AWS::Partition` are given as placeholders that the translator leaves unresolved, so the output
  keeps the user's `Ref`s and `${}` to them;
- managed policy names come from a static map shipped in `data/managed_policies.json`, then
  from the translator's own bundled map; a name neither knows becomes the ARN of the AWS managed
  policy of that name (`arn:aws:iam::aws:policy/<Name>`).

Every generated resource is traced back to the SAM resources the user wrote (`Origin.sources`):
each SAM resource carries a marker in its `Metadata` through the translator (which copies a SAM
resource's metadata onto what it generates). Resources SAM shares between several functions come
from all of them, whatever metadata they carry: the implicit `ServerlessRestApi`/
`ServerlessHttpApi` resources (API, stages, deployments) from every function (in file order) with
an event on them, the shared CodeDeploy resources from every function with a deployment
preference. What carries no marker is matched by the translator's naming: the longest logical id
of the template that starts its own (embedded connectors: `<Source><Connector>...`). The first
source is the one findings point at; `serverless_guard.waivers` decides how the sources'
suppressions apply.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Mapping
from functools import cache
from importlib.resources import files
from types import SimpleNamespace
from typing import Any

from serverless_guard.engines.cloudformation.gaps import Gap
from serverless_guard.engines.cloudformation.intrinsics import UNSEEN
from serverless_guard.engines.cloudformation.parse import LineDict, line_of
from serverless_guard.engines.cloudformation.sam_files import mentions
from serverless_guard.engines.cloudformation.stack_facts import Origin
from serverless_guard.errors import InputError

SAM_PREFIX = "AWS::Serverless::"
FUNCTION = "AWS::Serverless::Function"
STATE_MACHINE = "AWS::Serverless::StateMachine"

REGION = "us-east-1"
ARTIFACT_BUCKET = "serverless-guard-local-artifacts"
IMAGE_REPOSITORY = f"000000000000.dkr.ecr.{REGION}.amazonaws.com"
SOURCE_KEY = "serverless-guard:source"

# Values the translator treats as "resolved later by CloudFormation": it leaves Refs and ${} to
# them alone. Should a translator substitute them anyway, `_restore_pseudo` undoes it.
_PSEUDO = {
    name: "{{IntrinsicFunction:serverless-guard/" + name + "}}"
    for name in ("AWS::Region", "AWS::Partition")
}

# Resources the translator makes for several SAM resources at once.
_IMPLICIT_REST_API = "ServerlessRestApi"
_IMPLICIT_HTTP_API = "ServerlessHttpApi"
_CODEDEPLOY_SHARED = ("ServerlessDeploymentApplication", "CodeDeployServiceRole")

_RESOURCE_ID = re.compile(r"Resource with id \[([^\]]+)\]")


def transform(
    data: LineDict, name: str, gaps: list[Gap] | None = None
) -> tuple[LineDict, dict[str, Origin]]:
    """The CloudFormation template behind a SAM template, and where each resource comes from.

    `data` is left untouched. Translator errors become one-line `InputError`s naming the file;
    given a `gaps` list, a resource the translator refuses is left out instead, with a gap
    naming the translator's message (unknown when the resource holds a part the scan could not
    see, such as an include from S3, else an error), and the other resources are translated.
    """
    original = data["Resources"]
    template = _plain(data)
    _prepare(template)
    output = _translate_each(template, name, data, gaps)
    _restore_pseudo(output)
    return _finish(output, data, original)


def _translate_each(
    template: dict[str, Any], name: str, data: LineDict, gaps: list[Gap] | None
) -> dict[str, Any]:
    resources: dict[str, Any] = template["Resources"]
    while True:
        if not resources:
            return {**template, "Resources": {}}
        try:
            return _translate(_plain(template), name, data)
        except _Refused as refused:
            by_resource = _by_resource(refused.messages, resources)
            if gaps is None or by_resource is None:
                raise _error(refused.messages, name, data) from None
        for logical_id, messages in by_resource.items():
            text = " ".join("; ".join(messages).split())
            unseen = mentions(resources[logical_id], UNSEEN)
            gaps.append(
                Gap(
                    f"SAM transform failed: {text}"
                    + (" (a part of it could not be seen)" if unseen else ""),
                    resource=logical_id,
                    line=line_of(data["Resources"], logical_id),
                    error=not unseen,
                )
            )
            del resources[logical_id]


def _by_resource(messages: list[str], resources: Mapping[str, Any]) -> dict[str, list[str]] | None:
    """The translator's messages by the resource each names; None if one names none."""
    found: dict[str, list[str]] = {}
    for message in messages:
        match = _RESOURCE_ID.search(message)
        if match is None or match.group(1) not in resources:
            return None
        found.setdefault(match.group(1), []).append(message)
    return found


class _Refused(Exception):
    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


# Before: a plain copy the translator can read without AWS.


def _plain(node: Any) -> Any:
    """A deep copy made of plain dicts and lists (the translator mutates what it is given)."""
    if isinstance(node, dict):
        return {key: _plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_plain(item) for item in node]
    return node


def _prepare(template: dict[str, Any]) -> None:
    globals_ = template.get("Globals")
    globals_ = globals_ if isinstance(globals_, dict) else {}
    for section, key in (("Function", "CodeUri"), ("Api", "DefinitionUri")):
        properties = globals_.get(section)
        if isinstance(properties, dict) and key in properties:
            _to_s3(properties, key, f"Globals/{section}")
    function_globals = globals_.get("Function")
    function_globals = function_globals if isinstance(function_globals, dict) else {}
    for logical_id, body in template["Resources"].items():
        if not isinstance(body, dict):
            continue
        kind = body.get("Type")
        if not isinstance(kind, str) or not kind.startswith(SAM_PREFIX):
            continue
        properties = body.get("Properties")
        if isinstance(properties, dict):
            _local_artifacts(logical_id, kind, properties, function_globals)
        metadata = body.get("Metadata", {})
        if isinstance(metadata, dict):
            body["Metadata"] = {**metadata, SOURCE_KEY: logical_id}


def _local_artifacts(
    logical_id: str, kind: str, properties: dict[str, Any], function_globals: Mapping[str, Any]
) -> None:
    """Replace what `sam package` would upload by placeholder locations."""
    if kind == FUNCTION:
        if properties.get("PackageType") == "Image":
            properties.setdefault("ImageUri", f"{IMAGE_REPOSITORY}/{logical_id.lower()}:latest")
        elif "CodeUri" in properties:
            _to_s3(properties, "CodeUri", logical_id)
        elif "InlineCode" not in properties and "CodeUri" not in function_globals:
            properties["CodeUri"] = _s3_placeholder(logical_id, "CodeUri")
    elif kind in ("AWS::Serverless::WebFunction", "AWS::Serverless::MicrovmImage"):
        if "CodeUri" in properties:
            _to_s3(properties, "CodeUri", logical_id)
    elif kind == "AWS::Serverless::LayerVersion":
        _to_s3(properties, "ContentUri", logical_id)
    elif kind in ("AWS::Serverless::Api", "AWS::Serverless::HttpApi", STATE_MACHINE):
        if "DefinitionUri" in properties:
            _to_s3(properties, "DefinitionUri", logical_id)
    elif kind == "AWS::Serverless::GraphQLApi":
        _graphql_artifacts(logical_id, properties)
    elif kind == "AWS::Serverless::Application" and not isinstance(properties.get("Location"), str):
        # an application of the Serverless Application Repository: resolving it calls AWS
        properties["Location"] = f"https://{ARTIFACT_BUCKET}.s3.amazonaws.com/{logical_id}.yaml"


def _graphql_artifacts(logical_id: str, properties: dict[str, Any]) -> None:
    if "SchemaUri" in properties:
        _to_s3(properties, "SchemaUri", logical_id, as_text=True)
    functions = properties.get("Functions")
    for function_id, function in functions.items() if isinstance(functions, dict) else ():
        if isinstance(function, dict) and "CodeUri" in function:
            _to_s3(function, "CodeUri", f"{logical_id}/{function_id}", as_text=True)
    resolvers = properties.get("Resolvers")
    for type_name, fields in resolvers.items() if isinstance(resolvers, dict) else ():
        for field_name, resolver in fields.items() if isinstance(fields, dict) else ():
            if isinstance(resolver, dict) and "CodeUri" in resolver:
                where = f"{logical_id}/{type_name}/{field_name}"
                _to_s3(resolver, "CodeUri", where, as_text=True)


def _to_s3(properties: dict[str, Any], key: str, owner: str, *, as_text: bool = False) -> None:
    """Keep an S3 location (`s3://...` or `{Bucket, Key}`); anything else becomes a placeholder."""
    value = properties.get(key)
    if isinstance(value, str) and value.startswith("s3://"):
        return
    if not as_text and isinstance(value, dict) and "Bucket" in value and "Key" in value:
        return
    properties[key] = _s3_placeholder(owner, key)


def _s3_placeholder(owner: str, key: str) -> str:
    return f"s3://{ARTIFACT_BUCKET}/{owner}/{key}"


# The translator itself, imported only when a SAM template is met.


@cache
def _managed_policies() -> dict[str, str]:
    text = files("serverless_guard").joinpath("data", "managed_policies.json").read_text("utf-8")
    loaded = json.loads(text)
    return {str(k): str(v) for k, v in loaded.items()}


def _policy_names(template: Mapping[str, Any]) -> set[str]:
    """Every managed policy name written in a `Policies` property (through `Fn::If` branches)."""
    names: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, str):
            names.add(node)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict) and list(node) == ["Fn::If"]:
            branches = node["Fn::If"]
            if isinstance(branches, list):
                for item in branches[1:]:
                    walk(item)

    for body in template["Resources"].values():
        properties = body.get("Properties") if isinstance(body, dict) else None
        if isinstance(properties, dict):
            walk(properties.get("Policies"))
    return names


def _fallback_policies(template: Mapping[str, Any]) -> Callable[[], dict[str, str]]:
    """Names neither map knows: the AWS-managed policy of that name, at the root path."""
    fallback = {
        name: f"arn:aws:iam::aws:policy/{name}"
        for name in sorted(_policy_names(template))
        if not name.startswith("arn:")
    }
    return lambda: fallback


@cache
def _setup_translator() -> None:
    """Once per process: keep the translator's log quiet, and build its policy templates once.

    Each run, the translator rebuilds its policy-template plugin and checks its own bundled
    templates against their JSON schema: most of a small template's transform time, and 0.2 s the
    first time. The plugin holds no state between runs, so one instance serves every template,
    built from the same bundled templates without re-checking the translator's own data.
    """
    from samtranslator.plugins.policies.policy_templates_plugin import (
        PolicyTemplatesForResourcePlugin,
    )
    from samtranslator.policy_template_processor.processor import PolicyTemplatesProcessor
    from samtranslator.translator import translator as module

    logger = logging.getLogger("samtranslator")
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())
    if not callable(getattr(module, "make_policy_template_for_function_plugin", None)):
        return
    templates = PolicyTemplatesProcessor.get_default_policy_templates_json()
    processor = PolicyTemplatesProcessor(templates, schema={"type": "object"})
    plugin = PolicyTemplatesForResourcePlugin(processor)
    module.make_policy_template_for_function_plugin = lambda: plugin


def _translate(template: dict[str, Any], name: str, data: LineDict) -> dict[str, Any]:
    from samtranslator.model.exceptions import ExceptionWithMessage, InvalidDocumentException
    from samtranslator.parser.parser import Parser
    from samtranslator.translator.translator import Translator

    _setup_translator()
    session = SimpleNamespace(region_name=REGION)  # read for the region; never asked for anything
    translator = Translator(
        managed_policy_map=_managed_policies(), sam_parser=Parser(), boto_session=session
    )
    try:
        output = translator.translate(
            sam_template=template,
            parameter_values=dict(_PSEUDO),
            passthrough_metadata=True,
            get_managed_policy_map=_fallback_policies(template),
        )
    except InvalidDocumentException as err:
        raise _Refused([cause.message for cause in err.causes] or [err.message]) from None
    except ExceptionWithMessage as err:
        raise _Refused([err.message]) from None
    except Exception as err:  # a translator crash is still about this file
        raise _Refused([f"{type(err).__name__}: {err}"]) from None
    finally:
        translator.metrics.publish()  # to a no-op publisher: drops the timings it recorded
    if not isinstance(output, dict) or not isinstance(output.get("Resources"), dict):
        raise InputError("SAM transform gave no Resources", file=name)
    return output


def _error(messages: list[str], name: str, data: LineDict) -> InputError:
    """One line with every message of the translator, at the first resource it names."""
    text = " ".join("; ".join(messages).split())
    found = _RESOURCE_ID.search(text)
    if found:
        line = line_of(data["Resources"], found.group(1))
    else:
        line = line_of(data, "Globals") if "'Globals'" in text else None
    return InputError(f"SAM transform failed: {text}", file=name, line=line)


def _restore_pseudo(node: Any) -> None:
    """Give back `Ref`s to the pseudo parameters, should a translator have substituted them."""
    if isinstance(node, dict):
        items: Any = node.items()
    elif isinstance(node, list):
        items = enumerate(node)
    else:
        return
    for key, value in list(items):
        if isinstance(value, str) and "{{IntrinsicFunction:serverless-guard/" in value:
            node[key] = _unplaceholder(value)
        else:
            _restore_pseudo(value)


def _unplaceholder(text: str) -> Any:
    for pseudo, placeholder in _PSEUDO.items():
        if text == placeholder:
            return {"Ref": pseudo}
        text = text.replace(placeholder, "${" + pseudo + "}")
    return text


# After: the template as the stack loader reads it, and the origin of every resource.


def _finish(
    output: dict[str, Any], data: LineDict, original: Mapping[str, Any]
) -> tuple[LineDict, dict[str, Origin]]:
    root = LineDict()
    for key, value in output.items():
        root[key] = value
        if key in data.lines:
            root.lines[key] = data.lines[key]
    resources = LineDict()
    origins: dict[str, Origin] = {}
    sources = _SourceFinder(original)
    globals_ = data.get("Globals")
    for logical_id, body in output["Resources"].items():
        if not isinstance(body, dict):
            resources[logical_id] = body
            continue
        body, marked = _without_marker(body)
        found = sources.find(logical_id, marked)
        if found:
            sam_type = _type(original.get(found[0]))
            is_sam = isinstance(sam_type, str) and sam_type.startswith(SAM_PREFIX)
            origin = Origin(
                line=line_of(original, found[0]),
                source_resource=found[0],
                sources=found,
                source_type=sam_type if is_sam and isinstance(sam_type, str) else None,
                source_properties=frozenset(_props(original.get(found[0]))),
                global_properties=_global_properties(globals_, sam_type),
            )
            origins[logical_id] = origin
            if origin.line is not None:
                resources.lines[logical_id] = origin.line
        resources[logical_id] = body
    root["Resources"] = resources
    return root, origins


def _global_properties(globals_: object, sam_type: object) -> frozenset[str]:
    """The properties the template's `Globals` set for SAM resources of `sam_type`."""
    if not isinstance(globals_, Mapping) or not isinstance(sam_type, str):
        return frozenset()
    section = globals_.get(sam_type.removeprefix(SAM_PREFIX))
    return frozenset(section) if isinstance(section, Mapping) else frozenset()


def _without_marker(body: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    metadata = body.get("Metadata")
    if not isinstance(metadata, dict) or SOURCE_KEY not in metadata:
        return body, None
    source = metadata[SOURCE_KEY]
    rest = {key: value for key, value in metadata.items() if key != SOURCE_KEY}
    body = {key: value for key, value in body.items() if key != "Metadata"}
    if rest:
        body["Metadata"] = rest
    return body, source if isinstance(source, str) else None


class _SourceFinder:
    """The SAM resources a generated logical id comes from, by the translator's naming."""

    def __init__(self, original: Mapping[str, Any]) -> None:
        self.original = original
        self.by_length = sorted(original, key=lambda k: (-len(k), k))
        functions = [(k, v) for k, v in original.items() if _type(v) in (FUNCTION, STATE_MACHINE)]
        self.implicit = {
            _IMPLICIT_REST_API: _with_event(functions, "Api", "RestApiId"),
            _IMPLICIT_HTTP_API: _with_event(
                [(k, v) for k, v in functions if _type(v) == FUNCTION], "HttpApi", "ApiId"
            ),
        }
        with_preference = [k for k, v in functions if "DeploymentPreference" in _props(v)]
        any_function = [k for k, v in functions if _type(v) == FUNCTION]
        self.codedeploy = tuple(with_preference or any_function)

    def find(self, logical_id: str, marked: str | None = None) -> tuple[str, ...]:
        """Every SAM resource the generated resource comes from (in file order): itself when the
        user wrote it, all the functions that share it for a shared resource (whatever its
        metadata says), else the one whose marker it carries, else the one whose logical id its
        own starts with."""
        if logical_id in self.original:
            return (logical_id,)
        for prefix, contributors in self.implicit.items():
            if logical_id.startswith(prefix) and prefix not in self.original:
                return contributors
        if logical_id in _CODEDEPLOY_SHARED:
            return self.codedeploy
        if marked is not None:
            return (marked,)
        for candidate in self.by_length:
            if logical_id.startswith(candidate):
                return (candidate,)
        return ()


def _type(body: object) -> object:
    return body.get("Type") if isinstance(body, Mapping) else None


def _props(body: object) -> Mapping[str, Any]:
    properties = body.get("Properties") if isinstance(body, Mapping) else None
    return properties if isinstance(properties, Mapping) else {}


def _with_event(
    candidates: list[tuple[str, Any]], event_type: str, api_key: str
) -> tuple[str, ...]:
    """The functions (in file order) with an event on the implicit API of that kind."""
    return tuple(
        logical_id
        for logical_id, body in candidates
        if any(_on_implicit_api(event, event_type, api_key) for event in _events(body))
    )


def _events(body: object) -> list[object]:
    events = _props(body).get("Events")
    return list(events.values()) if isinstance(events, Mapping) else []


def _on_implicit_api(event: object, event_type: str, api_key: str) -> bool:
    if not isinstance(event, Mapping) or event.get("Type") != event_type:
        return False
    event_properties = event.get("Properties")
    return not isinstance(event_properties, Mapping) or api_key not in event_properties
