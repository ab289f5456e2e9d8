"""The `diagram` command's wiring, and the bundle's pictures: synthesize the config into a scratch folder (the
deployable stacks), draw one environment from that JSON, render it with Graphviz."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from stackyard.config import EMBEDDED_CONFIG, StackyardConfig
from stackyard.diagram import FORMATS, TerraformStacks, draw, write
from stackyard.synthesis import synthesize_json


class DrawError(Exception):
    """The diagram cannot be made; the message names the option or the tool and the fix."""


def check_can_draw(out: Path) -> None:
    if out.suffix.lstrip(".") not in FORMATS:
        raise DrawError(f"--out {out}: give a file ending in .svg or .png")
    require_dot()


def require_dot() -> None:
    if shutil.which("dot") is None:
        raise DrawError(
            "Graphviz's dot is not on PATH: install Graphviz (apt-get install graphviz, brew install graphviz)"
        )


def title(config_file: Path | None, environment: str | None) -> str:
    made_from = config_file.name if config_file else EMBEDDED_CONFIG
    return f"stackyard: {made_from}" + (f", environment {environment}" if environment else "")


def draw_from_synth(outdir: Path, config_file: Path | None, environment: str | None, out: Path) -> None:
    """One environment of an already synthesized deployable ``outdir``, into ``out`` (.svg or .png)."""
    write(draw(TerraformStacks.read(outdir, environment), title(config_file, environment)), out)


def run_diagram(config: StackyardConfig, config_file: Path | None, environment: str | None, out: Path) -> None:
    """`stackyard diagram`: the file is written only once the picture is made (nothing half-written)."""
    check_can_draw(out)
    if environment is not None:
        try:
            config.environment_config(environment)
        except ValueError as error:
            raise DrawError(str(error)) from None
    elif config.environments:
        names = ", ".join(name for name, _ in config.environment_configs())
        raise DrawError(f"--environment: the config has environments ({names}); name the one to draw")
    with tempfile.TemporaryDirectory(prefix="stackyard-diagram-") as scratch:
        synthesize_json(Path(scratch) / "out", config_file)
        picture = Path(scratch) / f"diagram{out.suffix}"
        draw_from_synth(Path(scratch) / "out", config_file, environment, picture)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(picture, out)
