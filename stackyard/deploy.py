"""`stackyard deploy`: the same review as `stackyard plan`, refused before anything changes when it would delete or
replace a protected resource the config does not allow; then exactly the reviewed plan of each stack applied, in
order, and the outputs of every stack of the config written to one file, mode 0600."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from stackyard.changes.review import render_refusal, render_review
from stackyard.changes.session import EXIT_REFUSED, Target, approved, review_all, session
from stackyard.stack_names import planned_stacks

DEFAULT_OUTPUTS = Path("outputs.json")


@dataclass(frozen=True)
class DeployOptions(Target):
    outputs_file: Path = DEFAULT_OUTPUTS
    auto_approve: bool = False
    confirm: Callable[[str], bool] | None = None
    """Asks the user; None means there is no one to ask (then only --auto-approve goes ahead)."""


def run_deploy(options: DeployOptions) -> int:
    """0 when applied and the outputs written; 2 when refused (nothing changed), or not approved."""
    with session(options, "deploy") as current:
        reviewed = review_all(current)
        if reviewed.refused:
            return EXIT_REFUSED
        stacks = current.stacks
        question = f"Apply {', '.join(stack.name for stack in stacks)} as planned above?"
        if not approved(options.auto_approve, options.confirm, question, "apply this plan"):
            print("stackyard: not applied (nothing was changed)")
            return EXIT_REFUSED
        applied: list[str] = []
        for stack in stacks:
            review = reviewed.reviews.get(stack.name)
            if review is None or current.reads_from(stack) & set(applied):
                # It waited for the stacks just applied, or its plan read their outputs before they changed:
                # planned again now, and refused like the others.
                review = current.review(stack)
                print("\n".join(render_review(review)))
                if review.refused:
                    print("\n".join(render_refusal(review.refused, current.config_label)))
                    print(f"stackyard: {stack.name} was not changed; applied before it: {', '.join(applied)}")
                    return EXIT_REFUSED
            if not review.pending:
                print(f"stackyard: {stack.name}: nothing to apply")
                continue
            print(f"stackyard: applying {stack.name}", flush=True)
            current.folder(stack).apply_plan()
            applied.append(stack.name)
        outputs = {stack.name: current.folder(stack).outputs() for stack in planned_stacks(options.config)}
    write_outputs(options.outputs_file, outputs)
    missing = [name for name, values in outputs.items() if not values]
    note = f" ({', '.join(missing)} not deployed yet)" if missing else ""
    print(f"stackyard: outputs of every stack of the config in {options.outputs_file} (mode 0600){note}")
    return 0


def write_outputs(path: Path, outputs: dict[str, dict]) -> None:
    """The outputs file (cdktf's shape: stack -> output -> value), mode 0600 from the start, replaced whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        json.dump(outputs, file, indent=2)
        file.write("\n")
    os.chmod(partial, 0o600)  # an earlier partial file may have had another mode
    os.replace(partial, path)
