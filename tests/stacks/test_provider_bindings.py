"""The lazy provider-bindings load (stacks/provider_bindings.py) leans on the package's layout: these tests fail
loudly if a new cdktf-cdktf-provider-aws changes it, or if lazily loaded bindings synthesize anything else."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

PROBE = """
import json, sys
from stacks.provider_bindings import load_lazily
assert load_lazily()
from stacks.app import build_app
from stackyard.config import load_default_config
build_app(load_default_config(), outdir=sys.argv[1]).synth()
loaded = [name for name in sys.modules if name.startswith("cdktf_cdktf_provider_aws.")]
assembly = sys.modules["cdktf_cdktf_provider_aws._jsii"].__jsii_assembly__
print(json.dumps({"modules": len(loaded), "assembly": type(assembly).__name__}))
"""


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **(env or {})}
    command = [sys.executable, *args]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300, env=environment)


def test_lazily_loaded_bindings_synthesize_byte_identical_json(default_synth, tmp_path):
    """default_synth imported the package the normal way (its __init__ loads every module)."""
    result = run("main.py", env={"CDKTF_OUTDIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr[-3000:]
    for stack in default_synth.stack_names():
        lazy = (tmp_path / "stacks" / stack / "cdk.tf.json").read_text()
        assert lazy == default_synth.raw(stack), f"{stack}: lazy bindings changed the synthesized JSON"
    assert (tmp_path / "manifest.json").exists()


def test_only_the_used_modules_load_and_the_assembly_comes_from_jsii(tmp_path):
    result = run("-c", PROBE, str(tmp_path))
    assert result.returncode == 0, result.stderr[-3000:]
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["assembly"] == "JSIIAssembly"
    assert 20 < probe["modules"] < 200, "the package's __init__ ran anyway, or its layout changed"


def test_eager_switch_keeps_the_packages_own_import(tmp_path):
    code = "import os, sys; from stacks.provider_bindings import load_lazily; print(load_lazily())"
    assert run("-c", code, env={"STACKYARD_EAGER_PROVIDER": "1"}).stdout.strip() == "False"
    assert run("-c", code).stdout.strip() == "True"
    assert Path(REPO / "stacks" / "provider_bindings.py").exists()
