"""End to end against emulators: real Terraform and AWS provider, real moto_server and LocalStack processes, the
pinned cdktf and cdktn CLIs.

Six scenarios run side by side, each on an emulator of its own and in a folder of its own (`--scenario` picks):
- day-one-and-two: the README's `stackyard deploy` -> verify (all pass) -> plan again (no changes) -> day two (every
  harmful edit refused, the allowance lets one through) -> break three things (each check fails) -> destroy refused
  while the store holds data -> destroy (nothing left);
- handoff-bundle: the first deployment's bundle applied by plain Terraform with a team's .tfvars (no Python);
- customer-queue: the customer-installed queue's workers stack, its secret given a value by the first-boot step;
- cdk-terrain: the same deploy, verify and destroy with `npx cdktn`;
- adoption: an estate made the seeds' console way, adopted and imported by `cdktf deploy` (nothing destroyed), a
  clean plan, then `stackyard destroy` keeps what was adopted;
- localstack: LocalStack 4.7 as a Python process, with `tls_only` on: deploy, verify, plan, break, destroy.
Prints each step as it ends and `e2e: N passed, M failed`; exits 1 on any failure; stops every process it started,
also on failure. `make e2e` (part of `make test`) runs all; `--emulator moto|localstack` the scenarios of one.
"""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

from stackyard.config.adoption import load_adoption
from tests.e2e.day_two import DayTwo
from tests.support import console_estate, readme
from tests.support.aws import emulator_client
from tests.support.customer_queue import CUSTOMER_QUEUE, run_password_step
from tests.support.engines import CDKTN_APP, cdktn_environment
from tests.support.processes import localstack_server, moto_server, redis_server, self_signed_certificate
from tests.support.provider_pool import attach, provider_pool
from tests.support.terraform import EMULATOR_DRIFT, LOCALSTACK_DRIFT, cli_config, drift_beyond_emulator

REPO_ROOT = Path(__file__).resolve().parents[2]
STACKYARD = [sys.executable, "-m", "stackyard.cli"]
REGION = "eu-west-1"
REDIS_PASSWORD = "e2e-queue-password"
EMULATOR_RECIPE = "### Into an emulator (moto, LocalStack)"
ADOPT_RECIPE = "### Adopt: put it under Terraform without recreating anything"
ENGINES_RECIPE = "### Switch to CDK Terrain"
MOTO_ASSOCIATION_RACE = "IncorrectState: There is an existing association"
EMULATOR_ENV = {
    **os.environ,
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": REGION,
}
# AWS provider processes that the scenarios' Terraform commands attach to, one command each at a time
# (tests/support/provider_pool.py): at most this many commands run at once, and each costs ~1/4 less CPU.
PROVIDERS = 4
# Limits for one command: generous, since the scenarios share the machine's cores (a deploy takes ~3 min alone).
COMMAND_TIMEOUT = 1800
VERIFY_TIMEOUT = 300


class E2E:
    def __init__(self, workdir: Path, endpoint: str, emulator: str = "moto", label: str = ""):
        self.workdir = workdir
        self.label = label
        self.endpoint = endpoint
        self.emulator = emulator
        self.results: list[tuple[str, bool, str]] = []
        self.env = {
            **EMULATOR_ENV,
            "TF_CLI_CONFIG_FILE": str(cli_config(workdir / "terraform")),
            "CHECKPOINT_DISABLE": "1",
            "CI": "1",
            "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
        }
        self.outdir = workdir / "cdktf.out"
        self.adopted_outdir = workdir / "cdktf-adopted.out"
        self.outputs_file = workdir / "outputs.json"
        self.config_file = workdir / "e2e.yaml"
        self.added_by_cdktf: list[int] = []  # resources per stack the first deploy added (cdktf)
        self.estate: console_estate.Estate | None = None
        self.attaching: Path | None = None
        """The pool's `terraform` (provider_pool) for commands after a plain `terraform init`; None: all plain."""
        self.adopted_config: Path | None = None

    # --- bookkeeping --------------------------------------------------------------------------------------

    def step(self, name: str, action: Callable[[], str]) -> bool:
        started = time.monotonic()
        try:
            detail = action() or ""
            ok = True
        except Exception as error:  # every step reports, the run goes on to clean up
            detail = f"{type(error).__name__}: {error}"
            if not isinstance(error, AssertionError):
                detail += "\n" + traceback.format_exc(limit=3)
            ok = False
        elapsed = time.monotonic() - started
        named = f"{self.label}: {name}" if self.label else name
        self.results.append((named, ok, detail))
        print(f"[{'PASS' if ok else 'FAIL'}] {named} ({elapsed:.1f} s) {detail}", flush=True)
        return ok

    def run(self, command: list[str], cwd: Path = REPO_ROOT, env: dict | None = None, timeout: float = COMMAND_TIMEOUT):
        return subprocess.run(command, cwd=cwd, env=env or self.env, capture_output=True, text=True, timeout=timeout)

    def client(self, service: str):
        return emulator_client(service, self.endpoint, REGION)

    # --- steps --------------------------------------------------------------------------------------------

    def readme(self, command: str) -> str:
        """A command of the README's emulator recipe, on this run's endpoint and files."""
        for theirs, ours in (
            ("http://127.0.0.1:5000", self.endpoint),
            ("emulator.yaml", str(self.config_file)),
            ("outputs.json", str(self.outputs_file)),
        ):
            command = command.replace(theirs, ours)
        return command

    def bash(
        self, script: str, timeout: float = COMMAND_TIMEOUT, env: dict | None = None
    ) -> subprocess.CompletedProcess[str]:
        return self.run(["bash", "-euo", "pipefail", "-c", script], env=env, timeout=timeout)

    def write_config(self) -> str:
        """The README's `config example --endpoint-url` (an image moto has, what moto cannot emulate off), with
        this scenario's own state folder (the scenarios run side by side); otherwise as written."""
        made = self.bash(self.readme(readme.command_with(EMULATOR_RECIPE, "config example --endpoint-url")))
        assert made.returncode == 0, _tail(made)
        config = yaml.safe_load(self.config_file.read_text())
        if self.emulator == "moto":
            assert config["data_store"]["tls_only"] is False, "moto applies the policy's Deny to TLS requests too"
        else:
            assert config["data_store"]["tls_only"] is True, f"{self.emulator} can keep the TLS-only policy"
        assert config["data_store"].get("force_destroy") is False, "the default: destroy must work without it"
        config["backend"]["path"] = str(self.workdir / "state" / "terraform.{stack}.tfstate")
        self.config_file.write_text(yaml.safe_dump(config))
        self.env["STACKYARD_CONFIG"] = str(self.config_file)
        return f"image {config['queue']['ami_id']}"

    def deploy(self) -> str:
        """The README's export and `stackyard deploy` lines: every stack planned, applied, the outputs of all three
        written (mode 0600), verify run; then the stacks synthesized as `cdktf synth` would (for the plain
        Terraform steps that follow)."""
        export = self.readme(readme.command_with(EMULATOR_RECIPE, "export AWS_ACCESS_KEY_ID"))
        deploy = self.readme(readme.command_with(EMULATOR_RECIPE, "stackyard deploy"))
        result = self.bash(f"{export}\n{deploy}")
        assert result.returncode == 0, _tail(result)
        outputs = json.loads(self.outputs_file.read_text())
        assert set(outputs) == {"data", "workers", "cluster"}, sorted(outputs)
        assert self.outputs_file.stat().st_mode & 0o777 == 0o600, oct(self.outputs_file.stat().st_mode)
        # the deploy log (what CI keeps) shows the secret output as <sensitive>, never its value
        secret = outputs["data"]["secret_access_key"]
        assert len(secret) >= 20 and secret not in result.stdout + result.stderr, "the secret is in the deploy log"
        assert re.search(r"verify: \d+ passed, 0 failed, 0 errors", result.stdout), _tail(result)
        assert_private_state(self.workdir / "state")
        self.added_by_cdktf = _added(result.stdout)
        self.synthesize(self.outdir, self.config_file)
        return (
            f"stacks {sorted(outputs)}, outputs and state 0600; secret not in the deploy log; {_applied(result.stdout)}"
        )

    def synthesize(self, outdir: Path, config_file: Path) -> None:
        """`python main.py` (what `cdktf synth` runs) into ``outdir``, each stack initialized for plain Terraform."""
        env = {**self.env, "CDKTF_OUTDIR": str(outdir), "STACKYARD_CONFIG": str(config_file)}
        made = self.run([sys.executable, "main.py"], env=env)
        assert made.returncode == 0, _tail(made)
        for stack in ("data", "workers", "cluster"):
            initialized = self.run(["terraform", "init", "-input=false", "-no-color"], outdir / "stacks" / stack)
            assert initialized.returncode == 0, _tail(initialized)

    def secret_by_the_readmes_command(self) -> str:
        """The README's way to read the secret prints the one in the outputs file."""
        command = readme.inline_command("terraform -chdir=cdktf.out/stacks/data output")
        result = self.bash(command.replace("cdktf.out", str(self.outdir)))
        assert result.returncode == 0, _tail(result)
        secret = json.loads(self.outputs_file.read_text())["data"]["secret_access_key"]
        assert result.stdout == secret, "the README's command printed something else"
        return f"`{command}` prints the secret"

    def adopt_a_console_estate(self) -> str:
        """The README's "Bring an existing setup": an estate made the seeds' console way (and a flambé cluster) in
        the scenario's own moto, `stackyard adopt`, then `cdktf deploy '*'` imports it: every import block applied,
        nothing destroyed, no second VPC or access key."""
        estate = console_estate.build(self.endpoint, REGION)
        config = yaml.safe_load(self.config_file.read_text())
        config["backend"]["path"] = str(self.workdir / "adopted-state" / "terraform.{stack}.tfstate")
        adopted_config = self.workdir / "stackyard.yaml"
        adopted_config.write_text(yaml.safe_dump(config))
        adopt = readme.command_with(ADOPT_RECIPE, "stackyard adopt").replace("stackyard.yaml", str(adopted_config))
        adopted = self.bash(adopt)
        assert adopted.returncode == 0, _tail(adopted)
        imports = sum(len(stack.imports()) for stack in load_adoption(adopted_config).stacks.values())
        deploy = readme.command_with(ADOPT_RECIPE, "cdktf deploy").split(" #")[0].strip()
        deploy = deploy.replace("stackyard.yaml", str(adopted_config))
        flags = f"--auto-approve --skip-provider-lock --output {self.adopted_outdir}"  # as the emulator recipe's
        result = self.bash(f"{deploy} {flags}")
        output, retried = result.stdout, ""
        if result.returncode != 0 and MOTO_ASSOCIATION_RACE in result.stdout + result.stderr:
            # Seen once in ~6 runs: moto answers a flambé node's first AssociateIamInstanceProfile "existing
            # association" while three nodes are updated at once. The same deploy again finishes it (what a user
            # would do); imports already applied are in state and not counted twice.
            result = self.bash(f"{deploy} {flags}")
            output, retried = output + result.stdout, f"; retried once after moto's {MOTO_ASSOCIATION_RACE!r}"
        assert result.returncode == 0, _tail(result)
        counts = re.findall(r"Resources: (\d+) imported, \d+ added, \d+ changed, (\d+) destroyed", output)
        assert sum(int(imported) for imported, _ in counts) == imports, counts
        assert {destroyed for _, destroyed in counts} == {"0"}, counts
        vpcs = self.client("ec2").describe_vpcs(Filters=[{"Name": "tag:Name", "Values": ["valohai-vpc"]}])["Vpcs"]
        assert [vpc["VpcId"] for vpc in vpcs] == [estate.ids["vpc"]], "a second valohai-vpc"
        keys = self.client("iam").list_access_keys(UserName=console_estate.USER)["AccessKeyMetadata"]
        assert [key["AccessKeyId"] for key in keys] == [estate.ids["access_key_id"]], "a second access key"
        self.estate, self.adopted_config = estate, adopted_config
        return f"{imports} resources imported by cdktf deploy, 0 destroyed; {_applied(result.stdout)}{retried}"

    def destroy_keeps_the_adopted_estate(self) -> str:
        """`stackyard destroy` after the adoption: every adopted resource stays as it was (the store bucket with
        its public-access block, the user with the access key the adoption file calls existing, the VPC, the queue
        and the cluster's nodes); what stackyard added (the access-log bucket, the flow-log group) is gone."""
        assert self.estate is not None and self.adopted_config is not None, "the adopt step runs first"
        destroy = [*STACKYARD, "destroy", "--auto-approve", "--config", str(self.adopted_config)]
        result = self.run(destroy, env={k: v for k, v in self.env.items() if k != "STACKYARD_CONFIG"})
        assert result.returncode == 0, _tail(result)
        assert "left in place (adopted)" in result.stdout, _tail(result)
        s3, iam, ec2 = self.client("s3"), self.client("iam"), self.client("ec2")
        blocks = s3.get_public_access_block(Bucket=console_estate.BUCKET)["PublicAccessBlockConfiguration"]
        assert all(blocks.values()), blocks
        keys = iam.list_access_keys(UserName=console_estate.USER)["AccessKeyMetadata"]
        assert [key["AccessKeyId"] for key in keys] == [self.estate.ids["access_key_id"]], keys
        assert ec2.describe_vpcs(VpcIds=[self.estate.ids["vpc"]])["Vpcs"]
        nodes = list(self.estate.ids["cluster"].values())
        running = [
            i["InstanceId"]
            for r in ec2.describe_instances(InstanceIds=nodes)["Reservations"]
            for i in r["Instances"]
            if i["State"]["Name"] == "running"
        ]
        assert sorted(running) == sorted(nodes), running
        buckets = [bucket["Name"] for bucket in s3.list_buckets()["Buckets"]]
        assert buckets == [console_estate.BUCKET], f"stackyard's access-log bucket is left: {buckets}"
        groups = self.client("logs").describe_log_groups(logGroupNamePrefix="/stackyard/")["logGroups"]
        assert groups == [], groups
        return f"{_applied(result.stdout)}; the adopted bucket, user and key, VPC and {len(nodes)} nodes kept"

    def cdk_terrain_round_trip(self, redis_arguments: list[str]) -> str:
        """README "Switch to CDK Terrain": the emulator recipe's deploy and destroy lines with `npx cdktn` (cdktn-cli
        on Node 22, the app from .venv-cdktn) after the README's `export STACKYARD_ENGINE=cdktn`: as many resources
        per stack as cdktf's deploy made, verify passes, destroy (then `nothing left` checks the emulator)."""
        config = yaml.safe_load(self.config_file.read_text())
        config["backend"]["path"] = str(self.workdir / "cdktn-state" / "terraform.{stack}.tfstate")
        config_file, outputs_file = self.workdir / "cdktn.yaml", self.workdir / "cdktn-outputs.json"
        config_file.write_text(yaml.safe_dump(config))

        def recipe(word: str) -> str:
            line = self.readme(readme.command_with(EMULATOR_RECIPE, word)).replace("npx cdktf", "npx cdktn")
            line = line.replace(str(self.config_file), str(config_file))
            return line.replace(str(self.outputs_file), str(outputs_file))

        switch = readme.command_with(ENGINES_RECIPE, "export STACKYARD_ENGINE")
        cli = f"--app '{CDKTN_APP}' --output {self.workdir / 'cdktn.out'}"
        prelude = f"{recipe('export AWS_ACCESS_KEY_ID')}\n{switch}\n"
        environment = cdktn_environment(self.env)
        deployed = self.bash(f"{prelude}{recipe('npx cdktf deploy')} {cli}", env=environment)
        assert deployed.returncode == 0, _tail(deployed)
        assert "stackyard: engine cdktn 0.23.4" in deployed.stdout + deployed.stderr, _tail(deployed)
        assert _added(deployed.stdout) == self.added_by_cdktf, (_added(deployed.stdout), self.added_by_cdktf)
        assert_private_state(self.workdir / "cdktn-state")  # written by the CLI's Terraform, not stackyard's
        verified = self.verify_healthy(redis_arguments, outputs_file=outputs_file, config_file=config_file)
        refused = self.bash(f"{prelude}{recipe('npx cdktf destroy')} {cli}", env=environment)
        assert refused.returncode != 0 and "Instance cannot be destroyed" in refused.stdout + refused.stderr, _tail(
            refused
        )
        # The README's teardown switch for the engine's CLI.
        config_file.write_text(yaml.safe_dump({**config, "protection": {"teardown": True}}))
        destroyed = self.bash(f"{prelude}{recipe('npx cdktf destroy')} {cli}", env=environment)
        assert destroyed.returncode == 0, _tail(destroyed)
        return f"{_applied(deployed.stdout)}; verify: {verified[:60]}; {_applied(destroyed.stdout)}"

    def customer_installed_queue(self) -> str:
        """queue.installed_by customer: `cdktf deploy workers` makes the password's secret, its policy and the queue's
        role; the queue's first-boot password step (bash and the AWS CLI, as on the instance) stores a password;
        `verify --only queue-secret` passes; the password is in no log, state or stack; destroy removes it all."""
        config = yaml.safe_load(self.config_file.read_text())
        config["queue"].update(CUSTOMER_QUEUE, password_recovery_days=0)  # deleted at once: the adopt step follows
        state_dir = self.workdir / "customer-state"
        config["backend"]["path"] = str(state_dir / "terraform.{stack}.tfstate")
        config_file, outputs_file = self.workdir / "customer.yaml", self.workdir / "customer-outputs.json"
        config_file.write_text(yaml.safe_dump(config))
        env = {**self.env, "STACKYARD_CONFIG": str(config_file)}
        flags = f"--auto-approve --skip-provider-lock --output {self.workdir / 'cdktf-customer.out'}"
        deploy = self.run(
            ["npx", "cdktf", "deploy", "workers", *flags.split(), "--outputs-file", str(outputs_file)], env=env
        )
        assert deploy.returncode == 0, _tail(deploy)
        secret_name = json.loads(outputs_file.read_text())["workers"]["queue_password_secret_name"]

        stored = run_password_step(self.endpoint, secret_name)  # by name, as the instance's first boot reads it
        assert stored.returncode == 0, _tail(stored)
        password = stored.stdout.strip()
        verified = self.run_verify(outputs_file, config_file, "--only", "queue-secret")
        (check,) = [c for c in json.loads(verified.stdout)["checks"] if c["id"] == "queue-secret"]
        assert verified.returncode == 0 and check["status"] == "PASS", check
        places = {
            "deploy log": deploy.stdout + deploy.stderr,
            "state": (state_dir / "terraform.workers.tfstate").read_text(),
            "synthesized stack": (
                self.workdir / "cdktf-customer.out" / "stacks" / "workers" / "cdk.tf.json"
            ).read_text(),
            "verify report": verified.stdout + verified.stderr,
        }
        assert not [place for place, text in places.items() if password in text], "the password leaked"

        destroy = self.run(
            [*STACKYARD, "destroy", "--stack", "workers", "--auto-approve", "--config", str(config_file)], env=env
        )
        assert destroy.returncode == 0, _tail(destroy)
        assert self.client("secretsmanager").list_secrets()["SecretList"] == [], "the secret is left"
        return f"queue-secret PASS ({check['detail'][:90]}); password in none of {', '.join(places)}"

    def logs_in_the_log_bucket(self) -> str:
        """What S3 does all the time on real AWS: log objects in the log bucket, and their versions."""
        bucket = json.loads(self.outputs_file.read_text())["data"]["access_log_bucket"]
        s3 = self.client("s3")
        keys = ("s3-access-logs/2026-11-22-00-00-00-A", "s3-access-logs/2026-11-22-00-00-00-A", "s3-access-logs/B")
        for key in keys:
            s3.put_object(Bucket=bucket, Key=key, Body=b"log record\n")
        versions = s3.list_object_versions(Bucket=bucket).get("Versions", [])
        ours = [version for version in versions if version["Key"] in keys]
        assert len(ours) == 3, ours
        return f"{len(versions)} object versions in {bucket}, {len(ours)} of them written here"

    def run_verify(self, outputs_file: Path, config_file: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
        """`stackyard verify --format json` of those outputs and config (whose aws.endpoint_url names the emulator)."""
        env = {**self.env, "E2E_REDIS_PASSWORD": REDIS_PASSWORD, "STACKYARD_CONFIG": str(config_file)}
        command = [
            sys.executable, "-m", "stackyard.cli", "verify", "--outputs", str(outputs_file),
            "--config", str(config_file), "--format", "json", *arguments,
        ]  # fmt: skip
        return self.run(command, env=env, timeout=VERIFY_TIMEOUT)

    def verify(self, *arguments: str, outputs_file: Path | None = None, config_file: Path | None = None):
        outputs_file, config_file = outputs_file or self.outputs_file, config_file or self.config_file
        result = self.run_verify(
            outputs_file, config_file, "--skip", "cluster-ssh", "--skip", "cluster-key-file", *arguments
        )
        assert result.returncode in (0, 1), _tail(result)
        return {check["id"]: check for check in json.loads(result.stdout)["checks"]}

    def verify_healthy(self, redis_arguments: list[str], **files: Path) -> str:
        checks = self.verify(*redis_arguments, **files)
        # Not run: SSH (fake instances), the example's .pem (not on this machine), the password secret (the queue
        # is installed by the platform) and, on moto (tls_only off), the TLS-only policy.
        not_run = {
            "cluster-ssh",
            "cluster-key-file",
            "queue-secret",
            *(["store-tls-only"] if self.emulator == "moto" else []),
        }
        not_passed = {i: c["detail"] for i, c in checks.items() if c["status"] != "PASS" and i not in not_run}
        assert not not_passed, not_passed
        assert {checks[i]["status"] for i in not_run} == {"SKIP"}
        assert checks["cluster-ssh"]["detail"] == checks["cluster-key-file"]["detail"] == "skipped by --skip"
        notes = [f"{detail[:100]}" for i, c in checks.items() if "locally" in (detail := c["detail"])]
        return f"{len(checks) - len(not_run)} checks PASS, SKIP: {', '.join(sorted(not_run))}; " + "; ".join(notes)

    def plan_shows_no_changes(self, outdir: Path | None = None) -> str:
        drift: list[str] = []
        for stack in ("data", "workers", "cluster"):
            stack_dir = (outdir or self.outdir) / "stacks" / stack
            plan = self.run(
                ["terraform", "plan", "-input=false", "-lock=false", "-out=e2e.tfplan", "-no-color"], stack_dir
            )
            assert plan.returncode == 0, _tail(plan)
            shown = json.loads(self.run(["terraform", "show", "-json", "e2e.tfplan"], stack_dir).stdout)
            known = LOCALSTACK_DRIFT if self.emulator == "localstack" else EMULATOR_DRIFT
            drift += [f"{stack}: {line}" for line in drift_beyond_emulator(shown, known)]
        assert not drift, drift
        return "no changes beyond the emulator's known misreports"

    def break_and_detect(self) -> str:
        outputs = json.loads(self.outputs_file.read_text())
        iam, ec2, s3 = self.client("iam"), self.client("ec2"), self.client("s3")
        # 1. The worker policy loses SetInstanceProtection.
        arn = next(
            p["Arn"] for p in iam.list_policies(Scope="Local")["Policies"] if p["PolicyName"] == "ValohaiWorkerPolicy"
        )
        document = {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "ec2:DescribeInstances", "Resource": "*"}],
        }
        if self.emulator == "localstack":
            # LocalStack's policy simulator still answers "allowed" after a new default version without the
            # action; detaching the policy is a breakage it does see.
            iam.detach_role_policy(RoleName="ValohaiWorkerRole", PolicyArn=arn)
        else:
            iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(document), SetAsDefault=True)
        # 2. The queue loses the app's Redis rule.
        ec2.revoke_security_group_ingress(
            GroupId=outputs["workers"]["queue_security_group_id"],
            IpPermissions=[
                {"IpProtocol": "tcp", "FromPort": 63790, "ToPort": 63790, "IpRanges": [{"CidrIp": "34.248.245.191/32"}]}
            ],
        )
        # 3. The bucket loses its public-access block.
        s3.delete_public_access_block(Bucket=outputs["data"]["bucket_name"])
        checks = self.verify(
            "--only", "worker-instance-protection", "--only", "queue-security-group", "--only", "store-private"
        )
        statuses = {check_id: check["status"] for check_id, check in checks.items()}
        assert statuses == dict.fromkeys(statuses, "FAIL") and len(statuses) == 3, statuses
        return "; ".join(f"{check_id}: {check['detail'][:70]}" for check_id, check in checks.items())

    def destroy(self) -> str:
        """The README's `stackyard destroy` line, with the default config: the log bucket holds logs, the store is
        empty (the day-two step before it was refused while the store held an object)."""
        export = self.readme(readme.command_with(EMULATOR_RECIPE, "export AWS_ACCESS_KEY_ID"))
        destroy = self.readme(readme.command_with(EMULATOR_RECIPE, "stackyard destroy"))
        result = self.bash(f"{export}\n{destroy}")
        assert result.returncode == 0, _tail(result)
        return _applied(result.stdout)

    def nothing_left(self) -> str:
        iam, ec2, s3 = self.client("iam"), self.client("ec2"), self.client("s3")
        left = {
            "buckets": [b["Name"] for b in s3.list_buckets()["Buckets"]],
            "users": [u["UserName"] for u in iam.list_users()["Users"]],
            "roles": [
                r["RoleName"] for r in iam.list_roles()["Roles"] if not r["Path"].startswith("/aws-service-role/")
            ],
            "policies": [p["PolicyName"] for p in iam.list_policies(Scope="Local")["Policies"]],
            "instance profiles": [p["InstanceProfileName"] for p in iam.list_instance_profiles()["InstanceProfiles"]],
            "instances": [
                i["InstanceId"]
                for r in ec2.describe_instances()["Reservations"]
                for i in r["Instances"]
                if i["State"]["Name"] != "terminated"
            ],
            "vpcs": [v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"] if not v.get("IsDefault")],
            "elastic ips": [a["PublicIp"] for a in ec2.describe_addresses()["Addresses"]],
            "key pairs": [k["KeyName"] for k in ec2.describe_key_pairs()["KeyPairs"]],
            # LocalStack 4.7 cannot parse the CloudWatch protocol of this botocore (HTTP 500); the provider's works.
            "alarms": []
            if self.emulator == "localstack"
            else [a["AlarmName"] for a in self.client("cloudwatch").describe_alarms()["MetricAlarms"]],
            "secrets": [s["Name"] for s in self.client("secretsmanager").list_secrets()["SecretList"]],
        }
        remaining = {kind: names for kind, names in left.items() if names}
        assert not remaining, remaining
        unchecked = " (alarms not listable on LocalStack)" if self.emulator == "localstack" else ""
        return f"checked {len(left)} kinds of resource: none left{unchecked}"

    def bundle_with_plain_terraform(self) -> str:
        bundle = self.workdir / "bundle"
        made = self.run(
            [
                sys.executable,
                "-m",
                "stackyard.cli",
                "handoff",
                "bundle",
                "--out",
                str(bundle),
                "--outputs",
                str(self.outputs_file),
                "--keep-endpoint",  # its providers talk to this scenario's moto, as the README's emulator recipe
            ]
        )
        assert made.returncode == 0, _tail(made)
        secret = json.loads(self.outputs_file.read_text())["data"]["secret_access_key"]
        leaked = [str(p) for p in bundle.rglob("*") if p.is_file() and secret in p.read_text(errors="ignore")]
        assert not leaked, f"the secret is in {leaked}"
        files = sum(1 for p in bundle.rglob("*") if p.is_file())
        return f"bundle of {files} files, no secret; {self.apply_the_bundle_as_a_team(bundle)}"

    def apply_the_bundle_as_a_team(self, bundle: Path) -> str:
        """The bundle README's way, no Python: each stack's HCL with a terraform.tfvars made from the example and
        the team's own bucket name and VPC range, the cluster given the workers' subnet from their outputs; what
        exists afterwards is exactly those values; destroyed in reverse (`nothing left` follows). `terraform init`
        installs the provider from the mirror as on a team's machine; the commands after it attach a provider of
        the run's pool (the same binary, started once)."""
        team = {"bucket_name": "team-owned-ml-data", "vpc_cidr": "10.42.0.0/16"}
        subnets = [str(net) for net in ipaddress.ip_network(team["vpc_cidr"]).subnets(new_prefix=20)]
        plain_env = {k: v for k, v in self.env.items() if k != "STACKYARD_CONFIG"}
        attached_env = attach(plain_env, self.attaching)
        folders = {stack: bundle / "stacks" / stack / "hcl" for stack in ("data", "workers", "cluster")}

        def terraform(stack: str, *command: str) -> subprocess.CompletedProcess[str]:
            env = plain_env if command[0] == "init" else attached_env
            result = self.run(["terraform", *command, "-no-color"], folders[stack], env=env)
            assert result.returncode == 0, f"{stack}: terraform {command[0]}: {_tail(result)}"
            return result

        def apply(stack: str, values: dict) -> None:
            tfvars = (folders[stack] / "terraform.tfvars.example").read_text()
            for name, value in values.items():
                tfvars, found = re.subn(rf"(?m)^{name}\s*=.*$", f"{name} = {json.dumps(value)}", tfvars)
                assert found == 1, f"{stack}: {name} is not in terraform.tfvars.example"
            (folders[stack] / "terraform.tfvars").write_text(tfvars)
            terraform(stack, "init", "-input=false")
            terraform(stack, "plan", "-input=false", "-out=plan.tfplan")
            terraform(stack, "apply", "-input=false", "plan.tfplan")

        apply("data", {"bucket_name": team["bucket_name"], "access_log_bucket_name": f"{team['bucket_name']}-logs"})
        apply("workers", {"vpc_cidr": team["vpc_cidr"], "subnet_cidrs": subnets[:4]})
        workers = json.loads(terraform("workers", "output", "-json").stdout)
        subnet_id = workers["subnet_ids"]["value"][0]
        apply("cluster", {"bucket_name": team["bucket_name"], "subnet_id": subnet_id})

        ec2 = self.client("ec2")
        self.client("s3").head_bucket(Bucket=team["bucket_name"])
        (vpc,) = ec2.describe_vpcs(VpcIds=[workers["vpc_id"]["value"]])["Vpcs"]
        assert vpc["CidrBlock"] == team["vpc_cidr"], vpc["CidrBlock"]
        made = ec2.describe_subnets(SubnetIds=workers["subnet_ids"]["value"])["Subnets"]
        assert sorted(subnet["CidrBlock"] for subnet in made) == sorted(subnets[:4])
        reservations = ec2.describe_instances(Filters=[{"Name": "tag:Purpose", "Values": ["flambe"]}])
        nodes = [i for r in reservations["Reservations"] for i in r["Instances"] if i["State"]["Name"] == "running"]
        assert nodes and {node["SubnetId"] for node in nodes} == {subnet_id}, "the cluster is in the given subnet"
        for stack in ("cluster", "workers", "data"):  # the bundle README's teardown: prevent_destroy lines deleted
            main = folders[stack] / "main.tf"
            main.write_text(re.sub(r"(?m)^\s*prevent_destroy\s*=\s*true\n", "", main.read_text()))
            terraform(stack, "destroy", "-auto-approve", "-input=false")
        return (
            f"data, workers, cluster applied by plain terraform with the team's .tfvars: bucket {team['bucket_name']},"
            f" VPC {team['vpc_cidr']} with {len(made)} subnets, {len(nodes)} cluster nodes in {subnet_id}; destroyed"
        )


def assert_private_state(folder: Path) -> None:
    """State holds the store user's secret key: every file in ``folder`` is readable by its owner only."""
    states = sorted(folder.iterdir())
    readable = [f"{path.name} {path.stat().st_mode & 0o777:o}" for path in states if path.stat().st_mode & 0o077]
    assert states and not readable, f"state files others can read: {readable}"


def _added(stdout: str) -> list[int]:
    """Resources added per stack, in the order the stacks applied."""
    return sorted(int(added) for added in re.findall(r"Apply complete! Resources: (\d+) added", stdout))


def _applied(stdout: str) -> str:
    return "; ".join(line.strip() for line in stdout.splitlines() if "complete!" in line) or "done"


def _tail(result: subprocess.CompletedProcess[str]) -> str:
    return (result.stdout[-1500:] + result.stderr[-1500:]).strip()


class Scenario:
    """One line of steps on an emulator of its own (moto_server or LocalStack) in a folder of its own; the
    scenarios of a run go side by side, each printing its steps as they end."""

    def __init__(
        self, name: str, emulator: str, steps: Callable[[E2E, list[str], Shared], None], attached: bool = True
    ):
        self.name, self.emulator, self.steps = name, emulator, steps
        self.attached = attached
        """Its Terraform commands attach a provider of the run's pool; else `terraform init` installs the provider
        as on a team's machine (and only the steps that say so attach, after it)."""

    def run(self, root: Path, redis_arguments: list[str], shared: Shared) -> list[tuple[str, bool, str]]:
        workdir = root / self.name
        workdir.mkdir()
        with contextlib.ExitStack() as stack:
            endpoint = stack.enter_context(moto_server() if self.emulator == "moto" else localstack_server(workdir))
            e2e = E2E(workdir, endpoint, self.emulator, label=self.name)
            if self.attached:
                e2e.env = attach(e2e.env, shared.attaching)
            try:
                self.steps(e2e, redis_arguments, shared)
            finally:
                shared.done(self.name)
        return e2e.results


class Shared:
    """What one scenario waits for from another: the first deployment's outputs and per-stack resource counts."""

    def __init__(self) -> None:
        self.deployed = threading.Event()
        self.first: E2E | None = None
        self.attaching: Path | None = None
        """The folder of the `terraform` that attaches a provider of the pool."""

    def done(self, name: str) -> None:
        if name == DAY_ONE:
            self.deployed.set()  # also when it failed before deploying: nobody waits forever

    def first_deployment(self) -> E2E:
        self.deployed.wait()
        assert self.first is not None, f"the {DAY_ONE} scenario did not deploy"
        return self.first


def day_one_and_two(e2e: E2E, redis_arguments: list[str], shared: Shared) -> None:
    if not (e2e.step("config for the emulator", e2e.write_config) and e2e.step("stackyard deploy", e2e.deploy)):
        return
    shared.first = e2e
    shared.deployed.set()
    day_two = DayTwo(e2e)
    e2e.step("the README's command reads the secret", e2e.secret_by_the_readmes_command)
    e2e.step("stackyard verify: healthy", lambda: e2e.verify_healthy(redis_arguments))
    e2e.step("second plan: no changes", e2e.plan_shows_no_changes)
    e2e.step("day two: every edit refused by stackyard deploy (three by cdktf deploy too)", day_two.edits_are_refused)
    e2e.step("day two: allow_replace lets the queue be replaced", day_two.allowance_applies)
    e2e.step("three breakages, three FAILs", e2e.break_and_detect)
    e2e.step("log objects in the access-log bucket", e2e.logs_in_the_log_bucket)
    e2e.step("stackyard destroy refused while the store holds data", day_two.destroy_refused_with_data)
    e2e.step("stackyard destroy (defaults, logs in the log bucket)", e2e.destroy)
    e2e.step("nothing left in moto", e2e.nothing_left)


def handoff_bundle(e2e: E2E, redis_arguments: list[str], shared: Shared) -> None:
    """The bundle of the first deployment's config and outputs, applied by plain Terraform on a moto of its own."""

    def from_the_first_deployment() -> str:
        first = shared.first_deployment()
        e2e.config_file.write_text(first.config_file.read_text().replace(first.endpoint, e2e.endpoint))
        e2e.outputs_file.write_text(first.outputs_file.read_text())
        e2e.outputs_file.chmod(0o600)
        e2e.env["STACKYARD_CONFIG"] = str(e2e.config_file)
        return f"config and outputs of {DAY_ONE}"

    e2e.attaching = shared.attaching
    if e2e.step("the first deployment's config and outputs", from_the_first_deployment):
        e2e.step("handoff bundle: plain terraform with the team's .tfvars", e2e.bundle_with_plain_terraform)
        e2e.step("nothing left after plain terraform destroy", e2e.nothing_left)


def customer_queue(e2e: E2E, redis_arguments: list[str], shared: Shared) -> None:
    if e2e.step("config for the emulator", e2e.write_config) and e2e.step(
        "customer-installed queue: secret, first boot, queue-secret", e2e.customer_installed_queue
    ):
        e2e.step("nothing left after the customer-installed queue", e2e.nothing_left)


def cdk_terrain(e2e: E2E, redis_arguments: list[str], shared: Shared) -> None:
    def config_and_counts() -> str:
        e2e.added_by_cdktf = shared.first_deployment().added_by_cdktf  # what cdktf's deploy added, per stack
        return e2e.write_config()

    if e2e.step("config for the emulator, cdktf's resource counts", config_and_counts) and e2e.step(
        "CDK Terrain: npx cdktn deploy, verify, destroy", lambda: e2e.cdk_terrain_round_trip(redis_arguments)
    ):
        e2e.step("nothing left after CDK Terrain", e2e.nothing_left)


def adoption(e2e: E2E, redis_arguments: list[str], shared: Shared) -> None:
    if e2e.step("config for the emulator", e2e.write_config) and e2e.step(
        "adopt a console-made estate, cdktf deploy imports it", e2e.adopt_a_console_estate
    ):
        adopted = e2e.adopted_outdir
        e2e.step("second plan after adoption: no changes", lambda: e2e.plan_shows_no_changes(adopted))
        e2e.step("stackyard destroy keeps every adopted resource", e2e.destroy_keeps_the_adopted_estate)


def localstack(e2e: E2E, redis_arguments: list[str], shared: Shared) -> None:
    if e2e.step("config for LocalStack", e2e.write_config) and e2e.step("stackyard deploy", e2e.deploy):
        e2e.step("stackyard verify: healthy", lambda: e2e.verify_healthy(redis_arguments))
        e2e.step("second plan: no changes", e2e.plan_shows_no_changes)
        e2e.step("three breakages, three FAILs", e2e.break_and_detect)
        e2e.step("stackyard destroy", e2e.destroy)
        e2e.step("nothing left in LocalStack", e2e.nothing_left)


DAY_ONE = "day-one-and-two"
SCENARIOS = (
    Scenario(DAY_ONE, "moto", day_one_and_two),
    Scenario("cdk-terrain", "moto", cdk_terrain),
    Scenario("adoption", "moto", adoption),
    Scenario("handoff-bundle", "moto", handoff_bundle, attached=False),
    Scenario("customer-queue", "moto", customer_queue),
    Scenario("localstack", "localstack", localstack),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--emulator", choices=("moto", "localstack", "all"), default="all")
    parser.add_argument("--scenario", action="append", choices=[s.name for s in SCENARIOS], help="only these")
    arguments = parser.parse_args()
    chosen = [
        scenario
        for scenario in SCENARIOS
        if arguments.emulator in ("all", scenario.emulator)
        and (not arguments.scenario or scenario.name in arguments.scenario)
    ]
    started = time.monotonic()
    shared = Shared()
    results: list[tuple[str, bool, str]] = []
    with contextlib.ExitStack() as stack:
        root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="stackyard-e2e-")))
        tls = self_signed_certificate(root)
        redis = stack.enter_context(redis_server(tls, REDIS_PASSWORD, root))
        redis_arguments = [
            "--queue-address", redis.address,
            "--queue-ca-file", str(tls.cert),
            "--redis-password-env", "E2E_REDIS_PASSWORD",
        ]  # fmt: skip
        if any(scenario.attached for scenario in chosen):
            shared.attaching = stack.enter_context(provider_pool(root / "providers", PROVIDERS, EMULATOR_ENV))
        if DAY_ONE not in [scenario.name for scenario in chosen]:
            shared.deployed.set()  # the scenarios that need the first deployment say so in their first step
        with ThreadPoolExecutor(max_workers=len(chosen)) as pool:
            runs = {scenario.name: pool.submit(scenario.run, root, redis_arguments, shared) for scenario in chosen}
            for name, run in runs.items():
                try:
                    results += run.result()
                except Exception as error:  # the emulator did not start: the scenario fails as one step
                    results.append((f"{name}: start", False, f"{type(error).__name__}: {error}"))
                    print(f"[FAIL] {name}: start {type(error).__name__}: {error}", flush=True)
    passed = sum(1 for _, ok, _ in results if ok)
    failed = len(results) - passed
    names = ", ".join(scenario.name for scenario in chosen)
    print(f"e2e ({names}) took {time.monotonic() - started:.0f} s")
    print(f"e2e: {passed} passed, {failed} failed")
    return 1 if failed or not results else 0


if __name__ == "__main__":
    sys.exit(main())
