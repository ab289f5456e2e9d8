"""Day two on a deployment (issue R's table): each ordinary edit that would delete or replace a protected resource
is refused by `stackyard deploy` (one edit per kind of resource by a plain `npx cdktf deploy ... --auto-approve` too)
before anything changes; the allowance lets one through; `stackyard destroy` is refused while the store holds an
object."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import yaml

from stackyard.emulator_config import ubuntu_images
from tests.support.customer_queue import CUSTOMER_QUEUE

STACKYARD = [sys.executable, "-m", "stackyard.cli"]
DATA_OBJECT = "train/day-two.csv"


@dataclass(frozen=True)
class Edit:
    label: str
    stack: str
    change: Callable[[dict[str, Any], str], None]
    """Edits the config in place; given an AMI of the emulator other than the deployed one."""
    refused: tuple[str, ...]
    """Protected names the refusal must name."""
    key: str
    """The config key the refusal must name."""
    by_cdktf: bool = False
    """Also run `npx cdktf deploy` (one edit per kind of resource: Terraform's own prevent_destroy refusal is the
    same for every resource, and tests/stacks/test_protection.py pins the flag on exactly the protected ones)."""


def _set(path: str, value: Any) -> Callable[[dict[str, Any], str], None]:
    def change(config: dict[str, Any], _: str) -> None:
        *parents, last = path.split(".")
        section = config
        for parent in parents:
            section = section.setdefault(parent, {})
        section[last] = value

    return change


def _customer_queue(config: dict[str, Any], _: str) -> None:
    config["queue"].update(CUSTOMER_QUEUE)


EDITS = (
    Edit("data_store.bucket_name renamed", "data", _set("data_store.bucket_name", "renamed-ml-data"),
         ("store-bucket", "access-log-bucket"), "data_store.bucket_name", by_cdktf=True),
    Edit("data_store.user_name renamed", "data", _set("data_store.user_name", "renamed-store-user"),
         ("store-access-key",), "data_store.user_name"),
    Edit("workers.master_role_name renamed", "workers", _set("workers.master_role_name", "RenamedMaster"),
         ("master-role",), "workers.master_role_name"),
    Edit("workers.worker_role_name renamed", "workers", _set("workers.worker_role_name", "RenamedWorkerRole"),
         ("worker-role", "worker-instance-profile"), "workers.worker_role_name", by_cdktf=True),
    Edit("queue.ami_id pinned to another image", "workers", lambda config, ami: config["queue"].update(ami_id=ami),
         ("queue-instance",), "queue.ami_id", by_cdktf=True),
    Edit("queue.key_pair.name renamed", "workers", _set("queue.key_pair.name", "another-pair"),
         ("queue-key-pair", "queue-instance"), "queue.key_pair.name"),
    Edit("network.vpc_cidr changed", "workers", _set("network.vpc_cidr", "10.9.0.0/16"),
         ("queue-instance",), "network.vpc_cidr"),
    Edit("network.subnet_prefix_length changed", "workers", _set("network.subnet_prefix_length", 22),
         ("queue-instance",), "network.subnet_prefix_length"),
    Edit("network.name_prefix changed", "workers", _set("network.name_prefix", "team"),
         ("flow-log-group",), "network.name_prefix"),
    Edit("queue.installed_by valohai -> customer", "workers", _customer_queue,
         ("queue-instance",), "queue.installed_by"),
)  # fmt: skip


GROWS = "log bucket objects"  # S3 (and moto) keep writing access logs: none may go, new ones come


def changed(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """What differs between two snapshots: a value, or for the log bucket the versions that went."""
    differences = {key: (before[key], after[key]) for key in before if key != GROWS and before[key] != after[key]}
    gone = sorted(set(before[GROWS]) - set(after[GROWS]))
    return differences | ({GROWS: f"{len(gone)} log object version(s) deleted"} if gone else {})


def _public_access_block(s3: Any, bucket: str) -> dict[str, bool] | None:
    """None when the bucket has none (the e2e's breakage step deletes it before the destroy step)."""
    try:
        return s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    except s3.exceptions.ClientError as error:
        if error.response["Error"]["Code"] != "NoSuchPublicAccessBlockConfiguration":
            raise
        return None


class DayTwo:
    """Runs against an E2E's deployment (its config, state folder, outputs and emulator)."""

    def __init__(self, e2e: Any):
        self.e2e = e2e

    def snapshot(self) -> dict[str, Any]:
        """What the protection keeps: the store's protections and data, the log bucket's objects, the access key,
        the role ARNs, the queue instance, the flow-log group."""
        outputs = json.loads(self.e2e.outputs_file.read_text())
        data, workers = outputs["data"], outputs["workers"]
        s3, iam, ec2, logs = (self.e2e.client(name) for name in ("s3", "iam", "ec2", "logs"))
        bucket, log_bucket = data["bucket_name"], data["access_log_bucket"]
        return {
            "public access block": _public_access_block(s3, bucket),
            "encryption": s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"],
            "versioning": s3.get_bucket_versioning(Bucket=bucket).get("Status"),
            "logging": s3.get_bucket_logging(Bucket=bucket).get("LoggingEnabled"),
            "store objects": sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])),
            "log bucket objects": sorted(
                v["VersionId"] for v in s3.list_object_versions(Bucket=log_bucket).get("Versions", [])
            ),
            "access keys": [
                key["AccessKeyId"] for key in iam.list_access_keys(UserName=data["user_name"])["AccessKeyMetadata"]
            ],
            "roles": [iam.get_role(RoleName=name)["Role"]["Arn"] for name in ("ValohaiMaster", "ValohaiWorkerRole")],
            "queue instance": [
                i["InstanceId"]
                for r in ec2.describe_instances(InstanceIds=[workers["queue_instance_id"]])["Reservations"]
                for i in r["Instances"]
                if i["State"]["Name"] == "running"
            ],
            "flow-log groups": [
                g["logGroupName"] for g in logs.describe_log_groups(logGroupNamePrefix="/stackyard/")["logGroups"]
            ],
        }

    def other_image(self) -> str:
        deployed = yaml.safe_load(self.e2e.config_file.read_text())["queue"]["ami_id"]
        return next(image for image in ubuntu_images(self.e2e.client("ec2")) if image != deployed)

    def edits_are_refused(self) -> str:
        """Each edit, alone, against a private copy of the state: `stackyard deploy --stack` exits 2 naming the
        protected resources and the config key; for the edits marked by_cdktf, `npx cdktf deploy <stack>
        --auto-approve` stops with Terraform's prevent_destroy error. Afterwards the emulator and every state copy
        are as they were."""
        bucket = json.loads(self.e2e.outputs_file.read_text())["data"]["bucket_name"]
        self.e2e.client("s3").put_object(Bucket=bucket, Key=DATA_OBJECT, Body=b"1,2,3\n")
        before = self.snapshot()
        ami = self.other_image()
        with ThreadPoolExecutor(max_workers=3) as pool:
            problems = [p for found in pool.map(lambda edit: self._refused(edit, ami), EDITS) for p in found]
        assert not problems, problems
        assert not (differences := changed(before, self.snapshot())), differences
        by_cdktf = sum(edit.by_cdktf for edit in EDITS)
        return f"{len(EDITS)} edits refused by stackyard deploy, {by_cdktf} by cdktf deploy too; {len(before)} kept"

    def _refused(self, edit: Edit, ami: str) -> list[str]:
        folder = self.e2e.workdir / "day-two" / edit.label.split()[0]
        state = folder / "state"
        shutil.copytree(self.e2e.workdir / "state", state)
        saved = {path.name: path.read_bytes() for path in state.iterdir()}
        config = copy.deepcopy(yaml.safe_load(self.e2e.config_file.read_text()))
        config["backend"]["path"] = str(state / "terraform.{stack}.tfstate")
        edit.change(config, ami)
        config_file = folder / "stackyard.yaml"
        config_file.write_text(yaml.safe_dump(config))
        env = {**self.e2e.env, "STACKYARD_CONFIG": str(config_file)}
        problems = []
        ours = self._run(
            [*STACKYARD, "deploy", "--stack", edit.stack, "--auto-approve", "--no-verify", "--outputs-file",
             str(folder / "outputs.json")], env)  # fmt: skip
        text = ours.stdout + ours.stderr
        if ours.returncode != 2 or "nothing was changed" not in text:
            problems.append(f"{edit.label}: stackyard deploy exit {ours.returncode}: {text[-800:]}")
        for name in edit.refused:
            if f"[{name}: REFUSED]" not in text:
                problems.append(f"{edit.label}: stackyard deploy did not refuse {name}: {text[-800:]}")
        if edit.key not in text:
            problems.append(f"{edit.label}: stackyard deploy did not name {edit.key}: {text[-800:]}")
        if edit.by_cdktf:
            plain = self._run(
                ["npx", "cdktf", "deploy", edit.stack, "--auto-approve", "--skip-provider-lock",
                 "--ignore-missing-stack-dependencies", "--output", str(folder / "cdktf.out")], env)  # fmt: skip
            if plain.returncode == 0 or "Instance cannot be destroyed" not in plain.stdout + plain.stderr:
                problems.append(f"{edit.label}: cdktf deploy was not refused: {(plain.stdout + plain.stderr)[-800:]}")
        changed = [name for name, content in saved.items() if (state / name).read_bytes() != content]
        if changed or (folder / "outputs.json").exists():
            problems.append(f"{edit.label}: state or outputs written: {changed}")
        return problems

    def _run(self, command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
        return self.e2e.run(command, env=env)

    def allowance_applies(self) -> str:
        """The image edit with `protection.allow_replace: [queue-instance]` (a config of its own, so the steps after
        keep the README's): `stackyard deploy` replaces the queue instance, nothing else protected changes."""
        before = self.snapshot()
        config = yaml.safe_load(self.e2e.config_file.read_text())
        old_instance = json.loads(self.e2e.outputs_file.read_text())["workers"]["queue_instance_id"]
        config["queue"]["ami_id"] = self.other_image()
        config_file = self.e2e.workdir / "day-two" / "allowed.yaml"
        config_file.parent.mkdir(parents=True, exist_ok=True)
        config_file.write_text(yaml.safe_dump({**config, "protection": {"allow_replace": ["queue-instance"]}}))
        deployed = self._run(
            [*STACKYARD, "deploy", "--stack", "workers", "--auto-approve", "--no-verify", "--outputs-file",
             str(self.e2e.outputs_file)], {**self.e2e.env, "STACKYARD_CONFIG": str(config_file)})  # fmt: skip
        assert deployed.returncode == 0, deployed.stdout[-1500:] + deployed.stderr[-1500:]
        assert "[queue-instance: allowed]" in deployed.stdout, deployed.stdout[-1500:]
        new_instance = json.loads(self.e2e.outputs_file.read_text())["workers"]["queue_instance_id"]
        assert new_instance != old_instance, "the queue instance was not replaced"
        differences = changed(before, self.snapshot())
        assert list(differences) == ["queue instance"], differences
        return f"queue instance {old_instance} -> {new_instance}; nothing else protected changed"

    def destroy_refused_with_data(self) -> str:
        """`stackyard destroy` with an object in the store: exit 2, the count and the two ways on, nothing changed;
        the object is then deleted (every version) for the README's destroy step that follows."""
        before = self.snapshot()
        refused = self._run([*STACKYARD, "destroy", "--auto-approve"], self.e2e.env)
        assert refused.returncode == 2, refused.stdout[-1500:] + refused.stderr[-1500:]
        assert "holds 1 object(s)" in refused.stdout and "--stack cluster --stack workers" in refused.stdout, (
            refused.stdout
        )
        assert not (differences := changed(before, self.snapshot())), differences
        s3 = self.e2e.client("s3")
        bucket = json.loads(self.e2e.outputs_file.read_text())["data"]["bucket_name"]
        for version in s3.list_object_versions(Bucket=bucket).get("Versions", []):
            s3.delete_object(Bucket=bucket, Key=version["Key"], VersionId=version["VersionId"])
        return refused.stdout.strip().splitlines()[0]
