"""Store speed (seed 003): how fast data moves between this machine and the data store, up and down, with the fixed
overhead of a tiny transfer measured and subtracted. Shaped like the checks: each module here is one measurement
(a direction); shared machinery is in core/, output formats in reporters/."""

from stackyard.speed.core.registry import all_measurements

__all__ = ["all_measurements"]
