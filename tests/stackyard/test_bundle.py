"""`stackyard handoff bundle`: the config it bundles, outputs that must match it, stacks in the order to apply them
per environment, descriptions read from the synthesized stacks, one labelled sheet per environment, reports."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
import yaml

from stackyard import bundle as bundle_module
from stackyard.bundle import BundleError, BundleSource, describe
from stackyard.config import default_config_text, load_default_config, validate_config_data
from stackyard.outputs import StackOutputs
from tests.stackyard.test_handoff import deployed_outputs
from tests.support.cli import run_stackyard
from tests.support.configs import CLUSTER_IDENTITY

TWO_ENVIRONMENTS = {
    "data_store": {"bucket_name": "acme-ml-data"},
    "workers": {"assume_role_arn": "arn:aws:iam::210987654321:role/platform"},
    "cluster": {
        **CLUSTER_IDENTITY,
        "access_cidrs": ["198.51.100.0/24"],
        "orchestrator_timeout": -1,
        "factories_timeout": -1,
    },
    "environments": [
        {"name": "dev", "overrides": {"data_store": {"bucket_name": "acme-ml-data-dev"}}},
        {"name": "prod", "overrides": {"data_store": {"bucket_name": "acme-ml-data-prod"}}},
    ],
}


def test_descriptions_come_from_the_stacks_resources(synth_config):
    no_alarms = synth_config({k: v for k, v in TWO_ENVIRONMENTS.items() if k != "environments"})
    cluster = no_alarms.stack("cluster")["resource"]
    assert "aws_cloudwatch_metric_alarm" not in cluster
    text = describe("cluster", cluster)
    assert "no idle shutdown" in text and "idle-shutdown alarms" not in text
    assert "1 orchestrator and 2 factories" in text and "s3fs" in text
    one = {**cluster, "aws_instance": dict(list(cluster["aws_instance"].items())[:2])}
    assert "1 orchestrator and 1 factory," in describe("cluster", one)
    with_alarms = synth_config(
        {
            **no_alarms_config(),
            "cluster": {**TWO_ENVIRONMENTS["cluster"], "factories_timeout": 1, "orchestrator_timeout": -1},
        }
    )
    assert "idle-shutdown alarms" in describe("cluster", with_alarms.stack("cluster")["resource"])


def no_alarms_config() -> dict:
    return {k: v for k, v in TWO_ENVIRONMENTS.items() if k != "environments"}


def write(tmp_path, name, data) -> str:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data) if name.endswith(".yaml") else json.dumps(data))
    return str(path)


@pytest.mark.parametrize(
    ("change", "reason", "fix"),
    [
        (lambda o: o.update({"staging-data": o["data"]}), "staging-data are not stacks of", "--config"),
        (lambda o: o["data"].update(bucket_name="other-bucket"), "has bucket_name 'other-bucket'", "--config"),
        (lambda o: o["workers"].update(region="us-west-2"), "stack workers has region 'us-west-2' where", "--config"),
        (lambda o: o.pop("cluster"), "no outputs of stack(s) cluster, which the embedded", "npx cdktf output"),
    ],
)
def test_outputs_of_another_deployment_are_refused_before_anything_is_written(
    default_synth, tmp_path, change, reason, fix
):
    outputs = deployed_outputs(default_synth)
    change(outputs)
    out = tmp_path / "bundle"
    result = run_stackyard("handoff", "bundle", "--out", str(out), "--outputs", write(tmp_path, "o.json", outputs))
    assert result.returncode == 2 and reason in result.stderr and fix in result.stderr, result.stderr
    assert "using the embedded example config, not yours" in result.stderr
    assert not out.exists()


def test_the_sheet_has_one_titled_section_per_environment(default_synth):
    from stackyard.bundle import _recorded_values_sheet

    single = deployed_outputs(default_synth)
    both = {
        f"{env}-{stack}": {**values, "vpc_id": f"{env}-vpc"}
        for env in ("dev", "prod")
        for stack, values in single.items()
    }
    config = validate_config_data(TWO_ENVIRONMENTS, "test")
    sheet = _recorded_values_sheet(BundleSource(config, None, StackOutputs(both, "test")))
    assert sheet.index("of environment `dev`") < sheet.index("`dev-vpc`") < sheet.index("of environment `prod`")
    assert sheet.index("of environment `prod`") < sheet.index("`prod-vpc`")
    dev_only = {name: values for name, values in both.items() if name.startswith("dev-")}
    only = _recorded_values_sheet(BundleSource(config, None, StackOutputs(dev_only, "test")))
    assert "of environment `dev`" in only and "prod" not in only, "an environment not deployed has no sheet"


@pytest.mark.terraform
def test_a_bundle_of_two_environments_with_reports(tmp_path):
    config = write(tmp_path, "acme.yaml", TWO_ENVIRONMENTS)
    # prod was made by hand and adopted: its import blocks travel with the bundle, so plain Terraform imports too.
    adoption = {"stacks": {"prod-workers": {"resources": {"vpc": {"import_id": "vpc-0123456789abcdef0"}}}}}
    write(tmp_path, "acme.adoption.yaml", adoption)
    reports = tmp_path / "my-reports"
    reports.mkdir()
    (reports / "verify.json").write_text('{"checks": []}')
    out = tmp_path / "bundle"
    result = run_stackyard(
        "handoff", "bundle", "--out", str(out), "--config", config, "--reports", str(reports), timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr
    readme = (out / "README.md").read_text()
    order = [line.split("`")[1] for line in readme.splitlines() if line[:1].isdigit() and ". `stacks/" in line]
    assert order == [f"stacks/{e}-{s}/" for e in ("dev", "prod") for s in ("data", "workers", "cluster")]
    assert "`stacks/prod-cluster/` (environment `prod`) - flambé training cluster" in readme
    assert "generated by stackyard from `acme.yaml`" in readme and "verify.json" in readme
    assert "terraform -chdir=../../dev-workers/hcl output -json subnet_ids" in readme, "the wiring names the stack"
    assert (out / "reports" / "verify.json").read_text() == '{"checks": []}'
    dev_data = json.loads((out / "stacks" / "dev-data" / "cdk.tf.json").read_text())
    bucket = dev_data["variable"]["bucket_name"]["default"]
    assert bucket == "acme-ml-data-dev", "the bundle holds the given config, not the embedded example"
    prod_workers = json.loads((out / "stacks" / "prod-workers" / "cdk.tf.json").read_text())
    assert [block["id"] for block in prod_workers["import"]] == ["vpc-0123456789abcdef0"]
    assert 'id = "vpc-0123456789abcdef0"' in (out / "stacks" / "prod-workers" / "hcl" / "main.tf").read_text()
    assert "import" not in json.loads((out / "stacks" / "dev-workers" / "cdk.tf.json").read_text())
    pictures = sorted(path.name for path in out.glob("diagram*"))
    assert pictures == ["diagram-dev.png", "diagram-dev.svg", "diagram-prod.png", "diagram-prod.svg"]
    assert "acme-ml-data-prod" in html.unescape((out / "diagram-prod.svg").read_text())  # dot writes - as &#45;


def test_bundle_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "stale.tf.json").write_text("{}")
    result = run_stackyard("handoff", "bundle", "--out", str(tmp_path))
    assert result.returncode == 2
    assert "is not empty" in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["stale.tf.json"], "nothing was written"


def test_a_customer_installed_queue_is_described_with_its_secret(default_synth, everything_on_synth):
    secret = "the queue's Redis password secret"
    assert secret in describe("workers", everything_on_synth.stack("workers")["resource"])
    assert secret not in describe("workers", default_synth.stack("workers")["resource"])


@pytest.mark.parametrize("stopped_by", [KeyboardInterrupt, RuntimeError])
@pytest.mark.parametrize("out_exists", [False, True])
def test_a_bundle_stopped_half_way_leaves_no_half_bundle(tmp_path, monkeypatch, stopped_by, out_exists):
    """Made beside its folder and renamed once whole: Ctrl-C or a failure half way leaves nothing to hand over."""

    def half(out, source):
        (out / "stacks" / "data").mkdir(parents=True)
        (out / "stacks" / "data" / "main.tf").write_text("# half\n")
        raise stopped_by("stopped")

    monkeypatch.setattr(bundle_module, "_write_bundle", half)
    out = tmp_path / "bundle"
    if out_exists:
        out.mkdir()
    source = BundleSource(config=load_default_config(), config_file=None)
    with pytest.raises(stopped_by):
        bundle_module.build_bundle(out, source)
    assert sorted(p.name for p in tmp_path.iterdir()) == (["bundle"] if out_exists else [])
    assert not out_exists or not any(out.iterdir()), "the empty folder given stays empty"


def test_a_config_naming_an_emulator_is_bundled_only_when_asked(tmp_path, monkeypatch):
    """A team applies the bundle to AWS: an emulator's address in its providers is refused unless --keep-endpoint."""
    emulator = validate_config_data(
        {**yaml.safe_load(default_config_text()), "aws": {"endpoint_url": "http://127.0.0.1:5000"}}, "emu.yaml"
    )
    out = tmp_path / "bundle"
    with pytest.raises(BundleError) as refused:
        bundle_module.build_bundle(out, BundleSource(config=emulator, config_file=Path("emu.yaml")))
    assert str(refused.value).startswith("emu.yaml: aws.endpoint_url is http://127.0.0.1:5000: the bundle's providers")
    assert "--keep-endpoint" in str(refused.value) and not out.exists()
    monkeypatch.setattr(bundle_module, "_write_bundle", lambda out, source: ["kept"])
    kept = BundleSource(config=emulator, config_file=Path("emu.yaml"), keep_endpoint=True)
    assert bundle_module.build_bundle(out, kept) == ["kept"]
