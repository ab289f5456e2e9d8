"""The data bucket and its access-log bucket, and the s3fs mount each cluster instance makes of the bucket."""

from __future__ import annotations

import re

from stackyard.diagram.core.diagram import Diagram
from stackyard.diagram.core.layer import ACCOUNT, Layer
from stackyard.diagram.core.terraform import TerraformStacks

# The cluster's first boot writes the mount to /etc/fstab: fstab_line='<bucket> <path> fuse.s3fs <options> 0 0'.
FSTAB_LINE = re.compile(r"fstab_line='(\S+) (\S+) fuse\.s3fs (\S+) 0 0'")


class Storage(Layer):
    id = "storage"
    order = 40

    def draw(self, stacks: TerraformStacks, diagram: Diagram) -> None:
        by_name = {}
        for bucket in stacks.resources("aws_s3_bucket"):
            logs = any(
                stacks.target(logging.stack, logging.body["target_bucket"]) == bucket.address
                for logging in stacks.resources("aws_s3_bucket_logging")
            )
            what = "access-log bucket" if logs else "data bucket"
            by_name[bucket.body["bucket"]] = diagram.node(
                bucket.address, f"{what}\n{bucket.body['bucket']}", "bucket", ACCOUNT
            )
        for logging in stacks.resources("aws_s3_bucket_logging"):
            source = stacks.target(logging.stack, logging.body["bucket"])
            target = stacks.target(logging.stack, logging.body["target_bucket"])
            if target is None:  # an existing log bucket, by name
                name = logging.body["target_bucket"]
                target = diagram.node(f"bucket:{name}", f"existing log bucket\n{name}", "bucket", ACCOUNT)
            diagram.edge(source, target, f"access logs ({logging.body.get('target_prefix', '')})", "flow")
        for instance in stacks.resources("aws_instance", "cluster"):
            mount = FSTAB_LINE.search(str(instance.body.get("user_data", "")))
            if mount is None:
                continue
            bucket, path, options = mount.groups()
            target = by_name.get(bucket) or diagram.node(f"bucket:{bucket}", f"bucket\n{bucket}", "bucket", ACCOUNT)
            access = "read-only" if "ro" in options.split(",") else "read-write"
            diagram.edge(instance.address, target, f"s3fs mount {path} ({access})", "mount")
