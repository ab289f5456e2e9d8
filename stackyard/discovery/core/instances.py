"""What adopting an EC2 instance takes: the attributes whose change would replace it, compared with the config."""

from __future__ import annotations

from typing import Any

from stackyard.discovery.core.base import Refusal


def root_volume(ec2: Any, instance: dict[str, Any]) -> dict[str, Any] | None:
    root = instance.get("RootDeviceName")
    for mapping in instance.get("BlockDeviceMappings", []):
        if mapping.get("DeviceName") == root and "Ebs" in mapping:
            return ec2.describe_volumes(VolumeIds=[mapping["Ebs"]["VolumeId"]])["Volumes"][0]
    return None


def kept_attributes(instance: dict[str, Any], volume: dict[str, Any] | None) -> dict[str, Any]:
    """Found values stackyard would set differently where Terraform can only do that by a new instance: EBS
    optimisation and an unencrypted root disk (stackyard's own instances have both on)."""
    keep: dict[str, Any] = {}
    if not instance.get("EbsOptimized", False):
        keep["ebs_optimized"] = False
    if volume is not None and not volume.get("Encrypted", False):
        keep["root_block_device.encrypted"] = False
    return keep


def disk_refusal(volume: dict[str, Any] | None, field: str, wanted_gb: int) -> Refusal | None:
    if volume is None or volume["Size"] <= wanted_gb:
        return None
    return Refusal(field, wanted_gb, volume["Size"], "shrink its root disk, which EBS cannot do")


def key_refusal(instance: dict[str, Any], field: str, wanted: str | None) -> Refusal | None:
    found = instance.get("KeyName")
    if found == wanted:
        return None
    return Refusal(field, wanted, found, "replace the instance (its key pair is fixed at launch)")
