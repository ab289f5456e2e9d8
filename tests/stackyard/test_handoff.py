"""`stackyard handoff sheet`: seed 001's recorded values from a deploy's outputs file, never a secret."""

from __future__ import annotations

import json

import pytest

from stackyard.handoff import RECORDED_VALUES
from tests.support.cli import run_stackyard

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


def deployed_outputs(synth) -> dict[str, dict]:
    """An outputs file as `cdktf deploy --outputs-file --outputs-file-include-sensitive-outputs` writes it, with a
    made-up value for every output the synthesized stacks declare; the config's own where it names one."""
    config = synth.config
    values = {
        "subnet_names": ["valohai-subnet-1", "valohai-subnet-2"],
        "subnet_ids": ["subnet-0aaa", "subnet-0bbb"],
        "secret_access_key": SECRET,
        "region": config.aws.region,
        "bucket_name": config.data_store.bucket_name,
        "user_name": config.data_store.user_name,
        "master_role_arn": f"arn:aws:iam::123456789012:role/{config.workers.master_role_name}",
    }
    return {
        stack: {name: values.get(name, f"{stack}-{name}-value") for name in synth.stack(stack)["output"]}
        for stack in synth.stack_names()
    }


@pytest.fixture
def outputs_file(default_synth, tmp_path):
    path = tmp_path / "outputs.json"
    path.write_text(json.dumps(deployed_outputs(default_synth)))
    return path


def test_every_recorded_value_is_an_output_of_the_workers_stack(default_synth, everything_on_synth):
    declared = set(default_synth.stack("workers")["output"])
    assert {item.output for item in RECORDED_VALUES if not item.only_when_deployed} <= declared
    assert {item.output for item in RECORDED_VALUES} <= set(everything_on_synth.stack("workers")["output"])


def test_a_customer_installed_queue_adds_its_address_and_secret(everything_on_synth, tmp_path):
    path = tmp_path / "outputs.json"
    path.write_text(json.dumps(deployed_outputs(everything_on_synth)))
    result = run_stackyard("handoff", "sheet", "--outputs", str(path))
    assert result.returncode == 0, result.stderr
    assert "| DNS name of the queue | `workers-queue_address-value` |" in result.stdout
    assert "| Secret holding the Redis password | `workers-queue_password_secret_arn-value` |" in result.stdout


def test_markdown_sheet_lists_seed_001s_values_and_no_secret(outputs_file):
    result = run_stackyard("handoff", "sheet", "--outputs", str(outputs_file))
    assert result.returncode == 0, result.stderr
    for label, value in [
        ("Region", "`eu-west-1`"),
        ("ValohaiMaster role ARN", "`arn:aws:iam::123456789012:role/ValohaiMaster`"),
        ("VPC ID", "`workers-vpc_id-value`"),
        ("Subnet names", "`valohai-subnet-1`, `valohai-subnet-2`"),
        ("Public IP of the queue instance", "`workers-queue_public_ip-value`"),
        ("Private IP of the queue instance", "`workers-queue_private_ip-value`"),
        ("Name of the EC2 key pair", "`workers-key_pair_name-value`"),
    ]:
        assert f"| {label} | {value} |" in result.stdout
    assert SECRET not in result.stdout
    assert "data-" not in result.stdout, "nothing of the data stack belongs on the sheet"


def test_json_sheet(outputs_file):
    result = run_stackyard("handoff", "sheet", "--outputs", str(outputs_file), "--format", "json")
    sheet = json.loads(result.stdout)
    assert list(sheet) == [item.output for item in RECORDED_VALUES if not item.only_when_deployed]
    assert sheet["subnet_ids"] == ["subnet-0aaa", "subnet-0bbb"]
    assert SECRET not in result.stdout


def test_terraform_output_json_of_the_workers_stack_is_accepted(default_synth, tmp_path):
    workers = deployed_outputs(default_synth)["workers"]
    path = tmp_path / "workers.json"
    path.write_text(
        json.dumps({name: {"sensitive": False, "type": "string", "value": v} for name, v in workers.items()})
    )
    result = run_stackyard("handoff", "sheet", "--outputs", str(path), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["vpc_id"] == "workers-vpc_id-value"


def test_queue_values_are_marked_when_the_queue_was_not_deployed(default_synth, tmp_path):
    outputs = deployed_outputs(default_synth)
    for name in ("queue_public_ip", "queue_private_ip", "key_pair_name", "queue_instance_id"):
        del outputs["workers"][name]
    path = tmp_path / "outputs.json"
    path.write_text(json.dumps(outputs))
    result = run_stackyard("handoff", "sheet", "--outputs", str(path))
    assert "| Public IP of the queue instance | (not in the outputs) |" in result.stdout


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "cannot read"),
        ("{not json", "not a JSON outputs file"),
        ('{"data": {"bucket_name": "b"}}', "no workers-stack outputs"),
        ("[1, 2]", "expected a JSON object"),
    ],
)
def test_unusable_outputs_exit_2_with_one_line(content, reason, tmp_path):
    path = tmp_path / "outputs.json"
    if content is not None:
        path.write_text(content)
    result = run_stackyard("handoff", "sheet", "--outputs", str(path))
    assert result.returncode == 2
    assert reason in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_sheet_of_one_environment(default_synth, tmp_path):
    single = deployed_outputs(default_synth)
    both = {
        f"{env}-{stack}": {**values, "vpc_id": f"{env}-vpc"}
        for env in ("dev", "prod")
        for stack, values in single.items()
    }
    path = tmp_path / "outputs.json"
    path.write_text(json.dumps(both))
    result = run_stackyard("handoff", "sheet", "--outputs", str(path), "--format", "json", "--environment", "prod")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["vpc_id"] == "prod-vpc"
    missing = run_stackyard("handoff", "sheet", "--outputs", str(path), "--environment", "qa")
    assert missing.returncode == 2 and "no stack of environment 'qa'" in missing.stderr
