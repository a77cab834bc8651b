"""Drop-in: the orders app of examples/cdk/plain, written the way aws-cdk's own examples write
it (grants, event sources, integrations, subscriptions, an event rule, `auto_delete_objects`),
and examples/cdk/secure, the same source with each class name replaced by its secure construct.

Two synths in all, one per app, both with the validation plugin and the app's cdk.json context:
the plain app fails synth; the secure app synthesizes with no finding on any resource the app's
code created, keeps every logical id of the plain app, and has no circular dependency.
"""

from __future__ import annotations

import json
import re
import runpy
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest.importorskip("aws_cdk")

import aws_cdk as cdk
from cdk_apps import PLAIN, SECURE, created_by_aws_cdk_lib, swapped

from serverless_guard.catalog.rule import Outcome
from serverless_guard.cdk import ServerlessGuard
from serverless_guard.cdk.constructs import docs
from serverless_guard.evaluate import Result

STACK = "Orders"


@dataclass(frozen=True)
class App:
    stack: cdk.Stack
    template: dict[str, dict[str, object]]
    results: list[Result]
    paths: dict[str, str]
    """Construct path by logical id."""


def synthesize(app_file: Path, outdir: Path) -> tuple[App, Exception | None]:
    """The app's stack, synthesized with the validation plugin as its own `app.synth()` would
    (the exception that fails the synth, if any), and the catalog's results on its template."""
    namespace = runpy.run_path(str(app_file), run_name="example")
    settings = json.loads((app_file.parent / "cdk.json").read_text(encoding="utf-8"))
    app = cdk.App(
        outdir=str(outdir), builtin_cloud_formation_validation=False, context=settings["context"]
    )
    cdk.Validations.of(app).add_plugins(ServerlessGuard(config=str(app_file.parent / "guard.json")))
    stack = namespace["OrdersStack"](app, STACK)
    failure: Exception | None = None
    try:
        app.synth()
    except RuntimeError as error:
        failure = error
    template_file = outdir / f"{STACK}.template.json"
    template = json.loads(template_file.read_text(encoding="utf-8"))["Resources"]
    paths = {
        str(stack.resolve(child.logical_id)): child.node.path
        for child in stack.node.find_all()
        if isinstance(child, cdk.CfnResource)
    }
    return App(stack, template, docs.evaluated(str(template_file)), paths), failure


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> tuple[App, Exception | None]:
    return synthesize(PLAIN, tmp_path_factory.mktemp("plain"))


@pytest.fixture(scope="module")
def secure(tmp_path_factory: pytest.TempPathFactory) -> tuple[App, Exception | None]:
    return synthesize(SECURE, tmp_path_factory.mktemp("secure"))


def findings(app: App) -> list[str]:
    """Every finding on the app's resources, but those on the resources aws-cdk-lib adds."""
    return [
        f"{r.rule.id} on {app.paths[r.subject.id]}: {r.verdict.message}"
        for r in app.results
        if r.verdict.outcome not in (Outcome.PASS, Outcome.NOT_APPLICABLE)
        and not created_by_aws_cdk_lib(app.paths[r.subject.id])
    ]


def test_the_secure_app_is_the_plain_app_with_class_names_replaced() -> None:
    source, used = swapped(PLAIN.read_text(encoding="utf-8"))
    assert SECURE.read_text(encoding="utf-8") == source
    assert sorted(used) == sorted(secure.__name__ for secure in docs.SECURE), (
        "the plain app uses every aws-cdk-lib construct that has a secure construct"
    )


def test_the_plugin_fails_the_synth_of_the_plain_app(plain: tuple[App, Exception | None]) -> None:
    app, failure = plain
    assert failure is not None
    assert "ValidationFailed" in str(failure)
    failed = {finding.split(" on ")[0] for finding in findings(app)}
    assert {
        "kms-key-rotation",
        "s3-bucket-tls-only",
        "dynamodb-pitr",
        "sqs-queue-encrypted",
        "sns-topic-encrypted",
        "eventbridge-bus-encrypted",
        "lambda-tracing-active",
        "sfn-logging",
        "apigw-method-authorization",
        "apigw-http-route-authorization",
        "appsync-auth-not-api-key",
        "appsync-logging",
        "api-waf-associated",
        "cognito-user-pool-mfa",
        "cognito-user-pool-threat-protection",
        "cognito-user-pool-password-policy",
    } <= failed


def test_the_secure_app_synthesizes_with_no_finding(
    secure: tuple[App, Exception | None],
) -> None:
    app, failure = secure
    assert failure is None
    assert findings(app) == []


def test_only_resources_of_aws_cdk_lib_are_left_out(secure: tuple[App, Exception | None]) -> None:
    app, _ = secure
    left_out = {path.split("/")[1] for path in app.paths.values() if created_by_aws_cdk_lib(path)}
    assert left_out == {
        "Custom::S3AutoDeleteObjectsCustomResourceProvider",
        "BucketNotificationsHandler050a0587b7544547bf325f094a3db834",
    }


def test_swapping_replaces_no_resource(
    plain: tuple[App, Exception | None], secure: tuple[App, Exception | None]
) -> None:
    before, after = plain[0].template, secure[0].template
    # A REST API deployment's id is a hash of the API: a new deployment is how a changed API
    # (here: authorization on its methods) goes live. A GraphQL API that no longer authorizes
    # callers by API key has no default API key.
    replaced = ("AWS::ApiGateway::Deployment", "AWS::AppSync::ApiKey")
    kept = {k: v["Type"] for k, v in before.items() if v["Type"] not in replaced}
    assert {k: after[k]["Type"] for k in kept if k in after} == kept


def test_the_secure_app_has_no_circular_dependency(secure: tuple[App, Exception | None]) -> None:
    template = secure[0].template
    graph = {name: _references(body) & template.keys() for name, body in template.items()}
    assert _cycle(graph) is None
    assert _cycle({"Key": {"Bucket"}, "Bucket": {"Key"}, "Queue": {"Key"}}) == [
        "Bucket",
        "Key",
        "Bucket",
    ], "the check finds a cycle where there is one"


@pytest.mark.parametrize("secure_class", docs.SECURE, ids=lambda c: c.__name__)
def test_each_construct_of_the_secure_app_is_its_aws_cdk_lib_construct(
    secure: tuple[App, Exception | None], secure_class: type
) -> None:
    found = [c for c in secure[0].stack.node.find_all() if type(c) is secure_class]
    assert found, f"the secure app has no {secure_class.__name__}"
    assert all(isinstance(c, docs.replaced(secure_class)) for c in found)


def _references(value: object) -> set[str]:
    """The logical ids a template value refers to (Ref, GetAtt, Sub, DependsOn)."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("Ref", "DependsOn"):
                found.update([item] if isinstance(item, str) else item)
            elif key == "Fn::GetAtt":
                found.add(item[0] if isinstance(item, list) else str(item).split(".")[0])
            elif key == "Fn::Sub":
                text = item if isinstance(item, str) else item[0]
                found.update(m.split(".")[0] for m in re.findall(r"\$\{([^!}][^}]*)\}", text))
            found |= _references(item)
    elif isinstance(value, list):
        for item in value:
            found |= _references(item)
    return found


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A circular chain of references in `graph`, if there is one."""
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> list[str] | None:
        if node in path:
            return [*path[path.index(node) :], node]
        if node in done:
            return None
        for target in sorted(graph[node]):
            cycle = visit(target, [*path, node])
            if cycle:
                return cycle
        done.add(node)
        return None

    for start in sorted(graph):
        cycle = visit(start, [])
        if cycle:
            return cycle
    return None
