"""Reading a plan (the shape `terraform show -json` writes) into stackyard's words: actions, protected resources,
the config key that causes a replacement, refusals and allowances."""

from __future__ import annotations

from stackyard.changes.review import render_refusal, render_review, review_plan
from stackyard.config.adoption import AdoptedResource, StackAdoption
from stackyard.config.model import ProtectionSettings
from stackyard.config.protection import BY_NAME

BUCKET = BY_NAME["store-bucket"].address
LOG_GROUP = BY_NAME["flow-log-group"].address
VPC = "aws_vpc.network_vpc_4E8F0223"
POLICY = "aws_s3_bucket_policy.store_tls_only_policy_1"


def change(address: str, actions: list[str], replace_paths: list[list[str]] | None = None, **extra) -> dict:
    resource_type, name = address.split(".")
    body = {"actions": actions, **({"replace_paths": replace_paths} if replace_paths else {}), **extra}
    return {"address": address, "mode": "managed", "type": resource_type, "name": name, "change": body}


def stack_json(*addresses: str, imports: dict[str, str] | None = None) -> dict:
    resources: dict = {}
    for address in addresses:
        resource_type, name = address.split(".")
        path = f"data/{name.rsplit('_', 1)[0].replace('_', '/')}"
        resources.setdefault(resource_type, {})[name] = {"//": {"metadata": {"path": path}}}
    return {"resource": resources, "import": [{"to": to, "id": id_} for to, id_ in (imports or {}).items()]}


def test_a_replaced_protected_bucket_is_refused_naming_the_config_key():
    plan = {"resource_changes": [change(BUCKET, ["delete", "create"], [["bucket"]]), change(POLICY, ["update"])]}
    review = review_plan("data", plan, stack_json(BUCKET, POLICY), ProtectionSettings(), StackAdoption())
    (refused,) = review.refused
    assert (refused.action, refused.protected.name, refused.path) == ("replace", "store-bucket", "store/bucket")
    assert refused.cause() == "a new value of bucket (data_store.bucket_name)"
    assert review.counts() == {"import": 0, "create": 0, "change": 1, "replace": 1, "delete": 0}
    lines = render_review(review)
    assert lines[0] == "data: 1 to change, 1 to replace"
    assert f"  replace  store/bucket ({BUCKET})  [store-bucket: REFUSED]" in lines
    refusal = "\n".join(render_refusal(review.refused, "stackyard.yaml"))
    assert "store-bucket (the store bucket, stack data) would be replaced" in refusal
    assert "protection: {allow_replace: [store-bucket]}" in refusal and "stackyard.yaml" in refusal


def test_the_allowance_lets_the_same_replacement_through_and_says_so():
    plan = {"resource_changes": [change(BUCKET, ["create", "delete"], [["bucket"]])]}
    allowed = ProtectionSettings(allow_replace=["store-bucket"])
    review = review_plan("data", plan, stack_json(BUCKET), allowed, StackAdoption())
    assert review.refused == []
    assert "[store-bucket: allowed]" in render_review(review)[1]


def test_teardown_allows_every_protected_resource():
    plan = {"resource_changes": [change(BUCKET, ["delete"]), change(LOG_GROUP, ["delete"])]}
    review = review_plan("x", plan, stack_json(), ProtectionSettings(teardown=True), StackAdoption())
    assert review.refused == [] and review.counts()["delete"] == 2


def test_a_protected_resource_the_config_no_longer_has_is_refused_where_prevent_destroy_cannot_see_it():
    """A feature turned off removes the resource from the config, and with it its lifecycle block: Terraform would
    delete it. The review knows it by its address."""
    plan = {"resource_changes": [change(LOG_GROUP, ["delete"])]}
    review = review_plan("workers", plan, stack_json(), ProtectionSettings(), StackAdoption())
    (refused,) = review.refused
    assert refused.path == LOG_GROUP, "no construct path: the config no longer has it"
    assert refused.cause() == "the config no longer has it (network.flow_logs.enabled or network.existing)"


def test_an_adopted_resource_is_protected_under_its_slot():
    plan = {"resource_changes": [change(VPC, ["delete", "create"], [["cidr_block"]])]}
    adoption = StackAdoption(resources={"vpc": AdoptedResource(import_id="vpc-0a1b2c3d")})
    imported = stack_json(VPC, imports={VPC: "vpc-0a1b2c3d"})
    review = review_plan("workers", plan, imported, ProtectionSettings(), adoption)
    (refused,) = review.refused
    assert refused.protected.name == "vpc" and refused.cause() == "a new value of cidr_block"
    assert "existed before stackyard" in refused.protected.why
    allowed = review_plan("workers", plan, imported, ProtectionSettings(allow_replace=["vpc"]), adoption)
    assert allowed.refused == []


def test_unprotected_replacements_creates_and_imports_are_reported_not_refused():
    plan = {
        "resource_changes": [
            change(POLICY, ["delete", "create"], [["bucket"]]),
            change(VPC, ["no-op"], importing={"id": "vpc-1"}),
            change("aws_subnet.network_subnet_1_C293421B", ["create"]),
            change("aws_subnet.network_subnet_2_C512D960", ["no-op"]),
            {"address": "data.aws_caller_identity.caller", "mode": "data", "change": {"actions": ["read"]}},
        ]
    }
    review = review_plan("workers", plan, stack_json(), ProtectionSettings(), StackAdoption())
    assert review.refused == []
    assert review.counts() == {"import": 1, "create": 1, "change": 0, "replace": 1, "delete": 0}
    assert review.pending


def test_nothing_to_apply_unless_an_output_changes():
    quiet = review_plan("data", {"resource_changes": []}, stack_json(), ProtectionSettings(), StackAdoption())
    assert not quiet.pending and render_review(quiet) == ["data: no changes"]
    plan = {"resource_changes": [], "output_changes": {"bucket_name": {"actions": ["create"]}}}
    assert review_plan("data", plan, stack_json(), ProtectionSettings(), StackAdoption()).pending
