"""The `stackyard` command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from stackyard import flambe_import, handoff
from stackyard.config import ConfigError, StackyardConfig, default_config_text, exit_bad_input, load_config_or_exit
from stackyard.outputs import OutputsError, read_outputs

app = typer.Typer(
    help="One YAML config -> the AWS infrastructure ML teams train on, and proof that it works.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
config_app = typer.Typer(help="Write, check and describe stackyard config files.", no_args_is_help=True)
app.add_typer(config_app, name="config")
handoff_app = typer.Typer(help="What to hand to the platform's team after a deploy.", no_args_is_help=True)
app.add_typer(handoff_app, name="handoff")


@config_app.command("example")
def config_example() -> None:
    """Print the full default config (every feature on, example values marked) as YAML."""
    typer.echo(default_config_text(), nl=False)


@config_app.command("check")
def config_check(file: Annotated[Path, typer.Argument(help="Config file to validate.")]) -> None:
    """Validate FILE; exit 0 when it is usable, 2 with one line per bad field when not."""
    config = load_config_or_exit(file)
    enabled = [name for name, on in _sections(config).items() if on]
    typer.echo(f"{file}: valid stackyard config (region {config.aws.region}; stacks: {', '.join(enabled)})")


@config_app.command("schema")
def config_schema() -> None:
    """Print the config's JSON Schema, for editor completion and checking."""
    typer.echo(json.dumps(StackyardConfig.model_json_schema(), indent=2))


def _option(help: str, *names: str) -> typer.models.OptionInfo:
    return typer.Option(*names, help=help)


@app.command("verify")
def verify(
    outputs: Annotated[Path, _option("JSON from `cdktf deploy|output --outputs-file` or `terraform output -json`.")],
    config: Annotated[
        Path | None, _option("Config of the deployment (default: $STACKYARD_CONFIG, else built-in).")
    ] = None,
    format: Annotated[str, _option("table, json or junit.")] = "table",
    output_file: Annotated[Path | None, _option("Write the report here instead of to stdout.")] = None,
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

    options = VerifyOptions(
        outputs=outputs,
        config=config,
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


@config_app.command("import-flambe")
def config_import_flambe(file: Annotated[Path, typer.Argument(help="flambé aws-cluster.yaml (!AWSCluster).")]) -> None:
    """Print a complete stackyard config whose cluster section is FILE's flambé AWSCluster."""
    try:
        config, notes = flambe_import.import_flambe(file.read_text(encoding="utf-8"), str(file))
    except OSError as error:
        exit_bad_input(f"{file}: cannot read the file ({error.strerror}); check the path")
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
    typer.echo(json.dumps(values, indent=2) + "\n" if format == "json" else handoff.render_markdown(values), nl=False)


@handoff_app.command("bundle")
def handoff_bundle(
    out: Annotated[Path, _option("New or empty folder to write the bundle into.")],
    outputs: Annotated[Path | None, _option("Outputs file: adds the recorded-values sheet.")] = None,
) -> None:
    """Write a folder an infrastructure team can use without Python: Terraform JSON + HCL per stack, a README,
    the recorded-values sheet and the latest reports. No secret is ever written into it."""
    from stackyard.bundle import BundleError, build_bundle

    try:
        written = build_bundle(out, outputs)
    except (BundleError, OutputsError) as error:
        exit_bad_input(str(error))
    typer.echo(f"{out}: {len(written)} files")
    for path in written:
        typer.echo(f"  {path}")


def _sections(config: StackyardConfig) -> dict[str, bool]:
    return {"data": config.data_store.enabled, "workers": config.workers.enabled, "cluster": config.cluster.enabled}


def main() -> None:
    app()


if __name__ == "__main__":
    main()
