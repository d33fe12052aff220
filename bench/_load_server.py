"""gunicorn for the load benchmarks: production-like settings, a free port on 127.0.0.1, the
workers' memory and CPU from /proc, and a clean stop on exit, Ctrl+C or SIGTERM."""

from __future__ import annotations

import atexit
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
VENV_BIN = Path(sys.executable).parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")

# A fixed 64-character key: the benchmarks only ever run against local throwaway data.
BENCH_SECRET_KEY = "bench-only-secret-key-" + "x" * 42


def production_env(database_url: str, redis_url: str, workdir: Path) -> dict[str, str]:
    """NHS_CITIZEN_ENV=production as far as a local run allows: DEBUG off, secure cookies,
    manifest static files; the HTTPS redirect is off (the client sends X-Forwarded-Proto)."""
    env = dict(os.environ)
    env.update(
        {
            "NHS_CITIZEN_ENV": "production",
            "SECRET_KEY": BENCH_SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1",
            "CSRF_TRUSTED_ORIGINS": "https://127.0.0.1",
            "EMAIL_HOST": "127.0.0.1",  # never used: nothing the benchmarks do sends mail
            "EMAIL_PORT": "1",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "DATA_DIR": str(workdir / "data"),
            "BENCH_STATIC_ROOT": str(workdir / "static"),
            "DJANGO_SETTINGS_MODULE": "_load_settings",
            "PYTHONPATH": os.pathsep.join(
                [str(BENCH), str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
            ),
            "LOG_LEVEL": "WARNING",
        }
    )
    env.pop("DEBUG", None)
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env: dict[str, str], *args: str, timeout: float = 600) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=timeout,
        stdout=subprocess.DEVNULL,
    )


class Gunicorn:
    """gunicorn in its own process group, stopped however the benchmark ends."""

    def __init__(
        self, env: dict[str, str], workers: int = 2, worker_class: str = "sync", timeout: int = 120
    ) -> None:
        self.env = env
        self.workers = workers
        self.worker_class = worker_class
        self.timeout = timeout
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.log_path = Path(env["DATA_DIR"]).parent / "gunicorn.log"

    def start(self) -> None:
        Path(self.env["DATA_DIR"]).mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "nhs_citizen.config.wsgi",
                "--workers",
                str(self.workers),
                "--worker-class",
                self.worker_class,
                "--bind",
                f"127.0.0.1:{self.port}",
                "--timeout",
                str(self.timeout),
                "--graceful-timeout",
                "5",
                "--forwarded-allow-ips",
                "127.0.0.1",
                "--config",
                "python:_load_gunicorn",
            ],
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        atexit.register(self.stop)
        for sig in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, _exit_on_signal)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start; see {self.log_path}")
            if len(self.worker_pids()) >= self.workers and _port_open(self.port):
                return
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start within 60 s; see {self.log_path}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
        except ProcessLookupError:
            pass

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        return _children(self.process.pid)

    def worker_rss_mb(self) -> dict[int, float]:
        return {pid: rss for pid in self.worker_pids() if (rss := rss_mb(pid)) is not None}

    def worker_cpu_seconds(self) -> float:
        return sum(cpu_seconds(pid) for pid in self.worker_pids())


def _exit_on_signal(signum, frame) -> None:  # noqa: ARG001
    raise SystemExit(128 + signum)


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
        return [int(p) for p in text.split()]
    except OSError:
        pass
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def postgres_cpu_seconds(database: str | None = None) -> float:
    """CPU of the PostgreSQL processes serving `database` (its name is in their command line:
    "postgres: 15/main: user database host(port) state"), or of every PostgreSQL process.
    A backend that ended between two readings is not counted (gunicorn keeps its connections)."""
    total = 0.0
    for comm in Path("/proc").glob("[0-9]*/comm"):
        try:
            if comm.read_text().strip() != "postgres":
                continue
            if database is not None:
                cmdline = (comm.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                if f" {database} " not in cmdline:
                    continue
            total += cpu_seconds(int(comm.parent.name))
        except (OSError, ValueError):
            continue
    return total


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, for the share others used."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]
    total = sum(fields[:8])
    return (total - idle) / CLOCK_TICKS, total / CLOCK_TICKS


def workdir(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix))


def git_commit() -> str:
    """The commit being measured, for the results file ("" outside a git checkout)."""
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""
