"""store-tls-only: a bucket-policy statement denies s3:* without TLS (moto cannot keep it applied beside a round
trip: see MotoDeployment.apply_bucket_policy, so this check has its own deployment)."""

from __future__ import annotations

from stackyard.checks.core.base import Status
from stackyard.checks.store_tls_only import StoreTlsOnly


def test_fails_without_the_policy_and_passes_with_the_synthesized_one(check_on, fresh_deployment):
    missing = check_on(StoreTlsOnly, fresh_deployment)
    assert missing.status is Status.FAIL and "plain-HTTP requests are not refused" in missing.detail
    fresh_deployment.deployment.apply_bucket_policy()  # the synthesized policy document
    applied = check_on(StoreTlsOnly, fresh_deployment)
    assert applied.status is Status.PASS and "DenyInsecureTransport" in applied.detail


def test_skipped_when_the_config_does_not_ask_for_it(check_on, deployed):
    result = check_on(StoreTlsOnly, deployed, config=lambda c: c["data_store"].update(tls_only=False))
    assert result.status is Status.SKIP and "tls_only: false" in result.detail
