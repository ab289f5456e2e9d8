"""cdktf entry point: config -> stacks -> cdktf.out/ (or $CDKTF_OUTDIR).

The config is read from $STACKYARD_CONFIG, else the embedded default. It is validated before the
(heavy) provider bindings load, and a bad config exits 2 without writing anything.
"""

from stackyard.config import load_config_or_exit


def main() -> None:
    config = load_config_or_exit()
    from stacks.app import build_app

    build_app(config).synth()


if __name__ == "__main__":
    main()
