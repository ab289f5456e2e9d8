"""Invalid configs, each with the field path its error must name (shared by main.py and CLI tests)."""

GOOD_STORE = "data_store:\n  bucket_name: stackyard-test-bucket\n"

BAD_CONFIGS = {
    "wrong-type": ("data_store:\n  bucket_name: stackyard-test-bucket\n  versioning: maybe\n", "data_store.versioning"),
    "unknown-key": ("data_store:\n  bucket_name: stackyard-test-bucket\n  bukcet: x\n", "data_store.bukcet"),
    "unknown-section": (GOOD_STORE + "network_settings: {}\n", "network_settings"),
    "bad-region": ("aws:\n  region: eu-middle-9\n" + GOOD_STORE, "aws.region"),
    "bucket-uppercase": ("data_store:\n  bucket_name: My_Valohai_Bucket\n", "data_store.bucket_name"),
    "bucket-ip": ("data_store:\n  bucket_name: 192.168.10.20\n", "data_store.bucket_name"),
    "bucket-missing": ("data_store:\n  versioning: true\n", "data_store.bucket_name"),
    "bad-origin": (GOOD_STORE + "  app_origin: app.valohai.com\n", "data_store.app_origin"),
    "bad-kms-arn": (GOOD_STORE + "  kms_key_arn: my-key\n", "data_store.kms_key_arn"),
    "bad-endpoint": ("aws:\n  endpoint_url: localhost:5000\n" + GOOD_STORE, "aws.endpoint_url"),
    "reserved-tag": ('tags:\n  "aws:team": ml\n' + GOOD_STORE, "tags.aws:team"),
    "backend-kind": ("backend:\n  type: gcs\n" + GOOD_STORE, "backend.type"),
    "backend-shared-key": (
        "backend:\n  type: s3\n  bucket: team-state\n  region: eu-west-1\n  key: one.tfstate\n" + GOOD_STORE,
        "backend.key",
    ),
    "not-a-mapping": ("- aws\n- data_store\n", "YAML mapping"),
    "broken-yaml": ("data_store: [unclosed\n", "not valid YAML"),
}
