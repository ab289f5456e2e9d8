"""Seed 003's method: per direction, the median time of a tiny transfer is the overhead; each size is uploaded and
downloaded ``runs`` times and the overhead subtracted. Whatever happens (an error, Ctrl-C), every object written
is deleted and the run's prefix is listed to prove it."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from dataclasses import dataclass, field

from botocore.exceptions import BotoCoreError, ClientError

from stackyard.speed.core.base import Measurement, TestObject, Timing
from stackyard.speed.core.context import SpeedContext
from stackyard.speed.core.registry import all_measurements

TINY_BYTES = 8
"""Seed 003's "tiny file (a few bytes)"."""
OVERHEAD_RUNS = 5
RESCUE_AFTER_S = 20.0
EXIT_INTERRUPTED = 130


@dataclass
class SpeedReport:
    timings: list[Timing] = field(default_factory=list)
    target: str = ""
    prefix: str = ""
    left_behind: int | None = None
    """Object versions and open uploads under the prefix after clean-up (None: the clean-up failed)."""
    clean_up_error: str | None = None

    @property
    def exit_code(self) -> int:
        return 0 if self.left_behind == 0 else 1


def measure(context: SpeedContext, sizes: list[int], runs: int, report: SpeedReport) -> SpeedReport:
    """Fill ``report`` (so what was measured before an interrupt is not lost) and always clean up."""
    measurements = [measurement() for measurement in all_measurements()]
    previous_handler = signal.signal(signal.SIGINT, lambda *_: _interrupted(context, report))
    try:
        overheads = {m.id: _overhead(context, m, measurements) for m in measurements}
        for number, size in enumerate(sizes):
            times: dict[str, list[float]] = {m.id: [] for m in measurements}
            for run in range(runs):
                test_object = TestObject(
                    f"{context.ledger.prefix}{number}-{size}-{run}.bin", size, seed=number * 97 + run
                )
                for measurement in measurements:
                    times[measurement.id].append(_timed(context, measurement, test_object))
            report.timings += [Timing(m.id, size, times[m.id], overheads[m.id]) for m in measurements]
            # Each size's objects go before the next size: the bucket never holds more than one size's runs.
            context.ledger.clean_up(context.store_s3)
    finally:
        # A second Ctrl-C must not cut the clean-up short: it is what keeps the promise of leaving nothing.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            _clean_up(context, report)
        finally:
            signal.signal(signal.SIGINT, previous_handler)
    return report


def _clean_up(context: SpeedContext, report: SpeedReport) -> None:
    try:
        report.left_behind = context.ledger.clean_up(context.store_s3)
    except (ClientError, BotoCoreError) as error:
        report.clean_up_error = f"{type(error).__name__}: {error}"


def _interrupted(context: SpeedContext, report: SpeedReport) -> None:
    """Ctrl-C: raise KeyboardInterrupt as usual, so the transfer manager cancels and the clean-up above runs. On an
    interrupt the transfer manager joins its worker threads, and on a loaded machine it was seen to wait on them for
    good: a rescue timer then cleans up by itself, says so and ends the process."""
    rescue = threading.Timer(RESCUE_AFTER_S, _rescue, args=(context, report))
    rescue.daemon = True
    rescue.start()
    raise KeyboardInterrupt


def _rescue(context: SpeedContext, report: SpeedReport) -> None:
    _clean_up(context, report)
    left = report.clean_up_error or f"objects left under {report.prefix}: {report.left_behind}"
    print(
        f"store speed: interrupted (the transfer did not stop within {RESCUE_AFTER_S:.0f} s); {left}", file=sys.stderr
    )
    sys.stderr.flush()
    os._exit(EXIT_INTERRUPTED)


def _overhead(context: SpeedContext, of: Measurement, measurements: list[Measurement]) -> float:
    """The median of OVERHEAD_RUNS tiny transfers in this direction (earlier directions prepare the object)."""
    samples = []
    for run in range(OVERHEAD_RUNS):
        tiny = TestObject(f"{context.ledger.prefix}tiny-{of.id}-{run}.bin", TINY_BYTES, seed=run)
        for measurement in measurements:
            elapsed = _timed(context, measurement, tiny)
            if measurement is of:
                samples.append(elapsed)
                break
    return sorted(samples)[len(samples) // 2]


def _timed(context: SpeedContext, measurement: Measurement, test_object: TestObject) -> float:
    measurement.prepare(test_object)
    started = time.perf_counter()
    measurement.transfer(context, test_object)
    elapsed = time.perf_counter() - started
    if measurement.writes:  # a transfer cut short is found by the clean-up's listing of the prefix instead
        context.ledger.written(test_object.key, context.store_s3)
    return elapsed
