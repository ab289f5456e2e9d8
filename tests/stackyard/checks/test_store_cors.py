"""store-cors: the bucket's CORS rules are seed 000's two, whatever their order."""

from __future__ import annotations

from stackyard.checks.core.base import Status
from stackyard.checks.store_cors import StoreCors
from tests.support.aws import emulator_client
from tests.support.deployed import REGION


def test_passes_on_the_deployed_rules(check_on, deployed):
    result = check_on(StoreCors, deployed)
    assert result.status is Status.PASS, result.detail
    assert "POST from https://app.valohai.com" in result.detail


def test_a_config_with_another_app_origin_fails_on_the_same_bucket(check_on, deployed):
    result = check_on(StoreCors, deployed, config=lambda c: c["data_store"].update(app_origin="https://other.example"))
    assert result.status is Status.FAIL and "differ" in result.detail


def test_rules_in_another_order_pass_but_a_changed_origin_fails(check_on, fresh_deployment):
    s3 = emulator_client("s3", fresh_deployment.endpoint, REGION)
    bucket = fresh_deployment.outputs()["data"]["bucket_name"]
    rules = s3.get_bucket_cors(Bucket=bucket)["CORSRules"]
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": list(reversed(rules))})
    assert check_on(StoreCors, fresh_deployment).status is Status.PASS
    rules[1]["AllowedOrigins"] = ["https://evil.example.com"]
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": rules})
    assert check_on(StoreCors, fresh_deployment).status is Status.FAIL
    s3.delete_bucket_cors(Bucket=bucket)
    missing = check_on(StoreCors, fresh_deployment)
    assert missing.status is Status.FAIL and "no CORS configuration" in missing.detail
