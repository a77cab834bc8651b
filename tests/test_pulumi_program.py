"""Pulumi Python programs run offline under mocks: resources, links, configuration, errors.

Each full run starts a Python process that imports the program's packages (about a second with
pulumi_aws); the module-scoped fixtures share one run per example.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from serverless_guard.engines.pulumi.model import PulumiResource, is_unknown
from serverless_guard.engines.pulumi.program import PulumiProgramError, run_program
from serverless_guard.engines.pulumi.program_config import SECRET_PLACEHOLDER, load_spec
from serverless_guard.errors import InputError

PROGRAMS = Path(__file__).parent / "fixtures" / "pulumi_programs"
ACCOUNT = "123456789012"


def by_name(resources: Sequence[PulumiResource], name: str, type_: str) -> PulumiResource:
    (found,) = [r for r in resources if r.name == name and r.type == type_]
    return found


def urn(project: str, type_: str, name: str, stack: str = "dev") -> str:
    return f"urn:pulumi:{stack}::{project}::{type_}::{name}"


FUNCTION = "aws:lambda/function:Function"
ROLE = "aws:iam/role:Role"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"


# --- example programs ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def apigw() -> list[PulumiResource]:
    return run_program(PROGRAMS / "apigw_lambda")


@pytest.fixture(scope="module")
def sfn() -> list[PulumiResource]:
    return run_program(PROGRAMS / "step_functions")


@pytest.fixture(scope="module")
def website() -> list[PulumiResource]:
    return run_program(PROGRAMS / "s3_website")


@pytest.fixture(scope="module")
def dynamo() -> list[PulumiResource]:
    return run_program(PROGRAMS / "dynamodb_config")


def test_rest_api_lambda_resources(apigw: list[PulumiResource]) -> None:
    assert sorted({r.type for r in apigw}) == [
        "aws:apigateway/deployment:Deployment",
        "aws:apigateway/integration:Integration",
        "aws:apigateway/method:Method",
        "aws:apigateway/resource:Resource",
        "aws:apigateway/restApi:RestApi",
        "aws:apigateway/stage:Stage",
        LOG_GROUP,
        ROLE,
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        FUNCTION,
        "aws:lambda/permission:Permission",
        "pulumi:pulumi:Stack",
    ]
    stack = apigw[0]
    assert stack.type == "pulumi:pulumi:Stack"
    assert stack.urn == urn("apigw-lambda", "pulumi:pulumi:Stack", "apigw-lambda-dev")
    assert stack.parent is None
    assert all(r.parent == stack.urn for r in apigw[1:])
    assert [r.urn for r in apigw[1:]] == sorted(r.urn for r in apigw[1:])


def test_lambda_inputs_and_role_link(apigw: list[PulumiResource]) -> None:
    fn = by_name(apigw, "handler", FUNCTION)
    role = by_name(apigw, "handler-role", ROLE)
    assert fn.urn == urn("apigw-lambda", FUNCTION, "handler")
    assert re.fullmatch(r"handler-[0-9a-f]{7}", fn.props["name"])  # auto-named, as a provider
    assert re.fullmatch(r"handler-role-[0-9a-f]{7}", role.props["name"])
    assert fn.props["role"] == f"arn:aws:iam::{ACCOUNT}:role/{role.props['name']}"
    assert fn.property_dependencies["role"] == (role.urn,)
    assert fn.property_dependencies["runtime"] == ()
    assert fn.dependencies == (role.urn,)
    # camelCase inputs, numbers as the engine sends them, archives in their wire form
    assert fn.props["memorySize"] == 256
    assert fn.props["tracingConfig"] == {"mode": "Active"}
    assert fn.props["runtime"] == "python3.12"
    archive = fn.props["code"]["assets"]["."]
    assert archive["path"] == "./app"


def test_log_group_name_built_from_function_name(apigw: list[PulumiResource]) -> None:
    fn = by_name(apigw, "handler", FUNCTION)
    logs = by_name(apigw, "handler-logs", LOG_GROUP)
    assert logs.props["name"] == f"/aws/lambda/{fn.props['name']}"
    assert logs.property_dependencies["name"] == (fn.urn,)
    assert logs.props["retentionInDays"] == 14


def test_api_links_follow_outputs(apigw: list[PulumiResource]) -> None:
    fn = by_name(apigw, "handler", FUNCTION)
    api = by_name(apigw, "api", "aws:apigateway/restApi:RestApi")
    proxy = by_name(apigw, "proxy", "aws:apigateway/resource:Resource")
    integration = by_name(apigw, "proxy-lambda", "aws:apigateway/integration:Integration")
    stage = by_name(apigw, "prod", "aws:apigateway/stage:Stage")
    deployment = by_name(apigw, "deployment", "aws:apigateway/deployment:Deployment")
    access_logs = by_name(apigw, "api-access-logs", LOG_GROUP)
    permission = by_name(apigw, "api-invoke", "aws:lambda/permission:Permission")

    assert re.fullmatch(r"[a-z0-9]{10}", proxy.props["restApi"])
    assert proxy.property_dependencies["parentId"] == (api.urn,)
    function_arn = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:{fn.props['name']}"
    assert integration.props["uri"] == (
        f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{function_arn}/invocations"
    )
    assert integration.property_dependencies["uri"] == (fn.urn,)
    assert stage.props["accessLogSettings"]["destinationArn"] == (
        f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{access_logs.props['name']}"
    )
    assert stage.property_dependencies["accessLogSettings"] == (access_logs.urn,)
    assert integration.urn in deployment.dependencies  # depends_on
    source = permission.props["sourceArn"]
    assert source == f"arn:aws:execute-api:us-east-1:{ACCOUNT}:{proxy.props['restApi']}/*/*"
    assert permission.property_dependencies["sourceArn"] == (api.urn,)
    assert permission.props["function"] == fn.props["name"]


def test_step_functions(sfn: list[PulumiResource]) -> None:
    hello = by_name(sfn, "hello", FUNCTION)
    world = by_name(sfn, "world", FUNCTION)
    machine = by_name(sfn, "hello-world", "aws:sfn/stateMachine:StateMachine")
    sfn_role = by_name(sfn, "sfn-role", ROLE)
    policy = by_name(sfn, "sfn-invoke", "aws:iam/rolePolicy:RolePolicy")

    definition = json.loads(machine.props["definition"])
    arns = [definition["States"][s]["Resource"] for s in ("Hello", "World")]
    assert arns == [
        f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:{fn.props['name']}" for fn in (hello, world)
    ]
    assert machine.property_dependencies["definition"] == tuple(sorted((hello.urn, world.urn)))
    assert machine.property_dependencies["roleArn"] == (sfn_role.urn,)
    assert machine.props["tracingConfiguration"] == {"enabled": True}
    statement = json.loads(policy.props["policy"])["Statement"][0]
    assert statement["Resource"] == arns
    assert policy.props["role"] == sfn_role.props["name"]


def test_static_website(website: list[PulumiResource]) -> None:
    bucket = by_name(website, "site", "aws:s3/bucket:Bucket")
    config = by_name(
        website, "site-website", "aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration"
    )
    policy = by_name(website, "site-policy", "aws:s3/bucketPolicy:BucketPolicy")
    page = by_name(website, "index.html", "aws:s3/bucketObjectv2:BucketObjectv2")

    name = bucket.props["bucket"]
    assert re.fullmatch(r"site-[0-9a-f]{7}", name)
    assert config.props["bucket"] == name
    assert config.props["indexDocument"] == {"suffix": "index.html"}  # Pulumi.yaml default
    assert page.props["source"]["path"] == "www/index.html"
    assert policy.property_dependencies["policy"] == (bucket.urn,)
    document = json.loads(policy.props["policy"])
    assert document == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "PublicRead",
                "Effect": "Allow",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{name}/*",
                "Principal": "*",
            },
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Action": "s3:*",
                "Resource": [f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"],
                "Principal": {"AWS": "*"},
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            },
        ],
    }


def test_config_driven_table(dynamo: list[PulumiResource]) -> None:
    table = by_name(dynamo, "orders", "aws:dynamodb/table:Table")
    reader = by_name(dynamo, "reader", FUNCTION)
    access = by_name(dynamo, "reader-table-access", "aws:iam/rolePolicy:RolePolicy")
    mapping = by_name(dynamo, "orders-stream", "aws:lambda/eventSourceMapping:EventSourceMapping")

    assert table.urn == urn("dynamo-app", "aws:dynamodb/table:Table", "orders")
    assert table.props["name"] == "orders-dev"  # config.require, from Pulumi.dev.yaml
    assert table.props["billingMode"] == "PROVISIONED"  # structured config
    assert (table.props["readCapacity"], table.props["writeCapacity"]) == (5, 2)
    assert table.props["pointInTimeRecovery"] == {"enabled": True}
    assert reader.props["memorySize"] == 128  # Pulumi.yaml default
    assert reader.props["environment"]["variables"] == {
        "TABLE_NAME": "orders-dev",
        "API_TOKEN": SECRET_PLACEHOLDER,
    }
    assert reader.property_dependencies["environment"] == (table.urn,)
    arn = f"arn:aws:dynamodb:eu-west-1:{ACCOUNT}:table/orders-dev"  # aws:region from the stack
    assert json.loads(access.props["policy"])["Statement"][0]["Resource"] == arn
    assert mapping.props["eventSourceArn"].startswith(f"{arn}/stream/")
    assert mapping.property_dependencies["eventSourceArn"] == (table.urn,)


def test_runs_are_deterministic(apigw: list[PulumiResource]) -> None:
    assert run_program(PROGRAMS / "apigw_lambda") == apigw


def line_of(file: Path, text: str) -> int:
    (line,) = [n for n, code in enumerate(file.read_text().splitlines(), 1) if text in code]
    return line


def test_sources_are_the_constructor_calls(apigw: list[PulumiResource]) -> None:
    main = PROGRAMS / "apigw_lambda" / "__main__.py"
    assert apigw[0].source is None  # the stack: no program frame declared it
    assert {r.source[0] for r in apigw[1:] if r.source is not None} == {str(main)}
    assert all(r.source is not None for r in apigw[1:])
    assert by_name(apigw, "handler", FUNCTION).source == (
        str(main),
        line_of(main, "handler = aws.lambda_.Function("),
    )
    assert by_name(apigw, "handler-role", ROLE).source == (
        str(main),
        line_of(main, "role = aws.iam.Role("),
    )


def test_source_is_the_innermost_frame_in_the_project(tmp_path: Path) -> None:
    project = tmp_path / "app"
    write(
        project / "Pulumi.yaml",
        "name: sources\nruntime:\n  name: python\n  options:\n    virtualenv: venv\n",
    )
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    write(
        project / "venv" / "lib" / version / "site-packages" / "shared_parts.py",
        "import pulumi\n"
        "import pulumi_aws as aws\n\n\n"
        "class Store(pulumi.ComponentResource):\n"
        "    def __init__(self, name):\n"
        "        super().__init__('shared:index:Store', name)\n"
        "        opts = pulumi.ResourceOptions(parent=self)\n"
        "        aws.s3.Bucket(f'{name}-bucket', opts=opts)\n",
    )
    helpers = write(
        project / "helpers.py",
        "import pulumi_aws as aws\n\n\ndef queue(name):\n    return aws.sqs.Queue(name)\n",
    )
    main = write(
        project / "__main__.py",
        "import helpers\nimport shared_parts\n\n"
        "helpers.queue('jobs')\nshared_parts.Store('assets')\n",
    )
    resources = run_program(project)
    assert by_name(resources, "jobs", "aws:sqs/queue:Queue").source == (str(helpers), 5)
    # a library's component and its children: where the program constructed the component
    assert by_name(resources, "assets", "shared:index:Store").source == (str(main), 5)
    assert by_name(resources, "assets-bucket", "aws:s3/bucket:Bucket").source == (str(main), 5)


def test_no_unknowns_in_examples(
    apigw: list[PulumiResource], sfn: list[PulumiResource], website: list[PulumiResource]
) -> None:
    def walk(value: Any) -> bool:
        if isinstance(value, dict):
            return any(walk(v) for v in value.values())
        if isinstance(value, list):
            return any(walk(v) for v in value)
        return is_unknown(value)

    assert not any(walk(dict(r.props)) for r in [*apigw, *sfn, *website])


# --- stacks and configuration ---------------------------------------------------------------


def test_several_stacks_need_a_choice() -> None:
    with pytest.raises(PulumiProgramError) as caught:
        run_program(PROGRAMS / "two_stacks")
    assert str(caught.value) == (
        "Pulumi project 'two-stacks' has several stacks (dev, prod): choose one with --stack"
    )


def test_unknown_stack() -> None:
    with pytest.raises(PulumiProgramError, match=r"no stack 'qa' .*stacks: dev, prod"):
        run_program(PROGRAMS / "two_stacks", stack="qa")


def test_stack_file_chosen_by_name() -> None:
    resources = run_program(PROGRAMS / "two_stacks", stack="prod")
    queue = by_name(resources, "jobs", "aws:sqs/queue:Queue")
    subscription = by_name(resources, "jobs-events", "aws:sns/topicSubscription:TopicSubscription")
    assert queue.urn == urn("two-stacks", "aws:sqs/queue:Queue", "jobs", stack="prod")
    assert queue.props["name"] == "jobs-prod.fifo"
    assert subscription.props["endpoint"] == f"arn:aws:sqs:us-west-2:{ACCOUNT}:jobs-prod.fifo"
    assert subscription.props["topic"].endswith(".fifo")


def test_overrides_win_and_the_environment_does_not_leak(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PULUMI_CONFIG", json.dumps({"two-stacks:fifo": "true"}))
    monkeypatch.setenv("PULUMI_CONFIG_FIFO", "true")
    resources = run_program(
        PROGRAMS / "two_stacks",
        stack="dev",
        config={"queueName": "jobs-x", "aws:region": "ap-south-1"},
    )
    queue = by_name(resources, "jobs", "aws:sqs/queue:Queue")
    subscription = by_name(resources, "jobs-events", "aws:sns/topicSubscription:TopicSubscription")
    assert queue.props["name"] == "jobs-x"
    assert queue.props["fifoQueue"] is False
    assert subscription.props["endpoint"] == f"arn:aws:sqs:ap-south-1:{ACCOUNT}:jobs-x"


def test_missing_required_value(tmp_path: Path) -> None:
    project = tmp_path / "app"
    shutil.copytree(PROGRAMS / "dynamodb_config", project)
    (project / "Pulumi.dev.yaml").unlink()
    with pytest.raises(PulumiProgramError) as caught:
        run_program(project)
    assert str(caught.value) == (
        "missing required configuration value 'dynamo-app:tableName': "
        "set it with -c tableName=<value> or in Pulumi.dev.yaml"
    )
    assert caught.value.exit_code == 2


def test_ill_typed_value() -> None:
    with pytest.raises(PulumiProgramError) as caught:
        run_program(PROGRAMS / "dynamodb_config", config={"memorySize": "lots"})
    assert str(caught.value) == (
        "configuration value 'dynamo-app:memorySize' is not a valid int ('lots'): "
        "set it with -c memorySize=<value> or in Pulumi.dev.yaml"
    )


# --- program problems -----------------------------------------------------------------------


def test_missing_package() -> None:
    with pytest.raises(PulumiProgramError) as caught:
        run_program(PROGRAMS / "missing_package")
    error = caught.value
    assert isinstance(error, InputError)
    assert error.exit_code == 2
    assert (error.file, error.line) == (str(PROGRAMS / "missing_package" / "__main__.py"), 5)
    assert error.message == (
        "the program imports 'pulumi_unknown_helpers', which is not installed: install the "
        "program's requirements in the environment that runs serverless-guard "
        "(pip install -r requirements.txt)"
    )


def test_virtualenv_packages_are_importable(tmp_path: Path) -> None:
    project = tmp_path / "app"
    shutil.copytree(PROGRAMS / "missing_package", project)
    write(
        project / "Pulumi.yaml",
        "name: missing-package\nruntime:\n  name: python\n  options:\n    virtualenv: venv\n",
    )
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    write(
        project / "venv" / "lib" / version / "site-packages" / "pulumi_unknown_helpers.py",
        "def default_tags():\n    return {'team': 'data'}\n",
    )
    (bucket,) = [r for r in run_program(project) if r.type == "aws:s3/bucket:Bucket"]
    assert bucket.props["tags"] == {"team": "data"}


def test_program_exception_names_file_and_line() -> None:
    with pytest.raises(PulumiProgramError) as caught:
        run_program(PROGRAMS / "raises")
    message = str(caught.value)
    assert "\n" not in message
    assert message == (
        f"{PROGRAMS / 'raises' / 'settings.py'}:6: the program failed: "
        "ValueError: no retention configured for queue 'jobs'"
    )
    assert "Traceback" not in message


def test_network_is_refused() -> None:
    with pytest.raises(PulumiProgramError) as caught:
        run_program(PROGRAMS / "offline")
    assert caught.value.message == (
        "the program tried to reach checkip.amazonaws.com:443 over the network: "
        "programs run offline here, with mocks in place of AWS"
    )
    assert caught.value.line == 7


def test_caller_state_is_untouched(sfn: list[PulumiResource]) -> None:
    # the program ran in its own process: its folder is not on our path, our cwd is ours
    assert str(PROGRAMS / "step_functions") not in sys.path
    assert Path.cwd() != PROGRAMS / "step_functions"
    assert not list((PROGRAMS / "step_functions").rglob("__pycache__"))


# --- project files (no program runs) --------------------------------------------------------


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write(tmp_path / "Pulumi.yaml", "name: proj\nruntime: python\n")
    write(tmp_path / "__main__.py", "import pulumi\n")
    return tmp_path


def test_not_a_pulumi_project(tmp_path: Path) -> None:
    with pytest.raises(PulumiProgramError, match=r"no Pulumi.yaml in .*: not a Pulumi project"):
        load_spec(tmp_path)
    with pytest.raises(PulumiProgramError, match="no such directory"):
        load_spec(tmp_path / "missing")


def test_other_runtimes_are_refused(project: Path) -> None:
    write(project / "Pulumi.yaml", "name: proj\nruntime: nodejs\n")
    with pytest.raises(PulumiProgramError, match="the project's runtime is 'nodejs'"):
        load_spec(project)


def test_runtime_options_and_virtualenv(project: Path) -> None:
    write(
        project / "Pulumi.yaml",
        "name: proj\nruntime:\n  name: python\n  options:\n    toolchain: pip\n"
        "    virtualenv: venv\n",
    )
    site = project / "venv" / "lib" / "python3.11" / "site-packages"
    site.mkdir(parents=True)
    spec = load_spec(project)
    assert spec.virtualenv == project / "venv"
    assert spec.site_packages == (site,)
    assert spec.search_path == (project,)
    assert spec.program == project / "__main__.py"
    assert (spec.stack, spec.config) == ("dev", {})


def test_main_entry_point(project: Path) -> None:
    write(project / "Pulumi.yaml", "name: proj\nruntime: python\nmain: infra/\n")
    (project / "infra").mkdir()
    with pytest.raises(PulumiProgramError, match=r"main 'infra/' has no __main__\.py"):
        load_spec(project)
    write(project / "infra" / "__main__.py", "")
    spec = load_spec(project)
    assert spec.program == project / "infra" / "__main__.py"
    assert spec.search_path == (project / "infra", project)
    write(project / "Pulumi.yaml", "name: proj\nruntime: python\nmain: app.py\n")
    with pytest.raises(PulumiProgramError, match=r"main 'app\.py' does not exist"):
        load_spec(project)


def test_stack_values(project: Path) -> None:
    write(
        project / "Pulumi.yaml",
        "name: proj\nruntime: python\nconfig:\n"
        "  size:\n    type: integer\n    default: 3\n"
        "  mode: fast\n"
        "  aws:region: eu-west-3\n"
        "  label:\n    value: yes\n",
    )
    write(
        project / "Pulumi.staging.yaml",
        "config:\n"
        "  proj:size: 5\n"
        "  proj:enabled: true\n"
        "  proj:ratio: 0.5\n"
        "  proj:settings:\n    b: 1\n    a: [x, y]\n"
        "  proj:password:\n    secure: v1:abc\n"
        "  proj:db:\n    user: admin\n    pass:\n      secure: v1:def\n"
        "  aws:profile: dev\n",
    )
    spec = load_spec(project, config={"mode": "slow", "other:key": "v"})
    assert spec.stack == "staging"
    assert spec.stack_file == project / "Pulumi.staging.yaml"
    assert dict(spec.config) == {
        "proj:size": "5",
        "proj:mode": "slow",
        "aws:region": "eu-west-3",
        "proj:label": "yes",
        "proj:enabled": "true",
        "proj:ratio": "0.5",
        "proj:settings": '{"a":["x","y"],"b":1}',
        "proj:password": SECRET_PLACEHOLDER,
        "proj:db": json.dumps({"pass": SECRET_PLACEHOLDER, "user": "admin"}, separators=(",", ":")),
        "aws:profile": "dev",
        "other:key": "v",
    }
    assert spec.secret_keys == {"proj:password", "proj:db"}


def test_declared_value_without_default_is_required(project: Path) -> None:
    write(
        project / "Pulumi.yaml",
        "name: proj\nruntime: python\nconfig:\n  domain:\n    type: string\n",
    )
    with pytest.raises(PulumiProgramError) as caught:
        load_spec(project, stack="prod")
    assert str(caught.value) == (
        "missing required configuration value 'proj:domain': "
        "set it with -c domain=<value> or in Pulumi.prod.yaml"
    )
    assert load_spec(project, config={"domain": "example.com"}).config["proj:domain"] == (
        "example.com"
    )


def test_broken_stack_file(project: Path) -> None:
    write(project / "Pulumi.dev.yaml", "config:\n  proj:a: [1,\n")
    with pytest.raises(PulumiProgramError, match=r"Pulumi.dev.yaml:\d+: not valid YAML"):
        load_spec(project)


# --- what the mocks answer (no program runs) --------------------------------------------------


def test_physical_names() -> None:
    from serverless_guard.engines.pulumi.mocks.naming import physical_name

    fn = "aws:lambda/function:Function"
    assert physical_name(fn, "api", {}, "seed") == physical_name(fn, "api", {}, "seed")
    assert re.fullmatch(r"api-[0-9a-f]{7}", physical_name(fn, "api", {}, "seed"))
    assert physical_name(fn, "api", {"name": "given"}, "seed") == "given"
    assert re.fullmatch(
        r"my-site-[0-9a-f]{7}", physical_name("aws:s3/bucket:Bucket", "My_Site", {}, "s")
    )
    fifo = physical_name("aws:sqs/queue:Queue", "jobs", {"fifoQueue": True}, "s")
    assert fifo.endswith(".fifo")


def test_resource_outputs() -> None:
    from serverless_guard.engines.pulumi.mocks.outputs import resource_outputs

    ident, out = resource_outputs(
        "aws:sqs/queue:Queue", "jobs", {"name": "jobs"}, region="eu-west-1", seed="u"
    )
    assert ident == out["url"] == f"https://sqs.eu-west-1.amazonaws.com/{ACCOUNT}/jobs"
    assert out["arn"] == f"arn:aws:sqs:eu-west-1:{ACCOUNT}:jobs"
    ident, out = resource_outputs(
        "aws:apigatewayv2/api:Api", "http", {"protocolType": "HTTP"}, region="us-east-1", seed="u"
    )
    assert out["apiEndpoint"] == f"https://{ident}.execute-api.us-east-1.amazonaws.com"
    assert out["executionArn"] == f"arn:aws:execute-api:us-east-1:{ACCOUNT}:{ident}"
    ident, out = resource_outputs("aws:kms/key:Key", "key", {}, region="us-east-1", seed="u")
    assert (
        out["arn"]
        == f"arn:aws:kms:us-east-1:{ACCOUNT}:key/{ident}"
        == (f"arn:aws:kms:us-east-1:{ACCOUNT}:key/{out['keyId']}")
    )
    ident, out = resource_outputs(
        "aws:glue/job:Job", "etl", {}, region="us-east-1", seed="u"
    )  # no dedicated answer: a generic one
    assert ident == f"{out['name']}-id"
    assert out["arn"] == f"arn:aws:glue:us-east-1:{ACCOUNT}:{out['name']}"


def test_policy_document() -> None:
    from serverless_guard.engines.pulumi.mocks.get_policy_document import policy_document

    result = policy_document(
        {
            "sourcePolicyDocuments": [
                json.dumps({"Statement": [{"Sid": "Old", "Effect": "Allow", "Action": "a:b"}]})
            ],
            "statements": [
                {
                    "sid": "Old",
                    "effect": "Deny",
                    "notActions": ["s3:GetObject", "s3:PutObject"],
                    "resources": ["*"],
                    "principals": [
                        {"type": "Service", "identifiers": ["lambda.amazonaws.com"]},
                        {"type": "AWS", "identifiers": ["arn:aws:iam::1:root", "*"]},
                    ],
                    "conditions": [
                        {"test": "StringEquals", "variable": "aws:x", "values": ["1", "2"]},
                        {"test": "StringEquals", "variable": "aws:y", "values": ["3"]},
                    ],
                },
                {"actions": ["sqs:SendMessage"]},
            ],
        }
    )
    assert (
        json.loads(result["json"])
        == json.loads(result["minifiedJson"])
        == {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "Old",
                    "Effect": "Deny",
                    "NotAction": ["s3:GetObject", "s3:PutObject"],
                    "Resource": "*",
                    "Principal": {
                        "Service": "lambda.amazonaws.com",
                        "AWS": ["arn:aws:iam::1:root", "*"],
                    },
                    "Condition": {"StringEquals": {"aws:x": ["1", "2"], "aws:y": "3"}},
                },
                {"Effect": "Allow", "Action": "sqs:SendMessage"},
            ],
        }
    )


def test_invokes() -> None:
    from serverless_guard.engines.pulumi.mocks.invokes import invoke_result

    identity = invoke_result("aws:index/getCallerIdentity:getCallerIdentity", {}, region="x")
    assert identity["accountId"] == ACCOUNT
    region = invoke_result("aws:index/getRegion:getRegion", {}, region="eu-north-1")
    assert region["region"] == region["name"] == "eu-north-1"
    zones = invoke_result("aws:index/getAvailabilityZones:getAvailabilityZones", {}, region="r-1")
    assert zones["names"] == ["r-1a", "r-1b", "r-1c"]
    subnets = invoke_result("aws:ec2/getSubnets:getSubnets", {}, region="us-east-1")
    assert all(re.fullmatch(r"subnet-[0-9a-f]{17}", s) for s in subnets["ids"])
    role = invoke_result("aws:iam/getRole:getRole", {"name": "ops"}, region="us-east-1")
    assert role["arn"] == f"arn:aws:iam::{ACCOUNT}:role/ops"
    other = invoke_result("aws:foo/getBar:getBar", {"a": 1}, region="us-east-1")
    assert other["a"] == 1
    assert other["id"]
