"""Paths a command writes to, checked when its options are read: a report file that is a folder, or a folder that is
a file, would otherwise fail with a traceback at the end, after the calls, transfers or synth it wrote about."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from stackyard.config.errors import exit_bad_input


def _blocking_file(path: Path) -> Path | None:
    """The nearest existing folder above ``path``, when it is a file: nothing can be made under it."""
    for parent in path.parents:
        if parent.exists():
            return None if parent.is_dir() else parent
    return None


def file_problem(path: Path, example: str = "report.json") -> str | None:
    """Why a file cannot be written at ``path`` (its folders are made as needed), or None."""
    if path.is_dir():
        return f"is a folder; name a file in it, e.g. {path / example}"
    blocking = _blocking_file(path)
    return f"{blocking} is a file, not a folder" if blocking else None


def folder_problem(path: Path) -> str | None:
    """Why a folder cannot be written at ``path`` (made when missing), or None."""
    if path.exists() and not path.is_dir():
        return "is a file; name a new or empty folder"
    blocking = _blocking_file(path)
    return f"{blocking} is a file, not a folder" if blocking else None


def writable(option: str, problem: Callable[[Path], str | None]) -> Callable[[Path | None], Path | None]:
    """A typer callback for ``option``: exit 2 naming the option, the path and why, before the command runs."""

    def check(path: Path | None) -> Path | None:
        found = problem(path) if path is not None else None
        if found:
            exit_bad_input(f"{option} {path}: {found}")
        return path

    return check


def exit_if_same_file(written: Path | None, written_option: str, read: Path, read_option: str) -> None:
    """A report must not replace the file it reads (an outputs file holds the only copy of the access secret)."""
    if written is not None and written.exists() and read.exists() and written.samefile(read):
        exit_bad_input(f"{written_option} {written}: is the {read_option} file it reads; name another file")
