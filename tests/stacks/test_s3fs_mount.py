"""The cluster's s3fs mount (seed 002) mounted for real: the fstab line the first-boot script ships, given to the
real `mount` (util-linux, `-T` for a test fstab) and Debian's s3fs 1.90 over FUSE, against a moto bucket. Only the
credential option differs (a passwd_file instead of iam_role=: the instance-metadata address is not the tests')."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shlex
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from stacks.components.s3fs_mount import FirstBootScript, S3fsMount
from tests.support.aws import emulator_client
from tests.support.deployed import REGION
from tests.support.processes import moto_server

pytestmark = pytest.mark.emulator

BUCKET = "stackyard-mount-test"
ACCESS = "testing"


@pytest.fixture(scope="module")
def bucket_endpoint() -> Iterator[str]:
    assert shutil.which("s3fs"), "s3fs is missing: `make test` installs it (Debian package s3fs)"
    assert Path("/dev/fuse").exists(), "no /dev/fuse: the mount tests need FUSE"
    with moto_server() as endpoint:
        s3 = emulator_client("s3", endpoint, REGION)
        s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
        yield endpoint


@contextlib.contextmanager
def mounted(mount: S3fsMount, workdir: Path) -> Iterator[Path]:
    """The shipped fstab line, credentials swapped, mounted with `mount -T <that fstab> <path>`."""
    passwd = workdir / "passwd-s3fs"
    passwd.write_text(f"{ACCESS}:{ACCESS}\n")
    passwd.chmod(0o600)  # s3fs refuses a passwd file others can read
    fstab = workdir / "fstab"
    fstab.write_text(mount.fstab_line(credentials=f"passwd_file={passwd}") + "\n")
    path = Path(mount.mount_path)
    for directory in (path, *([Path(mount.cache_dir)] if mount.cache_dir else [])):
        directory.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(["mount", "-T", str(fstab), str(path)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, f"mount failed: {result.stderr}"
    try:
        assert os.path.ismount(path), f"{path} is not a mount point after mount"
        yield path
    finally:
        if subprocess.run(["umount", str(path)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(path)], capture_output=True)


def a_mount(bucket_endpoint: str, tmp_path: Path, **changes) -> S3fsMount:
    settings = {
        "bucket": BUCKET,
        "region": REGION,
        "role_name": "my-cluster-cluster-instance",
        "mount_path": str(tmp_path / "s3 mount"),  # a space: written \040 in fstab
        "cache_dir": str(tmp_path / "cache"),
        "endpoint_url": bucket_endpoint,
    }
    return S3fsMount(**{**settings, **changes})


def test_the_tested_line_is_the_shipped_one_but_for_the_credentials(bucket_endpoint, tmp_path):
    mount = a_mount(bucket_endpoint, tmp_path)
    script = FirstBootScript(mount=mount).render()
    assert f"fstab_line={shlex.quote(mount.fstab_line())}" in script
    assert mount.fstab_line(credentials="passwd_file=/x") == mount.fstab_line().replace(
        "iam_role=my-cluster-cluster-instance", "passwd_file=/x"
    )
    assert "\\040" in mount.fstab_line() and " " not in mount.fstab_line().split()[1]


def test_read_only_mount_reads_objects_byte_for_byte_fills_the_cache_and_refuses_writes(bucket_endpoint, tmp_path):
    body = os.urandom(3 * 1024 * 1024 + 17)
    emulator_client("s3", bucket_endpoint, REGION).put_object(Bucket=BUCKET, Key="datasets/train.bin", Body=body)
    mount = a_mount(bucket_endpoint, tmp_path)
    with mounted(mount, tmp_path) as path:
        read = (path / "datasets" / "train.bin").read_bytes()
        assert hashlib.sha256(read).digest() == hashlib.sha256(body).digest()
        cached = Path(mount.cache_dir) / BUCKET / "datasets" / "train.bin"
        assert cached.is_file() and cached.stat().st_size == len(body), "use_cache keeps the object locally"
        with pytest.raises(OSError) as refused:
            (path / "datasets" / "new.txt").write_text("no")
        assert refused.value.errno == errno.EROFS


def test_writable_mount_writes_objects_boto3_then_reads(bucket_endpoint, tmp_path):
    mount = a_mount(bucket_endpoint, tmp_path, read_only=False, cache_dir=None)
    assert ",ro" not in mount.fstab_line() and "use_cache" not in mount.fstab_line()
    body = os.urandom(256 * 1024)
    with mounted(mount, tmp_path) as path:
        (path / "outputs").mkdir(exist_ok=True)
        (path / "outputs" / "model.bin").write_bytes(body)
    stored = emulator_client("s3", bucket_endpoint, REGION).get_object(Bucket=BUCKET, Key="outputs/model.bin")
    assert stored["Body"].read() == body
