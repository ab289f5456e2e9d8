"""cdktf entry point: config (and its adoption file) -> stacks -> cdktf.out/ (or $CDKTF_OUTDIR).

What it did goes to stdout, warnings and errors to stderr (the cdktf CLI shows every line of stderr as [ERROR]).

The config is read from $STACKYARD_CONFIG, else the embedded default; the adoption file `stackyard adopt` wrote
beside it, if any, adds Terraform import blocks. Both are validated before the (heavy) provider bindings load, and
a bad one exits 2 without writing anything.

`python main.py --bundle` (or STACKYARD_BUNDLE=1, for the cdktf CLI) synthesizes in bundle mode: the values a team
sets become Terraform variables, the state backend is portable (what `stackyard handoff bundle` hands over).
"""

import atexit
import os
import shutil
import sys
import tempfile

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
    _own_temp_folder()
    _node_22()
    from stacks.engine import EngineUnavailable, engine
    from stacks.synth import synthesize

    try:
        print(f"stackyard: engine {engine().describe()}", flush=True)
    except EngineUnavailable as error:
        exit_bad_input(f"stackyard: {error}")
    try:
        adoption = load_adoption(config_file)
        result = synthesize(config, adoption=adoption, bundle=bundle)
    except ConfigError as error:
        exit_bad_input(error.render())
    print(result.summary())
    if bundle:
        print("stackyard: bundle mode: Terraform variables for the values a team sets, portable state")
    if result.stacks and not lifted():
        print(
            'stackyard: protected resources carry prevent_destroy; when Terraform stops with "Instance cannot be '
            'destroyed", `stackyard plan` says which config key caused it and how to allow it'
        )
    imports = sum(len(stack.imports()) for stack in adoption.stacks.values())
    if imports:
        print(f"stackyard: {imports} existing resource(s) imported, not created (the adoption file)")
    # Everything is written. Skip interpreter and jsii teardown (seconds of node shutdown, nothing to flush
    # but our own streams); STACKYARD_GRACEFUL_EXIT=1 keeps the normal exit for debugging.
    if os.environ.get("STACKYARD_GRACEFUL_EXIT") != "1":
        _exit_now(0)


def _own_temp_folder() -> None:
    """jsii unpacks its runtime into a temp folder it removes at a normal exit, which os._exit skips: this run's
    temp files (Python's and the Node process's) go into a folder of its own, removed at either exit. Registered
    before jsii loads, so at a normal exit it runs after jsii's own clean-up."""
    folder = tempfile.mkdtemp(prefix="stackyard-synth-")
    tempfile.tempdir = os.environ["TMPDIR"] = folder
    atexit.register(shutil.rmtree, folder, True)


def _node_22() -> None:
    """The Node 22 `npm ci` installs (package.json) for jsii, as `npx cdktf` finds it first on PATH: a direct
    `python main.py` would start the system's Node, which may be end-of-life (jsii then prints a banner)."""
    node = os.path.join(os.path.dirname(os.path.abspath(__file__)), "node_modules", ".bin", "node")
    if "JSII_NODE" not in os.environ and os.access(node, os.X_OK):
        os.environ["JSII_NODE"] = node
        # jsii's own runtime calls an API Node 22 deprecates: nothing a user of stackyard can act on
        os.environ["NODE_OPTIONS"] = f"{os.environ.get('NODE_OPTIONS', '')} --no-deprecation".strip()


def _exit_now(code: int) -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    if tempfile.tempdir and os.path.basename(tempfile.tempdir).startswith("stackyard-synth-"):
        shutil.rmtree(tempfile.tempdir, ignore_errors=True)
    os._exit(code)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        # jsii's Node process got the same Ctrl-C: no graceful exit is left to wait for.
        print("stackyard: interrupted (Ctrl-C); run it again for a whole cdktf.out", file=sys.stderr)
        _exit_now(130)
