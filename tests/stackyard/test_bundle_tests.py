"""The bundle's `terraform test` file, as text: an assertion per resource a requirement applies to, each naming it.
(That Terraform runs it, passes it as written and fails it on each broken requirement: test_bundle_terraform.py.)"""

from __future__ import annotations

from stackyard.bundle_tests import seed_tests


def test_an_assertion_per_resource_naming_it_and_its_seed():
    text = seed_tests(
        {
            "aws_s3_bucket_public_access_block": {"store_block": {}},
            "aws_vpc_security_group_ingress_rule": {"redis_app": {}, "acme": {}},
            "aws_instance": {"queue": {}},
            "aws_s3_bucket": {"store": {}},  # no requirement of its own here
        }
    )
    assert text is not None and 'mock_provider "aws"' in text and "command = plan" in text
    messages = [line.split("=", 1)[1].strip() for line in text.splitlines() if "error_message" in line]
    named = {(message.split(":")[0].strip('"'), message.rsplit("(", 1)[1].rstrip(')"')) for message in messages}
    assert named == {("seed 000", "store_block"), ("seed 001", "redis_app"), ("seed 001", "acme"),
                     ("seed 001/004", "queue")}  # fmt: skip


def test_a_stack_without_such_resources_gets_no_file():
    assert seed_tests({"aws_cloudwatch_log_group": {"flow_logs": {}}}) is None
