"""Verification: post-apply checks that prove the deployed infrastructure works (prowler-style). Each module
here is one check; shared machinery is in core/, output formats in reporters/. Depends on the config model and
the outputs reader, never the reverse; kept apart from generation (stacks/)."""

from stackyard.checks.core.registry import all_checks, check_ids, select

__all__ = ["all_checks", "check_ids", "select"]
