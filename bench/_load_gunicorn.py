"""gunicorn settings for the load benchmarks: with BENCH_REQUEST_LOG set, each worker writes a
line per request (method, path, status, seconds inside the worker, CPU seconds of the worker,
seconds waited for the audit lock) to BENCH_REQUEST_LOG.<pid>. The audit lock wait comes from
``nhs_citizen.core.services.audit.take_audit_lock_wait`` when the app has it."""

import os
import time

_log = {}


def pre_request(worker, req):
    worker.bench_started = (time.perf_counter(), time.process_time())
    _audit_wait()  # start each request from zero


def post_request(worker, req, environ, resp):
    path = os.environ.get("BENCH_REQUEST_LOG")
    started = getattr(worker, "bench_started", None)
    if not path or started is None:
        return
    wall = time.perf_counter() - started[0]
    cpu = time.process_time() - started[1]
    wait = _audit_wait()
    out = _log.get(os.getpid())
    if out is None:
        out = _log[os.getpid()] = open(f"{path}.{os.getpid()}", "a", buffering=1)  # noqa: SIM115
    status = str(getattr(resp, "status", "")).split(" ")[0]
    out.write(
        f"{req.method}\t{req.path}\t{status}\t{wall:.6f}\t{cpu:.6f}\t"
        f"{'' if wait is None else f'{wait:.6f}'}\n"
    )


def _audit_wait():
    try:
        from nhs_citizen.core.services.audit import take_audit_lock_wait
    except ImportError:
        return None
    return take_audit_lock_wait()
