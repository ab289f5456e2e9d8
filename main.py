"""cdktf entry point: config -> stacks -> cdktf.out/ (or $CDKTF_OUTDIR).

The config is read from $STACKYARD_CONFIG, else the embedded default. It is validated before the
(heavy) provider bindings load, and a bad config exits 2 without writing anything.
"""

import os
import sys

from stackyard.config import CONFIG_ENV_VAR, load_config_or_exit


def main() -> None:
    config = load_config_or_exit()
    if os.environ.get(CONFIG_ENV_VAR):
        from stackyard.config.placeholders import placeholder_warnings

        for warning in placeholder_warnings(config):
            print(f"stackyard: warning: {warning}", file=sys.stderr)
    else:
        print(f"stackyard: the embedded example config (set {CONFIG_ENV_VAR} to use yours)", file=sys.stderr)
    from stacks.synth import synthesize

    print(synthesize(config).summary(), file=sys.stderr)
    # Everything is written. Skip interpreter and jsii teardown (seconds of node shutdown, nothing to flush
    # but our own streams); STACKYARD_GRACEFUL_EXIT=1 keeps the normal exit for debugging.
    if os.environ.get("STACKYARD_GRACEFUL_EXIT") != "1":
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


if __name__ == "__main__":
    main()
