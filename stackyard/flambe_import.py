"""Importing a flambé `aws-cluster.yaml` (seed 004) as a complete stackyard config."""

from __future__ import annotations

import re
from typing import Any

import yaml

from stackyard.config import ConfigError, default_config_text, validate_config_data

# flambé AWSCluster's parameters (flambe/cluster/aws.py) and, for the optional ones, flambé's own defaults.
FLAMBE_REQUIRED = ("name", "factories_num", "factories_type", "orchestrator_type", "key_name", "creator", "key")
FLAMBE_DEFAULTS: dict[str, Any] = {
    "orchestrator_timeout": -1,
    "factories_timeout": 1,
    "volume_size": 100,
    "username": "ubuntu",
    "dedicated": False,
    "tags": {},
    "setup_cmds": [],
    "subnet_id": None,
    "security_group": None,
    "orchestrator_ami": None,
    "factory_ami": None,
}
FLAMBE_KEYS = (*FLAMBE_REQUIRED, *FLAMBE_DEFAULTS)
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
    problems += [f"{key}: required by flambé's AWSCluster but missing" for key in FLAMBE_REQUIRED if key not in flambe]
    if problems:
        raise ConfigError(source, problems)

    notes = []
    cluster_values = {**FLAMBE_DEFAULTS, **flambe}
    instead = {"subnet_id": "the workers stack's network is used", "security_group": "the cluster stack creates one"}
    for key, replacement in instead.items():
        value = cluster_values[key]
        if isinstance(value, str) and _PLACEHOLDER.match(value):
            cluster_values[key] = None
            notes.append(f"{key} is the template's placeholder {value!r}: {replacement}")

    config = yaml.safe_load(default_config_text())
    config["cluster"] = {**config["cluster"], **cluster_values}
    try:
        validated = validate_config_data(config, source)
    except ConfigError as error:
        raise ConfigError(source, [_as_flambe_key(problem) for problem in error.problems]) from None
    return validated.model_dump(mode="json"), notes


def _as_flambe_key(problem: str) -> str:
    """Errors name the key as the flambé file spells it (cluster.x -> x), other sections stay as they are."""
    return problem.removeprefix("cluster.")


def render(config: dict[str, Any], source: str) -> str:
    header = (
        f"# stackyard config imported from flambé's {source}: the cluster section comes from that file,\n"
        "# every other section is the embedded default (values marked EXAMPLE there must be replaced).\n"
    )
    return header + yaml.safe_dump(config, sort_keys=False, default_flow_style=False)
