"""A rule's fixes in each engine's words, for every resource type that can fail it: what
`serverless-guard explain RULE --engine ...` prints and the rule reference shows.

The resource types are those the naming tables spell the fix's first field for: CloudFormation
types (and the SAM types that generate them), pulumi-aws and aws-native types, and the CDK's L2
constructs (else the L1 of each CloudFormation type).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from serverless_guard.catalog.fix import Fix
from serverless_guard.naming import cdk, cloudformation, native, pulumi_aws, sam
from serverless_guard.naming.display import cdk_module, resource_name
from serverless_guard.naming.render import fix_text
from serverless_guard.naming.spelling import lookup
from serverless_guard.naming.wording import Dialect, SamSource, Wording

ENGINES = ("cloudformation", "sam", "pulumi", "cdk")
ENGINE_TITLES = {
    "cloudformation": "CloudFormation",
    "sam": "SAM",
    "pulumi": "Pulumi",
    "cdk": "AWS CDK",
}


@dataclass(frozen=True, slots=True)
class EngineFix:
    """A fix for resources of one type, as one engine writes it (`also`: the same fix as
    `pulumi preview` names the inputs, for Pulumi)."""

    resource: str
    text: str
    also: str = ""


def fixes_in(fixes: Sequence[Fix], engine: str) -> list[EngineFix]:
    """Each fix on each resource type of the engine that has a spelling for it."""
    out: list[EngineFix] = []
    for fix in fixes:
        for found in _fixes(fix, engine):
            if found not in out:
                out.append(found)
    return out


def _key(fix: Fix) -> str:
    return fix.options[0][0].key


def _fixes(fix: Fix, engine: str) -> Iterator[EngineFix]:
    key = _key(fix)
    if engine == "cloudformation":
        for type_ in cloudformation.NAMES:
            if cloudformation.spellings(type_, key):
                yield EngineFix(type_, fix_text(fix, Wording(Dialect.CLOUDFORMATION, type_)))
    elif engine == "sam":
        yield from _sam(fix, key)
    elif engine == "pulumi":
        tokens = [t for t in pulumi_aws.NAMES if pulumi_aws.spellings(t, key)]
        tokens += [
            native.native_type(t) for t in cloudformation.NAMES if cloudformation.spellings(t, key)
        ]
        for token in tokens:
            python = Wording(Dialect.PULUMI_PYTHON, token)
            preview = fix_text(fix, Wording(Dialect.PULUMI, token))
            yield EngineFix(resource_name(token, python), fix_text(fix, python), preview)
    elif engine == "cdk":
        yield from _cdk(fix, key)


def _sam(fix: Fix, key: str) -> Iterator[EngineFix]:
    for sam_type, generated in sam.MAIN_RESOURCES.items():
        source = SamSource(sam_type)
        for type_ in (*sorted(generated), *sam.NAMES.get(sam_type, {})):
            found = sam.spellings(source, type_, key)
            if found and not all(s.instead for s in found):
                yield EngineFix(sam_type, fix_text(fix, Wording(Dialect.SAM, type_, sam=source)))
                break


def _cdk(fix: Fix, key: str) -> Iterator[EngineFix]:
    spelled_by_l2: set[str] = set()
    for fqn in cdk.L2:
        if lookup(cdk.L2, fqn, key):
            chain = (("Resource", ""), (fqn.rsplit(".", 1)[1], fqn))
            spelled_by_l2.add(fqn)
            yield EngineFix(
                _l2_name(fqn), fix_text(fix, Wording(Dialect.CDK, "", constructs=chain))
            )
    for (owner, prefix), table in cdk.OWNERS.items():
        if lookup(table, "*", key):
            owned = (("Resource", ""), (f"{prefix}prod", ""), ("Api", owner))
            text = fix_text(fix, Wording(Dialect.CDK, "", constructs=owned))
            yield EngineFix(f"{_l2_name(owner)} (its deployment stage)", text)
    for type_ in cloudformation.NAMES:
        if (
            cloudformation.spellings(type_, key)
            and "::" in type_
            and not type_.startswith("Custom")
        ):
            l1 = f"{cdk_module(type_)}.Cfn{type_.rsplit('::', 1)[1]}"
            yield EngineFix(l1, fix_text(fix, Wording(Dialect.CDK, type_)))


def _l2_name(fqn: str) -> str:
    """`aws-cdk-lib.aws_lambda.Function` -> `lambda_.Function`."""
    module, _, name = fqn.removeprefix("aws-cdk-lib.").rpartition(".")
    return f"{cdk_module('AWS::' + module.removeprefix('aws_') + '::')}.{name}"
