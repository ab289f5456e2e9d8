"""Load only the AWS provider bindings the stacks use, in Python and in jsii's node process.

Python: the bindings' ``__init__.py`` (``cdktf_cdktf_provider_aws`` or ``cdktn_provider_aws``, stacks/engine) imports
all ~2,200 resource modules (seconds of Python work and hundreds of MiB) although a synth needs a few dozen.
Registering the package without running that ``__init__`` lets ``from stacks.engine.aws.s3_bucket import S3Bucket``
import just ``_jsii`` (which loads the jsii assembly) and that one module.

Node: when the assembly loads, jsii's kernel ``require()``s the provider's ``lib/index.js``, which compiles every
resource's JavaScript (~3.8 s). ``node/lazy_provider_index.cjs``, preloaded through NODE_OPTIONS, turns those
exports into getters that load a resource's JavaScript on first use.

Both lean on the package's layout, the same on both engines; tests/stacks/test_provider_bindings.py (run on each)
fails loudly if the layout changes or the synthesized JSON differs from the plain import.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import types
from pathlib import Path

from stacks.engine import engine

NODE_HOOK = Path(__file__).resolve().parent / "node" / "lazy_provider_index.cjs"
# jsii starts its node process when the first assembly (constructs, imported by cdktf) loads.
_JSII_KERNEL_STARTED_BY = "constructs._jsii"


def load_lazily() -> bool:
    """Make the provider load lazily in Python and in node; False if that is no longer possible (the package or the
    jsii kernel already loaded) or STACKYARD_EAGER_PROVIDER=1 asks for the plain load (for comparison and
    debugging). Call it before anything imports the engine's framework."""
    if os.environ.get("STACKYARD_EAGER_PROVIDER") == "1":
        return False
    node_side = _preload_node_hook()
    return _register_package_without_init() and node_side


def _register_package_without_init() -> bool:
    name = engine().provider
    if name in sys.modules:
        return False
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"{name} is not installed: run `make install`")
    package = types.ModuleType(name, "AWS provider bindings, loaded module by module (stacks/provider_bindings.py)")
    package.__path__ = list(spec.submodule_search_locations)
    package.__spec__ = spec
    package.__file__ = spec.origin
    package.__package__ = name
    sys.modules[name] = package
    return True


def _preload_node_hook() -> bool:
    """Add ``--require <hook>`` to NODE_OPTIONS, which jsii's node process (a child of this one) inherits."""
    if _JSII_KERNEL_STARTED_BY in sys.modules:
        return False
    options = os.environ.get("NODE_OPTIONS", "")
    if str(NODE_HOOK) not in options:
        quoted = '"' + str(NODE_HOOK).replace("\\", "\\\\").replace('"', '\\"') + '"'
        os.environ["NODE_OPTIONS"] = f"{options} --require {quoted}".strip()
    return True
