"""Invalid configs, each with the field path its error must name (shared by main.py and CLI tests)."""

from tests.support.configs import CLUSTER_IDENTITY_YAML

NO_WORKERS = "workers:\n  enabled: false\ncluster:\n  enabled: false\n"
GOOD_STORE = NO_WORKERS + "data_store:\n  bucket_name: stackyard-test-bucket\n"
WORKERS = "workers:\n  assume_role_arn: arn:aws:iam::123456789012:role/valohai-assume-role\n"

ALIAS_BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{previous}' if previous else 'x'] * 9)}]\n"
    for previous, name in zip(["", *"abcdefg"], "abcdefgh", strict=True)
)

BAD_CONFIGS = {
    "wrong-type": (
        NO_WORKERS + "data_store:\n  bucket_name: stackyard-test-bucket\n  versioning: maybe\n",
        "data_store.versioning",
    ),
    "unknown-key": (
        NO_WORKERS + "data_store:\n  bucket_name: stackyard-test-bucket\n  bukcet: x\n",
        "data_store.bukcet",
    ),
    "unknown-section": (GOOD_STORE + "network_settings: {}\n", "network_settings"),
    "bad-region": ("aws:\n  region: eu-middle-9\n" + GOOD_STORE, "aws.region"),
    "bucket-uppercase": (NO_WORKERS + "data_store:\n  bucket_name: My_Valohai_Bucket\n", "data_store.bucket_name"),
    "bucket-ip": (NO_WORKERS + "data_store:\n  bucket_name: 192.168.10.20\n", "data_store.bucket_name"),
    "bucket-missing": (NO_WORKERS + "data_store:\n  versioning: true\n", "data_store.bucket_name"),
    "bad-origin": (GOOD_STORE + "  app_origin: app.valohai.com\n", "data_store.app_origin"),
    "bad-kms-arn": (GOOD_STORE + "  kms_key_arn: my-key\n", "data_store.kms_key_arn"),
    "bad-endpoint": ("aws:\n  endpoint_url: localhost:5000\n" + GOOD_STORE, "aws.endpoint_url"),
    "reserved-tag": ('tags:\n  "aws:team": ml\n' + GOOD_STORE, "tags.aws:team"),
    "backend-kind": ("backend:\n  type: gcs\n" + GOOD_STORE, "backend.type"),
    "backend-shared-key": (
        "backend:\n  type: s3\n  bucket: team-state\n  region: eu-west-1\n  key: one.tfstate\n" + GOOD_STORE,
        "backend.key",
    ),
    "workers-without-assume-role": (GOOD_STORE.replace(NO_WORKERS, "workers: {}\n"), "workers.assume_role_arn"),
    "bad-assume-role-arn": (
        GOOD_STORE.replace(NO_WORKERS, "workers:\n  assume_role_arn: arn:aws:iam::valohai:role/x\n"),
        "workers.assume_role_arn",
    ),
    "bad-external-id": (
        GOOD_STORE.replace(NO_WORKERS, WORKERS + "  external_id: 'has spaces'\n"),
        "workers.external_id",
    ),
    "bad-vpc-cidr": (GOOD_STORE + "network:\n  vpc_cidr: 10.0.0.0/33\n", "network.vpc_cidr"),
    "vpc-too-small-for-zones": (
        GOOD_STORE + "network:\n  vpc_cidr: 10.0.0.0/23\n  availability_zone_count: 4\n  subnet_prefix_length: 24\n",
        "network.availability_zone_count",
    ),
    "subnet-larger-than-vpc": (
        GOOD_STORE + "network:\n  vpc_cidr: 10.0.0.0/20\n  subnet_prefix_length: 16\n",
        "network.subnet_prefix_length",
    ),
    "overlapping-subnets": (
        GOOD_STORE + "network:\n  availability_zone_count: 2\n  subnet_cidrs: [10.0.0.0/20, 10.0.8.0/24]\n",
        "network.subnet_cidrs",
    ),
    "subnet-outside-vpc": (
        GOOD_STORE + "network:\n  availability_zone_count: 1\n  subnet_cidrs: [192.168.0.0/24]\n",
        "network.subnet_cidrs",
    ),
    "bad-app-ip": (GOOD_STORE + "firewall:\n  app_cidr: 34.248.245.300/32\n", "firewall.app_cidr"),
    "port-out-of-range": (GOOD_STORE + "firewall:\n  redis_tls_port: 70000\n", "firewall.redis_tls_port"),
    "port-zero": (GOOD_STORE + "firewall:\n  redis_tls_port: 0\n", "firewall.redis_tls_port"),
    "customer-queue-without-admin-ip": (GOOD_STORE + "queue:\n  installed_by: customer\n", "queue.admin_ssh_cidr"),
    "customer-queue-without-address": (
        GOOD_STORE + "queue:\n  installed_by: customer\n  admin_ssh_cidr: 203.0.113.7/32\n",
        "queue.address",
    ),
    "customer-queue-without-port-80": (
        GOOD_STORE
        + "firewall:\n  acme_http: false\n"
        + "queue:\n  installed_by: customer\n  admin_ssh_cidr: 203.0.113.7/32\n  address: q.vqueue.net\n",
        "firewall.acme_http",
    ),
    "queue-address-not-a-hostname": (GOOD_STORE + "queue:\n  address: https://q.vqueue.net/\n", "queue.address"),
    "acme-directory-plain-http": (
        GOOD_STORE + "queue:\n  acme_directory: http://acme.example.com/directory\n",
        "queue.acme_directory",
    ),
    "secret-recovery-window": (GOOD_STORE + "queue:\n  password_recovery_days: 3\n", "queue.password_recovery_days"),
    "bad-public-key": (GOOD_STORE + "queue:\n  key_pair:\n    public_key: not-a-key\n", "queue.key_pair.public_key"),
    "bad-ami": (GOOD_STORE + "queue:\n  ami_id: ubuntu-20.04\n", "queue.ami_id"),
    "existing-network-bad-id": (
        GOOD_STORE + "network:\n  existing:\n    vpc_id: my-vpc\n    subnet_ids: [subnet-0a1b2c3d]\n",
        "network.existing.vpc_id",
    ),
    "negative-factories": (
        GOOD_STORE.replace("cluster:\n  enabled: false\n", "cluster:\n  factories_num: -1\n"),
        "cluster.factories_num",
    ),
    "timeout-below-minus-one": (
        GOOD_STORE.replace("cluster:\n  enabled: false\n", "cluster:\n  orchestrator_timeout: -2\n"),
        "cluster.orchestrator_timeout",
    ),
    "factories-outlive-orchestrator": (
        WORKERS + "data_store:\n  bucket_name: stackyard-test-bucket\n"
        "cluster:\n"
        + CLUSTER_IDENTITY_YAML
        + "  access_cidrs: [198.51.100.0/24]\n  orchestrator_timeout: 2\n  factories_timeout: 5\n",
        "cluster.factories_timeout",
    ),
    "cluster-open-to-the-internet": (
        WORKERS
        + "data_store:\n  bucket_name: stackyard-test-bucket\ncluster:\n"
        + CLUSTER_IDENTITY_YAML
        + "  access_cidrs: [0.0.0.0/0]\n",
        "cluster.access_cidrs",
    ),
    "cluster-reserved-tag": (
        WORKERS + "data_store:\n  bucket_name: stackyard-test-bucket\n"
        "cluster:\n" + CLUSTER_IDENTITY_YAML + "  access_cidrs: [198.51.100.0/24]\n  tags: {creator: me}\n",
        "cluster.tags",
    ),
    "cluster-without-network": (
        "workers:\n  enabled: false\ndata_store:\n  bucket_name: stackyard-test-bucket\n"
        "cluster:\n" + CLUSTER_IDENTITY_YAML + "  access_cidrs: [198.51.100.0/24]\n",
        "cluster.subnet_id",
    ),
    "cluster-without-access-ranges": (
        WORKERS
        + "data_store:\n  bucket_name: stackyard-test-bucket\ncluster:\n"
        + CLUSTER_IDENTITY_YAML
        + "  access_cidrs: []\n",
        "cluster.access_cidrs",
    ),
    "cluster-focal-with-s3fs": (
        WORKERS + "data_store:\n  bucket_name: stackyard-test-bucket\n"
        "cluster:\n" + CLUSTER_IDENTITY_YAML + "  access_cidrs: [198.51.100.0/24]\n  ubuntu_release: '20.04'\n",
        "cluster.ubuntu_release",
    ),
    "log-bucket-name-too-long": (
        "workers: {enabled: false}\ncluster: {enabled: false}\ndata_store:\n  bucket_name: " + "b" * 55 + "\n",
        "data_store.access_logging.target_bucket",
    ),
    "zone-outside-region": (
        WORKERS + "data_store:\n  bucket_name: stackyard-test-bucket\ncluster: {enabled: false}\n"
        "network:\n  availability_zones: [us-east-1a]\n",
        "network.availability_zones",
    ),
    "flow-log-retention-not-offered": (
        WORKERS + "data_store:\n  bucket_name: stackyard-test-bucket\ncluster: {enabled: false}\n"
        "network:\n  flow_logs: {retention_days: 100}\n",
        "network.flow_logs.retention_days",
    ),
    "setup-commands-too-long-for-user-data": (
        WORKERS + "data_store:\n  bucket_name: stackyard-test-bucket\n"
        "cluster:\n" + CLUSTER_IDENTITY_YAML + "  access_cidrs: [198.51.100.0/24]\n"
        "  setup_cmds: [" + ", ".join(["'" + "x" * 4000 + "'"] * 3) + "]\n",
        "cluster.setup_cmds",
    ),
    "pgp-key-not-a-key": (
        "workers: {enabled: false}\ncluster: {enabled: false}\ndata_store:\n  bucket_name: stackyard-test-bucket\n"
        "  pgp_key: not a key\n",
        "data_store.pgp_key",
    ),
    "not-a-mapping": ("- aws\n- data_store\n", "YAML mapping"),
    "broken-yaml": ("data_store: [unclosed\n", "not valid YAML"),
    # 80 aliases that expand to 43 million values: refused before anything is built from them
    "alias-bomb": (ALIAS_BOMB + GOOD_STORE + "tags:\n  team: *h\n", "expands to more than 100,000 values"),
    "nested-too-deeply": (GOOD_STORE + "tags: " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
    "too-large": (GOOD_STORE + "# " + "x" * 1_000_000 + "\n", "limit 1,000,000"),
}
