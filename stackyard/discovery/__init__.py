"""Discovery: find the resources a config would create that already exist (made by hand from the seeds' console
steps, or by flambé), with read-only AWS calls. Shaped like the checks: each module here finds one kind of
resource; shared machinery is in core/, output formats in reporters/."""

from stackyard.discovery.core.registry import all_finders

__all__ = ["all_finders"]
