"""The rendered first-boot scripts are clean shell (shellcheck, from Debian's package, installed by `make test`)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from stacks.components.s3fs_mount import FirstBootScript, S3fsMount

MOUNT = S3fsMount(bucket="stackyard-test-bucket", region="eu-west-1", role_name="my-cluster-cluster-instance")
SCRIPTS = {
    "default": FirstBootScript(mount=MOUNT),
    "read-write-no-cache": FirstBootScript(
        mount=S3fsMount(**{**MOUNT.__dict__, "read_only": False, "cache_dir": None, "mount_path": "/mnt/my data"})
    ),
    "emulator-endpoint": FirstBootScript(mount=S3fsMount(**{**MOUNT.__dict__, "endpoint_url": "http://10.0.0.5:5000"})),
    "china-region": FirstBootScript(mount=S3fsMount(**{**MOUNT.__dict__, "region": "cn-north-1"})),
    "setup-commands-only": FirstBootScript(setup_commands=["pip install flambe", "touch /var/tmp/ready"]),
}


def shellcheck(script: str) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("shellcheck")
    assert binary, "shellcheck is missing: `make test` installs it (Debian package shellcheck)"
    return subprocess.run([binary, "--shell=bash", "-"], input=script, capture_output=True, text=True)


def test_synthesized_user_data_is_shellcheck_clean(default_synth):
    scripts = {body["user_data"] for body in default_synth.resources("cluster", "aws_instance").values()}
    assert len(scripts) == 1, "every instance runs the same first-boot script"
    result = shellcheck(scripts.pop())
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_script_variants_are_shellcheck_clean(name):
    result = shellcheck(SCRIPTS[name].render())
    assert result.returncode == 0, result.stdout


def test_shellcheck_catches_a_broken_script():
    assert shellcheck("#!/bin/bash\nrm -rf $UNQUOTED/*\n").returncode != 0


def test_paths_with_spaces_are_quoted():
    script = SCRIPTS["read-write-no-cache"].render()
    assert "mkdir -p '/mnt/my data'" in script
    assert "stackyard-test-bucket /mnt/my\\040data fuse.s3fs " in script, "fstab escapes the space"
    assert "mountpoint -q '/mnt/my data' || mount '/mnt/my data'" in script


def test_regional_url_per_partition():
    assert MOUNT.url() == "https://s3.eu-west-1.amazonaws.com"
    assert S3fsMount(**{**MOUNT.__dict__, "region": "cn-north-1"}).url() == "https://s3.cn-north-1.amazonaws.com.cn"


def test_the_longest_allowed_setup_still_fits_ec2s_user_data_limit():
    from stackyard.config.model import SETUP_CMDS_MAX_BYTES

    commands = ["echo " + "x" * 995] * (SETUP_CMDS_MAX_BYTES // 1001)
    long_path = S3fsMount(**{**MOUNT.__dict__, "mount_path": "/" + "m" * 200})
    script = FirstBootScript(mount=long_path, setup_commands=commands)
    assert len(script.render().encode()) <= 16 * 1024


def test_shell_syntax_terraform_would_read_as_a_template_is_escaped():
    script = FirstBootScript(setup_commands=['echo "${HOME}" "%{literal}"']).render()
    assert 'echo "$${HOME}" "%%{literal}"' in script  # Terraform renders it back as written
