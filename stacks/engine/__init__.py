"""The CDK engine the stacks are written against: cdktf 0.21 (the default, as the project was asked) or CDK Terrain
(cdktn), its maintained rename with the same API and logical ids.

Stacks and constructs import the framework and the AWS provider bindings through two names that stand for the
chosen engine's packages, and nothing else in ``stacks/`` names an engine:

    from stacks.engine.cdk import TerraformStack          # cdktf | cdktn
    from stacks.engine.aws.s3_bucket import S3Bucket      # cdktf_cdktf_provider_aws | cdktn_provider_aws

The choice: ``STACKYARD_ENGINE`` (``cdktf`` or ``cdktn``) when set; else the one engine installed; else, with both
installed (``pip install -e '.[cdktn]'`` adds CDK Terrain beside cdktf), cdktf. The aliases are the engine's own
module objects (no copy is loaded, so jsii registers each type once); a module reached through an alias keeps its
real name and spec.
"""

from __future__ import annotations

import functools
import importlib
import importlib.abc
import importlib.machinery
import importlib.metadata
import importlib.util
import os
import sys
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

ENGINE_ENV_VAR = "STACKYARD_ENGINE"
DEFAULT_ENGINE = "cdktf"
FRAMEWORK_ALIAS = f"{__name__}.cdk"
PROVIDER_ALIAS = f"{__name__}.aws"


@dataclass(frozen=True)
class Engine:
    name: str
    framework: str  # the Python package of App, TerraformStack, ...
    provider: str  # the Python package of the prebuilt AWS provider bindings
    provider_npm: str  # the provider's npm name inside its jsii assembly (where node finds lib/index.js)
    distributions: tuple[str, ...]  # what pip installs (their versions key the synth cache)
    install: str  # how to get it

    def describe(self) -> str:
        """``cdktn 0.23.4``: the engine and its framework's installed version."""
        return f"{self.name} {importlib.metadata.version(self.distributions[0])}"

    def installed(self) -> bool:
        return all(importlib.util.find_spec(package) is not None for package in (self.framework, self.provider))


ENGINES: Mapping[str, Engine] = {
    "cdktf": Engine(
        name="cdktf",
        framework="cdktf",
        provider="cdktf_cdktf_provider_aws",
        provider_npm="@cdktf/provider-aws",
        distributions=("cdktf", "cdktf-cdktf-provider-aws"),
        install="pip install -e .",
    ),
    "cdktn": Engine(
        name="cdktn",
        framework="cdktn",
        provider="cdktn_provider_aws",
        provider_npm="@cdktn/provider-aws",
        distributions=("cdktn", "cdktn-provider-aws"),
        install="pip install -e '.[cdktn]'",
    ),
}


class EngineUnavailable(RuntimeError):
    """The engine asked for (or any engine) is not installed; the message names the variable and the fix."""


def choose(requested: str | None, installed: Sequence[str]) -> Engine:
    """The engine for a ``STACKYARD_ENGINE`` value (None or empty: not set) and the names of the installed ones."""
    if requested:
        if requested not in ENGINES:
            raise EngineUnavailable(
                f"{ENGINE_ENV_VAR}={requested!r} is not an engine: use one of {', '.join(ENGINES)} (or unset it)"
            )
        if requested not in installed:
            raise EngineUnavailable(
                f"{ENGINE_ENV_VAR}={requested} but {requested} is not installed: run `{ENGINES[requested].install}`"
            )
        return ENGINES[requested]
    if not installed:
        raise EngineUnavailable(f"no CDK engine is installed: run `{ENGINES[DEFAULT_ENGINE].install}`")
    return ENGINES[DEFAULT_ENGINE] if DEFAULT_ENGINE in installed else ENGINES[installed[0]]


@functools.cache
def engine() -> Engine:
    """The engine of this process (decided once: its packages and jsii assemblies load once)."""
    installed = [name for name, candidate in ENGINES.items() if candidate.installed()]
    return choose(os.environ.get(ENGINE_ENV_VAR, "").strip() or None, installed)


class _EngineAliases(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Resolves ``stacks.engine.cdk[.x]`` and ``stacks.engine.aws[.x]`` to the chosen engine's modules."""

    def find_spec(self, fullname: str, path: object = None, target: object = None):
        for alias in (FRAMEWORK_ALIAS, PROVIDER_ALIAS):
            if fullname == alias or fullname.startswith(alias + "."):
                return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        return None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        chosen = engine()
        real_name = spec.name.replace(FRAMEWORK_ALIAS, chosen.framework, 1).replace(PROVIDER_ALIAS, chosen.provider, 1)
        module = importlib.import_module(real_name)
        spec.loader_state = module.__spec__  # importlib sets __spec__ to the alias's; exec_module puts it back
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        real_spec = module.__spec__.loader_state if module.__spec__ is not None else None
        if real_spec is not None:
            module.__spec__ = real_spec


if not any(isinstance(finder, _EngineAliases) for finder in sys.meta_path):
    sys.meta_path.insert(0, _EngineAliases())
