"""The real ASGI server for benchmarks that need one: daphne in a process of
its own on a free port, as ``make run`` serves the app, stopped afterwards."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def daphne(env: dict[str, str], log: Path | None = None) -> Iterator[int]:
    """Serve ``collab_platform.asgi`` with ``env``; yields the port once it
    accepts connections."""
    port = free_port()
    errors = open(log, "w") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "daphne"),
            "--no-server-name",
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "collab_platform.asgi:application",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=errors,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        if log:
            errors.close()
