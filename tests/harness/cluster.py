"""A real Redis Cluster on loopback: six ``redis-server`` processes (three masters, a replica
each), every one with its own directory, joined with ``redis-cli --cluster create``.

The cluster drills and ``make cluster`` start it here (``python -m tests.harness.cluster``
keeps one running until Ctrl-C). A killed master is failed over by its replica after
NODE_TIMEOUT_MS; nothing is saved to disk, so a node only lives as long as its process.
"""

from __future__ import annotations

import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from redis import Redis

from deploy.local import wait_for_port
from tests.harness.waiting import wait_until

NODES = 6
# Short, so that a drill sees the replica promoted within a few seconds.
NODE_TIMEOUT_MS = 2000
# Each node also listens on its port + 10000 (the cluster bus): ports stay below 55535.
PORTS = (20000, 45000)


def _free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _ports(count: int) -> list[int]:
    """``count`` ports that are free together with their bus ports."""
    found: list[int] = []
    while len(found) < count:
        port = random.randrange(*PORTS)
        if port not in found and _free(port) and _free(port + 10000):
            found.append(port)
    return found


@dataclass
class Cluster:
    root: Path
    ports: list[int]
    processes: dict[int, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """What BOARDS_REDIS_CLUSTER_URL names: every node, so that a client started while
        one is down still finds the cluster."""
        return ",".join(f"redis://127.0.0.1:{port}" for port in self.ports)

    def start(self) -> None:
        for port in self.ports:
            self.start_node(port)
        addresses = [f"127.0.0.1:{port}" for port in self.ports]
        subprocess.run(
            ["redis-cli", "--cluster", "create", *addresses, "--cluster-replicas", "1"]
            + ["--cluster-yes"],
            check=True,
            capture_output=True,
            timeout=60,
        )
        wait_until(self.healthy, 60, 0.2, "every node to see the cluster ok")

    def start_node(self, port: int) -> None:
        directory = self.root / str(port)
        directory.mkdir(parents=True, exist_ok=True)
        log = open(directory / "redis.log", "ab")  # noqa: SIM115 (lives with the process)
        command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1"]
        command += ["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf"]
        command += ["--cluster-node-timeout", str(NODE_TIMEOUT_MS), "--dir", str(directory)]
        command += ["--save", "", "--appendonly", "no"]
        self.processes[port] = subprocess.Popen(command, stdout=log, stderr=log)
        wait_for_port(port)

    def node(self, port: int) -> Redis:
        return Redis(port=port, socket_timeout=2)

    def healthy(self) -> bool:
        """Every running node sees the cluster ok, with three masters answering."""
        for port in self.processes:
            info = self.node(port).execute_command("CLUSTER", "INFO").decode()
            if "cluster_state:ok" not in info:
                return False
        return len(self.masters()) == NODES // 2

    def masters(self) -> list[int]:
        return [port for port in self.processes if self.role(port) == "master"]

    def role(self, port: int) -> str:
        return str(self.node(port).execute_command("ROLE")[0].decode())

    def master_of(self, key: str) -> int:
        """The port of the master that holds ``key``'s slot now."""
        slot = int(self.node(self.masters()[0]).execute_command("CLUSTER", "KEYSLOT", key))
        for start, end, master, *_ in self.node(self.masters()[0]).execute_command(
            "CLUSTER", "SLOTS"
        ):
            if start <= slot <= end:
                return int(master[1])
        raise LookupError(f"no node holds slot {slot}")

    def kill(self, port: int) -> None:
        process = self.processes.pop(port)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def stop(self) -> None:
        for port in list(self.processes):
            self.kill(port)


@contextmanager
def running_cluster(root: Path) -> Iterator[Cluster]:
    """A created, healthy cluster for the block; every node killed after it."""
    cluster = Cluster(root, _ports(NODES))
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


def available() -> bool:
    return bool(shutil.which("redis-server") and shutil.which("redis-cli"))


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def main() -> int:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "var/cluster").resolve()
    signal.signal(signal.SIGTERM, _interrupt)  # a supervisor's stop, as Ctrl-C: nodes stopped
    shutil.rmtree(root, ignore_errors=True)
    with running_cluster(root) as cluster:
        print(f"BOARDS_REDIS_CLUSTER_URL={cluster.url}", flush=True)
        print(f"nodes: {', '.join(map(str, cluster.ports))} (Ctrl-C stops them)", flush=True)
        with suppress(KeyboardInterrupt):
            while True:
                time.sleep(1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
