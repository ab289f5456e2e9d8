"""The README's own commands, for the tests that run them (so the README's recipes are the tested ones)."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def shell_lines(heading: str) -> list[str]:
    """The commands of the ```sh blocks under ``heading`` (a whole heading line, up to the next heading),
    continuations joined."""
    text = README.read_text(encoding="utf-8")
    section = re.split(r"\n#+ ", text.split(f"\n{heading}\n", 1)[1], maxsplit=1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.DOTALL)
    assert blocks, f"no sh block under {heading!r} in the README"
    joined = "".join(blocks).replace("\\\n", " ")
    return [line.strip() for line in joined.splitlines() if line.strip() and not line.strip().startswith("#")]


def command_with(heading: str, word: str) -> str:
    """The one command of that block containing ``word``."""
    (line,) = [line for line in shell_lines(heading) if word in line]
    return line


def inline_command(starting: str) -> str:
    """An inline `...` command of the README that starts with ``starting``."""
    found = re.search(rf"`({re.escape(starting)}[^`]*)`", README.read_text(encoding="utf-8"))
    assert found, f"the README has no `{starting}...` command"
    return found[1]
