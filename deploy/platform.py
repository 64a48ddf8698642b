"""python -m deploy.platform {migrate,run,part NAME}: what `make run` does after installing.

`run` migrates every database, starts the embedded Redis when REDIS_URL is unset, then runs the
gateway, the services, the worker and the ticker in the foreground under one process manager;
Ctrl-C stops them all. `part NAME` becomes one of those processes (``gateway``, ``worker``, ...:
deploy/processes.py), for a supervisor that runs each on its own (a systemd unit, a container:
docs/deployment.md); it starts no Redis and migrates nothing.

Both commands run under umask 077, so every file they and their processes create under
``VAR_DIR`` (databases, keys, secrets, logs) is its owner's alone; URLs are printed with their
passwords masked.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time

from honcho.manager import Manager

from deploy.local import listening
from deploy.migrate import MIGRATED, migrate
from deploy.processes import all_processes
from services.common.embedded_redis import SECRET_FILE, embedded_url, redis_server, server_command
from services.common.private import masked, private_dir, secret_in
from services.settings import Settings

PRIVATE_UMASK = 0o077


def with_embedded_redis_password(settings: Settings) -> Settings:
    """The settings with the embedded Redis's password in its URL, the password made once and
    kept in ``VAR_DIR/redis.secret``; settings for another Redis come back unchanged."""
    if not settings.redis_embedded:
        return settings
    password = secret_in(settings.var_dir / SECRET_FILE)
    return settings.with_overrides(redis_url=embedded_url(settings.embedded_redis_port, password))


def start_embedded_redis(settings: Settings) -> subprocess.Popen[bytes]:
    """The project's own redis-server on loopback, requiring the password kept under VAR_DIR
    (made now if there is none), never evicting, with its options in a private file."""
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisConnectionError

    port = settings.embedded_redis_port
    password = secret_in(settings.var_dir / SECRET_FILE)
    server = redis_server(settings.embedded_redis_server)
    # Said at start: the system's and the bundled server differ in version and allocator.
    print(f"embedded Redis: {server.describe()}", flush=True)
    command = server_command(
        port,
        settings.var_dir / "redis",
        password=password,
        maxmemory=settings.redis_maxmemory,
        server=server,
    )
    log = open(settings.var_dir / "redis.log", "ab")  # noqa: SIM115 (lives as long as Redis)
    process = subprocess.Popen(command, stdout=log, stderr=log)
    with Redis.from_url(embedded_url(port, password)) as client:
        for _ in range(100):
            try:
                client.ping()
                if process.poll() is None:  # the answer came from our server, not another
                    return process
                break
            except RedisConnectionError:
                if process.poll() is not None:
                    break
                time.sleep(0.05)
    raise SystemExit(f"the embedded Redis did not start on port {port}: see var/redis.log")


def ports_in_use(settings: Settings) -> list[str]:
    """Ports this run needs that something else already listens on (an earlier run, say)."""
    wanted = {
        f"{name} ({settings.host}:{port})": (settings.host, port)
        for name, port in settings.ports.items()
    }
    if settings.redis_embedded:
        wanted[f"redis (127.0.0.1:{settings.embedded_redis_port})"] = (
            "127.0.0.1",
            settings.embedded_redis_port,
        )
    return [label for label, address in wanted.items() if listening(*address)]


def run(settings: Settings) -> int:
    busy = ports_in_use(settings)
    if busy:
        # Checked first: a Redis answering on our port would otherwise be mistaken for ours.
        raise SystemExit(
            "already in use: "
            + ", ".join(busy)
            + ". Is the platform running already? Stop it, or set the *_PORT variables."
        )
    private_dir(settings.var_dir)
    migrate_all(settings)
    settings = with_embedded_redis_password(settings)
    redis_process = start_embedded_redis(settings) if settings.redis_embedded else None
    # Every process finds Redis (password included) in its environment, which only its owner
    # can read, never on its command line, which anyone can (ps).
    env = {**os.environ, "REDIS_URL": settings.redis_url, "VAR_DIR": str(settings.var_dir)}
    manager = Manager()
    for process in all_processes(settings):
        manager.add_process(process.name, " ".join(_quote(p) for p in process.command), env=env)
    print(
        f"gateway:  http://{settings.host}:{settings.ports['gateway']}  "
        f"(API docs: http://{settings.host}:{settings.ports['gateway']}/api/docs)"
    )
    for name in ("points", "rewards", "leaderboard"):
        print(f"{name + ':':<13}http://{settings.host}:{settings.ports[name]}")
    print(f"redis:       {masked(settings.redis_url)}" + (" (embedded)" if redis_process else ""))
    try:
        manager.loop()
    finally:
        if redis_process:
            redis_process.send_signal(signal.SIGTERM)
            redis_process.wait(timeout=10)
    return manager.returncode or 0


def migrate_all(settings: Settings) -> None:
    migrate(settings, quiet=True)
    for part in MIGRATED:
        print(f"migrated {part}: {masked(settings.database_url(part))}")


def _quote(part: str) -> str:
    import shlex

    return shlex.quote(part)


def part_command(settings: Settings, name: str) -> list[str]:
    """The command of one process of the platform, as `make run` would start it."""
    commands = {process.name: process.command for process in all_processes(settings)}
    if name not in commands:
        raise SystemExit(f"no part {name!r}: one of {', '.join(commands)}")
    return commands[name]


def run_part(settings: Settings, name: str) -> int:
    """Become the part's process (exec), so that its supervisor's signals reach it directly."""
    command = part_command(settings, name)
    private_dir(settings.var_dir)
    os.execv(command[0], command)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.platform")
    parser.add_argument("command", choices=["migrate", "run", "part"])
    parser.add_argument("name", nargs="?", help="with part: which process (deploy/processes.py)")
    args = parser.parse_args(argv)
    os.umask(PRIVATE_UMASK)  # inherited by every process started from here
    settings = Settings.from_env()
    if args.command == "migrate":
        private_dir(settings.var_dir)
        migrate_all(settings)
        return 0
    if args.command == "part":
        return run_part(settings, args.name or "")
    return run(settings)


if __name__ == "__main__":
    sys.exit(main())
