"""The adoption file: which existing resources the stacks take over instead of creating.

`stackyard adopt` writes it beside the config (``stackyard.yaml`` -> ``stackyard.adoption.yaml``), the synth reads
it and emits a Terraform ``import`` block for each entry, so `cdktf deploy` imports what a person made by hand
(or flambé made) rather than failing on ``EntityAlreadyExists`` or making a second one. Entries are keyed by stack
name, then by slot: the place in that stack a resource fills (``vpc``, ``subnet-1``, ``queue-ssh``, ...)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from stackyard.config import bounded_yaml
from stackyard.config.errors import ConfigError, describe_error

ADOPTION_SUFFIX = ".adoption.yaml"
KIND = "adoption file"


class AdoptedResource(BaseModel):
    """One existing resource in its slot: imported (Terraform manages it from then on) or only used."""

    model_config = ConfigDict(extra="forbid")

    import_id: str | None = Field(None, min_length=1, description="Terraform's import id of the resource.")
    existing: str | None = Field(
        None,
        min_length=1,
        description="Used as it is and not managed (a key pair, an access key whose secret cannot be read back).",
    )
    keep: dict[str, Any] = Field(
        default_factory=dict,
        description="Attribute -> the found value, set where the config's value would make Terraform replace it.",
    )
    ignore: list[str] = Field(default_factory=list, description="Attributes Terraform leaves as found.")

    @model_validator(mode="after")
    def _one_way(self) -> AdoptedResource:
        if (self.import_id is None) == (self.existing is None):
            raise ValueError("import_id: give exactly one of import_id (take it over) or existing (only use it)")
        return self


class StackAdoption(BaseModel):
    model_config = ConfigDict(extra="forbid")

    resources: dict[str, AdoptedResource] = Field(default_factory=dict, description="Slot -> the found resource.")
    unmanaged: list[str] = Field(
        default_factory=list, description="Found, but with no place in the stack: left as they are, not duplicated."
    )

    def imports(self) -> dict[str, str]:
        return {slot: entry.import_id for slot, entry in self.resources.items() if entry.import_id}


class Adoption(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = 1
    stacks: dict[str, StackAdoption] = Field(default_factory=dict, description="Stack name -> its adopted resources.")
    _source: str = PrivateAttr("adoption file")

    def for_stack(self, name: str) -> StackAdoption:
        return self.stacks.get(name) or StackAdoption()

    def check_stacks(self, planned: list[str]) -> None:
        """Raise when the file names a stack the config does not make (``planned``: the names it makes)."""
        problems = [
            f"stacks.{name}: the config makes no such stack (it makes: {', '.join(planned) or 'none'}); "
            "run `stackyard adopt` again"
            for name in self.stacks
            if name not in planned
        ]
        if problems:
            raise self.error(problems)

    def error(self, problems: list[str]) -> ConfigError:
        """A problem of this file that only the stacks can see (a slot or stack the config does not make)."""
        return ConfigError(self._source, problems, KIND)


def adoption_path(config_path: str | Path) -> Path:
    """Where the adoption file of a config lives: beside it, named after it."""
    path = Path(config_path)
    return path.with_name(path.name.removesuffix(path.suffix) + ADOPTION_SUFFIX)


def load_adoption(config_path: str | Path | None) -> Adoption:
    """The adoption file beside the config; an empty adoption when there is none (or no config file)."""
    if config_path is None:
        return Adoption()
    path = adoption_path(config_path)
    if not path.exists():
        return Adoption()
    try:
        data = bounded_yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError, bounded_yaml.TooLarge) as error:
        problem = f"cannot read it ({error}); fix it, or delete it and run `stackyard adopt` again"
        raise ConfigError(str(path), [problem], KIND) from None
    try:
        adoption = Adoption.model_validate(data)
    except ValidationError as error:
        problems = [describe_error(item, Adoption) for item in error.errors()]
        raise ConfigError(str(path), problems, KIND) from None
    adoption._source = str(path)
    return adoption
