"""The bundle's HCL tidying and example files (stackyard/bundle_hcl.py): what is unwrapped and what is left alone
(heredocs, strings with text around an interpolation), values written as HCL, and the example files formatted and
readable by the real Terraform."""

from __future__ import annotations

import subprocess

import pytest

from stackyard.bundle_hcl import backend_hcl_example, hcl_value, idiomatic_hcl, tfvars_example
from stackyard.config.model import AwsSettings, S3Backend

CDKTF_HCL = """terraform {
  backend "s3" {

  }


}
resource "aws_instance" "a" {
  vpc_security_group_ids = [
    "${aws_security_group.g.id}",
  ]
  tags = {
    Name = "${var.prefix}-i"
    Id   = "${var.id}"
  }
  user_data = <<EOF
echo "${aws_s3_bucket.b.id}"
}
EOF
  condition = "${var.x == "" ? 1 : 2}"
  depends_on = [
    "aws_security_group.g",
  ]
  lifecycle {
    ignore_changes = [
      "ami",
    ]
  }
}
"""


def test_interpolation_only_strings_are_unwrapped_outside_heredocs():
    tidy = idiomatic_hcl(CDKTF_HCL)
    assert "    aws_security_group.g.id,\n" in tidy, "a list element"
    assert "    Id   = var.id\n" in tidy, "a map value"
    assert 'Name = "${var.prefix}-i"' in tidy, "text around the interpolation: a template, kept"
    assert 'echo "${aws_s3_bucket.b.id}"\n}\nEOF' in tidy, "a heredoc is text, even a line that is just }"
    assert "    aws_security_group.g,\n" in tidy and "      ami,\n" in tidy, "references in depends_on/lifecycle"
    assert 'backend "s3" {}\n}\n' in tidy, "no blank lines before a closing brace"


def test_values_are_written_as_hcl():
    assert hcl_value("eu-west-1") == '"eu-west-1"'
    assert hcl_value(["10.0.0.0/20", "10.0.16.0/20"]) == '["10.0.0.0/20", "10.0.16.0/20"]'
    assert hcl_value({"valohai": "1", "Team.Name": "ml"}) == '{\n  valohai = "1"\n  "Team.Name" = "ml"\n}'
    assert hcl_value(100) == "100" and hcl_value(True) == "true" and hcl_value({}) == "{}"


@pytest.mark.terraform
def test_the_examples_are_formatted_and_read_back_by_terraform(tmp_path):
    variables = {
        "region": {"type": "string", "default": "eu-west-1", "description": "AWS region of this stack"},
        "default_tags": {"type": "map(string)", "default": {"cost-center": "ml"}, "description": "Tags"},
    }
    example = tfvars_example(variables)
    assert '# AWS region of this stack (string)\nregion = "eu-west-1"' in example
    backend = S3Backend(type="s3", bucket="acme-state", region="eu-north-1")
    settings = backend_hcl_example(backend, "prod-workers", AwsSettings(profile="ops"))
    assert 'key          = "stackyard/prod-workers.tfstate"' in settings
    assert "use_lockfile = true" in settings and 'profile      = "ops"' in settings
    for name, text in (("a.tfvars", example), ("b.tfvars", settings)):
        (tmp_path / name).write_text(text)
        checked = subprocess.run(["terraform", "fmt", "-check", str(tmp_path / name)], capture_output=True, text=True)
        assert checked.returncode == 0, f"{name} is not fmt-clean: {checked.stdout}"
