"""Pieces of test configs used in several test modules."""

# flambé requires these three; a cluster section without them is rejected (no example values as defaults).
CLUSTER_IDENTITY = {"creator": "ml-team@example.org", "key_name": "ml-team", "key": "~/.ssh/ml-team.pem"}
CLUSTER_IDENTITY_YAML = "  creator: ml-team@example.org\n  key_name: ml-team\n  key: ~/.ssh/ml-team.pem\n"
