"""What a Terraform team receives in the handoff bundle, checked with the real Terraform and provider, for the default
config and examples/everything-on.yaml: every stack initialises, validates without a warning and is `fmt`-clean in
both formats; no path of the machine that made it; variables (typed, described, defaulting to the config, validated)
that, substituted by their defaults, give exactly the normal synth; the cluster wired by a named input; the example
files hold every default; a portable backend."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO
from tests.support.aws import emulator_client
from tests.support.bundle_json import with_defaults
from tests.support.cli import run_stackyard
from tests.support.deployed import REGION, aws_env
from tests.support.synth import Synthesized
from tests.support.terraform import Terraform

STACKS = ("data", "workers", "cluster")
LOCAL_BACKEND = 'terraform {\n  backend "local" {}\n}\n'
"""An override file: Terraform's own way to swap the backend of a copy (here, of an S3 bundle)."""
HEREDOC_START = re.compile(r"<<-?(\w+)\s*$")
# Broader than what the bundle unwraps: any string literal that is one interpolation, as an attribute value or as a
# list element on its own line.
WHOLE_STRING_INTERPOLATION = re.compile(r'(=\s*|^\s*)"\$\{.*\}",?\s*$')


@pytest.fixture
def normal(bundle: Path, default_synth: Synthesized, everything_on_synth: Synthesized) -> Synthesized:
    """The normal (deployable) synth of the config the bundle was made from."""
    return everything_on_synth if "everything-on" in bundle.parent.name else default_synth


def bundle_stack(bundle: Path, stack: str) -> dict:
    return json.loads((bundle / "stacks" / stack / "cdk.tf.json").read_text())


def copy_of(folder: Path, into: Path) -> Path:
    """The stack's files only (Terraform's working files stay out of the shared bundle, which trivy scans)."""
    into.mkdir(parents=True)
    for file in folder.iterdir():
        if file.is_file():
            shutil.copy2(file, into / file.name)
    if (folder / "tests").is_dir():
        shutil.copytree(folder / "tests", into / "tests")
    return into


def without_metadata(node):
    if isinstance(node, dict):
        return {key: without_metadata(value) for key, value in node.items() if key != "//"}
    if isinstance(node, list):
        return [without_metadata(value) for value in node]
    return node


def outside_heredocs(text: str):
    heredoc_end = None
    for number, line in enumerate(text.splitlines(), 1):
        if heredoc_end is not None:
            heredoc_end = None if line.strip() == heredoc_end else heredoc_end
            continue
        yield number, line
        opened = HEREDOC_START.search(line)
        heredoc_end = opened.group(1) if opened else None


def test_every_stack_initialises_and_validates_without_a_warning(
    bundle, terraform_cli_config, tmp_path, attached_terraform
):
    folders = {}
    for stack in STACKS:
        for layout in ("json", "hcl"):
            folder = bundle / "stacks" / stack / ("hcl" if layout == "hcl" else "")
            terraform = Terraform(copy_of(folder, tmp_path / layout / stack), terraform_cli_config)
            terraform.init_without_backend()  # one at a time: the shared plugin cache is not safe concurrently
            terraform.attach(attached_terraform)  # installed by init; validated by the same provider, started once
            folders[stack, layout] = terraform
    with ThreadPoolExecutor() as pool:  # validate (loading the provider's schema) is most of this test's time
        results = pool.map(
            lambda item: (*item[0], item[1].validate(), item[1].run("test", check=False)), folders.items()
        )
    for stack, layout, result, tested in results:
        assert result["valid"], (stack, layout, result["diagnostics"])
        assert result["diagnostics"] == [], f"{stack} ({layout}): {result['diagnostics']}"
        # The seeds' requirements, as the team's pipeline runs them on the bundle as written.
        assert tested.returncode == 0 and "1 passed, 0 failed" in tested.stdout, f"{stack} ({layout}): {tested.stdout}"


MUTATIONS = {  # (stack, the line's start in hcl/main.tf within the resource named, what it becomes): the message
    "redis open to the world": (
        "workers",
        "security_groups_queue_redis_app",
        "cidr_ipv4",
        'cidr_ipv4 = "0.0.0.0/0"',
        "nothing but port 80 (ACME) is open to the internet",
    ),
    "a public-access block off": (
        "data",
        "aws_s3_bucket_public_access_block",
        "block_public_policy",
        "block_public_policy = false",
        "the store's buckets block every kind of public access",
    ),
    "IMDSv1 allowed": (
        "workers",
        "aws_instance",
        "http_tokens",
        'http_tokens = "optional"',
        "every instance requires IMDSv2 session tokens",
    ),
}


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_a_broken_seed_requirement_fails_terraform_test_with_its_message(
    make_bundle, terraform_cli_config, tmp_path, attached_terraform, mutation
):
    stack, resource, attribute, replacement, message = MUTATIONS[mutation]
    workdir = copy_of(make_bundle("default") / "stacks" / stack / "hcl", tmp_path / stack)
    main = workdir / "main.tf"
    text = main.read_text()
    start = text.index(attribute, text.index(resource))
    main.write_text(text[:start] + replacement + text[text.index("\n", start) :])
    terraform = Terraform(workdir, terraform_cli_config)
    terraform.init_without_backend()
    terraform.attach(attached_terraform)
    tested = terraform.run("test", check=False)
    assert tested.returncode == 1 and "0 passed, 1 failed" in tested.stdout, tested.stdout + tested.stderr
    assert message in " ".join((tested.stdout + tested.stderr).split()), tested.stderr


def test_terraform_fmt_check_passes_on_the_whole_bundle(bundle):
    checked = subprocess.run(
        ["terraform", "fmt", "-check", "-recursive", "-no-color", str(bundle)], capture_output=True, text=True
    )
    assert checked.returncode == 0, f"not fmt-clean: {checked.stdout}{checked.stderr}"
    assert len(list(bundle.rglob("main.tf"))) == len(STACKS), "fmt had HCL files to check"


def test_no_path_of_the_machine_that_made_it(bundle):
    made_in = [str(REPO), str(bundle), str(bundle.parent), str(Path.cwd())]
    for file in bundle.rglob("*"):
        if file.is_file():
            text = file.read_bytes().decode("utf-8", errors="replace")  # the diagram's PNG too
            found = [path for path in made_in if path in text]
            assert not found, f"{file.relative_to(bundle)} holds {found}"
            for generated in ("cross-stack-output", "cross-stack-reference", "terraform_remote_state"):
                assert generated not in text, f"{file.relative_to(bundle)}: cdktf's {generated} reached a user"


def test_the_hcl_has_no_interpolation_only_strings(bundle):
    for main in bundle.rglob("main.tf"):
        flagged = [
            (n, line) for n, line in outside_heredocs(main.read_text()) if WHOLE_STRING_INTERPOLATION.search(line)
        ]
        assert not flagged, f"{main.relative_to(bundle)}: {flagged[:5]}"
        quoted = re.findall(r'ignore_changes = \[\s*"', main.read_text())
        assert not quoted, "lifecycle names are references, written bare"


def test_with_its_defaults_each_stack_is_the_normal_synth(bundle, normal):
    """Substituting every variable by its default gives the deployable stack, block by block. The only differences
    are the ones bundle mode is for: the backend, and the cluster's network taken from a named input instead of
    cdktf's cross-stack outputs."""
    for stack in STACKS:
        made = without_metadata(with_defaults(bundle_stack(bundle, stack)))
        deployable = without_metadata(normal.stack(stack))
        made_terraform, deployable_terraform = made.pop("terraform"), deployable.pop("terraform")
        assert made_terraform["required_providers"] == deployable_terraform["required_providers"]
        deployable["output"] = {
            name: body for name, body in deployable["output"].items() if not name.startswith("cross-stack-output-")
        }
        if stack == "cluster":
            assert deployable["data"].pop("terraform_remote_state"), "the normal synth wires through remote state"
            assert set(made["data"].pop("aws_subnet")) == {"subnet"}
            for kind, attribute, wired in (
                ("aws_instance", "subnet_id", "${data.aws_subnet.subnet.id}"),
                ("aws_security_group", "vpc_id", "${data.aws_subnet.subnet.vpc_id}"),
            ):
                for name, body in made["resource"][kind].items():
                    assert body.pop(attribute) == wired, (kind, name)
                    assert (
                        deployable["resource"][kind][name].pop(attribute).startswith("${data.terraform_remote_state.")
                    )
        assert made == deployable, stack


def test_variables_are_typed_described_and_default_to_the_config(bundle, normal):
    workers = bundle_stack(bundle, "workers")["variable"]
    network = normal.config.network
    assert workers["vpc_cidr"]["default"] == network.vpc_cidr
    assert workers["subnet_cidrs"]["default"] == network.resolved_subnet_cidrs()
    assert workers["assume_role_arn"]["default"] == normal.config.workers.assume_role_arn
    assert bundle_stack(bundle, "data")["variable"]["bucket_name"]["default"] == normal.config.data_store.bucket_name
    assert bundle_stack(bundle, "data")["variable"]["default_tags"]["default"] == dict(normal.config.tags)
    for stack in STACKS:
        variables = bundle_stack(bundle, stack)["variable"]
        assert {"region", "default_tags"} <= set(variables)
        used = json.dumps({key: body for key, body in bundle_stack(bundle, stack).items() if key != "variable"})
        for name, body in variables.items():
            assert body["type"] and len(body["description"]) > 8 and "default" in body, (stack, name)
            assert body.get("nullable") is False, (stack, name)
            assert f"var.{name}" in used, f"{stack}: variable {name} is used nowhere"
    for name in ("vpc_cidr", "subnet_cidrs", "app_cidr", "valohai_ssh_cidr", "region", "name_prefix"):
        assert workers[name]["validation"], name


def test_a_bad_value_is_refused_at_plan_naming_the_variable(bundle, terraform_cli_config, tmp_path, attached_terraform):
    workdir = copy_of(bundle / "stacks" / "workers" / "hcl", tmp_path / "workers")
    (workdir / "backend_override.tf").write_text(LOCAL_BACKEND)  # no state bucket needed to be refused
    terraform = Terraform(workdir, terraform_cli_config)
    terraform.run("init", "-input=false")
    terraform.attach(attached_terraform)  # installed by init; planned with the same provider, started once
    terraform.env |= {
        "AWS_ACCESS_KEY_ID": "unused",
        "AWS_SECRET_ACCESS_KEY": "unused",
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    bad = {
        "vpc_cidr": "10.0.0.0/33",
        "region": "Europe",
        "assume_role_arn": "platform",
        "queue_disk_size_gb": "7.5",
        "subnet_cidrs": '["10.0.0.0/20"]',
    }
    planned = terraform.run(
        "plan", "-input=false", *(f"-var={name}={value}" for name, value in bad.items()), check=False
    )
    assert planned.returncode == 1
    refused = re.findall(r"│ var\.(\w+) is", planned.stderr) or re.findall(r"var\.(\w+) is", planned.stderr)
    assert sorted(set(refused)) == sorted(bad), planned.stderr
    assert "vpc_cidr must be an IPv4 CIDR" in planned.stderr
    assert "subnet_cidrs must be a list of" in planned.stderr
    assert not (tmp_path / "workers" / "terraform.tfstate").exists(), "nothing was applied"


def test_the_tfvars_example_holds_every_default(bundle, terraform_cli_config, tmp_path, attached_terraform):
    for stack in STACKS:
        check_tfvars_example(bundle, stack, terraform_cli_config, tmp_path, attached_terraform)


def check_tfvars_example(
    bundle: Path, stack: str, terraform_cli_config: Path, tmp_path: Path, attaching: Path | None
) -> None:
    """terraform console, with the example as the only .tfvars, reads back every variable's default."""
    variables = bundle_stack(bundle, stack)["variable"]
    folder = bundle / "stacks" / stack
    assert (folder / "terraform.tfvars.example").read_text() == (
        folder / "hcl" / "terraform.tfvars.example"
    ).read_text()
    workdir = copy_of(folder / "hcl", tmp_path / stack)
    # console needs an initialised backend: an override file keeps any S3 backend out of it.
    (workdir / "backend_override.tf").write_text(LOCAL_BACKEND)
    terraform = Terraform(workdir, terraform_cli_config)
    terraform.run("init", "-input=false")
    terraform.attach(attaching)
    expression = "jsonencode({" + ", ".join(f"{name} = var.{name}" for name in variables) + "})"
    shown = subprocess.run(
        [terraform.binary, "console", "-no-color", "-var-file=terraform.tfvars.example"],
        input=expression,
        cwd=terraform.workdir,
        env=terraform.env,
        capture_output=True,
        text=True,
    )
    assert shown.returncode == 0, shown.stderr
    values = json.loads(json.loads(shown.stdout.strip().splitlines()[-1]))
    assert values == {name: body["default"] for name, body in variables.items()}, stack


def test_the_backend_is_portable(bundle, normal):
    s3 = normal.config.backend.type == "s3"
    for stack in STACKS:
        backend = bundle_stack(bundle, stack)["terraform"]["backend"]
        example = bundle / "stacks" / stack / "hcl" / "backend.hcl.example"
        if s3:
            assert backend == {"s3": {}}, "a partial backend: its settings come from -backend-config"
            text = example.read_text()
            assert f'bucket       = "{normal.config.backend.bucket}"' in text
            assert f'key          = "{normal.config.backend.key.format(stack=stack)}"' in text
            assert "use_lockfile = true" in text
            assert 'backend "s3" {}' in (bundle / "stacks" / stack / "hcl" / "main.tf").read_text()
        else:
            assert backend == {"local": {"path": "terraform.tfstate"}}
            assert not example.exists()
    readme = (bundle / "README.md").read_text()
    assert ("cp backend.hcl.example backend.hcl" in readme) == s3
    assert "terraform init -backend-config=backend.hcl" in readme, "local state: the README says how to move to S3"


def test_a_team_completes_the_partial_s3_backend_with_backend_config(
    empty_account, terraform_cli_config, tmp_path, attached_terraform
):
    """The README's S3 way in moto: `cp backend.hcl.example backend.hcl`, `terraform init -backend-config=backend.hcl`,
    apply: the state lands under the stack's key in the state bucket (locked with a lock file), then destroy."""
    s3 = emulator_client("s3", empty_account, REGION)
    s3.create_bucket(Bucket="team-terraform-state", CreateBucketConfiguration={"LocationConstraint": REGION})
    config = {
        "aws": {"region": REGION, "endpoint_url": empty_account},
        "backend": {"type": "s3", "bucket": "team-terraform-state", "region": REGION},
        "data_store": {"bucket_name": "team-s3-state-data", "tls_only": False, "access_logging": {"enabled": False}},
        "workers": {"enabled": False},
        "cluster": {"enabled": False},
    }
    config_file = tmp_path / "team.yaml"
    config_file.write_text(yaml.safe_dump(config))
    out = tmp_path / "bundle"
    made = run_stackyard(
        "handoff", "bundle", "--out", str(out), "--config", str(config_file), "--keep-endpoint", timeout=300
    )
    assert made.returncode == 0, made.stderr
    assert "## Wiring between stacks" not in (out / "README.md").read_text(), "no cluster, nothing to wire"
    stack = out / "stacks" / "data" / "hcl"
    shutil.copy2(stack / "backend.hcl.example", stack / "backend.hcl")
    terraform = Terraform(stack, terraform_cli_config)
    terraform.env |= aws_env(empty_account)
    terraform.env.pop("AWS_ENDPOINT_URL")  # the provider and the backend find the emulator in the files themselves
    terraform.run("init", "-input=false", "-backend-config=backend.hcl")
    terraform.attach(attached_terraform)  # installed by init; the commands after attach the same provider
    # The backend is what is tested: the bucket alone (its lifecycle rule waits ~55 s for S3 to settle, the
    # provider's design) would add nothing here; the e2e applies whole bundle stacks.
    bucket = next(iter(json.loads((out / "stacks" / "data" / "cdk.tf.json").read_text())["resource"]["aws_s3_bucket"]))
    terraform.run("apply", "-auto-approve", "-input=false", f"-target=aws_s3_bucket.{bucket}")
    state = json.loads(s3.get_object(Bucket="team-terraform-state", Key="stackyard/data.tfstate")["Body"].read())
    assert [r["type"] for r in state["resources"]] == ["aws_s3_bucket"]
    assert not (stack / "terraform.tfstate").exists(), "no local state beside it"
    s3.head_bucket(Bucket="team-s3-state-data")
    # The bundle carries stackyard's protection: a renamed bucket, or a destroy, stops at plan, nothing touched.
    for refused in (["plan", "-input=false", "-var=bucket_name=team-renamed-data"], ["destroy", "-auto-approve"]):
        result = terraform.run(*refused, check=False)
        assert result.returncode != 0 and "Instance cannot be destroyed" in result.stderr, result.stderr[-800:]
        s3.head_bucket(Bucket="team-s3-state-data")
    # The bundle README's teardown: the prevent_destroy lines deleted in a reviewed change.
    main = stack / "main.tf"
    unprotected, removed = re.subn(r"(?m)^\s*prevent_destroy\s*=\s*true\n", "", main.read_text())
    assert removed == 3, "the store bucket, the store user and its access key"
    main.write_text(unprotected)
    terraform.run("destroy", "-auto-approve", "-input=false")
    assert "team-s3-state-data" not in [b["Name"] for b in s3.list_buckets()["Buckets"]]
    assert (
        json.loads(s3.get_object(Bucket="team-terraform-state", Key="stackyard/data.tfstate")["Body"].read())[
            "resources"
        ]
        == []
    ), "destroy went through the same state"
