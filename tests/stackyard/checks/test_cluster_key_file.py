"""cluster-key-file: the .pem at cluster.key exists with mode 0400 (flambé's rule)."""

from __future__ import annotations

from stackyard.checks.cluster_key_file import ClusterKeyFile
from stackyard.checks.core.base import Status


def test_passes_on_a_0400_key(check_on, deployed):
    result = check_on(ClusterKeyFile, deployed)
    assert result.status is Status.PASS and "mode 0400" in result.detail


def test_a_readable_key_fails_with_the_chmod_to_run(check_on, deployed, tmp_path):
    pem = tmp_path / "open.pem"
    pem.write_text("not a real key\n")
    pem.chmod(0o644)
    result = check_on(ClusterKeyFile, deployed, config=lambda c: c["cluster"].update(key=str(pem)))
    assert result.status is Status.FAIL and f"chmod 400 {pem}" in result.detail


def test_a_missing_key_fails(check_on, deployed, tmp_path):
    missing = tmp_path / "none.pem"
    result = check_on(ClusterKeyFile, deployed, config=lambda c: c["cluster"].update(key=str(missing)))
    assert result.status is Status.FAIL and "does not exist" in result.detail
