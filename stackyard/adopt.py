"""`stackyard adopt`: discover what exists, refuse what Terraform would replace, write the adoption file.

Nothing is written to AWS: the adoption file only tells the synth to emit Terraform import blocks; `cdktf diff`
shows what the import changes, `cdktf deploy` carries it out."""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from stackyard.config import ConfigError, exit_bad_input, load_config
from stackyard.config.adoption import AdoptedResource, Adoption, adoption_path, load_adoption
from stackyard.config.errors import EXIT_BAD_INPUT
from stackyard.discovery.core.base import State
from stackyard.discovery.core.context import DiscoveryContext
from stackyard.discovery.core.runner import DiscoveryReport, discover
from stackyard.discovery.reporters.table import render_table
from stackyard.stack_names import planned_stacks

HEADER = """\
# stackyard adoption file: the existing resources of {config} that the stacks take over instead of creating.
# Written by `stackyard adopt` from {target}; review it and check it in beside the config.
# The synth (make synth, cdktf synth|diff|deploy) reads it and emits a Terraform import block for each import_id,
# so `cdktf deploy` imports these resources; nothing is created in their place and nothing is deleted.
#   import_id  Terraform's import id of the resource in that place of the stack
#   keep       the found value of an attribute whose change would make Terraform replace the resource
#   ignore     attributes Terraform leaves as they are
#   existing   used as it is and never managed (a key pair, an access key whose secret cannot be read back)
#   unmanaged  found, with no place in the stack: left alone, never duplicated
# Run `stackyard adopt` again after changing the config; delete an entry to have stackyard create that resource.
"""


@dataclass
class AdoptOptions:
    config: Path | None
    environment: str | None = None
    profile: str | None = None


def run_adopt(options: AdoptOptions) -> int:
    """Exit 0 with the file written (or nothing to adopt), 1 when a lookup failed, 2 when adoption is refused."""
    if options.config is None:
        exit_bad_input("adopt: --config is required (the adoption file is written beside it)")
    try:
        config = load_config(options.config)
        if config.environments and options.environment is None:
            names = ", ".join(environment.name for environment in config.environments)
            exit_bad_input(
                f"adopt: {options.config} has environments ({names}); name the one to adopt with --environment"
            )
        # The other environments' entries stay; anything for a stack the config no longer makes goes.
        other_stacks = {stack.name for stack in planned_stacks(config) if stack.environment != options.environment}
        if options.environment is not None:
            config = config.environment_config(options.environment)
        kept = load_adoption(options.config)
    except ConfigError as error:
        exit_bad_input(error.render())
    except ValueError as error:
        exit_bad_input(str(error))

    report = discover(DiscoveryContext(config, options.profile), options.environment)
    sys.stdout.write(render_table(report))
    problems = blocking_problems(report)
    if report.count(State.ERROR):
        print("adopt: some look-ups failed (see the table); nothing written", file=sys.stderr)
        return 1
    if problems:
        lines = [f"adopt: refused, nothing written ({len(problems)} problem(s)):", *(f"  - {p}" for p in problems)]
        print("\n".join(lines), file=sys.stderr)
        return EXIT_BAD_INPUT

    found = report.adoption()
    path = adoption_path(options.config)
    others = {name: stack for name, stack in kept.stacks.items() if name in other_stacks}
    if not any(stack.resources for stack in found.stacks.values()):
        if kept.stacks.keys() - others.keys():  # entries of an earlier run would import what is gone
            if others:
                write_adoption(path, Adoption(stacks=others), {}, options.config, report.target)
            else:
                path.unlink()
            print(f"adopt: removed this config's earlier entries from {path}", file=sys.stderr)
        print("adopt: nothing found to adopt; the stacks create everything", file=sys.stderr)
        return 0
    merged = Adoption(stacks={**others, **found.stacks})
    write_adoption(path, merged, titles(report), options.config, report.target)
    print(summary(found, path), file=sys.stderr)
    return 0


def blocking_problems(report: DiscoveryReport) -> list[str]:
    """What must be settled by a person first: ambiguous names and refused differences."""
    problems = [
        f"{finding.title}: {len(finding.ids)} resources answer to it ({', '.join(finding.ids)}); rename or delete all "
        "but one, then run `stackyard adopt` again"
        for finding in report.findings
        if finding.state is State.AMBIGUOUS
    ]
    problems += [f"{finding.title}: {refusal.line()}" for finding, refusal in report.refusals()]
    return problems


def titles(report: DiscoveryReport) -> dict[str, str]:
    """Slot -> the title of the finding that filled it, for the file's comments."""
    return {slot: finding.title for finding in report.findings for slot in finding.adoption.resources}


def write_adoption(path: Path, adoption: Adoption, slot_titles: dict[str, str], config: Path, target: str) -> None:
    lines = [HEADER.format(config=config.name, target=target), "version: 1", "stacks:"]
    for stack_name, stack in sorted(adoption.stacks.items()):
        lines += [f"  {stack_name}:", "    resources:"]
        for slot, entry in stack.resources.items():
            if slot in slot_titles:
                lines.append(f"      # {slot_titles[slot]}")
            lines.append(f"      {slot}:")
            lines += _indented(entry.model_dump(exclude_defaults=True), 8)
        if stack.unmanaged:
            lines.append("    unmanaged:")
            lines += _indented(stack.unmanaged, 6)
    text = "\n".join(lines) + "\n"
    Adoption.model_validate(yaml.safe_load(text))  # what is written reads back
    # Written whole or not at all: a half-written file would import half an estate.
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write(text)
    os.replace(temporary, path)


def _indented(value: object, spaces: int) -> list[str]:
    dumped = yaml.safe_dump(value, sort_keys=False, allow_unicode=True, width=1000).rstrip("\n")
    return [" " * spaces + line for line in dumped.splitlines()]


def summary(adoption: Adoption, path: Path) -> str:
    lines = [f"adopt: wrote {path}"]
    for name, stack in adoption.stacks.items():
        imports = stack.imports()
        used = {slot: entry.existing for slot, entry in stack.resources.items() if entry.existing}
        lines.append(
            f"  {name}: {len(imports)} to import, {len(used)} used as they are, {len(stack.unmanaged)} left alone"
        )
        lines += [
            f"    kept {slot}: {', '.join(_kept(entry))}" for slot, entry in stack.resources.items() if _kept(entry)
        ]
        lines += [f"    used as it is: {slot} {existing}" for slot, existing in used.items()]
        lines += [f"    left alone: {item}" for item in stack.unmanaged]
    if any("store-access-key" in stack.resources for stack in adoption.stacks.values()):
        lines.append(
            "  the store user keeps its access key (its secret cannot be read back): no second key is created, and "
            "the platform keeps the secret it has"
        )
    lines.append("next: `npx cdktf diff` shows the imports and the in-place changes, `npx cdktf deploy '*'` makes them")
    return "\n".join(lines)


def _kept(entry: AdoptedResource) -> list[str]:
    return [f"{name}={value!r}" for name, value in entry.keep.items()] + [f"{name} as found" for name in entry.ignore]
