"""`stackyard destroy`: tear down in reverse order, checked first. Refused before any resource is touched while the
store bucket holds objects; every resource `stackyard adopt` imported is left in place (taken out of the state, as
it was before the adoption); everything else the stacks made is deleted. The teardown itself runs on the synth
without prevent_destroy: this command is the explicit switch."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from stackyard.aws.clients import client
from stackyard.changes.session import EXIT_REFUSED, ChangeError, Session, Target, approved, session
from stackyard.config.protection import BY_NAME
from stackyard.stack_names import DATA_STACK, PlannedStack

STORE_BUCKET = BY_NAME["store-bucket"].address
COUNT_LIMIT = 10_000  # enough to say "at least"; a bucket is not listed whole to refuse


@dataclass(frozen=True)
class DestroyOptions(Target):
    auto_approve: bool = False
    profile: str | None = None
    confirm: Callable[[str], bool] | None = None


@dataclass
class Teardown:
    stack: PlannedStack
    deleted: list[str]
    """State addresses destroy deletes."""
    kept: list[str]
    """Adopted resources left in place."""


def run_destroy(options: DestroyOptions) -> int:
    with session(options, "destroy") as current:
        teardowns = [_teardown_of(current, stack) for stack in reversed(current.stacks)]
        teardowns = [teardown for teardown in teardowns if teardown.deleted or teardown.kept]
        if not teardowns:
            print("stackyard: nothing to destroy: no stack of the config has resources in its state")
            return 0
        for teardown in teardowns:
            if teardown.stack.kind == DATA_STACK and STORE_BUCKET in teardown.deleted:
                refusal = _store_refusal(current, teardown.stack, options, [t.stack for t in teardowns])
                if refusal:
                    print(refusal)
                    return EXIT_REFUSED
        for teardown in teardowns:
            kept = f"; left in place (adopted): {', '.join(teardown.kept)}" if teardown.kept else ""
            print(f"{teardown.stack.name}: {len(teardown.deleted)} to delete{kept}")
        question = f"Destroy {', '.join(teardown.stack.name for teardown in teardowns)}?"
        if not approved(options.auto_approve, options.confirm, question, "destroy"):
            print("stackyard: not destroyed (nothing was changed)")
            return EXIT_REFUSED
        for teardown in teardowns:
            folder = current.folder(teardown.stack)
            folder.forget(teardown.kept)
            print(f"stackyard: destroying {teardown.stack.name}", flush=True)
            folder.destroy()
    print(f"stackyard: destroyed {', '.join(teardown.stack.name for teardown in teardowns)}")
    return 0


def _teardown_of(current: Session, stack: PlannedStack) -> Teardown:
    """What destroy deletes and keeps: an imported (adopted) resource stays, and so do the settings stackyard put
    on an adopted bucket (its public-access block, encryption, ...): deleting them would strip its protection."""
    folder = current.folder(stack)
    resources = folder.state_resources()
    stack_json = json.loads((folder.folder / "cdk.tf.json").read_text(encoding="utf-8"))
    imported = {block["to"] for block in stack_json.get("import", [])}
    kept_buckets = {
        resource["values"].get("bucket")
        for resource in resources
        if resource["address"] in imported and resource["type"] == "aws_s3_bucket"
    }
    kept = [r["address"] for r in resources if r["address"] in imported or _setting_of(r, kept_buckets)]
    return Teardown(stack, [r["address"] for r in resources if r["address"] not in kept], kept)


def _setting_of(resource: dict, buckets: set[str]) -> bool:
    """A bucket setting (aws_s3_bucket_*) on one of ``buckets``; logging only when it also logs into one of them
    (logging into a bucket the teardown deletes would point nowhere)."""
    values = resource["values"]
    if not resource["type"].startswith("aws_s3_bucket_") or values.get("bucket") not in buckets:
        return False
    return resource["type"] != "aws_s3_bucket_logging" or values.get("target_bucket") in buckets


def _store_refusal(current: Session, stack: PlannedStack, options: DestroyOptions, tearing: list[PlannedStack]) -> str:
    """Why the teardown stops while the store bucket holds objects ("" when it is empty)."""
    bucket = current.folder(stack).outputs().get("bucket_name")
    config = current.environment_config(stack)
    if not isinstance(bucket, str):
        raise ChangeError(f"{stack.name}: the state has the store bucket but no bucket_name output; deploy it first")
    try:
        count = count_objects(client(config, "s3", options.profile, timeout=30.0), bucket)
    except (BotoCoreError, ClientError) as error:
        problem = f"{stack.name}: cannot tell whether bucket {bucket} is empty ({error}); nothing was changed"
        raise ChangeError(problem) from None
    if count == 0:
        return ""
    others = [other.name for other in tearing if other.name != stack.name]
    keep = f"stackyard destroy --stack {' --stack '.join(others)}" if others else "leave the data stack deployed"
    many = "at least " if count >= COUNT_LIMIT else ""
    return "\n".join(
        [
            f"stackyard: refused: the store bucket {bucket} holds {many}{count} object(s), counting every "
            "version and delete marker; nothing was changed.",
            f"  To delete them with the bucket, empty it first: `aws s3api list-object-versions --bucket {bucket}` "
            "shows them, every version must go (e.g. an S3 lifecycle rule or the console's Empty button).",
            f"  To keep the data, tear down the rest only: `{keep}`.",
        ]
    )


def count_objects(s3: Any, bucket: str) -> int:
    """Object versions and delete markers in the bucket (a versioned bucket is empty only without both)."""
    count = 0
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
        count += len(page.get("Versions", [])) + len(page.get("DeleteMarkers", []))
        if count >= COUNT_LIMIT:
            break
    return count
