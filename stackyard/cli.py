"""The `stackyard` command line."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from stackyard import flambe_import, handoff
from stackyard.config import (
    CONFIG_ENV_VAR,
    ConfigError,
    StackyardConfig,
    config_name,
    default_config_text,
    exit_bad_input,
    load_config,
    load_config_or_exit,
)
from stackyard.config.adoption import adoption_path, load_adoption
from stackyard.outputs import OutputsError, read_outputs
from stackyard.paths import exit_if_same_file, file_problem, folder_problem, writable
from stackyard.stack_names import PlannedStack, planned_stacks

app = typer.Typer(
    help="One YAML config -> the AWS infrastructure ML teams train on, and proof that it works.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
config_app = typer.Typer(help="Write, check and describe stackyard config files.", no_args_is_help=True)
app.add_typer(config_app, name="config")
handoff_app = typer.Typer(help="What to hand to the platform's team after a deploy.", no_args_is_help=True)
app.add_typer(handoff_app, name="handoff")
store_app = typer.Typer(help="Measure the data store (seed 003).", no_args_is_help=True)
app.add_typer(store_app, name="store")


def _option(help: str, *names: str, callback: Callable[..., Any] | None = None) -> typer.models.OptionInfo:
    return typer.Option(*names, help=help, callback=callback)


@config_app.command("example")
def config_example(
    endpoint_url: Annotated[
        str | None, _option("Make it deployable into this emulator (moto, LocalStack): asks it for an image.")
    ] = None,
) -> None:
    """Print the full default config (every feature on, example values marked) as YAML."""
    if endpoint_url is None:
        typer.echo(default_config_text(), nl=False)
        return
    from stackyard import emulator_config

    try:
        config, changes = emulator_config.emulator_config(endpoint_url)
    except emulator_config.EmulatorError as error:
        exit_bad_input(str(error))
    typer.echo(emulator_config.render(config, changes), nl=False)


@config_app.command("check")
def config_check(file: Annotated[Path, typer.Argument(help="Config file to validate.")]) -> None:
    """Validate FILE; exit 0 when it is usable (warning on stderr about example values left in it), 2 with one line
    per bad field when not."""
    from stackyard.config.placeholders import placeholder_warnings

    config = load_config_or_exit(file)
    for warning in placeholder_warnings(config):
        typer.echo(f"warning: {warning}", err=True)
    stacks = planned_stacks(config)
    try:
        adoption = load_adoption(file)
        adoption.check_stacks([stack.name for stack in stacks])
    except ConfigError as error:
        exit_bad_input(error.render())
    imports = sum(len(stack.imports()) for stack in adoption.stacks.values())
    if adoption.stacks:
        typer.echo(f"{adoption_path(file)}: {imports} existing resource(s) to import instead of creating")
    if not config.environments:
        typer.echo(f"{file}: valid stackyard config ({_describe_stacks(config, stacks)})")
        return
    typer.echo(f"{file}: valid stackyard config, {len(config.environments)} environments:")
    for name, environment in config.environment_configs():
        typer.echo(f"  {name}: {_describe_stacks(environment, [s for s in stacks if s.environment == name])}")


@config_app.command("schema")
def config_schema() -> None:
    """Print the config's JSON Schema, for editor completion and checking."""
    typer.echo(json.dumps(StackyardConfig.model_json_schema(), indent=2))


@app.command("verify")
def verify(
    outputs: Annotated[Path, _option("JSON from `cdktf deploy|output --outputs-file` or `terraform output -json`.")],
    config: Annotated[
        Path | None, _option("Config of the deployment (default: $STACKYARD_CONFIG, else built-in).")
    ] = None,
    format: Annotated[
        str, _option("table, json, junit, html (one self-contained page) or sarif (code scanning).")
    ] = "table",
    output_file: Annotated[
        Path | None,
        _option("Write the report here instead of to stdout.", callback=writable("--output-file", file_problem)),
    ] = None,
    only: Annotated[list[str] | None, _option("Run only this check id (repeatable).")] = None,
    skip: Annotated[list[str] | None, _option("Skip this check id (repeatable).")] = None,
    timeout: Annotated[float, _option("Seconds allowed per network operation.")] = 5.0,
    queue_address: Annotated[str | None, _option("Reach Redis at HOST[:PORT] instead of the Elastic IP.")] = None,
    redis_password_env: Annotated[str | None, _option("Environment variable holding the Redis password.")] = None,
    queue_ca_file: Annotated[Path | None, _option("CA bundle that signed the queue's TLS certificate.")] = None,
    no_verify_tls: Annotated[bool, _option("Do not verify the queue's TLS certificate.", "--no-verify-tls")] = False,
    profile: Annotated[str | None, _option("AWS profile (default: the standard credential chain).")] = None,
    environment: Annotated[str | None, _option("Check this environment's stacks (<env>-data, ...).")] = None,
) -> None:
    """Check the deployed infrastructure for real; exit 0 when all pass or skip, 1 on any FAIL/ERROR, 2 on bad input."""
    from stackyard.verify import VerifyOptions, run_verify

    exit_if_same_file(output_file, "--output-file", outputs, "--outputs")
    options = VerifyOptions(
        outputs=outputs,
        config=_config_file(config),
        format=format,
        output_file=output_file,
        only=only or [],
        skip=skip or [],
        timeout=timeout,
        queue_address=queue_address,
        redis_password_env=redis_password_env,
        queue_ca_file=queue_ca_file,
        verify_tls=not no_verify_tls,
        profile=profile,
        environment=environment,
    )
    raise typer.Exit(run_verify(options))


@contextmanager
def _changes(command: str) -> Iterator[None]:
    """How plan, deploy and destroy end when they cannot go on: one line each, exit 2 for what the user can fix
    (the config, a refusal), 1 when Terraform failed, 130 on Ctrl-C."""
    from stackyard.changes.session import ChangeError
    from stackyard.changes.terraform import TerraformError, TerraformMissing
    from stackyard.synthesis import SynthesisError

    try:
        yield
    except ConfigError as error:
        exit_bad_input(error.render())
    except (ChangeError, SynthesisError, TerraformMissing) as error:
        exit_bad_input(f"stackyard {command}: {error}")
    except TerraformError as error:
        typer.echo(f"stackyard {command}: {error}", err=True)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        typer.echo(f"stackyard {command}: interrupted", err=True)
        raise typer.Exit(130) from None


ConfigOption = Annotated[Path | None, _option("Config (default: $STACKYARD_CONFIG, else built-in).")]
EnvironmentOption = Annotated[str | None, _option("Only this environment's stacks (<env>-data, ...).")]
StackOption = Annotated[list[str] | None, _option("Only this stack (repeatable; default: every stack).", "--stack")]
ApproveOption = Annotated[bool, _option("Do not ask before changing anything.", "--auto-approve")]


@app.command("plan")
def plan(
    config: ConfigOption = None,
    environment: EnvironmentOption = None,
    stack: StackOption = None,
) -> None:
    """Say per stack, in words, what a deploy would create, change, replace and delete, which config key causes
    each replacement, and which protected resources it touches. Read-only. Exit 0 when `deploy` may go ahead,
    2 when it would be refused, 1 when Terraform failed."""
    from stackyard.changes.session import Target
    from stackyard.plan import run_plan

    config_file = _config_file(config)
    with _changes("plan"):
        raise typer.Exit(run_plan(Target(load_config(config_file), config_file, environment, stack or [])))


@app.command("deploy")
def deploy(
    config: ConfigOption = None,
    environment: EnvironmentOption = None,
    stack: StackOption = None,
    outputs_file: Annotated[
        Path, _option("Where the outputs of every stack go (mode 0600; holds the store's secret).")
    ] = Path("outputs.json"),
    auto_approve: ApproveOption = False,
    verify: Annotated[bool, _option("Run `stackyard verify` on the deployment afterwards.")] = True,
    skip: Annotated[list[str] | None, _option("verify: skip this check id (repeatable).")] = None,
    profile: Annotated[str | None, _option("verify: AWS profile (default: the standard credential chain).")] = None,
) -> None:
    """Plan, refuse before anything changes when a protected resource would be deleted or replaced (unless the
    config's protection allows it), apply each stack in order, write the outputs of every stack, then verify.
    Exit 0 when applied and verified, 1 when Terraform or a check failed, 2 when refused (nothing changed)."""
    from stackyard.deploy import DeployOptions, run_deploy

    config_file = _config_file(config)
    with _changes("deploy"):
        loaded = load_config(config_file)
        options = DeployOptions(
            config=loaded,
            config_file=config_file,
            environment=environment,
            stacks=stack or [],
            outputs_file=outputs_file,
            auto_approve=auto_approve,
            confirm=typer.confirm,
        )
        code = run_deploy(options)
    if code != 0 or not verify:
        raise typer.Exit(code)
    from stackyard.verify import VerifyOptions, run_verify

    environments = [environment] if environment or not loaded.environments else [e.name for e in loaded.environments]
    codes = []
    for name in environments:
        typer.echo(f"stackyard: verify{f' --environment {name}' if name else ''}")
        verify_options = VerifyOptions(
            outputs=outputs_file,
            config=config_file,
            skip=skip or [],
            profile=profile,
            environment=name,
            whole_deployment=not stack,
        )
        codes.append(run_verify(verify_options))
    raise typer.Exit(max(codes))


@app.command("destroy")
def destroy(
    config: ConfigOption = None,
    environment: EnvironmentOption = None,
    stack: StackOption = None,
    auto_approve: ApproveOption = False,
    profile: Annotated[str | None, _option("AWS profile for the store check (default: the standard chain).")] = None,
) -> None:
    """Tear down in reverse order, checked first: refused while the store bucket holds objects (nothing touched);
    adopted resources are left in place; everything else the stacks made is deleted. Exit 0 when destroyed,
    1 when Terraform failed, 2 when refused (nothing changed)."""
    from stackyard.destroy import DestroyOptions, run_destroy

    config_file = _config_file(config)
    with _changes("destroy"):
        options = DestroyOptions(
            config=load_config(config_file),
            config_file=config_file,
            environment=environment,
            stacks=stack or [],
            auto_approve=auto_approve,
            profile=profile,
            confirm=typer.confirm,
        )
        raise typer.Exit(run_destroy(options))


@app.command("discover")
def discover(
    config: Annotated[
        Path | None, _option("The config whose resources to look for (default: $STACKYARD_CONFIG).")
    ] = None,
    environment: Annotated[str | None, _option("Look for this environment's resources.")] = None,
    profile: Annotated[str | None, _option("AWS profile (default: the standard credential chain).")] = None,
    out: Annotated[
        Path | None,
        _option(
            "Write what was found as an outputs file, for `verify --outputs`.",
            callback=writable("--out", lambda path: file_problem(path, "outputs.json")),
        ),
    ] = None,
    format: Annotated[str, _option("table or json.")] = "table",
) -> None:
    """Find the resources the config would create that already exist (made by hand or by flambé), with read-only
    calls; exit 0, 1 when something is ambiguous or could not be looked up, 2 on bad input."""
    from stackyard.discover import DiscoverOptions, run_discover

    options = DiscoverOptions(_config_file(config), environment, profile, out, format)
    raise typer.Exit(run_discover(options))


@store_app.command("speed")
def store_speed(
    outputs: Annotated[Path, _option("JSON from `cdktf deploy|output --outputs-file` (the data stack's).")],
    config: Annotated[Path | None, _option("The config deployed (its aws.endpoint_url, region).")] = None,
    environment: Annotated[str | None, _option("Measure this environment's store (<env>-data).")] = None,
    profile: Annotated[str | None, _option("AWS profile (default: the standard credential chain).")] = None,
    sizes: Annotated[str, _option("Comma-separated sizes, B/KiB/MiB/GiB, up to 10GiB.")] = "1MiB,1GiB",
    runs: Annotated[int, _option("Transfers per size and direction (the median is reported).")] = 1,
    format: Annotated[str, _option("table or json.")] = "table",
    output_file: Annotated[
        Path | None,
        _option("Write the report here instead of stdout.", callback=writable("--output-file", file_problem)),
    ] = None,
    timeout: Annotated[float, _option("Seconds allowed per request (per part of a multipart transfer).")] = 30.0,
) -> None:
    """Seed 003's transfer rates: upload and download each size through boto3's transfer manager as the store
    user, the overhead of a tiny transfer subtracted; every object written is deleted (exact versions), also on
    failure or Ctrl-C. Exit 0; 1 when a transfer failed or something was left; 2 on bad input; 130 on Ctrl-C."""
    from stackyard.store_speed import StoreSpeedOptions, run_store_speed

    exit_if_same_file(output_file, "--output-file", outputs, "--outputs")
    chosen = _config_file(config)
    options = StoreSpeedOptions(outputs, chosen, environment, profile, sizes, runs, format, output_file, timeout)
    raise typer.Exit(run_store_speed(options))


@app.command("adopt")
def adopt(
    config: Annotated[Path | None, _option("The config to adopt for; the adoption file goes beside it.")] = None,
    environment: Annotated[str | None, _option("Adopt this environment's resources.")] = None,
    profile: Annotated[str | None, _option("AWS profile (default: the standard credential chain).")] = None,
) -> None:
    """Find what exists (as discover) and write the adoption file beside the config, so the synth imports those
    resources instead of creating them; exit 2, writing nothing, when a resource is ambiguous or Terraform would
    replace it (naming the config field to change), 1 when a look-up failed. Read-only: nothing changes in AWS."""
    from stackyard.adopt import AdoptOptions, run_adopt

    raise typer.Exit(run_adopt(AdoptOptions(_config_file(config), environment, profile)))


@config_app.command("import-flambe")
def config_import_flambe(file: Annotated[Path, typer.Argument(help="flambé aws-cluster.yaml (!AWSCluster).")]) -> None:
    """Print a complete stackyard config whose cluster section is FILE's flambé AWSCluster."""
    try:
        config, notes = flambe_import.import_flambe(file.read_text(encoding="utf-8"), str(file))
    except OSError as error:
        exit_bad_input(f"{file}: cannot read the file ({error.strerror}); check the path")
    except UnicodeDecodeError:
        exit_bad_input(f"{file}: not UTF-8 text; name flambé's aws-cluster.yaml")
    except ConfigError as error:
        exit_bad_input(error.render())
    for note in notes:
        typer.echo(f"note: {note}", err=True)
    typer.echo(flambe_import.render(config, file.name), nl=False)


@handoff_app.command("sheet")
def handoff_sheet(
    outputs: Annotated[Path, typer.Option(help="JSON from `cdktf deploy|output --outputs-file`.")],
    format: Annotated[str, typer.Option(help="markdown or json.")] = "markdown",
    environment: Annotated[str | None, typer.Option(help="The values of this environment's stacks.")] = None,
) -> None:
    """Print the values seed 001 says to record (region, ValohaiMaster ARN, VPC, subnets, queue IPs, key pair)."""
    if format not in ("markdown", "json"):
        exit_bad_input(f"--format {format!r}: use markdown or json")
    try:
        stack_outputs = read_outputs(outputs)
        if environment is not None:
            stack_outputs = stack_outputs.for_environment(environment)
        values = handoff.recorded_values(stack_outputs)
    except OutputsError as error:
        exit_bad_input(str(error))
    text = json.dumps(values, indent=2) + "\n" if format == "json" else handoff.render_markdown(values, environment)
    typer.echo(text, nl=False)


@app.command("diagram")
def diagram(
    out: Annotated[Path, _option("The picture to write: a .svg or .png file.")],
    config: Annotated[Path | None, _option("Config to draw (default: $STACKYARD_CONFIG, else built-in).")] = None,
    environment: Annotated[str | None, _option("The environment to draw (a config with environments).")] = None,
) -> None:
    """Draw the architecture the config deploys (from its synthesized Terraform): network, security groups and
    their rules, instances, buckets and the s3fs mount, the IAM trust chain. Needs Graphviz's dot."""
    from stackyard.draw import DrawError, run_diagram
    from stackyard.synthesis import SynthesisError

    config_file = _config_file(config)
    try:
        run_diagram(load_config(config_file), config_file, environment, out)
    except (DrawError, SynthesisError) as error:
        exit_bad_input(f"stackyard diagram: {error}")
    except ConfigError as error:
        exit_bad_input(error.render())
    typer.echo(f"{out}: the architecture of {config_name(config_file)}")


@handoff_app.command("bundle")
def handoff_bundle(
    out: Annotated[
        Path, _option("New or empty folder to write the bundle into.", callback=writable("--out", folder_problem))
    ],
    config: Annotated[Path | None, _option("Config to bundle (default: $STACKYARD_CONFIG, else built-in).")] = None,
    outputs: Annotated[Path | None, _option("Outputs file of that config's deployment: adds the sheet.")] = None,
    reports: Annotated[Path, _option("Folder of verify/scan reports to include.")] = Path("reports"),
    keep_endpoint: Annotated[
        bool, _option("Keep the config's aws.endpoint_url (an emulator) in the providers, to try the bundle on it.")
    ] = False,
) -> None:
    """Write a folder an infrastructure team can use without Python: Terraform JSON + HCL per stack, a README,
    the recorded-values sheet and the latest reports. No secret is ever written into it."""
    from stackyard.bundle import BundleError, BundleSource, build_bundle

    config_file = _config_file(config)
    try:
        source = BundleSource(
            config=load_config(config_file),
            config_file=config_file,
            outputs=read_outputs(outputs) if outputs is not None else None,
            reports_dir=reports,
            keep_endpoint=keep_endpoint,
        )
        written = build_bundle(out, source)
    except (BundleError, OutputsError) as error:
        exit_bad_input(str(error))
    except ConfigError as error:
        exit_bad_input(error.render())
    typer.echo(f"{out}: {len(written)} files from {config_name(config_file)}")
    for path in written:
        typer.echo(f"  {path}")
    if not any(path.startswith("reports/") for path in written):
        typer.echo(f"  (no reports in {reports}/: `stackyard verify --output-file {reports}/verify.json` writes one)")


def _describe_stacks(config: StackyardConfig, stacks: list[PlannedStack]) -> str:
    where = [f"region {config.aws.region}"]
    where += [f"account {config.aws.account_id}"] if config.aws.account_id else []
    where += [f"profile {config.aws.profile}"] if config.aws.profile else []
    return f"{', '.join(where)}; stacks: {', '.join(stack.name for stack in stacks) or 'none'}"


def _config_file(option: Path | None) -> Path | None:
    """--config, else $STACKYARD_CONFIG, else None for the embedded example (said on stderr: it is not yours)."""
    chosen = option or (Path(os.environ[CONFIG_ENV_VAR]) if os.environ.get(CONFIG_ENV_VAR) else None)
    if chosen is None:
        typer.echo(
            f"warning: no --config and no ${CONFIG_ENV_VAR}: using the embedded example config, not yours", err=True
        )
    return chosen


def main() -> None:
    try:
        app()
    except SystemExit as exiting:
        # typer turns a Ctrl-C no command caught into exit 130 without a word; the commands that catch it say
        # what they left (plan/deploy/destroy, store speed)
        typer_exit = exiting.__context__
        if exiting.code == 130 and isinstance(getattr(typer_exit, "__cause__", None), KeyboardInterrupt):
            print("stackyard: interrupted (Ctrl-C)", file=sys.stderr)
        raise


if __name__ == "__main__":
    main()
