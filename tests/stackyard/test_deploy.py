"""`stackyard deploy`'s outputs file: the secret's only copy outside the state, so 0600 from the first byte and
replaced whole. (The deploy itself is the e2e's: real Terraform against moto.)"""

from __future__ import annotations

import json
import stat
import subprocess

from stackyard.deploy import DEFAULT_OUTPUTS, write_outputs
from tests.support.cli import REPO_ROOT


def test_the_outputs_file_is_private_and_replaced_whole(tmp_path):
    path = tmp_path / "outputs.json"
    path.write_text("{}")
    path.chmod(0o644)  # an earlier file anyone could read
    outputs = {"data": {"secret_access_key": "s3cr3t"}, "workers": {}, "cluster": {}}
    write_outputs(path, outputs)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text()) == outputs
    assert [p.name for p in tmp_path.iterdir()] == ["outputs.json"], "no partial file left beside it"


def test_the_default_outputs_file_is_ignored_by_git():
    ignored = subprocess.run(["git", "check-ignore", "-q", str(DEFAULT_OUTPUTS)], cwd=REPO_ROOT)
    assert ignored.returncode == 0, f"{DEFAULT_OUTPUTS} would be committed with the store's secret in it"
