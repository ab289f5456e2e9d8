"""`stackyard diagram` as a user runs it (real synth, real Graphviz dot) and the pictures in every handoff bundle;
bad input exits 2 naming the option, with nothing written."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET

import yaml

from tests.stackyard.test_bundle import TWO_ENVIRONMENTS
from tests.support.cli import run_stackyard

SVG = "{http://www.w3.org/2000/svg}"


def svg_texts(path) -> str:
    return "\n".join(text.text or "" for text in ET.parse(path).getroot().iter(f"{SVG}text"))


def png_size(path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_diagram_writes_svg_and_png(tmp_path):
    for name in ("architecture.svg", "architecture.png"):
        out = tmp_path / "pictures" / name
        made = run_stackyard("diagram", "--out", str(out), timeout=300)
        assert made.returncode == 0, made.stderr
        assert f"{out}: the architecture of the embedded example config" in made.stdout
    texts = svg_texts(tmp_path / "pictures" / "architecture.svg")
    for expected in (
        "valohai-sg-queue",
        "tcp 63790: Redis over TLS from app.valohai.com",
        "ValohaiMaster",
        "iam:PassRole",
    ):
        assert expected in texts, expected
    width, height = png_size(tmp_path / "pictures" / "architecture.png")
    assert width > 1000 and height > 500


def test_bad_input_exits_2_and_writes_nothing(tmp_path):
    wrong = run_stackyard("diagram", "--out", str(tmp_path / "a.pdf"))
    assert wrong.returncode == 2 and "--out" in wrong.stderr and ".svg or .png" in wrong.stderr
    config = tmp_path / "acme.yaml"
    config.write_text(yaml.safe_dump(TWO_ENVIRONMENTS))
    unnamed = run_stackyard("diagram", "--out", str(tmp_path / "a.svg"), "--config", str(config))
    assert unnamed.returncode == 2 and "name the one to draw" in unnamed.stderr and "dev, prod" in unnamed.stderr
    unknown = run_stackyard("diagram", "--out", str(tmp_path / "a.svg"), "--config", str(config), "--environment", "qa")
    assert unknown.returncode == 2 and "qa" in unknown.stderr
    assert "Traceback" not in wrong.stderr + unnamed.stderr + unknown.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["acme.yaml"], "nothing written"


def test_every_bundle_has_the_diagram(bundle):
    texts = svg_texts(bundle / "diagram.svg")
    assert "data bucket" in texts and "security group" in texts
    assert png_size(bundle / "diagram.png")[0] > 1000
    assert "`diagram.svg` (and `.png`) draws what the stacks make" in (bundle / "README.md").read_text()
