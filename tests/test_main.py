"""`python main.py` (what `cdktf synth` runs): good configs synthesize into $CDKTF_OUTDIR, bad ones exit 2
naming the field and write nothing."""

from __future__ import annotations

import json

import pytest

from tests.bad_configs import BAD_CONFIGS, GOOD_STORE
from tests.support.cli import run_main


@pytest.mark.parametrize("case", sorted(BAD_CONFIGS))
def test_bad_config_exits_2_names_the_field_and_writes_nothing(case, tmp_path):
    text, field = BAD_CONFIGS[case]
    config_file = tmp_path / "stackyard.yaml"
    config_file.write_text(text)
    outdir = tmp_path / "out"

    result = run_main(config_file, outdir)

    assert result.returncode == 2, result.stderr
    assert field in result.stderr
    assert "Traceback" not in result.stderr
    assert not outdir.exists(), "a rejected config must not write anything"


def test_missing_config_file_exits_2(tmp_path):
    result = run_main(tmp_path / "nope.yaml", tmp_path / "out")
    assert result.returncode == 2
    assert "nope.yaml" in result.stderr and "cannot read" in result.stderr
    assert "Traceback" not in result.stderr


def test_good_config_synthesizes_into_cdktf_outdir(tmp_path):
    config_file = tmp_path / "stackyard.yaml"
    config_file.write_text(GOOD_STORE + "  multipart_upload_role: false\n")
    outdir = tmp_path / "out"

    result = run_main(config_file, outdir)

    assert result.returncode == 0, result.stderr
    stack = json.loads((outdir / "stacks" / "data" / "cdk.tf.json").read_text())
    buckets = sorted(bucket["bucket"] for bucket in stack["resource"]["aws_s3_bucket"].values())
    assert buckets == ["stackyard-test-bucket", "stackyard-test-bucket-access-logs"]
    assert "aws_iam_role" not in stack["resource"]
