"""Transfer sizes as people write them (1MiB, 256MiB, 10GiB), in bytes."""

from __future__ import annotations

import re

UNITS = {"B": 1, "KiB": 2**10, "MiB": 2**20, "GiB": 2**30}
LARGEST = 10 * 2**30
"""Seed 003 stopped at 10 GB (10 * 2^30 bytes): S3 charges for every byte moved."""
_SIZE = re.compile(r"^\s*(\d+)\s*(B|KiB|MiB|GiB)\s*$")


def parse_sizes(text: str) -> list[int]:
    """'1MiB,1GiB' -> [1048576, 1073741824]; ValueError naming the bad item and the allowed form."""
    sizes = []
    for item in text.split(","):
        match = _SIZE.match(item)
        if not match:
            raise ValueError(f"{item.strip()!r}: write a whole number and one of {', '.join(UNITS)}, e.g. 256MiB")
        size = int(match[1]) * UNITS[match[2]]
        if not 0 < size <= LARGEST:
            raise ValueError(f"{item.strip()!r}: use a size from 1B to 10GiB")
        sizes.append(size)
    return sizes


def shown(size: int) -> str:
    """The largest unit that divides the size: 1048576 -> '1 MiB'."""
    for unit, factor in reversed(UNITS.items()):
        if size % factor == 0:
            return f"{size // factor} {unit}"
    return f"{size} B"
