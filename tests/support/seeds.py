"""The seed documents' JSON blocks, and a reader that extracts them from the seed files themselves.

The transcriptions below are the specification the stacks are tested against; tests/test_seed_documents.py
checks them against ../shared/seeds/ wherever that folder is present (it is beside the clone in CI).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

SEEDS_DIR = Path(__file__).resolve().parents[3] / "shared" / "seeds"

# Seed 000 ("Add AWS S3"), in document order.
STORE_CORS = [
    {
        "AllowedHeaders": ["Authorization"],
        "AllowedMethods": ["GET"],
        "AllowedOrigins": ["*"],
        "ExposeHeaders": [],
        "MaxAgeSeconds": 3000,
    },
    {
        "AllowedHeaders": ["Authorization"],
        "AllowedMethods": ["POST"],
        "AllowedOrigins": ["https://app.valohai.com"],
        "ExposeHeaders": [],
        "MaxAgeSeconds": 3000,
    },
]
STORE_USER_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": "s3:*",
            "Resource": ["arn:aws:s3:::my-valohai-bucket", "arn:aws:s3:::my-valohai-bucket/*"],
        }
    ],
}
MULTIPART_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "MultipartAccess",
            "Effect": "Allow",
            "Action": [
                "s3:AbortMultipartUpload",
                "s3:GetBucketLocation",
                "s3:GetObject",
                "s3:ListBucket",
                "s3:ListBucketMultipartUploads",
                "s3:ListBucketVersions",
                "s3:ListMultipartUploadParts",
                "s3:PutObject",
            ],
            "Resource": ["arn:aws:s3:::BUCKET", "arn:aws:s3:::BUCKET/*"],
        }
    ],
}
MULTIPART_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::ACCOUNTNUMBER:user/USERNAME"},
            "Action": "sts:AssumeRole",
        }
    ],
}
SEED_000_JSON_BLOCKS = [STORE_CORS, STORE_USER_POLICY, MULTIPART_POLICY, MULTIPART_TRUST]


def json_blocks(seed_file: Path) -> list[Any]:
    """Every `.. code-block:: json` in an RST seed, parsed."""
    blocks: list[Any] = []
    lines = seed_file.read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        if re.match(r"^\s*\.\. code-block:: json\s*$", line):
            body: list[str] = []
            for following in lines[index + 1 :]:
                if following.strip() and not following.startswith((" ", "\t")):
                    break
                body.append(following)
            blocks.append(json.loads("\n".join(body)))
    return blocks


def seed_file(prefix: str) -> Path | None:
    matches = sorted(SEEDS_DIR.glob(f"{prefix}_*.txt")) if SEEDS_DIR.is_dir() else []
    return matches[0] if matches else None


def substitute(document: Any, replacements: dict[str, str]) -> Any:
    """The document with placeholder substrings (e.g. the seed's bucket ARN) replaced in every string."""
    text = json.dumps(document)
    for old, new in replacements.items():
        text = text.replace(old, new)
    return json.loads(text)
