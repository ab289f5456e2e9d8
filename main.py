"""cdktf entry point: config -> stacks -> cdktf.out/ (or $CDKTF_OUTDIR).

The config is read from $STACKYARD_CONFIG, else the embedded default. It is validated before the
(heavy) provider bindings load, and a bad config exits 2 without writing anything.
"""

import os
import sys

from stackyard.config import load_config_or_exit


def main() -> None:
    config = load_config_or_exit()
    from stacks.synth import synthesize

    summary = synthesize(config).summary()
    if summary:
        print(summary, file=sys.stderr)
    # Everything is written. Skip interpreter and jsii teardown (seconds of node shutdown, nothing to flush
    # but our own streams); STACKYARD_GRACEFUL_EXIT=1 keeps the normal exit for debugging.
    if os.environ.get("STACKYARD_GRACEFUL_EXIT") != "1":
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


if __name__ == "__main__":
    main()
