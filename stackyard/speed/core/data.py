"""Test data that is generated as it is read and checked as it is written: a transfer of 10 GiB never holds more
than a part in memory and never touches the disk."""

from __future__ import annotations

import hashlib
import random

BLOCK = 1 << 20


class GeneratedReader:
    """A read-only stream of ``size`` pseudo-random bytes (the same for the same seed), hashed as it is read."""

    def __init__(self, size: int, seed: int):
        self.size, self.position = size, 0
        self._random = random.Random(seed)
        self._hash = hashlib.sha256()
        self._buffer = memoryview(b"")

    def read(self, amount: int = -1) -> bytes:
        remaining = self.size - self.position
        amount = remaining if amount is None or amount < 0 else min(amount, remaining)
        pieces = []
        while amount > 0:
            if not self._buffer:
                # Whole blocks from the generator, so the bytes do not depend on how the reader asks for them.
                self._buffer = memoryview(self._random.randbytes(BLOCK))
            piece = self._buffer[:amount]
            self._buffer = self._buffer[len(piece) :]
            pieces.append(piece)
            amount -= len(piece)
        data = b"".join(pieces)
        self._hash.update(data)
        self.position += len(data)
        return data

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()


class HashingSink:
    """A write-only stream that keeps only the SHA-256 and the length of what was written, in order."""

    def __init__(self) -> None:
        self.length = 0
        self._hash = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self._hash.update(data)
        self.length += len(data)
        return len(data)

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False  # the transfer manager then writes parts in order

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()
