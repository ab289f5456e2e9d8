"""`stackyard plan`: per stack, in words, what a deploy would create, change, replace and delete, which config key
causes each replacement, and which protected resources it would touch. Read-only."""

from __future__ import annotations

from stackyard.changes.session import EXIT_REFUSED, Target, review_all, session


def run_plan(target: Target) -> int:
    """Exit 0 when a deploy may go ahead, 2 when it would be refused; ChangeError and TerraformError (the CLI reports
    them) when it cannot tell."""
    with session(target, "plan") as current:
        if review_all(current).refused:
            return EXIT_REFUSED
    print("stackyard: no protected resource would be deleted or replaced; `stackyard deploy` may go ahead")
    return 0
