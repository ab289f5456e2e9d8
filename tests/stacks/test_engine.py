"""stacks/engine: which engine a process uses, the aliases the stacks import through, and the proof that both
engines write the same Terraform for the same config (CDK Terrain from .venv-cdktn, as `make install` builds it)."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from stacks.engine import ENGINE_ENV_VAR, ENGINES, EngineUnavailable, choose, engine
from stackyard.config import load_config, load_default_config
from tests.conftest import EVERYTHING_ON, REPO
from tests.stacks.test_terraform_validate import validate_all_stacks
from tests.support.engines import CDKTN_PYTHON, cdktn_environment
from tests.support.synth import Synthesized

ENGINE_PACKAGES = {"cdktf", "cdktn", "cdktf_cdktf_provider_aws", "cdktn_provider_aws"}


@pytest.mark.parametrize(
    ("requested", "installed", "chosen"),
    [
        (None, ["cdktf", "cdktn"], "cdktf"),  # both installed: the default
        (None, ["cdktf"], "cdktf"),
        (None, ["cdktn"], "cdktn"),  # the only one installed
        ("cdktn", ["cdktf", "cdktn"], "cdktn"),
        ("cdktf", ["cdktf", "cdktn"], "cdktf"),
    ],
)
def test_the_variable_wins_else_the_one_installed_else_cdktf(requested, installed, chosen):
    assert choose(requested, installed) is ENGINES[chosen]


@pytest.mark.parametrize(
    ("requested", "installed", "message"),
    [
        ("terrain", ["cdktf"], "STACKYARD_ENGINE='terrain' is not an engine: use one of cdktf, cdktn"),
        ("cdktn", ["cdktf"], "STACKYARD_ENGINE=cdktn but cdktn is not installed: run `pip install -e '.[cdktn]'`"),
        (None, [], "no CDK engine is installed: run `pip install -e .`"),
    ],
)
def test_an_engine_that_cannot_be_used_is_named_with_the_fix(requested, installed, message):
    with pytest.raises(EngineUnavailable, match="^" + message.replace("(", r"\(").replace("[", r"\[")):
        choose(requested, installed)


def test_the_aliases_are_the_engines_own_modules_under_their_real_names():
    import importlib

    import stacks.engine.aws.s3_bucket as aliased_bucket
    import stacks.engine.cdk as aliased_framework

    chosen = engine()
    assert aliased_framework is importlib.import_module(chosen.framework)
    assert aliased_bucket is importlib.import_module(f"{chosen.provider}.s3_bucket")
    assert aliased_bucket.__name__ == aliased_bucket.__spec__.name == f"{chosen.provider}.s3_bucket"
    assert aliased_bucket.S3Bucket.__module__ == f"{chosen.provider}.s3_bucket", "one class, registered once"


def test_nothing_in_stacks_imports_an_engine_but_stacks_engine():
    named = []
    for path in sorted((REPO / "stacks").rglob("*.py")):
        if path.is_relative_to(REPO / "stacks" / "engine"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            modules = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            modules += [node.module] if isinstance(node, ast.ImportFrom) and node.module else []
            named += [f"{path.relative_to(REPO)}: {name}" for name in modules if name.split(".")[0] in ENGINE_PACKAGES]
    assert named == []


def test_main_names_the_variable_when_the_engine_is_unknown(tmp_path):
    environment = {"STACKYARD_ENGINE": "terrain", "CDKTF_OUTDIR": str(tmp_path / "out"), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "main.py"], cwd=REPO, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2, result.stderr
    assert f"{ENGINE_ENV_VAR}='terrain' is not an engine" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists(), "nothing is written"


# Synthesizes on CDK Terrain in .venv-cdktn and says which engine packages the process loaded.
CDKTN_SYNTH = """
import json, sys
from pathlib import Path
from stacks.synth import synthesize
from stackyard.config import load_config, load_default_config

config = load_config(Path(sys.argv[1])) if sys.argv[1] != "-" else load_default_config()
synthesize(config, Path(sys.argv[2]))
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules} & set(sys.argv[3].split(",")))))
"""


def synthesize_on_cdktn(config: str, outdir) -> Synthesized:
    result = subprocess.run(
        [str(CDKTN_PYTHON), "-c", CDKTN_SYNTH, config, str(outdir), ",".join(ENGINE_PACKAGES)],
        cwd=REPO,
        env=cdktn_environment(STACKYARD_SYNTH_CACHE="off"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded == ["cdktn", "cdktn_provider_aws"], "the CDK Terrain synth must not load cdktf"
    return Synthesized(outdir=outdir, config=load_config(Path(config)) if config != "-" else load_default_config())


@pytest.fixture(scope="module")
def cdktn_default(tmp_path_factory) -> Synthesized:
    return synthesize_on_cdktn("-", tmp_path_factory.mktemp("cdktn-default"))


@pytest.fixture(scope="module")
def cdktn_everything_on(tmp_path_factory) -> Synthesized:
    return synthesize_on_cdktn(str(EVERYTHING_ON), tmp_path_factory.mktemp("cdktn-everything-on"))


def without_engine_stamp(stack: dict) -> dict:
    """The stack less ``//.metadata.version`` (the engine's own version, the only thing allowed to differ)."""
    stamped = json.loads(json.dumps(stack))
    stamped["//"]["metadata"].pop("version")
    return stamped


@pytest.mark.slow
@pytest.mark.parametrize("config", ["default", "everything-on"])
def test_both_engines_write_the_same_terraform_for_the_same_config(
    config, default_synth, everything_on_synth, cdktn_default, cdktn_everything_on
):
    cdktf, cdktn = (default_synth, cdktn_default) if config == "default" else (everything_on_synth, cdktn_everything_on)
    assert cdktn.stack_names() == cdktf.stack_names()
    for stack in cdktf.stack_names():
        on_cdktf, on_cdktn = cdktf.stack(stack), cdktn.stack(stack)
        for block in ("resource", "data", "output", "provider", "terraform", "import", "locals"):
            assert on_cdktn.get(block) == on_cdktf.get(block), f"{stack}: {block} differs between the engines"
        assert without_engine_stamp(on_cdktn) == without_engine_stamp(on_cdktf), f"{stack}: differs"
        assert (on_cdktf["//"]["metadata"]["version"], on_cdktn["//"]["metadata"]["version"]) == ("0.21.0", "0.23.4")
        stamp = '"version": "{}"'
        raw_cdktf = cdktf.raw(stack).replace(stamp.format("0.21.0"), stamp.format("<engine>"), 1)
        raw_cdktn = cdktn.raw(stack).replace(stamp.format("0.23.4"), stamp.format("<engine>"), 1)
        assert raw_cdktn == raw_cdktf, f"{stack}: the same JSON written differently"


def test_the_cdktn_stacks_validate_with_the_real_provider(
    cdktn_everything_on, terraform_cli_config, tmp_path, attached_terraform
):
    validate_all_stacks(cdktn_everything_on, terraform_cli_config, tmp_path, attached_terraform)


@pytest.mark.slow
def test_npx_cdktn_synth_reads_the_same_cdktf_json(tmp_path, default_synth):
    """cdktn-cli reads cdktf.json (its language, app, output) and the CDKTF_* variables, as cdktf-cli does."""
    npx = shutil.which("npx")
    assert npx, "npx (Node.js) is needed"
    command = [npx, "--no-install", "cdktn", "synth", "--app", f"{CDKTN_PYTHON} main.py", "--output", str(tmp_path)]
    result = subprocess.run(command, cwd=REPO, env=cdktn_environment(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert "stackyard: engine cdktn 0.23.4" in result.stdout + result.stderr, "main.py says which engine ran"
    written = Synthesized(outdir=tmp_path, config=default_synth.config)
    assert written.stack_names() == default_synth.stack_names()
    for stack in written.stack_names():
        assert without_engine_stamp(written.stack(stack)) == without_engine_stamp(default_synth.stack(stack))
