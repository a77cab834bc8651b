from __future__ import annotations

from serverless_guard.catalog.fix import Choice, Fix
from serverless_guard.catalog.rule import (
    Anchors,
    Domain,
    Remediation,
    Severity,
    Verdict,
    failed,
    passed,
    rule,
)
from serverless_guard.facts.lambda_ import Function
from serverless_guard.facts.value import Absent, Known, Unknown

SUBNETS = Fix.set(Function, "vpc_subnets", Choice("private subnets"))


@rule(
    id="lambda-in-vpc",
    title="Lambda functions are attached to a VPC",
    severity=Severity.LOW,
    domain=Domain.HARDENING,
    rationale=(
        "A function attached to a VPC reaches the network only through its subnets and "
        "security groups, so its egress can be restricted, inspected and logged with VPC flow "
        "logs, and private resources need no public endpoint. It is off by default: most "
        "functions that only call AWS APIs gain little from a VPC and need VPC endpoints or a "
        "NAT gateway once attached."
    ),
    remediation=Remediation(
        cdk="Pass `vpc=...`, `vpc_subnets=ec2.SubnetSelection(subnet_type="
        "ec2.SubnetType.PRIVATE_WITH_EGRESS)` and `security_groups=[...]` to the function.",
        pulumi="Set `vpc_config={'subnet_ids': [...], 'security_group_ids': [...]}` on "
        "`aws.lambda_.Function`.",
        cloudformation="Set `VpcConfig` with `SubnetIds` (private subnets in two or more "
        "Availability Zones) and `SecurityGroupIds` on the function.",
    ),
    references=("https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html",),
    anchors=Anchors(
        cdk_nag=(
            "NIST.800.53.R5-LambdaInsideVPC",
            "HIPAA.Security-LambdaInsideVPC",
            "PCI.DSS.321-LambdaInsideVPC",
        ),
        checkov=("CKV_AWS_117",),
    ),
    enabled_by_default=False,
    fixes=(SUBNETS,),
)
def lambda_in_vpc(fn: Function) -> Verdict:
    match fn.vpc_subnets:
        case Known(value=subnets) if not subnets:
            return failed(
                f"function {fn.name} has a VPC configuration without subnets, so it is not "
                "attached to a VPC",
                at=fn.vpc_subnets,
                fix=SUBNETS,
            )
        case Known():
            return passed()
        case Unknown() as u:
            return passed(f"subnets set ({u.reason})")
        case Absent():
            return failed(
                f"function {fn.name} is not attached to a VPC", at=fn.vpc_subnets, fix=SUBNETS
            )
