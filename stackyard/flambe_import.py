"""Importing a flambé `aws-cluster.yaml` (seed 004) as a complete stackyard config."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from stackyard.config import ConfigError, default_config_text, validate_config_data

REQUIRED = object()


@dataclass(frozen=True)
class FlambeParameter:
    """One parameter of flambé's AWSCluster (flambe/cluster/aws.py, AWSCluster.__init__) and where it goes."""

    name: str
    target: str
    """Dotted stackyard config key it becomes."""
    default: Any = REQUIRED
    """flambé's own default, used when the file leaves the parameter out."""


# Every parameter of AWSCluster.__init__, in its order. flambé requires security_group and subnet_id; stackyard
# creates both when the file has none (or the template's placeholders), so here they are optional.
FLAMBE_PARAMETERS = (
    FlambeParameter("name", "cluster.name"),
    FlambeParameter("factories_num", "cluster.factories_num"),
    FlambeParameter("factories_type", "cluster.factories_type"),
    FlambeParameter("orchestrator_type", "cluster.orchestrator_type"),
    FlambeParameter("key_name", "cluster.key_name"),
    FlambeParameter("security_group", "cluster.security_group", None),
    FlambeParameter("subnet_id", "cluster.subnet_id", None),
    FlambeParameter("creator", "cluster.creator"),
    FlambeParameter("key", "cluster.key"),
    FlambeParameter("volume_type", "cluster.volume_type", "gp2"),
    FlambeParameter("region_name", "aws.region", None),
    FlambeParameter("username", "cluster.username", "ubuntu"),
    FlambeParameter("tags", "cluster.tags", {}),
    FlambeParameter("orchestrator_ami", "cluster.orchestrator_ami", None),
    FlambeParameter("factory_ami", "cluster.factory_ami", None),
    FlambeParameter("dedicated", "cluster.dedicated", False),
    FlambeParameter("orchestrator_timeout", "cluster.orchestrator_timeout", -1),
    FlambeParameter("factories_timeout", "cluster.factories_timeout", 1),
    FlambeParameter("volume_size", "cluster.volume_size", 100),
    FlambeParameter("setup_cmds", "cluster.setup_cmds", []),
)
FLAMBE_KEYS = tuple(parameter.name for parameter in FLAMBE_PARAMETERS)
# The template's "fill me in" values (subnet-XXXXXXXXXXXXXXX, sg-XXXXXXXXXXXXXXX).
_PLACEHOLDER = re.compile(r"^(subnet|sg)-X+$")


class _FlambeLoader(yaml.SafeLoader):
    """SafeLoader that understands flambé's !AWSCluster tag (and nothing else of flambé's)."""


def _aws_cluster(loader: yaml.SafeLoader, node: yaml.Node) -> dict[str, Any]:
    if not isinstance(node, yaml.MappingNode):
        raise yaml.constructor.ConstructorError(None, None, "!AWSCluster must tag a mapping", node.start_mark)
    return {"!AWSCluster": loader.construct_mapping(node, deep=True)}


_FlambeLoader.add_constructor("!AWSCluster", _aws_cluster)


def import_flambe(text: str, source: str) -> tuple[dict[str, Any], list[str]]:
    """(a complete, validated stackyard config as plain data, notes for the user); raises ConfigError."""
    try:
        document = yaml.load(text, Loader=_FlambeLoader)
    except yaml.YAMLError as error:
        raise ConfigError(source, [f"not a flambé YAML file ({error})"]) from None
    if not isinstance(document, dict) or "!AWSCluster" not in document:
        raise ConfigError(source, ["not a flambé AWSCluster file: it must start with the !AWSCluster tag"])
    flambe = document["!AWSCluster"]

    problems = [
        f"{key}: not an AWSCluster parameter; allowed: {', '.join(FLAMBE_KEYS)}"
        for key in flambe
        if key not in FLAMBE_KEYS
    ]
    problems += [
        f"{p.name}: required by flambé's AWSCluster but missing"
        for p in FLAMBE_PARAMETERS
        if p.default is REQUIRED and p.name not in flambe
    ]
    if problems:
        raise ConfigError(source, problems)

    notes = []
    values = {p.name: flambe.get(p.name, p.default) for p in FLAMBE_PARAMETERS}
    instead = {"subnet_id": "the workers stack's network is used", "security_group": "the cluster stack creates one"}
    for key, replacement in instead.items():
        value = values[key]
        if isinstance(value, str) and _PLACEHOLDER.match(value):
            values[key] = None
            notes.append(f"{key} is the template's placeholder {value!r}: {replacement}")
    if "volume_type" not in flambe:
        notes.append("volume_type: flambé's default gp2 is kept; gp3 costs less for the same size, set it to switch")
    if values["volume_type"] == "io1":
        notes.append("volume_type io1: provisioned with 5000 IOPS, as flambé does")

    config = yaml.safe_load(default_config_text())
    for parameter in FLAMBE_PARAMETERS:
        section, key = parameter.target.split(".")
        if parameter.name == "region_name" and values["region_name"] is None:
            notes.append(
                f"region_name is not set: flambé would use your AWS default region; aws.region is "
                f"{config['aws']['region']}"
            )
            continue
        config[section][key] = values[parameter.name]
    if values["region_name"] is not None and config["network"].get("availability_zones"):
        config["network"]["availability_zones"] = None
        notes.append(
            f"region_name {values['region_name']}: network.availability_zones set to null (the region's "
            "zones); the example pins eu-west-1's"
        )
    try:
        validated = validate_config_data(config, source)
    except ConfigError as error:
        raise ConfigError(source, [_as_flambe_key(problem) for problem in error.problems]) from None
    return validated.model_dump(mode="json"), notes


def _as_flambe_key(problem: str) -> str:
    """Errors name the key as the flambé file spells it (cluster.x -> x, aws.region -> region_name)."""
    for parameter in FLAMBE_PARAMETERS:
        if problem.startswith(f"{parameter.target} ") or problem.startswith(f"{parameter.target}:"):
            return parameter.name + problem.removeprefix(parameter.target)
    return problem


def render(config: dict[str, Any], source: str) -> str:
    header = (
        f"# stackyard config imported from flambé's {source}: the cluster section comes from that file,\n"
        "# every other section is the embedded default (values marked EXAMPLE there must be replaced).\n"
    )
    return header + yaml.safe_dump(config, sort_keys=False, default_flow_style=False)
