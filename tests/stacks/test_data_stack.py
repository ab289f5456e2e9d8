"""The data-store stack carries seed 000's values exactly (synthesized once per session)."""

from __future__ import annotations

import json

import pytest
from stacks.engine.cdk import Testing as CdktfTesting

from tests.support import seeds

DATA = "data"
STORE = "store_"  # logical ids of the store bucket's resources (the access-log bucket's start "access_logging_")
LOGS = "access_logging_"
BASE = {
    "data_store": {"bucket_name": "stackyard-test-bucket"},
    "workers": {"enabled": False},
    "cluster": {"enabled": False},
}


def variant(**data_store):
    return {**BASE, "data_store": {**BASE["data_store"], **data_store}}


def has(synth, resource_type: str, properties: dict) -> bool:
    return CdktfTesting.to_have_resource_with_properties(synth.raw(DATA), resource_type, properties)


def test_bucket_is_named_from_the_config(default_synth, default_config):
    assert has(default_synth, "aws_s3_bucket", {"bucket": default_config.data_store.bucket_name})
    assert default_synth.one(DATA, "aws_s3_bucket", within=STORE)["force_destroy"] is False


def test_all_four_public_access_block_settings_are_on(default_synth):
    block = default_synth.one(DATA, "aws_s3_bucket_public_access_block", within=STORE)
    flags = ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")
    assert {flag: block[flag] for flag in flags} == dict.fromkeys(flags, True)
    assert block["bucket"] == default_synth.ref(DATA, "aws_s3_bucket", "id", within=STORE)


def test_objects_are_owned_by_the_bucket_owner(default_synth):
    assert has(default_synth, "aws_s3_bucket_ownership_controls", {"rule": {"object_ownership": "BucketOwnerEnforced"}})


def test_default_encryption_is_sse_s3(default_synth):
    (rule,) = default_synth.one(DATA, "aws_s3_bucket_server_side_encryption_configuration", within=STORE)["rule"]
    assert rule["apply_server_side_encryption_by_default"] == {"sse_algorithm": "AES256"}


def test_kms_key_switches_to_sse_kms_with_bucket_keys(synth_config):
    arn = "arn:aws:kms:eu-west-1:123456789012:key/0b1f5c3e-1111-2222-3333-444455556666"
    synth = synth_config(variant(kms_key_arn=arn))
    (rule,) = synth.one(DATA, "aws_s3_bucket_server_side_encryption_configuration", within=STORE)["rule"]
    assert rule["apply_server_side_encryption_by_default"] == {"sse_algorithm": "aws:kms", "kms_master_key_id": arn}
    assert rule["bucket_key_enabled"] is True


@pytest.mark.parametrize(("versioning", "status"), [(True, "Enabled"), (False, "Suspended")])
def test_versioning_follows_the_config(synth_config, versioning, status):
    synth = synth_config(variant(versioning=versioning))
    assert synth.one(DATA, "aws_s3_bucket_versioning", within=STORE)["versioning_configuration"] == {"status": status}


def test_bucket_policy_denies_every_non_tls_request(default_synth):
    bucket_arn = default_synth.ref(DATA, "aws_s3_bucket", "arn", within=STORE)
    (statement,) = default_synth.policy(DATA, "aws_s3_bucket_policy", within=STORE)["Statement"]
    assert statement["Effect"] == "Deny"
    assert statement["Principal"] == "*"
    assert statement["Action"] == "s3:*"
    assert statement["Resource"] == [bucket_arn, f"{bucket_arn}/*"]
    assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_tls_only_policy_can_be_turned_off(synth_config):
    assert synth_config(variant(tls_only=False)).resources(DATA, "aws_s3_bucket_policy", within=STORE) == {}


def test_lifecycle_aborts_incomplete_multipart_uploads(synth_config):
    synth = synth_config(variant(abort_incomplete_multipart_days=3))
    (rule,) = synth.one(DATA, "aws_s3_bucket_lifecycle_configuration", within=STORE)["rule"]
    assert rule["status"] == "Enabled"
    assert rule["filter"] == [{"prefix": ""}]
    assert rule["abort_incomplete_multipart_upload"] == [{"days_after_initiation": 3}]


def test_cors_is_exactly_the_seeds_two_rules(default_synth):
    rules = default_synth.one(DATA, "aws_s3_bucket_cors_configuration", within=STORE)["cors_rule"]
    as_seed = [
        {
            "AllowedHeaders": rule["allowed_headers"],
            "AllowedMethods": rule["allowed_methods"],
            "AllowedOrigins": rule["allowed_origins"],
            "ExposeHeaders": rule["expose_headers"],
            "MaxAgeSeconds": rule["max_age_seconds"],
        }
        for rule in rules
    ]
    assert as_seed == seeds.STORE_CORS


def test_cors_post_origin_comes_from_the_config(synth_config):
    synth = synth_config(variant(app_origin="https://ml.example.com"))
    rules = synth.one(DATA, "aws_s3_bucket_cors_configuration", within=STORE)["cors_rule"]
    assert [rule["allowed_origins"] for rule in rules] == [["*"], ["https://ml.example.com"]]


def test_store_user_policy_is_the_seed_policy_on_this_bucket(default_synth, default_config):
    bucket_arn = default_synth.ref(DATA, "aws_s3_bucket", "arn", within=STORE)
    expected = seeds.substitute(seeds.STORE_USER_POLICY, {"arn:aws:s3:::my-valohai-bucket": bucket_arn})
    assert default_synth.policy(DATA, "aws_iam_user_policy") == expected
    user = default_synth.one(DATA, "aws_iam_user")
    assert user["name"] == default_config.data_store.user_name
    assert default_synth.one(DATA, "aws_iam_user_policy")["user"] == default_synth.ref(DATA, "aws_iam_user", "name")


def test_access_key_belongs_to_the_store_user(default_synth):
    key = default_synth.one(DATA, "aws_iam_access_key")
    assert key["user"] == default_synth.ref(DATA, "aws_iam_user", "name")
    assert "pgp_key" not in key


def test_multipart_role_has_the_seed_policy_and_trusts_only_the_store_user(default_synth):
    bucket_arn = default_synth.ref(DATA, "aws_s3_bucket", "arn", within=STORE)
    user_arn = default_synth.ref(DATA, "aws_iam_user", "arn")
    expected_policy = seeds.substitute(seeds.MULTIPART_POLICY, {"arn:aws:s3:::BUCKET": bucket_arn})
    expected_trust = seeds.substitute(seeds.MULTIPART_TRUST, {"arn:aws:iam::ACCOUNTNUMBER:user/USERNAME": user_arn})
    assert default_synth.policy(DATA, "aws_iam_role_policy") == expected_policy
    assert default_synth.policy(DATA, "aws_iam_role", "assume_role_policy") == expected_trust
    assert len(expected_policy["Statement"][0]["Action"]) == 8


def test_outputs_are_named_for_the_platforms_store_form(default_synth):
    outputs = default_synth.stack(DATA)["output"]
    assert set(outputs) == {
        "bucket_name",
        "region",
        "user_name",
        "access_key_id",
        "access_log_bucket",
        "secret_access_key",
        "multipart_upload_role_arn",
    }
    assert outputs["secret_access_key"]["sensitive"] is True
    assert outputs["secret_access_key"]["value"] == default_synth.ref(DATA, "aws_iam_access_key", "secret")
    assert outputs["region"]["value"] == "eu-west-1"
    assert all(not output.get("sensitive") for name, output in outputs.items() if name != "secret_access_key")


def test_pgp_key_replaces_the_plain_secret_with_an_encrypted_one(synth_config):
    synth = synth_config(variant(pgp_key="keybase:example"))
    assert synth.one(DATA, "aws_iam_access_key")["pgp_key"] == "keybase:example"
    outputs = synth.stack(DATA)["output"]
    assert "secret_access_key" not in outputs
    assert outputs["encrypted_secret_access_key"]["value"] == synth.ref(DATA, "aws_iam_access_key", "encrypted_secret")
    assert "pgp_key_fingerprint" in outputs


def test_no_access_key_and_no_multipart_role_when_turned_off(synth_config):
    synth = synth_config(variant(create_access_key=False, multipart_upload_role=False))
    assert synth.resources(DATA, "aws_iam_access_key") == {}
    assert synth.resources(DATA, "aws_iam_role") == {}
    assert set(synth.stack(DATA)["output"]) == {"bucket_name", "region", "user_name", "access_log_bucket"}


def test_policies_are_valid_json_without_unresolved_tokens(default_synth):
    raw = default_synth.raw(DATA)
    assert "TfToken" not in raw
    for resource_type, field in [("aws_iam_user_policy", "policy"), ("aws_iam_role", "assume_role_policy")]:
        json.loads(default_synth.one(DATA, resource_type)[field])


def test_access_logs_go_to_a_private_expiring_log_bucket(default_synth, default_config):
    log_bucket = default_synth.one(DATA, "aws_s3_bucket", within=LOGS)
    assert log_bucket["bucket"] == f"{default_config.data_store.bucket_name}-access-logs"
    block = default_synth.one(DATA, "aws_s3_bucket_public_access_block", within=LOGS)
    assert all(block[flag] is True for flag in ("block_public_acls", "block_public_policy", "ignore_public_acls"))
    (rule,) = default_synth.one(DATA, "aws_s3_bucket_server_side_encryption_configuration", within=LOGS)["rule"]
    # S3 delivers access logs only into SSE-S3 buckets
    assert rule["apply_server_side_encryption_by_default"] == {"sse_algorithm": "AES256"}
    versioning = default_synth.one(DATA, "aws_s3_bucket_versioning", within=LOGS)
    assert versioning["versioning_configuration"] == {"status": "Enabled"}
    lifecycle = default_synth.one(DATA, "aws_s3_bucket_lifecycle_configuration", within=LOGS)
    rules = {rule["id"]: rule for rule in lifecycle["rule"]}
    assert rules["expire-objects"]["expiration"] == [{"days": 365}]
    assert rules["expire-objects"]["noncurrent_version_expiration"] == [{"noncurrent_days": 365}]


def test_only_the_logging_service_may_write_the_store_buckets_logs(default_synth):
    log_bucket_arn = default_synth.ref(DATA, "aws_s3_bucket", "arn", within=LOGS)
    grant, deny = default_synth.policy(DATA, "aws_s3_bucket_policy", within=LOGS)["Statement"]
    assert grant["Principal"] == {"Service": "logging.s3.amazonaws.com"}
    assert grant["Action"] == "s3:PutObject"
    assert grant["Resource"] == f"{log_bucket_arn}/s3-access-logs/*"
    assert grant["Condition"] == {
        "ArnLike": {"aws:SourceArn": default_synth.ref(DATA, "aws_s3_bucket", "arn", within=STORE)},
        "StringEquals": {"aws:SourceAccount": default_synth.ref(DATA, "data.aws_caller_identity", "account_id")},
    }
    assert deny["Sid"] == "DenyInsecureTransport"
    logging = default_synth.one(DATA, "aws_s3_bucket_logging")
    assert logging["bucket"] == default_synth.ref(DATA, "aws_s3_bucket", "id", within=STORE)
    assert logging["target_bucket"] == default_synth.ref(DATA, "aws_s3_bucket", "id", within=LOGS)
    assert logging["target_prefix"] == "s3-access-logs/"
    # turned on only once the grant is in place, or S3 refuses the logging configuration
    assert default_synth.address(DATA, "aws_s3_bucket_policy", within=LOGS) in logging["depends_on"]


def test_access_logs_can_go_to_an_existing_bucket_or_be_off(synth_config):
    existing = synth_config(variant(access_logging={"target_bucket": "central-s3-logs", "prefix": "valohai/"}))
    assert set(existing.resources(DATA, "aws_s3_bucket")) == set(existing.resources(DATA, "aws_s3_bucket", STORE))
    logging = existing.one(DATA, "aws_s3_bucket_logging")
    assert (logging["target_bucket"], logging["target_prefix"]) == ("central-s3-logs", "valohai/")
    off = synth_config(variant(access_logging={"enabled": False}))
    assert off.resources(DATA, "aws_s3_bucket_logging") == {}
    assert "access_log_bucket" not in off.stack(DATA)["output"]


def test_the_log_bucket_is_destroyed_with_its_logs_unless_asked_to_stay_while_the_store_keeps_its_data(
    default_synth, synth_config
):
    """S3 keeps writing access logs, so a log bucket without force_destroy makes `cdktf destroy` fail."""
    assert default_synth.one(DATA, "aws_s3_bucket", within=LOGS)["force_destroy"] is True
    assert default_synth.one(DATA, "aws_s3_bucket", within=STORE)["force_destroy"] is False
    kept = synth_config(variant(access_logging={"force_destroy": False}))
    assert kept.one(DATA, "aws_s3_bucket", within=LOGS)["force_destroy"] is False
