"""What `stackyard plan`, `deploy` and `destroy` share: the config's stacks synthesized into a private scratch folder
without prevent_destroy (so that Terraform can show a plan that would harm a protected resource in full, where
the deployable synth only stops with an error), each stack's plan reviewed before anything is applied, and
exactly the reviewed plan applied."""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from stackyard.changes.review import Change, StackReview, render_refusal, render_review, review_plan
from stackyard.changes.terraform import StackFolder, TerraformError
from stackyard.config import ConfigError, StackyardConfig
from stackyard.config.adoption import Adoption, load_adoption
from stackyard.stack_names import PlannedStack, planned_stacks
from stackyard.synthesis import synthesize_json

EXIT_REFUSED = 2
"""Refused (or not approved): nothing was changed."""


class ChangeError(Exception):
    """A plan, deploy or destroy that cannot go on; the message says why and what to do."""


@dataclass
class Session:
    config: StackyardConfig
    config_file: Path | None
    scratch: Path
    """The synth without prevent_destroy, read for plans only."""
    stacks: list[PlannedStack]
    adoption: Adoption = field(default_factory=Adoption)
    _folders: dict[str, StackFolder] = field(default_factory=dict)

    @property
    def config_label(self) -> str:
        return str(self.config_file) if self.config_file else "the config (set --config or $STACKYARD_CONFIG)"

    def environment_config(self, stack: PlannedStack) -> StackyardConfig:
        return self.config if stack.environment is None else self.config.environment_config(stack.environment)

    def folder(self, stack: PlannedStack) -> StackFolder:
        """The stack's scratch folder: the same backend, so the same state, as the deployed stack."""
        if stack.name not in self._folders:
            self._folders[stack.name] = StackFolder(stack.name, self.scratch / "stacks" / stack.name)
        return self._folders[stack.name]

    def reads_from(self, stack: PlannedStack) -> set[str]:
        """The stacks whose outputs this one reads (cdktf's manifest lists them)."""
        manifest = json.loads((self.scratch / "manifest.json").read_text(encoding="utf-8"))
        return set(manifest["stacks"][stack.name].get("dependencies", []))

    def review(self, stack: PlannedStack) -> StackReview:
        """Plan the stack (the plan kept for `folder(stack).apply_plan()`) and review it."""
        folder = self.folder(stack)
        stack_json = json.loads((folder.folder / "cdk.tf.json").read_text(encoding="utf-8"))
        plan = folder.plan()
        protection = self.environment_config(stack).protection
        return review_plan(stack.name, plan, stack_json, protection, self.adoption.for_stack(stack.name))


@dataclass(frozen=True)
class Target:
    """Which stacks of which config a command works on."""

    config: StackyardConfig
    config_file: Path | None
    environment: str | None = None
    stacks: list[str] = field(default_factory=list)
    """Only these (--stack); empty: every stack."""

    def selected(self, verb: str) -> list[PlannedStack]:
        """The stacks in apply order; only one environment's, or only the named ones, when asked."""
        stacks = planned_stacks(self.config)
        if self.environment is not None:
            try:
                self.config.environment_config(self.environment)
            except ValueError as error:  # it names the environments there are
                raise ChangeError(str(error)) from None
            stacks = [stack for stack in stacks if stack.environment == self.environment]
        names = {stack.name for stack in stacks}
        unknown = [name for name in self.stacks if name not in names]
        if unknown:
            there = ", ".join(stack.name for stack in stacks) or "none"
            raise ChangeError(f"--stack {unknown[0]}: the config has no such stack; it has {there}")
        chosen = [stack for stack in stacks if not self.stacks or stack.name in self.stacks]
        if not chosen:
            raise ChangeError(f"the config turns every stack off: nothing to {verb}")
        return chosen


@contextmanager
def session(target: Target, verb: str) -> Iterator[Session]:
    """The selected stacks and the scratch synth, removed afterwards with every plan file in it."""
    stacks = target.selected(verb)
    try:
        adoption = load_adoption(target.config_file)
    except ConfigError as error:
        raise ChangeError(error.render()) from None
    scratch = Path(tempfile.mkdtemp(prefix="stackyard-plan-"))
    try:
        synthesize_json(scratch, target.config_file, lifted=True)
        yield Session(target.config, target.config_file, scratch, stacks, adoption)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


@dataclass
class Reviewed:
    """Every selected stack's review, or why it waits: a stack that reads the outputs of one with changes still
    to apply (a first deploy) is planned once those are applied."""

    reviews: dict[str, StackReview] = field(default_factory=dict)
    waiting: dict[str, list[str]] = field(default_factory=dict)
    """Stack -> the stacks it waits for."""

    @property
    def refused(self) -> list[Change]:
        return [change for review in self.reviews.values() for change in review.refused]

    def lines(self) -> list[str]:
        lines = [line for review in self.reviews.values() for line in render_review(review)]
        for stack, before in self.waiting.items():
            lines.append(f"{stack}: planned once {' and '.join(before)} are applied (it reads their outputs)")
        return lines


def review_all(current: Session) -> Reviewed:
    """Plan every selected stack (read-only) and say what each would do, and what is refused; TerraformError when
    a plan fails for another reason than reading a stack whose changes are not applied yet."""
    reviewed = Reviewed()
    selected = [stack.name for stack in current.stacks]
    for stack in current.stacks:
        before = [
            name
            for name in selected
            if name in current.reads_from(stack) and (name in reviewed.waiting or reviewed.reviews[name].pending)
        ]
        try:
            reviewed.reviews[stack.name] = current.review(stack)
        except TerraformError:
            if not before:
                raise
            reviewed.waiting[stack.name] = before
    print("\n".join(reviewed.lines()))
    if reviewed.refused:
        print("\n".join(render_refusal(reviewed.refused, current.config_label)))
    return reviewed


def approved(auto_approve: bool, confirm: Callable[[str], bool] | None, question: str, flag_says: str) -> bool:
    """--auto-approve, else the user's answer; with no terminal to ask, no."""
    if auto_approve:
        return True
    if confirm is None or not sys.stdin.isatty():
        print(f"stackyard: no terminal to ask for approval; run again with --auto-approve to {flag_says}")
        return False
    return confirm(question)


__all__ = [
    "EXIT_REFUSED",
    "ChangeError",
    "Reviewed",
    "Session",
    "Target",
    "TerraformError",
    "approved",
    "review_all",
    "session",
]
