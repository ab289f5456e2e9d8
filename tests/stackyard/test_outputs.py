"""Reading an outputs file: cdktf's (stack -> outputs) or `terraform output -json`, refused when it cannot be
stackyard's."""

from __future__ import annotations

import json

import pytest

from stackyard.outputs import OutputsError, read_outputs
from tests.support.cli import invoke_stackyard


def test_both_shapes_are_read(tmp_path):
    cdktf = tmp_path / "outputs.json"
    cdktf.write_text(
        json.dumps({"data": {"bucket_name": "b"}, "workers": {"subnet_ids": ["s-1", "s-2"], "ips": [None, "1.2.3.4"]}})
    )
    terraform = tmp_path / "workers.json"
    terraform.write_text(json.dumps({"vpc_id": {"value": "vpc-1", "type": "string", "sensitive": False}}))
    assert read_outputs(cdktf).find("subnet_ids") == ["s-1", "s-2"]
    assert read_outputs(terraform).stacks == {"workers": {"vpc_id": "vpc-1"}}


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (5, "is 5;"),
        ({"a": 1}, 'is {"a": 1};'),
        (["x", 2], 'is ["x", 2];'),
        ([1] * 30, "is [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, ...;"),
    ],
)
def test_a_value_no_stack_outputs_is_refused_naming_it(tmp_path, value, shown):
    outputs = tmp_path / "outputs.json"
    outputs.write_text(json.dumps({"data": {"region": "eu-west-1", "bucket_name": value}}))
    with pytest.raises(OutputsError) as caught:
        read_outputs(outputs)
    assert f"output data.bucket_name {shown}" in str(caught.value)


def test_verify_of_a_wrong_typed_output_exits_2_in_one_line(tmp_path):
    outputs = tmp_path / "outputs.json"
    outputs.write_text(json.dumps({"data": {"bucket_name": 5}}))
    result = invoke_stackyard("verify", "--outputs", str(outputs))
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1].startswith(f"{outputs}: output data.bucket_name is 5;")
