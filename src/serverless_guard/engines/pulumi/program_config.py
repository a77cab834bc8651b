"""A Pulumi Python project on disk: its program, its stack and the configuration it runs with.

This reads what the Pulumi CLI reads before it starts a Python program:

- `Pulumi.yaml` (or `Pulumi.yml`): `name`, `runtime` (`python`, or `{name: python, options:
  {virtualenv, toolchain}}`), `main`, `stackConfigDir`, and project-level `config` declarations
  (`{key: {type, default, value, secret}}` or a plain value).
- `Pulumi.<stack>.yaml` beside it (or in `stackConfigDir`): the stack's `config`. Values can be
  strings, numbers, booleans, objects and lists (given to the program as JSON text, as the CLI
  does) and `secure:` values (given as a placeholder and marked secret: nothing is decrypted).
- Overrides (`-c key=value`): a key without a namespace belongs to the project.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from serverless_guard.errors import InputError

# What a `secure:` configuration value becomes: the program runs, nothing is decrypted.
SECRET_PLACEHOLDER = "[secret]"

# The stack a project runs as when it has no stack file and none is chosen.
DEFAULT_STACK = "dev"

_DECLARATION_KEYS = frozenset({"type", "default", "value", "secret", "description", "items"})


class _Loader(yaml.SafeLoader):
    """YAML as the Pulumi CLI reads it (YAML 1.2): only true and false are booleans, so `yes`,
    `no`, `on` and `off` stay strings, and so do dates."""


_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class PulumiProgramError(InputError):
    """A Pulumi program that cannot be run: a project, configuration or program problem."""


@dataclass(frozen=True, slots=True)
class ProgramSpec:
    """Everything needed to run one Pulumi Python program as one stack.

    - `project_dir`: the folder of `Pulumi.yaml`, as given (used in messages).
    - `program`: the file the language host runs (`__main__.py`, or the `main` entry point).
    - `search_path`: folders put first on `sys.path` (the program's folder, then the project's).
    - `virtualenv`: the project's virtualenv, when Pulumi.yaml names or implies one.
    - `site_packages`: its site-packages folders, put on `sys.path` after `search_path`.
    - `config`: namespaced keys (`proj:key`, `aws:region`) to string values.
    - `stack_file`: where the stack's configuration lives (the file may not exist).
    """

    project_dir: Path
    project: str
    stack: str
    program: Path
    search_path: tuple[Path, ...]
    virtualenv: Path | None
    site_packages: tuple[Path, ...]
    config: Mapping[str, str]
    secret_keys: frozenset[str]
    stack_file: Path

    def config_hint(self, key: str) -> str:
        """How to set a configuration key: the `-c` form and the stack file."""
        namespace, _, name = key.partition(":")
        short = name if namespace == self.project and name else key
        return f"set it with -c {short}=<value> or in {self.stack_file.name}"

    def missing_config(self, key: str) -> PulumiProgramError:
        return PulumiProgramError(
            f"missing required configuration value '{key}': {self.config_hint(key)}"
        )


def load_spec(
    project_dir: str | Path, *, stack: str | None = None, config: Mapping[str, str] | None = None
) -> ProgramSpec:
    """Read a Pulumi Python project and the configuration of one of its stacks."""
    root = Path(project_dir)
    if not root.is_dir():
        problem = "not a directory" if root.exists() else "no such directory"
        raise PulumiProgramError(f"{root}: {problem}")
    project_file = _project_file(root)
    document = _read_yaml(project_file)
    if not isinstance(document, Mapping):
        raise PulumiProgramError(
            "not a Pulumi project file (expected a mapping)", file=str(project_file)
        )
    name = document.get("name")
    if not isinstance(name, str) or not name:
        raise PulumiProgramError("the project has no name", file=str(project_file))
    runtime, options = _runtime(document, project_file)
    if runtime != "python":
        raise PulumiProgramError(
            f"the project's runtime is '{runtime}': only Pulumi Python programs can be run "
            "(for other languages, run the policy pack with pulumi preview)",
            file=str(project_file),
        )
    program = _program(root, document.get("main"), project_file)
    search_path = tuple(dict.fromkeys((program.parent, root)))
    virtualenv = _virtualenv(root, options)
    site_packages = _site_packages(virtualenv) if virtualenv is not None else ()

    config_dir = _stack_config_dir(root, document, project_file)
    stack_name, stack_file = _select_stack(name, config_dir, stack)
    values, secrets = _project_config(name, document.get("config"), project_file)
    if stack_file.is_file():
        stack_values, stack_secrets = _stack_config(name, stack_file)
        values.update(stack_values)
        secrets = (secrets - stack_values.keys()) | stack_secrets
    for key, value in (config or {}).items():
        full = _namespaced(name, key)
        if full is None:
            raise PulumiProgramError(f"invalid configuration key '{key}': use key=value")
        values[full] = value
        secrets.discard(full)

    spec = ProgramSpec(
        project_dir=root,
        project=name,
        stack=stack_name,
        program=program,
        search_path=search_path,
        virtualenv=virtualenv,
        site_packages=site_packages,
        config=values,
        secret_keys=frozenset(secrets),
        stack_file=stack_file,
    )
    for key in _required_keys(name, document.get("config")):
        if key not in values:
            raise spec.missing_config(key)
    return spec


def _project_file(root: Path) -> Path:
    for candidate in ("Pulumi.yaml", "Pulumi.yml"):
        path = root / candidate
        if path.is_file():
            return path
    raise PulumiProgramError(f"no Pulumi.yaml in {root}: not a Pulumi project")


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PulumiProgramError(f"cannot read the file: {exc}", file=str(path)) from None
    try:
        return yaml.load(text, Loader=_Loader)  # a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise PulumiProgramError(f"not valid YAML: {problem}", file=str(path), line=line) from None


def _runtime(document: Mapping[str, Any], project_file: Path) -> tuple[str, Mapping[str, Any]]:
    runtime = document.get("runtime")
    if isinstance(runtime, str):
        return runtime, {}
    if isinstance(runtime, Mapping) and isinstance(runtime.get("name"), str):
        options = runtime.get("options")
        return runtime["name"], options if isinstance(options, Mapping) else {}
    raise PulumiProgramError("the project names no runtime", file=str(project_file))


def _program(root: Path, main: Any, project_file: Path) -> Path:
    if main is None:
        entry = root
    elif isinstance(main, str) and main:
        entry = root / main
    else:
        raise PulumiProgramError("main: must be a path", file=str(project_file))
    if entry.is_dir():
        program = entry / "__main__.py"
        if not program.is_file():
            where = "the project" if entry == root else f"main '{main}'"
            raise PulumiProgramError(
                f"{where} has no __main__.py: a Pulumi Python program starts there "
                "(or in the file that main: names in Pulumi.yaml)",
                file=str(project_file),
            )
        return program
    if entry.is_file():
        return entry
    raise PulumiProgramError(f"main '{main}' does not exist", file=str(project_file))


def _virtualenv(root: Path, options: Mapping[str, Any]) -> Path | None:
    """The project's virtualenv: named in Pulumi.yaml, or `.venv` for the uv and poetry
    toolchains."""
    virtualenv = options.get("virtualenv")
    if isinstance(virtualenv, str) and virtualenv:
        return Path(virtualenv) if Path(virtualenv).is_absolute() else root / virtualenv
    if options.get("toolchain") in ("uv", "poetry"):
        return root / ".venv"
    return None


def _site_packages(venv: Path) -> tuple[Path, ...]:
    """A virtualenv's site-packages, the one of this interpreter's version first."""
    ours = f"python{sys.version_info.major}.{sys.version_info.minor}"
    found = sorted(venv.glob("lib/python3*/site-packages"), key=lambda p: p.parent.name != ours)
    found += [venv / "Lib" / "site-packages"]
    return tuple(p for p in found if p.is_dir())


def _stack_config_dir(root: Path, document: Mapping[str, Any], project_file: Path) -> Path:
    configured = document.get("stackConfigDir")
    if configured is None and isinstance(document.get("config"), str):
        configured = document["config"]  # the older spelling of stackConfigDir
    if configured is None:
        return root
    if not isinstance(configured, str):
        raise PulumiProgramError("stackConfigDir: must be a path", file=str(project_file))
    return root / configured


def _stack_files(config_dir: Path) -> dict[str, Path]:
    stacks: dict[str, Path] = {}
    if not config_dir.is_dir():
        return stacks
    for path in sorted(config_dir.iterdir()):
        parts = path.name.split(".")
        if (
            len(parts) >= 3
            and parts[0] == "Pulumi"
            and parts[-1] in ("yaml", "yml")
            and path.is_file()
        ):
            stacks.setdefault(".".join(parts[1:-1]), path)
    return stacks


def _select_stack(project: str, config_dir: Path, stack: str | None) -> tuple[str, Path]:
    stacks = _stack_files(config_dir)
    if stack is not None:
        name = stack.rsplit("/", 1)[-1]  # org/project/stack names the same stack file
        if not name:
            raise PulumiProgramError(f"invalid stack name '{stack}'")
        if name in stacks:
            return name, stacks[name]
        if stacks:
            raise PulumiProgramError(
                f"Pulumi project '{project}' has no stack '{name}' "
                f"(no Pulumi.{name}.yaml; stacks: {', '.join(stacks)})"
            )
        return name, config_dir / f"Pulumi.{name}.yaml"
    if len(stacks) == 1:
        ((name, path),) = stacks.items()
        return name, path
    if stacks:
        raise PulumiProgramError(
            f"Pulumi project '{project}' has several stacks ({', '.join(stacks)}): "
            "choose one with --stack"
        )
    return DEFAULT_STACK, config_dir / f"Pulumi.{DEFAULT_STACK}.yaml"


def _namespaced(project: str, key: str) -> str | None:
    key = key.strip()
    if not key or key.startswith(":") or key.endswith(":"):
        return None
    return key if ":" in key else f"{project}:{key}"


def _is_declaration(value: Any) -> bool:
    return isinstance(value, Mapping) and bool(value) and set(value) <= _DECLARATION_KEYS


def _project_config(
    project: str, declared: Any, project_file: Path
) -> tuple[dict[str, str], set[str]]:
    """Values and defaults declared in Pulumi.yaml."""
    values: dict[str, str] = {}
    secrets: set[str] = set()
    if not isinstance(declared, Mapping):
        return values, secrets
    for raw_key, spec in declared.items():
        key = _namespaced(project, str(raw_key))
        if key is None:
            raise PulumiProgramError(
                f"invalid configuration key '{raw_key}'", file=str(project_file)
            )
        if _is_declaration(spec):
            if "value" in spec:
                chosen = spec["value"]
            elif "default" in spec:
                chosen = spec["default"]
            else:
                continue
            values[key], secret = _config_text(chosen)
            if secret or spec.get("secret") is True:
                secrets.add(key)
        else:
            values[key], secret = _config_text(spec)
            if secret:
                secrets.add(key)
    return values, secrets


def _required_keys(project: str, declared: Any) -> list[str]:
    """Project keys declared with neither a default nor a value: the CLI requires them."""
    if not isinstance(declared, Mapping):
        return []
    required: list[str] = []
    for raw_key, spec in declared.items():
        key = _namespaced(project, str(raw_key))
        if (
            key is not None
            and _is_declaration(spec)
            and "default" not in spec
            and "value" not in spec
        ):
            required.append(key)
    return required


def _stack_config(project: str, stack_file: Path) -> tuple[dict[str, str], set[str]]:
    document = _read_yaml(stack_file)
    if document is None:
        return {}, set()
    if not isinstance(document, Mapping):
        raise PulumiProgramError(
            "not a Pulumi stack file (expected a mapping)", file=str(stack_file)
        )
    config = document.get("config")
    if config is None:
        return {}, set()
    if not isinstance(config, Mapping):
        raise PulumiProgramError("config: must be a mapping", file=str(stack_file))
    values: dict[str, str] = {}
    secrets: set[str] = set()
    for raw_key, value in config.items():
        key = _namespaced(project, str(raw_key))
        if key is None:
            raise PulumiProgramError(f"invalid configuration key '{raw_key}'", file=str(stack_file))
        values[key], secret = _config_text(value)
        if secret:
            secrets.add(key)
    return values, secrets


def _is_secure(value: Any) -> bool:
    return isinstance(value, Mapping) and set(value) == {"secure"}


def _plain(value: Any) -> tuple[Any, bool]:
    """Structured configuration as plain data, `secure:` leaves replaced by the placeholder."""
    if _is_secure(value):
        return SECRET_PLACEHOLDER, True
    if isinstance(value, Mapping):
        secret = False
        out: dict[str, Any] = {}
        for k, v in value.items():
            out[str(k)], leaf_secret = _plain(v)
            secret = secret or leaf_secret
        return out, secret
    if isinstance(value, list):
        items = [_plain(v) for v in value]
        return [v for v, _ in items], any(s for _, s in items)
    return value, False


def _config_text(value: Any) -> tuple[str, bool]:
    """A configuration value as the string the CLI gives the program, and whether it is secret."""
    plain, secret = _plain(value)
    if isinstance(plain, str):
        return plain, secret
    if plain is None:
        return "", secret
    if isinstance(plain, bool | int | float):
        return json.dumps(plain), secret
    if isinstance(plain, Mapping | list):
        return json.dumps(plain, sort_keys=True, separators=(",", ":"), default=str), secret
    return str(plain), secret
