"""The catalog is complete: every rule module is listed, and every rule has its cases."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from collections import defaultdict
from pathlib import Path

from fixture_cases import FIXTURES, all_cases

import serverless_guard.catalog as catalog_pkg
from serverless_guard.catalog import BY_ID, CATALOG
from serverless_guard.catalog.rule import Rule

DOMAINS = ("encryption", "access", "iam", "logging", "hardening")
# Checks that several rules share: not a domain, so its modules define no rule.
SHARED = "checks"

# Every rule also needs a pass and a fail case on pulumi-aws (classic, `.pulumi.json`) and on
# aws-native (`.native.json`).
REQUIRE_PULUMI_CASES = True
PULUMI_ENGINES = {"pulumi": "pulumi-aws", "native": "aws-native"}

# Rules whose subject a SAM resource type generates: each needs a SAM fixture too.
SAM_EXPRESSIBLE = {
    # AWS::Serverless::Function (with its generated role, permissions, URL, invoke config)
    "lambda-env-encrypted",
    "lambda-env-no-secrets",
    "lambda-log-retention",
    "lambda-tracing-active",
    "lambda-runtime-supported",
    "lambda-async-failure-handling",
    "lambda-url-auth-iam",
    "lambda-permission-source-scoped",
    "lambda-role-not-shared",
    "lambda-reserved-concurrency",
    "lambda-in-vpc",
    "iam-no-wildcard-actions",
    "iam-no-wildcard-resources",
    "iam-passrole-scoped",
    "iam-no-allow-not-action",
    "iam-no-admin-policies",
    "iam-role-trust-scoped",
    # AWS::Serverless::Api and AWS::Serverless::HttpApi
    "apigw-rest-private-endpoint",
    "apigw-private-api-vpce-policy",
    "apigw-method-authorization",
    "apigw-http-route-authorization",
    "apigw-stage-access-logging",
    "apigw-stage-execution-logging",
    "apigw-no-data-trace",
    "apigw-stage-tracing",
    "apigw-cache-encrypted",
    "apigw-domain-tls12",
    "api-waf-associated",
    # AWS::Serverless::SimpleTable and AWS::Serverless::StateMachine
    "dynamodb-table-encryption-kms",
    "sfn-logging",
    "sfn-tracing",
    # AWS::Serverless::GraphQLApi
    "appsync-auth-not-api-key",
    "appsync-logging",
    "appsync-tracing",
}


def test_every_rule_module_is_listed() -> None:
    listed = {rule.check.__module__ for rule in CATALOG}
    for domain in DOMAINS:
        package = importlib.import_module(f"serverless_guard.catalog.{domain}")
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            rules = [v for v in vars(module).values() if isinstance(v, Rule)]
            own = [r for r in rules if r.check.__module__ == module.__name__]
            assert own, f"{module.__name__} defines no rule"
            assert module.__name__ in listed, f"{module.__name__} is not listed in {domain}.RULES"


def test_every_package_is_a_domain_or_the_shared_checks() -> None:
    packages = {info.name for info in pkgutil.iter_modules(catalog_pkg.__path__) if info.ispkg}
    assert packages == {*DOMAINS, SHARED}


def test_shared_checks_define_no_rule() -> None:
    package = importlib.import_module(f"serverless_guard.catalog.{SHARED}")
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        rules = [v for v in vars(module).values() if isinstance(v, Rule)]
        assert not rules, f"{module.__name__} holds a rule: rules live in their domain"


def test_rule_module_names_are_rule_ids() -> None:
    for rule in CATALOG:
        assert rule.check.__module__.rsplit(".", 1)[1] == rule.id.replace("-", "_")
    assert catalog_pkg.__name__ == "serverless_guard.catalog"


def test_every_rule_has_cases() -> None:
    found: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for case in all_cases():
        found[case.rule].add((case.engine, case.expectation))
    missing = []
    for rule in CATALOG:
        for expectation in ("pass", "fail"):
            if ("cloudformation", expectation) not in found[rule.id]:
                missing.append(f"{rule.id}: no CloudFormation {expectation} case")
        if rule.id in SAM_EXPRESSIBLE and not {e for n, e in found[rule.id] if n == "sam"}:
            missing.append(f"{rule.id}: no SAM case")
        for engine, label in PULUMI_ENGINES.items():
            for expectation in ("pass", "fail"):
                if REQUIRE_PULUMI_CASES and (engine, expectation) not in found[rule.id]:
                    missing.append(f"{rule.id}: no {label} {expectation} case")
    assert not missing, "\n".join(missing)


def test_no_fixtures_for_unknown_rules() -> None:
    folders = {p.name for p in FIXTURES.iterdir() if p.is_dir()}
    assert folders <= set(BY_ID), sorted(folders - set(BY_ID))


def test_rule_modules_do_not_import_other_rule_modules() -> None:
    """Shared logic lives in `catalog/checks`, so each rule module stays one rule."""
    package = Path(catalog_pkg.__file__).parent
    domain_prefixes = tuple(f"serverless_guard.catalog.{d}." for d in DOMAINS)
    offenders = []
    for domain in DOMAINS:
        for module in sorted((package / domain).glob("*.py")):
            if module.name == "__init__.py":
                continue
            for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                    domain_prefixes
                ):
                    offenders.append(f"{domain}/{module.name} imports {node.module}")
    assert not offenders, offenders
