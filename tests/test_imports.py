"""No import cycles, and the layers hold: verification and generation depend on the config, never the reverse.
The rules are import-linter contracts in pyproject.toml (`lint-imports`, also run by `make lint`)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def test_the_import_contracts_are_kept():
    result = subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "4 kept, 0 broken" in result.stdout


def loaded_by(module: str) -> set[str]:
    """The project modules a fresh interpreter has loaded after importing ``module`` alone. Generation loads the
    provider bindings lazily first, as every synth does (the plain import of all of them costs ~55 CPU-s)."""
    lazily = "from stacks.provider_bindings import load_lazily; load_lazily(); " if module.startswith("stacks") else ""
    code = (
        f"{lazily}import sys, json, {module}; "
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('stackyard', 'stacks'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout))


@pytest.mark.parametrize(
    ("package", "must_not_load"),
    [
        ("stackyard.config", ("stackyard.checks", "stackyard.cli", "stackyard.verify", "stackyard.outputs", "stacks")),
        ("stackyard.checks", ("stackyard.cli", "stackyard.verify", "stackyard.bundle", "stacks")),
        ("stacks.app", ("stackyard.checks", "stackyard.cli", "stackyard.verify", "stackyard.outputs")),
        ("stackyard.cli", ("stacks", "stackyard.checks")),  # verify's machinery loads only when verify runs
    ],
)
def test_each_package_imports_on_its_own_without_the_layers_above(package, must_not_load):
    loaded = loaded_by(package)
    assert package in loaded
    above = sorted(m for m in loaded if m.startswith(must_not_load))
    assert not above, f"importing {package} alone loads {above}"


def test_every_package_is_listed_for_setuptools():
    """pyproject.toml lists the packages by hand: a new sub-package missing there would not be installed."""
    import tomllib

    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    present = {
        ".".join(init.parent.relative_to(REPO).parts)
        for root in ("stackyard", "stacks")
        for init in (REPO / root).rglob("__init__.py")
    }
    assert present == listed, f"not listed: {sorted(present - listed)}; listed but gone: {sorted(listed - present)}"
