"""The synthesized stacks of one environment, read as Terraform: resources by type, and references followed to the
resource they name, across stacks too (cdktf's cross-stack outputs), so a layer draws what the JSON says."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stackyard.stack_names import STACK_ORDER, environment_prefix

REFERENCE = re.compile(r"^\$\{([a-z0-9_]+)\.([\w-]+)\.[\w.\[\]]+\}$")
REMOTE_OUTPUT = re.compile(
    r"^\$\{data\.terraform_remote_state\.cross-stack-reference-input-([\w-]+)\.outputs\.([\w-]+)\}$"
)
ANY_REFERENCE = re.compile(r"\$\{([a-z0-9_]+)\.([\w-]+)\.")


@dataclass(frozen=True)
class Resource:
    stack: str
    """The stack's kind: data, workers or cluster."""
    type: str
    name: str
    body: dict[str, Any]

    @property
    def address(self) -> str:
        return f"{self.stack}.{self.type}.{self.name}"

    @property
    def tag_name(self) -> str | None:
        tags = self.body.get("tags")
        return tags.get("Name") if isinstance(tags, dict) else None


class TerraformStacks:
    """Every stack of one environment (``stacks/<prefix><kind>/cdk.tf.json``), keyed by its kind."""

    def __init__(self, stacks: dict[str, dict[str, Any]]):
        self.stacks = stacks

    @classmethod
    def read(cls, outdir: Path, environment: str | None = None) -> TerraformStacks:
        prefix = environment_prefix(environment)
        found = {}
        for kind in STACK_ORDER:
            path = outdir / "stacks" / f"{prefix}{kind}" / "cdk.tf.json"
            if path.is_file():
                found[kind] = json.loads(path.read_text())
        return cls(found)

    def has(self, stack: str) -> bool:
        return stack in self.stacks

    def resources(self, type: str, stack: str | None = None) -> list[Resource]:
        kinds = [stack] if stack else list(self.stacks)
        return [
            Resource(kind, type, name, body)
            for kind in kinds
            for name, body in self.stacks.get(kind, {}).get("resource", {}).get(type, {}).items()
        ]

    def data_sources(self, type: str, stack: str) -> list[Resource]:
        found = self.stacks.get(stack, {}).get("data", {}).get(type, {})
        return [Resource(stack, f"data.{type}", name, body) for name, body in found.items()]

    def output(self, stack: str, name: str) -> Any:
        return self.stacks.get(stack, {}).get("output", {}).get(name, {}).get("value")

    def target(self, stack: str, value: Any) -> str | None:
        """The address of the resource (or data source) a whole-string reference in ``stack`` names, following
        cdktf's cross-stack outputs into the stack that owns it; None for a literal."""
        if not isinstance(value, str):
            return None
        remote = REMOTE_OUTPUT.match(value)
        if remote:
            owner = next((kind for kind in self.stacks if remote.group(1).endswith(kind)), None)
            return self.target(owner, self.output(owner, remote.group(2))) if owner else None
        local = REFERENCE.match(value)
        if local is None:
            return None
        if local.group(1) == "data":
            data_type, name = local.group(2), value[2:-1].split(".")[2]
            return f"{stack}.data.{data_type}.{name}"
        return f"{stack}.{local.group(1)}.{local.group(2)}"

    def mentions(self, stack: str, text: str) -> list[str]:
        """Addresses of the resources a text (a policy document) refers to anywhere in it."""
        return [f"{stack}.{type}.{name}" for type, name in ANY_REFERENCE.findall(text) if type != "data"]
