"""The per-environment synth cache (stacks/synth_cache.py): unchanged environments are copied, byte for byte, from an
earlier synth; anything that could change an environment's stacks rebuilds it."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml

from stacks import synth_cache
from stackyard.config import validate_config_data
from tests.stacks.test_environments import BASE
from tests.support.cli import run_main

pytestmark = pytest.mark.slow

ENVIRONMENTS = [
    {"name": "dev", "overrides": {"data_store": {"bucket_name": "acme-ml-data-dev"}}},
    {"name": "stage", "overrides": {"data_store": {"bucket_name": "acme-ml-data-stage"}}},
    {"name": "prod", "region": "us-west-2", "overrides": {"data_store": {"bucket_name": "acme-ml-data-prod"}}},
]
# Absolute, as the in-process reference synth (run from the repository) and main.py (run from a temporary folder)
# must write the same state path.
STATE = {"type": "local", "path": str(Path(tempfile.gettempdir()) / "stackyard-tests" / "terraform.{stack}.tfstate")}
CONFIG = {**BASE, "backend": STATE, "environments": ENVIRONMENTS}
CHANGED = {**CONFIG, "environments": [*ENVIRONMENTS[:2], {**ENVIRONMENTS[2], "region": "eu-central-1"}]}


def synth(tmp_path, data: dict, outdir_name: str, cache) -> tuple[str, object]:
    config_file = tmp_path / f"{outdir_name}.yaml"
    config_file.write_text(yaml.safe_dump(data))
    outdir = tmp_path / outdir_name
    result = run_main(config_file, outdir, env={"STACKYARD_SYNTH_CACHE": str(cache)})
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout, outdir


def assert_same_synth(outdir, reference) -> None:
    """Every stack file byte-identical to an uncached synth, and the same manifest entries."""
    assert sorted(path.name for path in (outdir / "stacks").iterdir()) == reference.stack_names()
    for stack in reference.stack_names():
        assert (outdir / "stacks" / stack / "cdk.tf.json").read_text() == reference.raw(stack), stack
    manifest = json.loads((outdir / "manifest.json").read_text())
    assert manifest == json.loads((reference.outdir / "manifest.json").read_text())


@pytest.fixture(scope="module")
def first_synth(tmp_path_factory):
    """One synth that fills an empty cache; tests copy the cache before changing it."""
    tmp_path = tmp_path_factory.mktemp("cache")
    said, outdir = synth(tmp_path, CONFIG, "first", tmp_path / "cache")
    return tmp_path / "cache", said, outdir


def test_first_synth_builds_every_environment_and_fills_the_cache(first_synth, synth_config):
    cache, said, outdir = first_synth
    assert "3 environment(s) built, 0 unchanged" in said
    assert len([entry for entry in cache.iterdir() if not entry.name.startswith(".")]) == 3
    assert_same_synth(outdir, synth_config(CONFIG))


def test_unchanged_environments_are_copied_byte_identical(first_synth, synth_config, tmp_path):
    cache = shutil.copytree(first_synth[0], tmp_path / "cache")
    said, outdir = synth(tmp_path, CONFIG, "again", cache)
    assert "0 environment(s) built, 3 unchanged and copied" in said
    assert_same_synth(outdir, synth_config(CONFIG))


def test_a_changed_environment_is_rebuilt_alone(first_synth, synth_config, tmp_path):
    cache = shutil.copytree(first_synth[0], tmp_path / "cache")
    said, outdir = synth(tmp_path, CHANGED, "changed", cache)
    assert "1 environment(s) built, 2 unchanged" in said
    provider = json.loads((outdir / "stacks" / "prod-data" / "cdk.tf.json").read_text())["provider"]["aws"][0]
    assert provider["region"] == "eu-central-1"
    assert_same_synth(outdir, synth_config(CHANGED))


def test_an_incomplete_entry_is_rebuilt(first_synth, synth_config, tmp_path):
    cache = shutil.copytree(first_synth[0], tmp_path / "cache")
    (damaged,) = [entry for entry in cache.glob("*/stacks/stage-workers/cdk.tf.json")]
    damaged.unlink()
    said, outdir = synth(tmp_path, CONFIG, "repaired", cache)
    assert "1 environment(s) built, 2 unchanged" in said
    assert_same_synth(outdir, synth_config(CONFIG))


def test_cache_off_and_configs_without_environments_leave_it_alone(tmp_path):
    said, _ = synth(tmp_path, CONFIG, "off", "off")
    assert "synth cache" not in said
    said, _ = synth(tmp_path, BASE, "single", tmp_path / "cache")
    assert "synth cache" not in said and not (tmp_path / "cache").exists()


@pytest.fixture
def dev_config():
    (name, config), *_ = validate_config_data(CONFIG, "test config").environment_configs()
    return name, config


def test_key_follows_the_config_the_code_and_cdktf_settings(dev_config, monkeypatch):
    name, config = dev_config
    key = synth_cache.environment_key(name, config)
    assert synth_cache.environment_key(name, config) == key
    assert synth_cache.environment_key("other", config) != key
    changed = config.model_copy(update={"tags": {**config.tags, "team": "ml"}})
    assert synth_cache.environment_key(name, changed) != key
    monkeypatch.setenv("SYNTH_HCL_OUTPUT", "true")  # cdktf --hcl writes cdk.tf instead of cdk.tf.json
    assert synth_cache.environment_key(name, config) != key
    monkeypatch.delenv("SYNTH_HCL_OUTPUT")
    monkeypatch.setattr(synth_cache, "code_fingerprint", lambda: "edited stacks/")
    assert synth_cache.environment_key(name, config) != key


def test_fingerprint_changes_with_any_generating_source_file(tmp_path, monkeypatch):
    for source in synth_cache.SOURCES:
        copy = shutil.copytree if (synth_cache.REPO / source).is_dir() else shutil.copy
        copy(synth_cache.REPO / source, tmp_path / source)
    monkeypatch.setattr(synth_cache, "REPO", tmp_path)
    fingerprints = []
    for edit in (None, "stacks/components/network.py", "stackyard/config/model.py", "main.py"):
        if edit:
            with (tmp_path / edit).open("a") as source:
                source.write("\n# edited\n")
        synth_cache.code_fingerprint.cache_clear()
        fingerprints.append(synth_cache.code_fingerprint())
    synth_cache.code_fingerprint.cache_clear()
    assert len(set(fingerprints)) == 4


def test_unused_entries_are_pruned(tmp_path):
    cache = synth_cache.SynthCache(tmp_path)
    (tmp_path / "old").mkdir()
    (tmp_path / "recent").mkdir()
    os.utime(tmp_path / "old", (0, 0))
    cache.prune()
    assert sorted(entry.name for entry in tmp_path.iterdir()) == ["recent"]


def test_the_engine_and_its_version_are_part_of_every_key(monkeypatch):
    """Both engines write the same stacks but stamp their own version: an entry of one is never the other's."""
    from stacks.engine import ENGINES

    synth_cache.code_fingerprint.cache_clear()
    on_cdktf = synth_cache.code_fingerprint()
    monkeypatch.setattr(synth_cache, "engine", lambda: ENGINES["cdktn"])
    synth_cache.code_fingerprint.cache_clear()
    try:
        assert synth_cache.code_fingerprint() != on_cdktf
    finally:
        synth_cache.code_fingerprint.cache_clear()
