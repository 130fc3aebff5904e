"""Load test on loopback: gunicorn + PostgreSQL, driven by locust (headless, bounded).

    .venv/bin/python benchmarks/load_test.py [--fresh] [--seconds 30] [--workers 3]

Creates (with --fresh) a PostgreSQL database `reemployment_load`, migrates it and loads the
demo county (seed_demo), starts gunicorn with production settings (DEBUG=0) on 127.0.0.1,
then runs three scenarios one after another — portal pages, vacancy search, eligibility
estimate — each for --seconds with --users concurrent users, and prints requests/s and
p50/p95/p99 latency per scenario. Traffic goes to 127.0.0.1 only. Public API throttles are
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
SCENARIOS = [("PortalReader", "portal page"), ("VacancySearcher", "vacancy search"),
             ("EstimateUser", "eligibility estimate")]


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
    parser.add_argument("--paths", default="/,/policies/,/policies/eligibility-and-amounts/,/policies/work-incentives/,/services/apply-for-dibao/,/notices/,/en/", help="portal paths, comma-separated")
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
    })
    if args.fresh:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", args.db], check=True)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", args.db], check=True)
        run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], env)
        t0 = time.monotonic()
        run([sys.executable, "manage.py", "seed_demo"], env)
        print(f"seeded in {time.monotonic() - t0:.0f} s")
    run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    subprocess.run(["redis-cli", "-n", "3", "FLUSHDB"], check=False, capture_output=True)

    server = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "reemployment.wsgi", "-w", str(args.workers), "-b", f"127.0.0.1:{args.port}",
         "--preload", "--access-logfile", "/dev/null", "--error-logfile", "-", "--timeout", "120"],
        cwd=ROOT, env=env,
    )
    host = f"http://127.0.0.1:{args.port}"
    try:
        _wait_ready(host)
        # Warm up: load the encoder in every worker and fill the page cache.
        for _ in range(args.workers * 3):
            _post(host + "/api/v1/vacancies/search", b'{"query": "warm up", "k": 3}')
        results = []
        with tempfile.TemporaryDirectory() as tmp:
            for user_class, name in SCENARIOS:
                prefix = str(Path(tmp) / user_class)
                scenario_env = dict(env, LOAD_PORTAL_PATHS=args.paths)
                subprocess.run(
                    [str(VENV_BIN / "locust"), "-f", str(ROOT / "benchmarks" / "load" / "locustfile.py"),
                     "--headless", "-u", str(args.users), "-r", str(args.users), "-t", f"{args.seconds}s",
                     "--host", host, "--csv", prefix, "--only-summary", "--loglevel", "WARNING", user_class],
                    cwd=ROOT, env=scenario_env, check=False, capture_output=True,
                )
                results.append(_read_stats(prefix + "_stats.csv", name))
        print()
        print(f"{'scenario':<22}{'requests':>10}{'failures':>10}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
        for row in results:
            print(f"{row['name']:<22}{row['requests']:>10}{row['failures']:>10}{row['rps']:>9.1f}"
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


def _read_stats(path: str, name: str) -> dict:
    with open(path, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["Name"] == name:
                return {"name": name, "requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                        "rps": float(row["Requests/s"]), "p50": row["50%"], "p95": row["95%"], "p99": row["99%"]}
    raise SystemExit(f"no stats for {name} in {path}")


if __name__ == "__main__":
    sys.exit(main())
