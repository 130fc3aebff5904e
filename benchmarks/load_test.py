"""Load test on loopback: gunicorn + PostgreSQL, driven by locust (headless, bounded).

    .venv/bin/python benchmarks/load_test.py [--fresh] [--seconds 30] [--workers 3]

Creates (with --fresh) a PostgreSQL database `reemployment_load`, migrates it and loads the
demo county (seed_demo), starts gunicorn with production settings (DEBUG=0) on 127.0.0.1,
then runs the scenarios one after another — portal pages, vacancy search (a closed loop: the saturation
throughput), vacancy search paced at --search-rate requests/s offered as Poisson arrivals (the latency at
the target load), eligibility estimate — each for --seconds with --users concurrent users, and prints
requests/s and p50/p95/p99 latency per scenario. Traffic goes to 127.0.0.1 only. Public API throttles are
raised for the run (they would otherwise answer 429 to a single load generator by design).
"""

from __future__ import annotations

import argparse
import csv
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
# (locust user class, request name, label in the report, paced: rate for the whole scenario or None)
SCENARIOS = [("PortalReader", "portal page", "portal page", None),
             ("VacancySearcher", "vacancy search", "vacancy search", None),
             ("VacancySearcher", "vacancy search", "vacancy search paced", "search_rate"),
             ("EstimateUser", "eligibility estimate", "eligibility estimate", None)]


def run(cmd, env, **kwargs):
    print("$", " ".join(cmd), flush=True)
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, **kwargs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="reemployment_load")
    parser.add_argument("--fresh", action="store_true", help="drop, recreate and seed the database")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--vacancies", type=int, default=0,
                        help="with --fresh: add this many open vacancies (as benchmarks/jobs_search.py does) and "
                             "rebuild the match index, so search runs against a province-sized index")
    parser.add_argument("--only", help="run only these scenarios (comma-separated labels, e.g. 'vacancy search paced')")
    parser.add_argument("--search-rate", type=float, default=35.0,
                        help="offered requests/s of the paced vacancy-search scenario (all users together)")
    parser.add_argument("--paths", default="/,/policies/,/policies/eligibility-and-amounts/,/policies/work-incentives/,/services/apply-for-dibao/,/notices/,/jobs/,/training/,/en/", help="portal paths, comma-separated")
    args = parser.parse_args()

    env = dict(os.environ)
    env.update({
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{args.db}",
        "DEBUG": "0",
        "SECRET_KEY": "load-test-only-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "CACHE_URL": "redis://127.0.0.1:6379/3",
        "PUBLIC_API_THROTTLE": "1000000/minute",
        "SEARCH_API_THROTTLE": "1000000/minute",
        "AXES_ENABLED": "0",
        "STATIC_ROOT": str(ROOT / "var" / "static-load"),
        "LOG_LEVEL": "WARNING",
        # Its own match index: never the one `make run` uses under var/match-index.
        "MATCH_INDEX_DIR": str(ROOT / "var" / "match-index-load"),
    })
    if args.fresh:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", args.db], check=True)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", args.db], check=True)
        run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], env)
        t0 = time.monotonic()
        run([sys.executable, "manage.py", "seed_demo"], env)
        print(f"seeded in {time.monotonic() - t0:.0f} s")
        if args.vacancies:
            fill = ("import sys; sys.path.insert(0, 'benchmarks'); import django; django.setup(); "
                    f"import jobs_search; print(jobs_search.fill({args.vacancies}, 1000))")
            run([sys.executable, "-c", fill], dict(env, DJANGO_SETTINGS_MODULE="reemployment.settings"))
            # Fresh planner statistics after the bulk insert (autovacuum would do it within minutes).
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", args.db, "-qc", "ANALYZE"], check=True)
    run([sys.executable, "manage.py", "rebuild_match_index"], env)  # from stored vectors: seconds
    run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    subprocess.run(["redis-cli", "-n", "3", "FLUSHDB"], check=False, capture_output=True)

    server = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "-c", "python:reemployment.gunicorn_conf", "reemployment.wsgi", "-w", str(args.workers), "-b", f"127.0.0.1:{args.port}",
         "--preload", "--access-logfile", "/dev/null", "--error-logfile", "-", "--timeout", "120"],
        cwd=ROOT, env=env,
    )
    host = f"http://127.0.0.1:{args.port}"
    try:
        _wait_ready(host)
        # Each worker warms vacancy search before it accepts requests (reemployment/gunicorn_conf.py);
        # wait until they all have (a run of quick searches), then fill the page cache.
        quick, deadline = 0, time.monotonic() + 180
        while quick < args.workers * 5 and time.monotonic() < deadline:
            started = time.monotonic()
            _post(host + "/api/v1/vacancies/search", b'{"query": "warm up", "k": 3}')
            quick = quick + 1 if time.monotonic() - started < 0.5 else 0
        paths = [p for p in args.paths.split(",") if p]
        status = {path: _cache_status(host + path) for path in paths for _ in range(2)}
        print("portal page cache after warm-up:", ", ".join(f"{p} {s}" for p, s in status.items()))
        results = []
        with tempfile.TemporaryDirectory() as tmp:
            wanted = {w.strip() for w in args.only.split(",")} if args.only else None
            for n, (user_class, name, label, paced) in enumerate(SCENARIOS):
                if wanted and label not in wanted:
                    continue
                prefix = str(Path(tmp) / f"{n}-{user_class}")
                scenario_env = dict(env, LOAD_PORTAL_PATHS=args.paths,
                                    LOAD_USER_RPS=str(getattr(args, paced) / args.users) if paced else "0")
                subprocess.run(
                    [str(VENV_BIN / "locust"), "-f", str(ROOT / "benchmarks" / "load" / "locustfile.py"),
                     "--headless", "-u", str(args.users), "-r", str(args.users), "-t", f"{args.seconds}s",
                     "--host", host, "--csv", prefix, "--only-summary", "--loglevel", "WARNING", user_class],
                    cwd=ROOT, env=scenario_env, check=False, capture_output=True,
                )
                row = _read_stats(prefix + "_stats.csv", name)
                row["name"] = f"{label} @{getattr(args, paced):g}/s" if paced else label
                results.append(row)
        print()
        print(f"{'scenario':<30}{'requests':>10}{'failures':>10}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
        for row in results:
            print(f"{row['name']:<30}{row['requests']:>10}{row['failures']:>10}{row['rps']:>9.1f}"
                  f"{row['p50']:>9}{row['p95']:>9}{row['p99']:>9}")
        print(f"\n{args.users} concurrent users per scenario, {args.seconds} s each, gunicorn -w {args.workers}, "
              f"PostgreSQL, {os.cpu_count()} cores")
        return 1 if any(r["failures"] for r in results) else 0
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def _wait_ready(host: str) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(host + "/api/v1/schema/", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(1)
    raise SystemExit("gunicorn did not come up")


def _post(url: str, body: bytes) -> None:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    try:
        urllib.request.urlopen(request, timeout=60).read()
    except OSError as exc:
        print("warm-up request failed:", exc)


def _cache_status(url: str) -> str:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.headers.get("X-Portal-Cache", "not cached")


def _read_stats(path: str, name: str) -> dict:
    with open(path, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["Name"] == name:
                return {"name": name, "requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                        "rps": float(row["Requests/s"]), "p50": row["50%"], "p95": row["95%"], "p99": row["99%"]}
    raise SystemExit(f"no stats for {name} in {path}")


if __name__ == "__main__":
    sys.exit(main())
