"""The customer-installed queue's Redis (seed 001, as Valohai's worker-queue runs it): TLS only, a password, an
append-only file, and a certificate that is reloaded in the running server when certbot renews it.

Rendered here once; the first-boot script writes these files and the tests start the real redis-server with them.
"""

from __future__ import annotations

from dataclasses import dataclass

TLS_PROTOCOLS = "TLSv1.2 TLSv1.3"


@dataclass(frozen=True)
class RedisTls:
    port: int = 63790
    """The only port Redis listens on, TLS (seed 001)."""
    tls_dir: str = "/etc/redis/tls"
    """Redis's own copy of the certificate and key (certbot's are readable by root only)."""
    password_file: str = "/etc/redis/stackyard-password.conf"
    """Holds `requirepass`; written at first boot from the secret, so redis.conf itself holds no secret."""
    data_dir: str = "/var/lib/redis"
    """Where the append-only file lives."""
    group: str = "redis"
    """The group the Redis service runs as, which may read the key."""

    @property
    def cert_file(self) -> str:
        return f"{self.tls_dir}/fullchain.pem"

    @property
    def key_file(self) -> str:
        return f"{self.tls_dir}/privkey.pem"

    def local_cli_auth(self) -> list[str]:
        """Shell lines giving the local redis-cli the password: in the environment, not on the command line (which
        any local user can read)."""
        return [
            f"REDISCLI_AUTH=$(awk '$1 == \"requirepass\" {{print $2}}' {self.password_file})",
            "export REDISCLI_AUTH",
        ]

    @property
    def local_cli(self) -> str:
        """redis-cli to this server over loopback. --insecure: the certificate names the public address (and at
        renewal may just have expired)."""
        return f"redis-cli --tls --insecure -h 127.0.0.1 -p {self.port}"

    def config(self) -> str:
        """/etc/redis/redis.conf."""
        return (
            "\n".join(
                [
                    "# Written by stackyard (queue.installed_by: customer): Redis over TLS only, with a password.",
                    "bind * -::*",
                    "protected-mode yes",
                    "port 0",
                    f"tls-port {self.port}",
                    f"tls-cert-file {self.cert_file}",
                    f"tls-key-file {self.key_file}",
                    "tls-auth-clients no",
                    f'tls-protocols "{TLS_PROTOCOLS}"',
                    "tls-prefer-server-ciphers yes",
                    "# requirepass, from the Secrets Manager secret:",
                    f"include {self.password_file}",
                    "appendonly yes",
                    "appendfsync everysec",
                    f"dir {self.data_dir}",
                    "tcp-keepalive 300",
                    "timeout 0",
                    "# To the journal (systemd captures standard output).",
                    'logfile ""',
                ]
            )
            + "\n"
        )

    def reload_hook(self) -> str:
        """certbot's deploy hook: after each issue or renewal, copy the certificate and key for Redis and make the
        running server load them (CONFIG SET of the same paths reloads TLS in Redis 7), with no restart."""
        return (
            "\n".join(
                [
                    "#!/bin/bash",
                    "# Written by stackyard: certbot runs this after it issues or renews the queue's certificate.",
                    "set -euo pipefail",
                    'lineage="$RENEWED_LINEAGE"  # set by certbot: the live directory of the certificate',
                    f"tls_dir={self.tls_dir}",
                    f'install -d -m 0750 -g {self.group} "$tls_dir"',
                    "# Copied under new names and renamed, so Redis never reads a half-written file.",
                    f'install -m 0640 -g {self.group} "$lineage/fullchain.pem" "$tls_dir/fullchain.pem.new"',
                    f'install -m 0640 -g {self.group} "$lineage/privkey.pem" "$tls_dir/privkey.pem.new"',
                    "# A key not matching its certificate would stop Redis at its next start: keep the old pair.",
                    'if ! cmp -s <(openssl x509 -noout -pubkey -in "$tls_dir/fullchain.pem.new") \\',
                    '  <(openssl pkey -pubout -in "$tls_dir/privkey.pem.new"); then',
                    '  rm -f "$tls_dir/fullchain.pem.new" "$tls_dir/privkey.pem.new"',
                    '  echo "the key in $lineage does not match its certificate; Redis keeps the current pair" >&2',
                    "  exit 1",
                    "fi",
                    'mv -f "$tls_dir/fullchain.pem.new" "$tls_dir/fullchain.pem"',
                    'mv -f "$tls_dir/privkey.pem.new" "$tls_dir/privkey.pem"',
                    f"if ! (exec 3<>/dev/tcp/127.0.0.1/{self.port}) 2>/dev/null; then",
                    '  echo "Redis is not running; it loads the new certificate when it starts"',
                    "  exit 0",
                    "fi",
                    *self.local_cli_auth(),
                    f"reply=$({self.local_cli} CONFIG SET \\",
                    '  tls-cert-file "$tls_dir/fullchain.pem" tls-key-file "$tls_dir/privkey.pem")',
                    'if [ "$reply" != OK ]; then',
                    '  echo "Redis did not load the new certificate: $reply" >&2',
                    "  exit 1",
                    "fi",
                    'echo "Redis reloaded the certificate from $lineage"',
                ]
            )
            + "\n"
        )
