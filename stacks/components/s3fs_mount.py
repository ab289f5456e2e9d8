"""First-boot script that mounts the data bucket with s3fs (seed 002), persisted in /etc/fstab.

Authentication is the instance's IAM role, never static keys. The role is named explicitly (iam_role=<name>)
rather than discovered (iam_role=auto): with IMDSv2 required, s3fs before 1.91 cannot discover the name
(s3fs-fuse#1760), and Ubuntu 22.04 ships 1.90.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field


@dataclass(frozen=True)
class S3fsMount:
    bucket: str
    """Bucket to mount."""
    region: str
    """Bucket region: s3fs gets the regional endpoint (seed 002's url= advice)."""
    role_name: str
    """The instance role s3fs takes credentials from."""
    mount_path: str = "/s3-mount"
    """Where the bucket appears."""
    read_only: bool = True
    """Mount read-only."""
    cache_dir: str | None = "/var/cache/s3fs"
    """Local cache (use_cache) so training epochs do not re-download every object; None: no cache."""
    endpoint_url: str | None = None
    """An S3-compatible endpoint instead of AWS (emulators); default: the region's AWS endpoint."""
    partition_region: str | None = None
    """The region whose partition picks the endpoint's domain, when ``region`` is a Terraform variable (bundle mode:
    its text is a reference, not a name); default: ``region``."""

    def url(self) -> str:
        if self.endpoint_url:
            return self.endpoint_url
        china = (self.partition_region or self.region).startswith("cn-")
        return f"https://s3.{self.region}.{'amazonaws.com.cn' if china else 'amazonaws.com'}"

    def options(self, credentials: str | None = None) -> list[str]:
        """The mount options; ``credentials`` replaces the instance-role option (tests mount with a passwd_file,
        since the instance-metadata address is not theirs to reach)."""
        options = [
            "_netdev",  # wait for the network at boot
            "allow_other",  # training jobs run as other users than root
            credentials or f"iam_role={self.role_name}",
            f"url={self.url()}",
            f"endpoint={self.region}",
        ]
        if self.read_only:
            options.append("ro")
        if self.cache_dir:
            options.append(f"use_cache={self.cache_dir}")
        if self.endpoint_url:
            options.append("use_path_request_style")
        return options

    def fstab_line(self, credentials: str | None = None) -> str:
        # fstab separates fields by white space; a space inside a field is written \040.
        mount_path = self.mount_path.replace(" ", "\\040")
        return f"{self.bucket} {mount_path} fuse.s3fs {','.join(self.options(credentials))} 0 0"


@dataclass(frozen=True)
class FirstBootScript:
    """The instance's user data: the optional s3fs mount, then flambé's setup commands."""

    mount: S3fsMount | None = None
    setup_commands: list[str] = field(default_factory=list)

    def render(self) -> str:
        lines = [
            "#!/bin/bash",
            "# Written by stackyard: runs once, at the instance's first boot.",
            "set -euo pipefail",
            "export DEBIAN_FRONTEND=noninteractive",
        ]
        if self.mount is not None:
            lines += self._mount_lines(self.mount)
        if self.setup_commands:
            lines += ["", "# flambé setup_cmds (idempotent, as flambé requires)"]
            lines += [_literal_for_terraform(command) for command in self.setup_commands]
        return "\n".join(lines) + "\n"

    @staticmethod
    def _mount_lines(mount: S3fsMount) -> list[str]:
        directories = [mount.mount_path, *([mount.cache_dir] if mount.cache_dir else [])]
        return [
            "",
            "# Mount the data bucket with s3fs (seed 002), credentials from the instance role.",
            "apt-get update -q",
            "apt-get install -y -q s3fs",
            f"mkdir -p {' '.join(shlex.quote(d) for d in directories)}",
            f"fstab_line={shlex.quote(mount.fstab_line())}",
            "# In /etc/fstab, so the mount comes back after every reboot; written once, however often this runs.",
            'grep -qxF "$fstab_line" /etc/fstab || echo "$fstab_line" >> /etc/fstab',
            f"mountpoint -q {shlex.quote(mount.mount_path)} || mount {shlex.quote(mount.mount_path)}",
        ]


def _literal_for_terraform(command: str) -> str:
    """Terraform reads user data as a template: a shell ``${HOME}`` would be an interpolation (and fail the plan).
    Doubled, Terraform writes it back as the command had it."""
    return command.replace("${", "$${").replace("%{", "%%{")
