"""The architecture diagram's content, read back from the Graphviz source it renders from, for the default config
and configs with a feature off (no cluster; an existing network without access logging)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from stackyard.diagram import TerraformStacks, all_layers, draw
from stackyard.diagram.render import to_graphviz
from tests.support.configs import CLUSTER_IDENTITY

ID = r'"(?:[^"\\]|\\.)*"|[\w.]+'
LABEL = r'label="((?:[^"\\]|\\.)*)"'
EXISTING = {"vpc_id": "vpc-0a1b2c3d4e5f60718", "subnet_ids": ["subnet-0a1b2c3d4e5f60718", "subnet-0b1b2c3d4e5f60719"]}
BASE = {
    "data_store": {"bucket_name": "acme-ml-data"},
    "workers": {"assume_role_arn": "arn:aws:iam::210987654321:role/platform"},
    "cluster": {**CLUSTER_IDENTITY, "access_cidrs": ["198.51.100.0/24"]},
}


@dataclass
class Picture:
    """Nodes (id -> label), edges (source label, target label, edge label) and box labels of a Graphviz source."""

    nodes: dict[str, str]
    edges: list[tuple[str, str, str]]
    boxes: list[str]

    @classmethod
    def of(cls, source: str) -> Picture:
        nodes = {_id(m[0]): m[1] for m in re.findall(rf"^\t+({ID}) \[{LABEL}", source, re.M | re.S)}
        edges = [
            (nodes[_id(m[0])], nodes[_id(m[1])], m[2])
            for m in re.findall(rf"^\t+({ID}) -> ({ID}) \[{LABEL}", source, re.M | re.S)
        ]
        boxes = re.findall(rf"subgraph [^{{]*\{{\n\t+[^\n]*? {LABEL}", source, re.S)
        return cls(nodes, edges, boxes)

    def edges_into(self, target: str) -> list[tuple[str, str]]:
        return [(source, label) for source, to, label in self.edges if target in to]

    def labels(self) -> str:
        return "\n".join([*self.nodes.values(), *self.boxes])


def _id(text: str) -> str:
    return text[1:-1] if text.startswith('"') else text


@pytest.fixture(scope="module")
def picture_of(synth_config):
    def run(data: dict) -> Picture:
        synth = synth_config(data)
        return Picture.of(to_graphviz(draw(TerraformStacks.read(synth.outdir), "test")).source)

    return run


def test_the_layers_are_found_in_order():
    assert [layer.id for layer in all_layers()] == ["network", "compute", "firewall", "storage", "iam"]


def test_the_default_architecture(default_synth):
    picture = Picture.of(to_graphviz(draw(TerraformStacks.read(default_synth.outdir), "default")).source)
    # The queue's Redis port, from the app's address and from the workers' group; SSH from the platform.
    queue = picture.edges_into("security group\nvalohai-sg-queue")
    assert ("34.248.245.191/32", "tcp 63790: Redis over TLS from app.valohai.com") in queue
    assert ("security group\nvalohai-sg-workers\negress: all", "tcp 63790: Redis over TLS from the workers") in queue
    assert any(source == "3.251.38.215/32" and label.startswith("tcp 22") for source, label in queue)
    assert any(source.startswith("internet") and label.startswith("tcp 80") for source, label in queue)
    cluster_access = picture.edges_into("security group\nmy-cluster-cluster")
    assert [label for source, label in cluster_access if source == "203.0.113.0/24"] == [
        "tcp 22: SSH from 203.0.113.0/24\ntcp 49556: flambé TensorBoard from 203.0.113.0/24\n"
        "tcp 49558: flambé report site from 203.0.113.0/24"
    ], "one arrow per address, its ports listed"
    # The network: the VPC, four subnets with range and zone, the gateway and the route to it.
    labels = picture.labels()
    assert "VPC valohai-vpc\n10.0.0.0/16" in labels
    for number, cidr in enumerate(["10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20", "10.0.48.0/20"], 1):
        assert f"subnet valohai-subnet-{number}\n{cidr} · eu-west-1" in labels
    assert ("route table valohai-rt", "internet gateway\nvalohai-igw", "0.0.0.0/0") in picture.edges
    # The queue and its Elastic IP; the cluster's nodes, each mounting the bucket with s3fs.
    assert any(t.startswith("valohai-i-queue") and s.startswith("Elastic IP") for s, t, _ in picture.edges)
    mounts = [(s, t, label) for s, t, label in picture.edges if label.startswith("s3fs mount")]
    assert sorted(s.split("\n")[0] for s, _, _ in mounts) == [
        "my-cluster_factory_1",
        "my-cluster_factory_2",
        "my-cluster_orchestrator",
    ]
    assert {t for _, t, _ in mounts} == {"data bucket\nmy-valohai-bucket"}
    assert {label for _, _, label in mounts} == {"s3fs mount /s3-mount (read-only)"}
    assert any(label.startswith("access logs") for _, t, label in picture.edges if "access-log bucket" in t)
    # The IAM trust chain.
    platform = "the platform\narn:aws:iam::123456789012:role/valohai-assume-role"
    assert (platform, "role\nValohaiMaster", "sts:AssumeRole") in picture.edges
    assert ("role\nValohaiMaster", "role\nValohaiWorkerRole", "iam:PassRole") in picture.edges
    assert ("role\nValohaiWorkerRole", "instance profile\nValohaiWorkerRole", "") in picture.edges
    assert ("user\nvalohai-data-store", "role\nvalohai-multipart-upload", "sts:AssumeRole") in picture.edges


def test_without_the_cluster_nothing_of_it_is_drawn(picture_of):
    picture = picture_of({**BASE, "cluster": {"enabled": False}})
    labels = picture.labels()
    assert "flambé" not in labels and "cluster" not in labels
    assert not [edge for edge in picture.edges if edge[2].startswith("s3fs")]
    assert "security group\nvalohai-sg-queue" in "\n".join(picture.nodes.values()), "the rest is there"


def test_an_existing_network_without_access_logs(picture_of):
    picture = picture_of(
        {
            **BASE,
            "network": {"existing": EXISTING},
            "data_store": {"bucket_name": "acme-ml-data", "access_logging": {"enabled": False}},
        }
    )
    labels = picture.labels()
    assert "VPC valohai-vpc" not in labels and "internet gateway" not in labels
    assert f"existing VPC\n{EXISTING['vpc_id']}" in labels
    for subnet in EXISTING["subnet_ids"]:
        assert f"existing subnet\n{subnet}" in labels
    assert "access-log bucket" not in labels
    assert not [edge for edge in picture.edges if edge[2].startswith("access logs")]
    queue = picture.edges_into("security group\nvalohai-sg-queue")
    assert ("34.248.245.191/32", "tcp 63790: Redis over TLS from app.valohai.com") in queue
    mounts = {t for _, t, label in picture.edges if label.startswith("s3fs mount")}
    assert mounts == {"data bucket\nacme-ml-data"}
