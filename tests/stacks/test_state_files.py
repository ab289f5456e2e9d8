"""Local state files are private whoever runs Terraform: each synth leaves every stack's state file and backup 0600."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from stacks.state_files import protect_local_state


def synthesized(outdir: Path, backends: dict[str, dict]) -> list[str]:
    for stack, backend in backends.items():
        folder = outdir / "stacks" / stack
        folder.mkdir(parents=True)
        (folder / "cdk.tf.json").write_text(json.dumps({"terraform": {"backend": backend}}))
    return list(backends)


@pytest.fixture(autouse=True)
def permissive_umask():
    previous = os.umask(0o022)  # the usual one: Terraform would create 0644 files under it
    yield
    os.umask(previous)


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_missing_state_files_are_made_empty_and_private_in_a_private_folder(tmp_path):
    state = tmp_path / "state" / "terraform.data.tfstate"
    stacks = synthesized(tmp_path / "out", {"data": {"local": {"path": str(state)}}})
    assert protect_local_state(tmp_path / "out", stacks) == []
    backup = state.with_name(state.name + ".backup")
    assert (mode(state), mode(backup), mode(state.parent)) == (0o600, 0o600, 0o700)
    assert state.read_bytes() == backup.read_bytes() == b""


def test_a_state_file_others_can_read_is_made_private_and_its_content_kept(tmp_path):
    readable, private = tmp_path / "terraform.data.tfstate", tmp_path / "terraform.workers.tfstate"
    readable.write_text('{"version": 4}')
    readable.chmod(0o644)
    private.write_text('{"version": 4, "serial": 2}')
    private.chmod(0o600)
    backends = {"data": {"local": {"path": str(readable)}}, "workers": {"local": {"path": str(private)}}}
    assert protect_local_state(tmp_path / "out", synthesized(tmp_path / "out", backends)) == [readable]
    assert (mode(readable), readable.read_text()) == (0o600, '{"version": 4}')
    assert private.read_text() == '{"version": 4, "serial": 2}'


def test_remote_state_and_a_bundles_relative_state_are_left_alone(tmp_path):
    backends = {"data": {"s3": {"bucket": "b", "key": "k"}}, "workers": {"local": {"path": "terraform.tfstate"}}}
    assert protect_local_state(tmp_path / "out", synthesized(tmp_path / "out", backends)) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.terraform
def test_terraform_reads_the_empty_file_as_no_state_and_keeps_it_private(tmp_path):
    state = tmp_path / "state" / "terraform.data.tfstate"
    protect_local_state(tmp_path / "out", synthesized(tmp_path / "out", {"data": {"local": {"path": str(state)}}}))
    work = tmp_path / "work"
    work.mkdir()
    for value in ("first", "second"):  # the second apply writes the backup
        configuration = {
            "terraform": {"backend": {"local": {"path": str(state)}}},
            "resource": {"terraform_data": {"marker": {"input": value}}},
        }
        (work / "main.tf.json").write_text(json.dumps(configuration))
        for command in (["init", "-input=false"], ["apply", "-auto-approve", "-input=false"]):
            result = subprocess.run(["terraform", *command], cwd=work, capture_output=True, text=True)
            assert result.returncode == 0, result.stderr
    assert '"first"' in state.with_name(state.name + ".backup").read_text() and '"second"' in state.read_text()
    assert mode(state) == mode(state.with_name(state.name + ".backup")) == 0o600
