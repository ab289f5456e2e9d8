"""cdktf entry point: config (and its adoption file) -> stacks -> cdktf.out/ (or $CDKTF_OUTDIR).

The config is read from $STACKYARD_CONFIG, else the embedded default; the adoption file `stackyard adopt` wrote
beside it, if any, adds Terraform import blocks. Both are validated before the (heavy) provider bindings load, and
a bad one exits 2 without writing anything.

`python main.py --bundle` (or STACKYARD_BUNDLE=1, for the cdktf CLI) synthesizes in bundle mode: the values a team
sets become Terraform variables, the state backend is portable (what `stackyard handoff bundle` hands over).
"""

import os
import sys

from stackyard.config import BUNDLE_ENV_VAR, CONFIG_ENV_VAR, ConfigError, exit_bad_input, load_config_or_exit
from stackyard.config.adoption import load_adoption
from stackyard.config.protection import lifted


def main() -> None:
    unknown = [argument for argument in sys.argv[1:] if argument != "--bundle"]
    if unknown:
        exit_bad_input(f"stackyard: unknown argument {unknown[0]}; main.py takes only --bundle")
    bundle = "--bundle" in sys.argv[1:] or os.environ.get(BUNDLE_ENV_VAR) == "1"
    config = load_config_or_exit()
    config_file = os.environ.get(CONFIG_ENV_VAR) or None
    if config_file:
        from stackyard.config.placeholders import placeholder_warnings

        for warning in placeholder_warnings(config):
            print(f"stackyard: warning: {warning}", file=sys.stderr)
    else:
        print(f"stackyard: the embedded example config (set {CONFIG_ENV_VAR} to use yours)", file=sys.stderr)
    from stacks.engine import EngineUnavailable, engine
    from stacks.synth import synthesize

    try:
        print(f"stackyard: engine {engine().describe()}", file=sys.stderr)
    except EngineUnavailable as error:
        exit_bad_input(f"stackyard: {error}")
    try:
        adoption = load_adoption(config_file)
        result = synthesize(config, adoption=adoption, bundle=bundle)
    except ConfigError as error:
        exit_bad_input(error.render())
    print(result.summary(), file=sys.stderr)
    if bundle:
        print("stackyard: bundle mode: Terraform variables for the values a team sets, portable state", file=sys.stderr)
    if result.stacks and not lifted():
        print(
            'stackyard: protected resources carry prevent_destroy; when Terraform stops with "Instance cannot be '
            'destroyed", `stackyard plan` says which config key caused it and how to allow it',
            file=sys.stderr,
        )
    imports = sum(len(stack.imports()) for stack in adoption.stacks.values())
    if imports:
        print(f"stackyard: {imports} existing resource(s) imported, not created (the adoption file)", file=sys.stderr)
    # Everything is written. Skip interpreter and jsii teardown (seconds of node shutdown, nothing to flush
    # but our own streams); STACKYARD_GRACEFUL_EXIT=1 keeps the normal exit for debugging.
    if os.environ.get("STACKYARD_GRACEFUL_EXIT") != "1":
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


if __name__ == "__main__":
    main()
