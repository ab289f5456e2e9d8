"""cluster-key-file: the .pem named in the config exists and only its owner may read it (flambé: chmod 400)."""

from __future__ import annotations

import stat
from pathlib import Path

from stackyard.checks.core.base import Check, Outcome, Severity, failed, passed
from stackyard.checks.core.context import VerifyContext


class ClusterKeyFile(Check):
    id = "cluster-key-file"
    title = "Cluster key file exists with mode 0400"
    seed = "004"
    severity = Severity.LOW
    remediation = "Save the key pair's .pem at cluster.key and run chmod 400 on it"
    order = 140
    needs_outputs = ("cluster_name",)

    def run(self, context: VerifyContext) -> Outcome:
        path = Path(context.config.cluster.key).expanduser()
        if not path.is_file():
            return failed(f"{path} does not exist; save the key pair's .pem there (cluster.key)")
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode != 0o400:
            return failed(f"{path} has mode {mode:04o}; run chmod 400 {path} (flambé refuses other modes)")
        return passed(f"{path} exists with mode 0400")
