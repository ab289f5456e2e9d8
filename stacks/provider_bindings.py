"""Load only the AWS provider bindings the stacks use.

``cdktf_cdktf_provider_aws/__init__.py`` imports all ~2,200 resource modules (seconds of Python work and hundreds of
MiB) although a synth needs a few dozen. Registering the package without running that ``__init__`` lets
``from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket`` import just ``_jsii`` (which loads the jsii assembly)
and that one module. This leans on the package's layout; tests/stacks/test_provider_bindings.py fails loudly if the
layout changes or the synthesized JSON differs from a full import.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import types

PACKAGE = "cdktf_cdktf_provider_aws"


def load_lazily() -> bool:
    """Register the package without its eager ``__init__``; False if it is already imported (nothing to gain) or
    STACKYARD_EAGER_PROVIDER=1 asks for the package's own import (for comparison and debugging)."""
    if PACKAGE in sys.modules or os.environ.get("STACKYARD_EAGER_PROVIDER") == "1":
        return False
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"{PACKAGE} is not installed: run `make install`")
    package = types.ModuleType(PACKAGE, "AWS provider bindings, loaded module by module (stacks/provider_bindings.py)")
    package.__path__ = list(spec.submodule_search_locations)
    package.__spec__ = spec
    package.__file__ = spec.origin
    package.__package__ = PACKAGE
    sys.modules[PACKAGE] = package
    return True
