"""Start `streamlit run` on a free loopback port from the repo root and wait until it answers."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
STARTUP_TIMEOUT_S = 180  # serve.py warms the process (torch, the model) before it answers


class ServerFailed(RuntimeError):
    """The server exited or never answered its health check; the message ends with its log tail."""


def log_tail(path: Path, lines: int = 60) -> str:
    """The last lines of a log file."""
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def free_port() -> int:
    """A TCP port that was free a moment ago on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(url: str) -> bool:
    """True once Streamlit's health endpoint answers 200."""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
            return resp.status == 200
    except OSError:
        return False


LISTENING = re.compile(rb"URL: http://127\.0\.0\.1:(\d+)")  # the line Streamlit logs once it listens


def _wait_port(proc: subprocess.Popen, log_path: Path, deadline: float, poll: float) -> int:
    """The port a server started with port 0 was given by the system, read from its log."""
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServerFailed(f"streamlit exited with {proc.returncode}:\n{log_tail(log_path)}")
        if found := LISTENING.search(log_path.read_bytes()):
            return int(found.group(1))
        time.sleep(poll)
    raise ServerFailed(f"streamlit did not listen within {STARTUP_TIMEOUT_S}s:\n{log_tail(log_path)}")


def _wait_healthy(proc: subprocess.Popen, url: str, log_path: Path, deadline: float, poll: float) -> None:
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServerFailed(f"streamlit exited with {proc.returncode}:\n{log_tail(log_path)}")
        if healthy(url):
            return
        time.sleep(poll)
    raise ServerFailed(f"streamlit not healthy after {STARTUP_TIMEOUT_S}s:\n{log_tail(log_path)}")


@contextmanager
def streamlit_server(log_path: Path, script: str = "app.py", env: dict | None = None, port: int | None = None,
                     poll: float = 0.3):
    """Run `streamlit run SCRIPT` from the repo root (so .streamlit/config.toml applies); yield (url, process).

    Without a port the system gives the server a free one as it binds (port 0; read back from its log), so
    servers started at once (parallel test workers, benches) cannot race for a port found free a moment before.
    poll: seconds between health checks (bench/bench_browser.py polls finely to time a cold start).
    """
    cmd = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port or 0),
           "--server.address", "127.0.0.1", "--server.headless", "true"]
    full_env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT, env=full_env)
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        url = f"http://127.0.0.1:{port or _wait_port(proc, log_path, deadline, poll)}"
        _wait_healthy(proc, url, log_path, deadline, poll)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
