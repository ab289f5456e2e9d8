"""Synthesize configs in-process (the provider bindings load once per test session) and read the JSON back."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stackyard.config import StackyardConfig
from stackyard.config.adoption import Adoption


@dataclass
class Synthesized:
    """The result of one synth: the output directory and every stack's parsed cdk.tf.json."""

    outdir: Path
    config: StackyardConfig

    def stack_dir(self, stack: str) -> Path:
        return self.outdir / "stacks" / stack

    def stack_names(self) -> list[str]:
        return sorted(path.name for path in (self.outdir / "stacks").iterdir())

    def raw(self, stack: str) -> str:
        return (self.stack_dir(stack) / "cdk.tf.json").read_text()

    def stack(self, stack: str) -> dict[str, Any]:
        return json.loads(self.raw(stack))

    def resources(self, stack: str, resource_type: str, within: str = "") -> dict[str, dict[str, Any]]:
        """Resources of a type; ``within`` keeps those under one construct (logical ids start with its path)."""
        found = self.stack(stack).get("resource", {}).get(resource_type, {})
        return {name: body for name, body in found.items() if name.startswith(within)}

    def one(self, stack: str, resource_type: str, within: str = "") -> dict[str, Any]:
        found = self.resources(stack, resource_type, within)
        assert len(found) == 1, f"expected exactly one {resource_type} in {stack}, found {sorted(found)}"
        return next(iter(found.values()))

    def data_sources(self, stack: str, data_type: str) -> dict[str, dict[str, Any]]:
        return self.stack(stack).get("data", {}).get(data_type, {})

    def address(self, stack: str, resource_type: str, within: str = "") -> str:
        """The Terraform address of the single resource of that type (``data.`` prefix for data sources)."""
        if resource_type.startswith("data."):
            (name,) = self.data_sources(stack, resource_type.removeprefix("data."))
        else:
            (name,) = self.resources(stack, resource_type, within)
        return f"{resource_type}.{name}"

    def ref(self, stack: str, resource_type: str, attribute: str, within: str = "") -> str:
        """The Terraform interpolation of the single resource of that type, e.g. ${aws_s3_bucket.x.arn}."""
        return f"${{{self.address(stack, resource_type, within)}.{attribute}}}"

    def policy(self, stack: str, resource_type: str, field: str = "policy", within: str = "") -> dict[str, Any]:
        return json.loads(self.one(stack, resource_type, within)[field])


def synthesize(
    config: StackyardConfig, outdir: Path, adoption: Adoption | None = None, bundle: bool = False
) -> Synthesized:
    from stacks.app import build_app, synth

    synth(build_app(config, outdir=str(outdir), adoption=adoption, bundle=bundle))
    return Synthesized(outdir=outdir, config=config)
