"""The stacks' names, in the order they are applied: shared by generation, handoff and verification."""

DATA_STACK = "data"
WORKERS_STACK = "workers"
CLUSTER_STACK = "cluster"
STACK_ORDER = (DATA_STACK, WORKERS_STACK, CLUSTER_STACK)
