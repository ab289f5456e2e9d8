"""A stack's Terraform plan, read the way a careful engineer reads it: what is created, changed, replaced and
deleted, which of those resources are protected, and which config key causes each replacement."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from stackyard.config.adoption import StackAdoption
from stackyard.config.model import ProtectionSettings
from stackyard.config.protection import BY_ADDRESS, Protected, describe

# Terraform's action lists (plan JSON) in the words stackyard uses.
ACTIONS = {
    ("create",): "create",
    ("update",): "change",
    ("delete", "create"): "replace",
    ("create", "delete"): "replace",
    ("delete",): "delete",
}
ORDER = ("import", "create", "change", "replace", "delete")


@dataclass(frozen=True)
class Change:
    stack: str
    address: str
    action: str
    """import, create, change, replace or delete."""
    path: str
    """Where the config puts it (cdktf's construct path), or the address for one the config no longer has."""
    protected: Protected | None = None
    allowed: bool = False
    """The config's protection lets this resource be deleted or replaced."""
    attributes: tuple[str, ...] = ()
    """What forces a replacement (Terraform's replace_paths, first step of each)."""

    @property
    def harms(self) -> bool:
        return self.action in ("replace", "delete")

    @property
    def refused(self) -> bool:
        return self.protected is not None and self.harms and not self.allowed

    def cause(self) -> str:
        """Which config key (or attribute) makes this happen, in words."""
        if self.action == "delete":
            removed_by = self.protected.removed_by if self.protected else ""
            return "the config no longer has it" + (f" ({removed_by})" if removed_by else "")
        if self.action != "replace":
            return ""
        causes = self.protected.causes if self.protected else {}
        named = [f"{name} ({causes[name]})" if name in causes else name for name in self.attributes]
        return "a new value of " + (", ".join(named) if named else "an attribute that cannot change in place")


@dataclass
class StackReview:
    stack: str
    changes: list[Change] = field(default_factory=list)
    outputs_change: bool = False

    def counts(self) -> dict[str, int]:
        return {action: sum(1 for change in self.changes if change.action == action) for action in ORDER}

    @property
    def refused(self) -> list[Change]:
        return [change for change in self.changes if change.refused]

    @property
    def pending(self) -> bool:
        """Anything for an apply to do: a resource, or an output."""
        return bool(self.changes) or self.outputs_change


def review_plan(
    stack: str,
    plan: dict[str, Any],
    stack_json: dict[str, Any],
    protection: ProtectionSettings,
    adoption: StackAdoption,
) -> StackReview:
    """``plan``: `terraform show -json` of a plan of ``stack_json`` (the stack's synthesized cdk.tf.json, read for
    construct paths and import blocks)."""
    paths = _construct_paths(stack_json)
    adopted = _adopted_slots(stack_json, adoption)
    output_actions = [change.get("actions", []) for change in plan.get("output_changes", {}).values()]
    review = StackReview(stack, outputs_change=any(actions != ["no-op"] for actions in output_actions))
    for resource in plan.get("resource_changes", []):
        if resource.get("mode") != "managed":
            continue
        address = resource["address"]
        change = resource.get("change", {})
        action = ACTIONS.get(tuple(change.get("actions", [])))
        if action is None and change.get("importing") is not None:
            action = "import"
        if action is None:
            continue
        name = BY_ADDRESS[address].name if address in BY_ADDRESS else adopted.get(address)
        protected = describe(name) if name else None
        review.changes.append(
            Change(
                stack=stack,
                address=address,
                action=action,
                path=paths.get(address, address),
                protected=protected,
                allowed=protected is not None and protection.allows(protected.name),
                attributes=tuple(dict.fromkeys(str(path[0]) for path in change.get("replace_paths") or [] if path)),
            )
        )
    review.changes.sort(key=lambda change: (ORDER.index(change.action), change.path))
    return review


def _construct_paths(stack_json: dict[str, Any]) -> dict[str, str]:
    paths = {}
    for resource_type, resources in stack_json.get("resource", {}).items():
        for logical_id, body in resources.items():
            path = body.get("//", {}).get("metadata", {}).get("path", "")
            paths[f"{resource_type}.{logical_id}"] = path.partition("/")[2] or logical_id
    return paths


def _adopted_slots(stack_json: dict[str, Any], adoption: StackAdoption) -> dict[str, str]:
    """Address -> adoption slot of every resource the stack imports (from its import blocks)."""
    slots = {entry.import_id: slot for slot, entry in adoption.resources.items() if entry.import_id}
    return {block["to"]: slots[block["id"]] for block in stack_json.get("import", []) if block.get("id") in slots}


def render_review(review: StackReview) -> list[str]:
    """Lines of words for one stack: a count per action, then each resource that is not only created."""
    counts = review.counts()
    summary = ", ".join(f"{count} to {action}" for action, count in counts.items() if count) or "no changes"
    lines = [f"{review.stack}: {summary}"]
    for change in review.changes:
        if change.action == "create" and change.protected is None:
            continue
        mark = ""
        if change.protected is not None:
            state = "REFUSED" if change.refused else ("allowed" if change.harms and change.allowed else "protected")
            mark = f"  [{change.protected.name}: {state}]"
        lines.append(f"  {change.action:<8} {change.path} ({change.address}){mark}")
        cause = change.cause()
        if cause:
            lines.append(f"           because of {cause}")
    return lines


def render_refusal(refused: list[Change], config_label: str) -> list[str]:
    """What was refused, why each resource matters, and the two ways on."""
    lines = [
        f"stackyard: refused: this would delete or replace {len(refused)} protected resource(s); nothing was changed."
    ]
    for change in refused:
        protected = change.protected
        assert protected is not None
        lines.append(f"  - {protected.name} ({protected.what}, stack {change.stack}) would be {change.action}d,")
        lines.append(f"    because of {change.cause()}.")
        lines.append(f"    Protected: {protected.why}.")
    names = ", ".join(dict.fromkeys(change.protected.name for change in refused if change.protected))
    lines.append(
        f"  Undo that change in {config_label}, or allow it there: protection: {{allow_replace: [{names}]}} "
        "(remove the entry again after the deploy)."
    )
    return lines
