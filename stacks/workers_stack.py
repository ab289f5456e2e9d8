"""The hybrid-workers stack (seed 001): IAM for workers and the platform, the network, the security groups and
the worker-queue instance. Its outputs are the values seed 001's conclusion says to record and hand over."""

from __future__ import annotations

from constructs import Construct

from stacks import inputs
from stacks.base import StackyardStack
from stacks.components.master_iam import MasterIam, MasterIamProps
from stacks.components.network import ExistingNetwork, ExistingNetworkProps, Network, NetworkProps
from stacks.components.queue_first_boot import PasswordFromSecret, QueueFirstBoot
from stacks.components.queue_instance import QueueInstance, QueueInstanceProps
from stacks.components.queue_password import QueuePassword, QueuePasswordProps
from stacks.components.redis_tls import RedisTls
from stacks.components.security_groups import WorkerSecurityGroups, WorkerSecurityGroupsProps
from stacks.components.vpc_flow_logs import VpcFlowLogs, VpcFlowLogsProps
from stacks.components.worker_iam import WorkerIam, WorkerIamProps
from stackyard.config.adoption import StackAdoption
from stackyard.config.model import StackyardConfig


class WorkersStack(StackyardStack):
    """Everything a hybrid-worker installation needs in the customer's account."""

    def __init__(self, scope: Construct, name: str, config: StackyardConfig, adoption: StackAdoption | None = None):
        super().__init__(scope, name, config, adoption)
        workers, network_settings, firewall, queue = config.workers, config.network, config.firewall, config.queue
        value = self.inputs.value
        prefix = value("name_prefix", network_settings.name_prefix, "Prefix of every Name tag", inputs.NAME_PREFIX)

        worker_iam = WorkerIam(
            self,
            "worker_iam",
            WorkerIamProps(
                role_name=value("worker_role_name", workers.worker_role_name, "Role workers run as", inputs.IAM_NAME),
                policy_name=value(
                    "worker_policy_name", workers.worker_policy_name, "Policy of the worker role", inputs.IAM_NAME
                ),
            ),
        )
        master_iam = MasterIam(
            self,
            "master_iam",
            MasterIamProps(
                role_name=value(
                    "master_role_name", workers.master_role_name, "Role the platform assumes", inputs.IAM_NAME
                ),
                policy_name=value(
                    "master_policy_name", workers.master_policy_name, "Policy of the platform's role", inputs.IAM_NAME
                ),
                assume_role_arn=value(
                    "assume_role_arn",
                    workers.assume_role_arn,
                    "The platform's AssumeRole ARN: the only principal the platform's role trusts",
                    inputs.IAM_ARN,
                ),
                worker_role_arn=worker_iam.role.arn,
                external_id=None
                if workers.external_id is None
                else value("external_id", workers.external_id, "sts:ExternalId the platform sends", inputs.EXTERNAL_ID),
                grant_provisioning_access=workers.grant_provisioning_access,
            ),
        )
        self.protect(worker_iam.role, "worker-role")
        self.protect(worker_iam.instance_profile, "worker-instance-profile")
        self.protect(master_iam.role, "master-role")
        self.adopt(worker_iam.policy, "worker-policy")
        self.adopt(worker_iam.role, "worker-role")
        self.adopt(worker_iam.instance_profile, "worker-instance-profile")
        self.adopt(worker_iam.policy_attachment, "worker-policy-attachment")
        self.adopt(master_iam.policy, "master-policy")
        self.adopt(master_iam.role, "master-role")
        self.adopt(master_iam.policy_attachment, "master-policy-attachment")

        if network_settings.existing is not None:
            self.network: Network | ExistingNetwork = ExistingNetwork(
                self,
                "network",
                ExistingNetworkProps(
                    vpc_id=value("vpc_id", network_settings.existing.vpc_id, "Your VPC", inputs.VPC_ID),
                    subnet_ids=value(
                        "subnet_ids", list(network_settings.existing.subnet_ids), "Your subnets", inputs.SUBNET_ID
                    ),
                ),
            )
        else:
            self.network = Network(
                self,
                "network",
                NetworkProps(
                    vpc_cidr=value("vpc_cidr", network_settings.vpc_cidr, "VPC address range", inputs.CIDR),
                    subnet_cidrs=value(
                        "subnet_cidrs",
                        network_settings.resolved_subnet_cidrs(),
                        "One range per subnet, inside vpc_cidr; subnet i goes to availability zone i",
                        inputs.CIDR,
                    ),
                    name_prefix=prefix,
                    map_public_ip_on_launch=network_settings.map_public_ip_on_launch,
                    availability_zones=None
                    if network_settings.availability_zones is None
                    else value(
                        "availability_zones",
                        list(network_settings.availability_zones),
                        "Zones of subnet 1, 2, ... (wrapping)",
                        inputs.AVAILABILITY_ZONE,
                    ),
                ),
            )
            self.adopt(self.network.vpc, "vpc")
            for number, subnet in enumerate(self.network.subnets, start=1):
                self.adopt(subnet, f"subnet-{number}")
            self.adopt(self.network.internet_gateway, "internet-gateway")
            self.adopt(self.network.route_table, "route-table")
            flow_logs = network_settings.flow_logs
            if flow_logs.enabled:
                self.flow_logs = VpcFlowLogs(
                    self,
                    "flow_logs",
                    VpcFlowLogsProps(
                        vpc_id=self.network.vpc_id,
                        account_id=self.account_id,
                        log_group_name=f"/stackyard/{prefix}-vpc/flow-logs",
                        role_name=f"{prefix}-vpc-flow-logs",
                        traffic_type=flow_logs.traffic_type,
                        retention_days=flow_logs.retention_days,
                        kms_key_arn=flow_logs.kms_key_arn,
                    ),
                )
                self.protect(self.flow_logs.log_group, "flow-log-group")
                self.adopt(self.flow_logs.log_group, "flow-log-group")
                self.output("flow_log_group", self.flow_logs.log_group.name, "CloudWatch Logs group of VPC flow logs")

        valohai_ssh_cidr = value(
            "valohai_ssh_cidr", firewall.valohai_ssh_cidr, "The platform's SSH management address", inputs.CIDR
        )
        if queue.installed_by == "customer":
            queue_ssh_cidr = value(
                "admin_ssh_cidr", queue.admin_ssh_cidr, "Your address for SSH to the queue", inputs.CIDR
            )
            queue_ssh_why = "SSH management by the queue's administrator"
        else:
            queue_ssh_cidr, queue_ssh_why = valohai_ssh_cidr, "SSH management from Valohai (queue installer)"
        self.security_groups = WorkerSecurityGroups(
            self,
            "security_groups",
            WorkerSecurityGroupsProps(
                vpc_id=self.network.vpc_id,
                app_cidr=value("app_cidr", firewall.app_cidr, "The platform's app, reading the queue", inputs.CIDR),
                valohai_ssh_cidr=valohai_ssh_cidr,
                queue_ssh_cidr=queue_ssh_cidr,
                queue_ssh_description=queue_ssh_why,
                workers_ssh_from_valohai=firewall.workers_ssh_from_valohai,
                acme_http=firewall.acme_http,
                redis_tls_port=firewall.redis_tls_port,
                name_prefix=prefix,
            ),
        )
        self.adopt(self.security_groups.workers, "workers-security-group")
        self.adopt(self.security_groups.queue, "queue-security-group")
        for rule_id, rule in self.security_groups.rules.items():
            self.adopt(rule, rule_id.replace("_", "-"))

        self.output("region", self.region, "Region where the workers run")
        self.output("master_role_arn", master_iam.role.arn, "ValohaiMaster role ARN, for the platform to assume")
        self.output("worker_role_arn", worker_iam.role.arn, "ValohaiWorkerRole ARN")
        self.output("worker_instance_profile_name", worker_iam.instance_profile.name, "Instance profile of workers")
        self.output("vpc_id", self.network.vpc_id, "VPC ID")
        self.output("subnet_names", self.network.subnet_names, "Subnet names, one per availability zone")
        self.output("subnet_ids", self.network.subnet_ids, "Subnet IDs, in the order of subnet_names")
        self.output("workers_security_group_id", self.security_groups.workers.id, "valohai-sg-workers")
        self.output("queue_security_group_id", self.security_groups.queue.id, "valohai-sg-queue")

        self.queue_password = None
        first_boot = None
        if queue.installs_itself():
            secret_name = value(
                "queue_password_secret_name",
                queue.password_secret_name,
                "Secrets Manager secret the queue keeps its Redis password in",
                inputs.SECRET_NAME,
            )
            address = value("queue_address", queue.address, "DNS name of the queue", inputs.DNS_HOSTNAME)
            self.queue_password = QueuePassword(
                self,
                "queue_password",
                QueuePasswordProps(
                    secret_name=secret_name,
                    role_name=value("queue_role_name", queue.role_name, "Role of the queue instance", inputs.IAM_NAME),
                    master_role_name=master_iam.role.name,
                    master_role_arn=master_iam.role.arn,
                    region=self.region,
                    kms_key_arn=queue.password_kms_key_arn,
                    recovery_days=queue.password_recovery_days,
                    extra_readers=list(queue.password_readers),
                ),
            )
            self.protect(self.queue_password.secret, "queue-password-secret")
            self.adopt(self.queue_password.secret, "queue-password-secret")
            first_boot = QueueFirstBoot(
                address=address,
                password=PasswordFromSecret(secret_id=secret_name, region=self.region),
                acme_directory=queue.acme_directory,
                acme_email=queue.acme_email,
                redis_version=queue.redis_version,
                redis=RedisTls(port=firewall.redis_tls_port),
            )
            self.output("queue_address", address, "DNS name of the queue (its certificate's name)")
            self.output(
                "queue_password_secret_arn", self.queue_password.secret.arn, "Secret holding the Redis password"
            )
            self.output("queue_password_secret_name", self.queue_password.secret.name, "Name of that secret")
            self.output("queue_role_arn", self.queue_password.role.arn, "Role of the queue instance")

        if queue.enabled:
            self.queue = QueueInstance(
                self,
                "queue",
                QueueInstanceProps(
                    subnet_id=self.network.subnet_ids[0],
                    security_group_ids=[self.security_groups.queue.id],
                    key_name=value("key_pair_name", queue.key_pair.name, "EC2 key pair of the queue"),
                    # An existing key pair is used by name: importing it would replace it (its public key is
                    # not read back), which would replace the instance too.
                    public_key=None if self.existing("key-pair") else queue.key_pair.resolved_public_key(),
                    instance_type=value(
                        "queue_instance_type", queue.instance_type, "Queue instance type", inputs.INSTANCE_TYPE
                    ),
                    ami_id=None
                    if queue.ami_id is None
                    else value("queue_ami_id", queue.ami_id, "Image of the queue", inputs.AMI_ID),
                    disk_size_gb=value("queue_disk_size_gb", queue.disk_size_gb, "Queue root disk, GB", inputs.SIZE_GB),
                    detailed_monitoring=queue.detailed_monitoring,
                    name=f"{prefix}-i-queue",
                    elastic_ip_name=f"{prefix}-ip-queue",
                    instance_profile_name=self.queue_password.instance_profile.name if self.queue_password else None,
                    user_data=first_boot.render() if first_boot else None,
                    depends_on=[self.network.internet_gateway] if self.network.internet_gateway else [],
                    user_data_needs=self.queue_password.first_boot_needs() if self.queue_password else [],
                ),
            )
            self.protect(self.queue.instance, "queue-instance")
            self.protect(self.queue.elastic_ip, "queue-elastic-ip")
            if self.queue.key_pair is not None:
                self.protect(self.queue.key_pair, "queue-key-pair")
            self.adopt(self.queue.instance, "queue-instance")
            self.adopt(self.queue.elastic_ip, "queue-elastic-ip")
            self.adopt(self.queue.elastic_ip_association, "queue-elastic-ip-association")
            self.output("queue_instance_id", self.queue.instance.id, "valohai-i-queue instance ID")
            self.output("queue_public_ip", self.queue.elastic_ip.public_ip, "Public IP of the queue (its Elastic IP)")
            self.output("queue_private_ip", self.queue.instance.private_ip, "Private IP of the queue")
            self.output("key_pair_name", self.queue.key_name, "Name of the EC2 key pair of the queue")
