from __future__ import annotations

from collections import defaultdict

from serverless_guard.catalog.params import NoParams
from serverless_guard.catalog.rule import (
    Anchors,
    Context,
    Domain,
    Remediation,
    Severity,
    Verdict,
    failed,
    not_applicable,
    passed,
    rule,
    unknown,
)
from serverless_guard.facts.graph import Graph
from serverless_guard.facts.iam import Identity, IdentityKind
from serverless_guard.facts.lambda_ import Function
from serverless_guard.facts.nodes import is_opaque_text
from serverless_guard.facts.value import Absent, Known, Unknown


def role_key(link: str, graph: Graph) -> str:
    """What a function's role link denotes, comparable across functions: the role's name
    (role names are unique in an account, whatever their path) or, for a role of the stack
    without a literal name, its reference."""
    roles = [r for r in graph.resolve(link, Identity) if r.kind is IdentityKind.ROLE]
    if roles:
        name = roles[0].ref_value
        return name.lower() if name is not None else f"${{{roles[0].id}}}"
    key = graph.canonical(link)
    parts = key.split(":", 5)
    if len(parts) == 6 and parts[0] == "arn" and parts[2] == "iam" and "role/" in parts[5]:
        key = parts[5].rsplit("/", 1)[-1]
    return key if "${" in key else key.lower()


def _role_label(key: str, link: str, graph: Graph) -> str:
    """The stack role that `key` denotes, by name, else the link as written."""
    for role in graph.of_kind(Identity):
        if role.kind is IdentityKind.ROLE and role_key(f"${{{role.id}}}", graph) == key:
            return role.name
    return link


def _functions_by_role(graph: Graph) -> dict[str, set[tuple[str, str]]]:
    """(id, name) of the stack's functions, by the role key of their known role."""
    out: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for function in graph.of_kind(Function):
        if isinstance(function.role, Known):
            out[role_key(function.role.value, graph)].add((function.id, function.name))
    return out


@rule(
    id="lambda-role-not-shared",
    title="Each Lambda function has its own execution role",
    severity=Severity.MEDIUM,
    domain=Domain.IAM,
    rationale=(
        "Functions that share a role share the union of their permissions: the function that "
        "only reads a queue can also write the table the other one writes, and a flaw in "
        "either one exposes both. A role per function keeps each one's permissions to what "
        "its own code does, and its CloudTrail events attributable to it."
    ),
    remediation=Remediation(
        cdk="Let each `lambda_.Function` create its own role (do not pass `role=`), and grant "
        "each function what it uses (SecureFunction does this).",
        pulumi="Create one `aws.iam.Role` per `aws.lambda_.Function` and attach to it only "
        "that function's policies.",
        cloudformation="Give each function its own `AWS::IAM::Role` (SAM: omit `Role` so each "
        "function gets a generated role, and list its `Policies`).",
    ),
    references=(
        "https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html",
        "https://docs.aws.amazon.com/wellarchitected/latest/serverless-applications-lens/identity-and-access-management.html",
    ),
    anchors=Anchors(),
)
def lambda_role_not_shared(fn: Function, ctx: Context[NoParams]) -> Verdict:
    graph = ctx.graph
    others = any(f.id != fn.id for f in graph.of_kind(Function))
    match fn.role:
        case Absent():
            return not_applicable("no execution role")
        case Unknown() as u:
            return unknown(u) if others else passed("the only function of the stack")
        case Known(value=link):
            pass
    key = role_key(link, graph)
    by_role = graph.memo("lambda-role-not-shared", lambda: _functions_by_role(graph))
    sharing = sorted({name for other, name in by_role.get(key, ()) if other != fn.id})
    if sharing:
        role = _role_label(key, link, graph)
        names = ", ".join(sharing)
        return failed(
            f"function {fn.name} shares its execution role {role} with {names}: give each "
            "function its own role with only the permissions its code uses",
            at=fn.role,
        )
    if is_opaque_text(key) and others:
        reason = f"function {fn.name}'s role {link} is only known at deployment"
        return unknown(Unknown(reason, fn.role.at), reason)
    return passed()
