"""The stacks' names, in the order they are applied: shared by generation, handoff and verification."""

DATA_STACK = "data"
WORKERS_STACK = "workers"
CLUSTER_STACK = "cluster"
STACK_ORDER = (DATA_STACK, WORKERS_STACK, CLUSTER_STACK)


def environment_prefix(environment: str | None) -> str:
    """What an environment's stack names start with: "<env>-" (<env>-data, ...); "" without environments."""
    return f"{environment}-" if environment else ""
