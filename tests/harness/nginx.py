"""A real nginx (Debian's) in front of the platform, running the operator's own configuration
(deploy/nginx/platform.conf, and deploy/nginx/services.conf when it balances the services too)
with only what a test must change: the ports it listens on, the instances it forwards to, and
a self-signed certificate made here. Used by the deployment tests and the many-instances load
test (tests/scale)."""

from __future__ import annotations

import datetime
import ipaddress
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from deploy.local import free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "deploy" / "nginx" / "platform.conf"
SERVICES_CONFIG = ROOT / "deploy" / "nginx" / "services.conf"
# Where services.conf has each service's balancer listen, and the one instance it lists.
BALANCED = {"points": (9001, 8001), "rewards": (9002, 8002), "leaderboard": (9003, 8003)}
# Debian's nginx (`make nginx`); tests that need it are skipped where it is missing.
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
HOSTNAME = "localhost"


def installed() -> bool:
    return os.access(NGINX, os.X_OK)


@dataclass(frozen=True)
class Nginx:
    https_port: int
    http_port: int
    certificate: Path
    work: Path

    @property
    def base_url(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    def log(self) -> str:
        return (self.work / "error.log").read_text(errors="replace")


def self_signed(work: Path) -> tuple[Path, Path]:
    """A certificate for localhost and 127.0.0.1 and its key, valid for a day."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOSTNAME)])
    now = datetime.datetime.now(datetime.UTC)
    names = [x509.DNSName(HOSTNAME), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = work / "fullchain.pem", work / "privkey.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def _replace_once(text: str, old: str, new: str) -> str:
    """The operator's file with one line changed; fails if the line is not there once."""
    assert text.count(old) == 1, f"the nginx file no longer has exactly one {old!r}"
    return text.replace(old, new)


def _servers(ports: list[int]) -> str:
    return "\n    ".join(f"server 127.0.0.1:{port};" for port in ports)


def localised(gateways: list[int], https_port: int, http_port: int, cert: Path, key: Path) -> str:
    """deploy/nginx/platform.conf on the test's ports, gateways and certificate."""
    text = CONFIG.read_text()
    text = _replace_once(text, "server 127.0.0.1:8000;", _servers(gateways))
    text = _replace_once(text, "listen 80;", f"listen 127.0.0.1:{http_port};")
    text = _replace_once(text, "listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
    text = _replace_once(text, "/etc/ssl/platform/fullchain.pem", str(cert))
    return _replace_once(text, "/etc/ssl/platform/privkey.pem", str(key))


def localised_services(instances: dict[str, list[int]], balancers: dict[str, int]) -> str:
    """deploy/nginx/services.conf balancing each service's ``instances``, listening on
    ``balancers`` (a service's port there is what its URL setting names)."""
    text = SERVICES_CONFIG.read_text()
    for service, (listen, instance) in BALANCED.items():
        text = _replace_once(text, f"server 127.0.0.1:{instance};", _servers(instances[service]))
        text = _replace_once(
            text, f"listen 127.0.0.1:{listen};", f"listen 127.0.0.1:{balancers[service]};"
        )
    return text


def main_config(work: Path, files: list[str]) -> str:
    """The main context around the platform's file: everything nginx writes stays in ``work``."""
    temp = {name: work / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    # As root, nginx's workers would run as "nobody", who cannot enter the test's private
    # directory; the test's own user serves instead.
    user = "user root root;\n" if os.geteuid() == 0 else ""
    return (
        f"{user}daemon off;\nworker_processes 2;\npid {work / 'nginx.pid'};\n"
        f"error_log {work / 'error.log'} warn;\nevents {{ worker_connections 512; }}\n"
        "http {\n"
        f"    access_log {work / 'access.log'};\n"
        f"    client_body_temp_path {temp['body']};\n    proxy_temp_path {temp['proxy']};\n"
        f"    fastcgi_temp_path {temp['fastcgi']};\n    uwsgi_temp_path {temp['uwsgi']};\n"
        f"    scgi_temp_path {temp['scgi']};\n"
        + "".join(f"    include {work / name};\n" for name in files)
        + "}\n"
    )


@contextmanager
def running(
    work: Path,
    gateways: list[int],
    services: dict[str, list[int]] | None = None,
    balancers: dict[str, int] | None = None,
) -> Iterator[Nginx]:
    """nginx with the platform's configuration in front of ``gateways`` for the block; with
    ``services``, balancing each service's instances on its port in ``balancers`` as well."""
    work.mkdir(parents=True, exist_ok=True)
    cert, key = self_signed(work)
    https_port, http_port = free_port(), free_port()
    (work / "platform.conf").write_text(localised(gateways, https_port, http_port, cert, key))
    files = ["platform.conf"]
    if services:
        (work / "services.conf").write_text(localised_services(services, balancers or {}))
        files.append("services.conf")
    (work / "nginx.conf").write_text(main_config(work, files))
    command = [NGINX, "-p", str(work), "-c", str(work / "nginx.conf")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen(command, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for_port(https_port)
        yield Nginx(https_port, http_port, cert, work)
    finally:
        process.terminate()
        process.wait(timeout=10)
