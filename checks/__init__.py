"""Verification: post-apply checks that prove the deployed infrastructure works (prowler-style: one module per
check, a shared runner, one reporter per format). Kept apart from generation (stacks/)."""

from checks.base import Check
from checks.cluster_instances import ClusterInstances
from checks.cluster_key_file import ClusterKeyFile
from checks.cluster_ssh import ClusterSsh
from checks.master_pass_role import MasterPassRole
from checks.master_trust import MasterTrust
from checks.multipart_trust import MultipartTrust
from checks.queue_instance import QueueInstance
from checks.queue_redis_tls import QueueRedisTls
from checks.queue_security_group import QueueSecurityGroup
from checks.store_cors import StoreCors
from checks.store_private import StorePrivate
from checks.store_round_trip import StoreRoundTrip
from checks.store_tls_only import StoreTlsOnly
from checks.worker_instance_protection import WorkerInstanceProtection

ALL_CHECKS: tuple[type[Check], ...] = (
    StoreRoundTrip,
    StorePrivate,
    StoreCors,
    StoreTlsOnly,
    MultipartTrust,
    WorkerInstanceProtection,
    MasterPassRole,
    MasterTrust,
    QueueSecurityGroup,
    QueueInstance,
    QueueRedisTls,
    ClusterInstances,
    ClusterSsh,
    ClusterKeyFile,
)
CHECK_IDS = tuple(check.id for check in ALL_CHECKS)


def select(only: list[str] | None = None, skip: list[str] | None = None) -> list[Check]:
    """Instances of the chosen checks, in the registry's order; unknown ids raise ValueError naming them."""
    unknown = sorted({*(only or []), *(skip or [])} - set(CHECK_IDS))
    if unknown:
        raise ValueError(f"unknown check id(s) {', '.join(unknown)}; known: {', '.join(CHECK_IDS)}")
    return [check() for check in ALL_CHECKS if (not only or check.id in only) and check.id not in (skip or [])]
