"""The `serverless-guard` command.

```
serverless-guard scan PATH... [--format text|json|sarif|junit] [--output FILE]
                              [--config guard.json] [--strict-unknowns]
                              [--baseline FILE | --write-baseline FILE]
serverless-guard pulumi [PROJECT_DIR] [--stack NAME] [-c KEY=VALUE]... [--format ...]
                              [--output FILE] [--config guard.json] [--strict-unknowns]
                              [--baseline FILE | --write-baseline FILE]
serverless-guard rules [--format text|markdown|json]
serverless-guard explain RULE [--format text|markdown|json] [--engine cloudformation|sam|pulumi|cdk]
serverless-guard policy-pack path | new DIR
serverless-guard --version
```

Exit codes: 0 nothing blocking was found; 1 a blocking finding exists (a mandatory rule fails
or errors, a mandatory unknown under `strict_unknowns`, or, in a scan of several files or a
folder, a file that cannot be read: an `input-error` finding); 2 a usage error, a configuration
that does not fit the catalog, a path that does not exist, or a single named file that cannot
be read; 3 an internal error (a bug: please report it); 130 interrupted. Errors are one line on
stderr, never a traceback; so is each path a folder scan skips (a FIFO, a socket, a symbolic
link that loops or leads to a device or folder, a `manifest.json` that is not a cloud assembly).
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import os
import sys
from collections.abc import Sequence
from typing import NoReturn, TextIO

from serverless_guard import __version__
from serverless_guard.catalog import BY_ID
from serverless_guard.config import Config, load_config
from serverless_guard.engines.cloudformation.stack import templates_among
from serverless_guard.errors import GuardError, did_you_mean
from serverless_guard.findings import ScanResult
from serverless_guard.naming.engines import ENGINES
from serverless_guard.report import FORMATS, render
from serverless_guard.report.catalog import explain_json, explain_text, rules_json, rules_text
from serverless_guard.report.common import PSEUDO_RULES, RuleInfo, info_of_rule, summary_line
from serverless_guard.scan import scan, scan_pulumi
from serverless_guard.waivers.baseline import record_baseline

PROG = "serverless-guard"
EXIT_OK = 0
EXIT_BLOCKING = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141


class UsageError(GuardError):
    """A command line that cannot be run."""


class _Parser(argparse.ArgumentParser):
    """argparse, with usage errors as one line on stderr (exit code 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see `{self.prog} --help`)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Security guardrails for serverless AWS apps: scan CloudFormation and SAM "
        "templates, CDK cloud assemblies and Pulumi programs with one rule catalog.",
        epilog="Exit codes: 0 nothing blocking, 1 blocking findings (an unreadable file in a "
        "multi-file or folder scan included), 2 usage errors or a single named file that cannot "
        "be read, 3 internal error.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    scan_cmd = commands.add_parser(
        "scan",
        help="scan templates, folders and CDK cloud assemblies",
        description="Scan CloudFormation/SAM templates (YAML or JSON), folders of them, and "
        "CDK cloud assemblies (cdk.out).",
    )
    scan_cmd.add_argument("paths", nargs="+", metavar="PATH", help="template file or folder")
    scan_cmd.add_argument(
        "--skip-non-templates",
        action="store_true",
        help="skip named files that are not CloudFormation templates, as in a folder, instead "
        "of refusing them (for pre-commit hooks, which name every changed file)",
    )
    _report_options(scan_cmd, config_short=True)

    pulumi_cmd = commands.add_parser(
        "pulumi",
        help="run a Pulumi Python program offline and check what it declares",
        description="Run the Pulumi Python program in PROJECT_DIR under Pulumi's mocks, as "
        "`pulumi preview` would but with no Pulumi CLI, backend or cloud credentials, and "
        "evaluate the resources it registers with the same policies as the policy pack.",
    )
    pulumi_cmd.add_argument(
        "project", nargs="?", default=".", metavar="PROJECT_DIR", help="folder of Pulumi.yaml"
    )
    pulumi_cmd.add_argument(
        "--stack", "-s", metavar="NAME", help="stack whose Pulumi.<stack>.yaml to use"
    )
    pulumi_cmd.add_argument(
        "-c",
        dest="stack_config",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="set a stack configuration value (repeatable), as `pulumi -c` does",
    )
    _report_options(pulumi_cmd, config_short=False)

    rules_cmd = commands.add_parser(
        "rules", help="list the rule catalog", description="List the rule catalog."
    )
    rules_cmd.add_argument(
        "--format",
        "-f",
        choices=("text", "markdown", "json"),
        default="text",
        help="text table (default), markdown index, or JSON with every rule's metadata",
    )

    explain_cmd = commands.add_parser(
        "explain",
        help="explain one rule",
        description="A rule's rationale, remediation (CDK, Pulumi, CloudFormation), parameters, "
        "references and related controls of other tools.",
    )
    explain_cmd.add_argument("rule", metavar="RULE", help="rule id, such as logs-retention-set")
    explain_cmd.add_argument("--format", "-f", choices=("text", "markdown", "json"), default="text")
    explain_cmd.add_argument(
        "--engine",
        "-e",
        choices=ENGINES,
        help="the fix in this engine's words only (default: every engine)",
    )

    pack_cmd = commands.add_parser(
        "policy-pack",
        help="the Pulumi policy pack: where it is installed, or a copy to publish",
        description="`path` prints the folder of the installed policy pack, for `pulumi preview "
        '--policy-pack "$(serverless-guard policy-pack path)"`; `new DIR` writes the pack into '
        "DIR (PulumiPolicy.yaml, __main__.py, requirements.txt pinned to this version), ready "
        "for `pulumi policy publish DIR`.",
    )
    pack_actions = pack_cmd.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    pack_actions.required = True
    pack_actions.add_parser("path", help="print the folder of the installed policy pack")
    new_cmd = pack_actions.add_parser("new", help="write the policy pack into a new folder")
    new_cmd.add_argument("folder", metavar="DIR", help="folder to write (created if missing)")
    return parser


def _report_options(command: argparse.ArgumentParser, *, config_short: bool) -> None:
    """The options every checking command shares: format, output, configuration."""
    command.add_argument(
        "--format", "-f", choices=FORMATS, default="text", help="report format (default: text)"
    )
    command.add_argument(
        "--output", "-o", metavar="FILE", help="write the report to FILE (default: stdout)"
    )
    names = ("--config", "-c") if config_short else ("--config",)
    command.add_argument(
        *names, metavar="FILE", help="configuration (guard.json, Pulumi pack format)"
    )
    command.add_argument(
        "--strict-unknowns",
        action="store_true",
        help="mandatory rules block on values unknown before deployment",
    )
    baseline = command.add_mutually_exclusive_group()
    baseline.add_argument(
        "--baseline",
        metavar="FILE",
        help="report the findings recorded in this baseline file as suppressed",
    )
    baseline.add_argument(
        "--write-baseline",
        metavar="FILE",
        help="record the current findings in a baseline file (then report against it)",
    )


def _wants_color(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _write_file(path: str, content: str) -> None:
    try:
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(content)
    except OSError as err:
        reason = err.strerror or str(err)
        raise UsageError(f"cannot write the report: {reason}", file=path) from None


def _config(args: argparse.Namespace) -> Config:
    config = load_config(args.config) if args.config else Config()
    if args.strict_unknowns:
        config = dataclasses.replace(config, strict_unknowns=True)
    if args.baseline or args.write_baseline:
        config = dataclasses.replace(config, baseline=args.baseline)
    return config


def run_scan(args: argparse.Namespace, stdout: TextIO) -> int:
    config = _config(args)
    paths = templates_among(args.paths) if args.skip_non_templates else args.paths
    result = scan(paths, config) if paths else ScanResult(findings=(), files=(), resources=0)
    for skipped in result.skipped:
        print(f"{PROG}: skipped {_one_line(skipped)}", file=sys.stderr)
    return _report(result, args, stdout)


def _stack_settings(pairs: Sequence[str]) -> dict[str, str]:
    settings: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"-c takes KEY=VALUE, not {pair!r}")
        settings[key.strip()] = value
    return settings


def run_pulumi(args: argparse.Namespace, stdout: TextIO) -> int:
    config = _config(args)
    settings = _stack_settings(args.stack_config)
    result = scan_pulumi(args.project, config, stack=args.stack, settings=settings)
    return _report(result, args, stdout)


def _report(result: ScanResult, args: argparse.Namespace, stdout: TextIO) -> int:
    if args.write_baseline:
        result = record_baseline(result, args.write_baseline)
    if args.output:
        _write_file(args.output, render(result, args.format))
        stdout.write(f"{summary_line(result)}; report written to {args.output}\n")
    else:
        stdout.write(render(result, args.format, color=_wants_color(stdout)))
    return EXIT_BLOCKING if result.blocking else EXIT_OK


def _rule(rule_id: str) -> RuleInfo:
    if rule_id in BY_ID:
        return info_of_rule(BY_ID[rule_id])
    if rule_id in PSEUDO_RULES:
        return PSEUDO_RULES[rule_id]
    hint = did_you_mean(rule_id, [*BY_ID, *PSEUDO_RULES]) or f" (see `{PROG} rules`)"
    raise UsageError(f"unknown rule id {rule_id!r}{hint}")


def run_rules(args: argparse.Namespace, stdout: TextIO) -> int:
    if args.format == "json":
        stdout.write(rules_json())
    elif args.format == "markdown":
        from serverless_guard.docs import index

        stdout.write(index())
    else:
        stdout.write(rules_text())
    return EXIT_OK


def run_explain(args: argparse.Namespace, stdout: TextIO) -> int:
    info = _rule(args.rule)
    if args.format == "json":
        stdout.write(explain_json(info, args.engine))
    elif args.format == "markdown" and info.rule is not None:
        from serverless_guard.docs import rule_page

        stdout.write(rule_page(info.rule))
    else:
        stdout.write(explain_text(info, args.engine))
    return EXIT_OK


def run_policy_pack(args: argparse.Namespace, stdout: TextIO) -> int:
    from serverless_guard import policypack

    if args.action == "path":
        stdout.write(f"{policypack.PACK_DIR}\n")
        note = policypack.python_on_path_note()
        if note:
            print(f"{PROG}: {note}", file=sys.stderr)
        return EXIT_OK
    written = policypack.write_pack(args.folder)
    stdout.write(
        f"wrote the serverless-guard {__version__} policy pack to {args.folder} "
        f"({', '.join(p.name for p in written)}):\n"
        f"  pulumi preview --policy-pack {args.folder}   # with serverless-guard[pulumi] on PATH\n"
        f"  pulumi policy publish {args.folder}          # for Pulumi Cloud policy groups\n"
    )
    return EXIT_OK


def _one_line(text: str) -> str:
    return " ".join(text.split())


def run(argv: Sequence[str] | None = None, stdout: TextIO | None = None) -> int:
    """Parse and run a command line; errors are raised (see `main` for their exit codes)."""
    args = _parser().parse_args(argv)
    out = stdout or sys.stdout
    if args.command == "scan":
        return run_scan(args, out)
    if args.command == "pulumi":
        return run_pulumi(args, out)
    if args.command == "rules":
        return run_rules(args, out)
    if args.command == "policy-pack":
        return run_policy_pack(args, out)
    return run_explain(args, out)


def main(argv: Sequence[str] | None = None) -> int:
    """The console script: returns the exit code; never lets a traceback out."""
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(errors="backslashreplace")  # a terminal that cannot show it all
    try:
        code = run(argv)
        sys.stdout.flush()
    except GuardError as err:
        print(f"{PROG}: {_one_line(str(err))}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`serverless-guard rules | head`): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except SystemExit as exit_:  # argparse: --help, --version and usage errors
        if exit_.code is None:
            return EXIT_OK
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    except Exception as err:
        detail = _one_line(str(err))
        what = f"{type(err).__name__}: {detail}" if detail else type(err).__name__
        print(f"{PROG}: internal error: {what}", file=sys.stderr)
        return EXIT_INTERNAL
    return code


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
