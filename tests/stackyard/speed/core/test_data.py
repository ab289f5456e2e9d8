"""Generated test data: the same bytes for the same seed however it is read, hashed as it goes; the sink keeps
only a hash and a length."""

from __future__ import annotations

import hashlib

from stackyard.speed.core.data import GeneratedReader, HashingSink, sha256_of


def test_the_same_seed_gives_the_same_bytes_whatever_the_read_sizes():
    whole = GeneratedReader(3 * 2**20 + 5, seed=7).read()
    pieces = GeneratedReader(3 * 2**20 + 5, seed=7)
    chunks = []
    while chunk := pieces.read(1_000_003):
        chunks.append(chunk)
    assert b"".join(chunks) == whole and len(whole) == 3 * 2**20 + 5
    assert sha256_of(3 * 2**20 + 5, seed=7) == hashlib.sha256(whole).hexdigest()
    assert GeneratedReader(64, seed=8).read() != GeneratedReader(64, seed=7).read()
    assert pieces.read(10) == b"" and not pieces.seekable()


def test_the_sink_hashes_what_it_is_given_in_order():
    sink = HashingSink()
    for part in (b"abc", b"", b"defg"):
        assert sink.write(part) == len(part)
    assert (sink.length, sink.sha256) == (7, hashlib.sha256(b"abcdefg").hexdigest())
    assert not sink.seekable()
