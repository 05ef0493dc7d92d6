#!/usr/bin/env python3
"""Our portal against Wagtail serving the same archive on this machine, page by page.

    /work/main/.bench-venv/bin/python bench/compare.py [--meetings 500] [--duration 10]

1. Generates a deterministic archive of readouts (as `generate_archive --files`) in a temp folder.
2. Builds a fresh SQLite database for each site and measures the cost of publishing:
   ours:    migrate, then `manage.py import_readout --publish <files>` (timed as a whole),
            then the topics are tagged (the text shape has no topics); a second database
            is built in-process by bench/ours_helper.py for seconds and SQL queries per
            readout.
   Wagtail: migrate, then `manage.py load_readouts <files>` (bench/wagtail_site), which
            creates and publishes pages with revisions, timing and counting each readout.
3. Serves each site with gunicorn (--workers 2 --no-control-socket, DEBUG off) on its own
   loopback port; ours twice when portal/settings.py has PORTAL_PAGE_CACHE_SECONDS (page
   cache off: 0, and on).
4. Checks every measured URL answers 200 on every server and shows the same meeting (or,
   for the relations index, the same relations page), then measures each with
   `wrk -t2 -c8 -d<duration>s` after a 1 s warm-up, servers interleaved page by page.
5. Prints a table and writes bench/results/compare-<timestamp>.json.

Everything runs on 127.0.0.1; the temp folder is removed unless --keep.
"""

import argparse
import html
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse

BENCH_DIR = Path(__file__).resolve().parent
PORTAL_DIR = BENCH_DIR.parent
WAGTAIL_DIR = BENCH_DIR / "wagtail_site"
RESULTS_DIR = BENCH_DIR / "results"
DEFAULT_VENV = PORTAL_DIR / ".bench-venv"

sys.path.insert(0, str(PORTAL_DIR))
# Standard library only: it imports under the bench's virtualenv, without Django set up.
from meetings.archive_generator.readouts import write_files  # noqa: E402


def log(message):
    print(message, flush=True)


def run(args, *, env, cwd, out_path=None, check=True):
    """Run a command; its output goes to out_path (or is returned). Returns (seconds, text)."""
    t0 = time.perf_counter()
    proc = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - t0
    text = proc.stdout + proc.stderr
    if out_path:
        Path(out_path).write_text(text)
    if check and proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(map(str, args))}\n{text[-3000:]}")
    return seconds, proc.stdout


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url, timeout=10):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def readout_heading(path):
    """(relations page title, meeting title) of a readout, by the text shape's rules."""
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line]
    headers = []
    for line in lines[2:]:
        if line.startswith("On "):
            break
        headers.append(line)
    photo = [h for h in headers if h.startswith("(Photo) ")]
    return lines[0], photo[0][len("(Photo) ") :] if photo else headers[0]


def shows(body, text):
    return text in body or html.escape(text) in body or html.escape(text, quote=False) in body


# wrk


def cpu_probe():
    """Seconds a fixed pure-Python loop takes: how fast this machine is right now."""
    t0 = time.perf_counter()
    total = 0
    for i in range(3_000_000):
        total += i
    return round(time.perf_counter() - t0, 4)


def parse_wrk(text):
    def number(pattern):
        match = re.search(pattern, text)
        return float(match.group(1)) if match else None

    def ms(value, unit):
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]

    result = {"requests_per_second": number(r"Requests/sec:\s+([\d.]+)")}
    match = re.search(r"Latency\s+([\d.]+)(us|ms|s|m)\s", text)
    result["latency_avg_ms"] = ms(*match.groups()) if match else None
    match = re.search(r"\s99%\s+([\d.]+)(us|ms|s|m)", text)
    result["latency_p99_ms"] = ms(*match.groups()) if match else None
    result["requests"] = number(r"(\d+) requests in")
    result["non_2xx"] = int(number(r"Non-2xx or 3xx responses:\s+(\d+)") or 0)
    match = re.search(r"Socket errors:(.*)", text)
    result["socket_errors"] = match.group(1).strip() if match else ""
    return result


def wrk(url, duration, warmup=True):
    if warmup:
        subprocess.run(["wrk", "-t2", "-c8", "-d1s", url], capture_output=True, check=False)
    proc = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=False,
    )
    result = parse_wrk(proc.stdout)
    result["raw"] = proc.stdout
    return result


# Servers


class Server:
    def __init__(self, name, label, wsgi, cwd, env, gunicorn, log_path):
        self.name, self.label = name, label
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_file = open(log_path, "w")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [
                str(gunicorn),
                wsgi,
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--no-control-socket",
                "--log-level",
                "warning",
            ],
            cwd=cwd,
            env=env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                sys.exit(f"{self.label}: gunicorn exited; see {self.log_file.name}")
            try:
                fetch(self.base + "/", timeout=2)
                return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.3)
        sys.exit(f"{self.label}: not answering on {self.base} after {timeout} s")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log_file.close()


# Publishing statistics


def summarize_publishing(stats, wall_seconds, count):
    rows = stats["readouts"]
    seconds = [r["seconds"] for r in rows]
    queries = [r["queries"] for r in rows]
    summary = {
        "readouts": len(rows),
        "command_wall_seconds": wall_seconds,
        "command_seconds_per_readout": wall_seconds / count,
        "in_process_total_seconds": stats["total_seconds"],
        "seconds_per_readout_mean": statistics.mean(seconds),
        "seconds_per_readout_median": statistics.median(seconds),
        "queries_per_readout_mean": statistics.mean(queries),
        "queries_per_readout_median": statistics.median(queries),
        "queries_per_readout_max": max(queries),
    }
    kinds = {}
    for row in rows:
        for kind, n in row["by_kind"].items():
            kinds[kind] = kinds.get(kind, 0) + n
    summary["queries_by_kind_mean"] = {k: v / len(rows) for k, v in sorted(kinds.items())}
    summary.update(stats.get("once_per_command", {}))
    if "tag_queries" in rows[0]:
        summary["tagging_seconds_mean"] = statistics.mean(r["tag_seconds"] for r in rows)
        summary["tagging_queries_mean"] = statistics.mean(r["tag_queries"] for r in rows)
    return summary


def git_head():
    """The portal's checked-out commit, read from .git (no git command is run)."""
    try:
        head = (PORTAL_DIR / ".git" / "HEAD").read_text().strip()
        if not head.startswith("ref: "):
            return head
        ref = head[5:]
        ref_path = PORTAL_DIR / ".git" / ref
        if ref_path.exists():
            return f"{ref_path.read_text().strip()} ({ref})"
        packed = PORTAL_DIR / ".git" / "packed-refs"
        for line in packed.read_text().splitlines() if packed.exists() else []:
            if line.endswith(" " + ref):
                return f"{line.split()[0]} ({ref})"
    except OSError:
        pass
    return None


def main():
    parser = argparse.ArgumentParser(description="Compare our portal with Wagtail.")
    parser.add_argument("--meetings", type=int, default=500, help="readouts to generate")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run (≤ 10)")
    parser.add_argument(
        "--rounds", type=int, default=1, help="measure every page this often (median kept)"
    )
    parser.add_argument("--venv", default=str(DEFAULT_VENV), help="the benchmark virtualenv")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder")
    parser.add_argument(
        "--cache-seconds",
        type=int,
        default=int(os.environ.get("PORTAL_PAGE_CACHE_SECONDS") or 0) or 600,
        help="PORTAL_PAGE_CACHE_SECONDS for the 'cache on' run (default 600)",
    )
    args = parser.parse_args()
    if not 1 <= args.duration <= 10:
        sys.exit("--duration: 1 to 10 seconds")
    if args.rounds < 1:
        sys.exit("--rounds: at least 1")
    venv = Path(args.venv)
    python, gunicorn = venv / "bin" / "python", venv / "bin" / "gunicorn"
    if not python.exists() or not gunicorn.exists():
        sys.exit(f"no virtualenv at {venv}: see bench/README.md")
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")

    tmp = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    log(f"work folder: {tmp}")
    servers = []
    try:
        result = bench(args, tmp, python, gunicorn, servers)
    finally:
        for server in servers:
            server.stop()
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    RESULTS_DIR.mkdir(exist_ok=True)
    out = RESULTS_DIR / f"compare-{result['timestamp']}.json"
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False))
    log(f"\nwritten: {out.relative_to(PORTAL_DIR)}")


def bench(args, tmp, python, gunicorn, servers):
    timestamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    base_env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "PORTAL_"))
    }
    base_env.update(
        PYTHONDONTWRITEBYTECODE="1",  # leave no .pyc behind in the project's folders
        DJANGO_SECRET_KEY="bench-" + "x" * 50,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_LOG_LEVEL="WARNING",
    )

    # 1. The archive
    archive = tmp / "archive"
    files = write_files(archive, args.meetings, seed=args.seed, years=10)
    log(f"archive: {len(files)} readouts (seed {args.seed})")
    page_title, meeting_title = readout_heading(files[-1])

    # 2a. Ours
    ours_env = dict(
        base_env,
        DATABASE_URL=f"sqlite:///{tmp / 'ours.db'}",
        DJANGO_STATIC_ROOT=str(tmp / "ours-static"),
    )
    manage = [python, "manage.py"]
    run([*manage, "migrate", "--noinput", "-v0"], env=ours_env, cwd=PORTAL_DIR)
    shutil.copy(tmp / "ours.db", tmp / "ours-stats.db")
    run([*manage, "collectstatic", "--noinput", "-v0"], env=ours_env, cwd=PORTAL_DIR)
    log("ours: manage.py import_readout --publish …")
    ours_wall, ours_out = run(
        [*manage, "import_readout", "--publish", *files],
        env=ours_env,
        cwd=PORTAL_DIR,
        out_path=tmp / "ours-import.log",
    )
    imported = [
        line.split(" ", 1)[1] for line in ours_out.splitlines() if line.startswith("imported: ")
    ]
    ours_meeting = urlparse(imported[-1]).path
    run([python, BENCH_DIR / "ours_helper.py", "tag", archive], env=ours_env, cwd=PORTAL_DIR)
    stats_env = dict(ours_env, DATABASE_URL=f"sqlite:///{tmp / 'ours-stats.db'}")
    run(
        [
            python,
            BENCH_DIR / "ours_helper.py",
            "import-stats",
            "--out",
            tmp / "ours-stats.json",
            *files,
        ],
        env=stats_env,
        cwd=PORTAL_DIR,
    )
    ours_publishing = summarize_publishing(
        json.loads((tmp / "ours-stats.json").read_text()), ours_wall, len(files)
    )

    # 2b. Wagtail
    wagtail_env = dict(
        base_env,
        DATABASE_URL=f"sqlite:///{tmp / 'wagtail.db'}",
        DJANGO_STATIC_ROOT=str(tmp / "wagtail-static"),
        DJANGO_SETTINGS_MODULE="wagtailbench.settings",
    )
    run([python, "manage.py", "migrate", "--noinput", "-v0"], env=wagtail_env, cwd=WAGTAIL_DIR)
    log("Wagtail: manage.py load_readouts …")
    loader_env = dict(wagtail_env, DJANGO_SETTINGS_MODULE="wagtailbench.settings_loader")
    wagtail_wall, wagtail_out = run(
        [python, "manage.py", "load_readouts", "--stats-json", tmp / "wagtail-stats.json", *files],
        env=loader_env,
        cwd=WAGTAIL_DIR,
        out_path=tmp / "wagtail-import.log",
    )
    imported = [
        line.split(" ", 1)[1] for line in wagtail_out.splitlines() if line.startswith("imported: ")
    ]
    wagtail_meeting = urlparse(imported[-1]).path
    wagtail_publishing = summarize_publishing(
        json.loads((tmp / "wagtail-stats.json").read_text()), wagtail_wall, len(files)
    )

    # 3. Servers
    settings_text = (PORTAL_DIR / "portal" / "settings.py").read_text()
    has_page_cache = "PORTAL_PAGE_CACHE_SECONDS" in settings_text
    configs = [
        ("ours", "ours", PORTAL_DIR, "portal.wsgi", dict(ours_env, PORTAL_PAGE_CACHE_SECONDS="0"))
    ]
    if has_page_cache:
        configs[0] = ("ours", "ours (cache off)", *configs[0][2:])
        configs.append(
            (
                "ours_cache",
                f"ours (cache {args.cache_seconds} s)",
                PORTAL_DIR,
                "portal.wsgi",
                dict(ours_env, PORTAL_PAGE_CACHE_SECONDS=str(args.cache_seconds)),
            )
        )
    configs.append(("wagtail", "Wagtail", WAGTAIL_DIR, "wagtailbench.wsgi", wagtail_env))
    for name, label, cwd, wsgi, env in configs:
        servers.append(Server(name, label, wsgi, cwd, env, gunicorn, tmp / f"{name}-gunicorn.log"))
    for server in servers:
        server.wait_ready()
        log(f"{server.label}: {server.base}")

    # 4. The pages, and the checks that they are equivalent
    ours_body = fetch(servers[0].base + ours_meeting)[1]
    topic = re.search(r'href="/topics/([^/"]+)/"', ours_body)
    if not topic:
        sys.exit(f"no topic link on our meeting page {ours_meeting}")
    topic_path = f"/topics/{topic.group(1)}/"

    def parent(path):
        return "/".join(path.rstrip("/").split("/")[:3]) + "/"

    pages = [
        ("home", "/", "/", meeting_title),
        ("relations index", "/relations/", "/relations/", page_title),
        ("relations page", parent(ours_meeting), parent(wagtail_meeting), meeting_title),
        ("meeting page", ours_meeting, wagtail_meeting, meeting_title),
        ("topic page", topic_path, topic_path, meeting_title),
        ("RSS feed (all meetings)", "/meetings/feed/rss/", "/meetings/feed/rss/", meeting_title),
    ]

    def path_for(server, page):
        return page[2] if server.name == "wagtail" else page[1]

    problems = []
    for page in pages:
        for server in servers:
            status, body = fetch(server.base + path_for(server, page))
            if status != 200:
                problems.append(f"{server.label} {path_for(server, page)}: HTTP {status}")
            elif not shows(body, page[3]):
                problems.append(f"{server.label} {path_for(server, page)}: no “{page[3]}”")
    if problems:
        sys.exit("the sites do not serve the same pages:\n  " + "\n  ".join(problems))
    log(f"checked: every page answers 200 on every server and shows “{meeting_title}”")

    # In-process cost of each page: SQL queries and milliseconds, through Django's test client.
    page_costs = {}
    for name, _label, cwd, _wsgi, env in configs:
        out = tmp / f"{name}-page-costs.json"
        paths = [path_for(servers[-1] if name == "wagtail" else servers[0], p) for p in pages]
        run(
            [python, BENCH_DIR / "page_queries.py", "--path", cwd, "--out", out, *paths],
            env=dict(
                env, DJANGO_SETTINGS_MODULE=env.get("DJANGO_SETTINGS_MODULE", "portal.settings")
            ),
            cwd=cwd,
        )
        page_costs[name] = json.loads(out.read_text())

    # 5. Load: page by page, every server in turn (rotated each round), so that drift in
    # the machine's speed falls on all servers alike.
    log(
        f"\nwrk -t2 -c8 -d{args.duration}s per page and server, after a 1 s warm-up"
        f" ({args.rounds} round{'s' if args.rounds > 1 else ''}):"
    )
    measured = [{"page": page[0], "urls": {}, "wrk": {}, "in_process": {}} for page in pages]
    probes = [cpu_probe()]
    for round_number in range(args.rounds):
        for page, row in zip(pages, measured, strict=True):
            order = servers[round_number % len(servers) :] + servers[: round_number % len(servers)]
            for server in order:
                path = path_for(server, page)
                row["urls"][server.name] = path
                result = wrk(server.base + path, args.duration)
                row["wrk"].setdefault(server.name, {"runs": []})["runs"].append(result)
                log(
                    f"  {page[0]:<24} {server.label:<20} "
                    f"{result['requests_per_second'] or 0:>8.1f} req/s"
                )
            probes.append(cpu_probe())
    for row in measured:
        for server in servers:
            runs = row["wrk"][server.name]["runs"]
            summary = row["wrk"][server.name]
            for key in ("requests_per_second", "latency_avg_ms", "latency_p99_ms"):
                values = [r[key] for r in runs if r[key] is not None]
                summary[key] = statistics.median(values) if values else None
            summary["non_2xx"] = sum(r["non_2xx"] for r in runs)
            summary["socket_errors"] = "; ".join(
                r["socket_errors"] for r in runs if r["socket_errors"]
            )
            cost = page_costs[server.name][row["urls"][server.name]]
            row["in_process"][server.name] = {
                k: cost[k] for k in ("queries", "median_ms", "bytes", "sql")
            }

    # The table
    names = [s.name for s in servers]
    labels = {s.name: s.label for s in servers}
    ours_names = [n for n in names if n != "wagtail"]
    header = [
        "page",
        *[labels[n] + " req/s" for n in names],
        *[f"ratio {labels[n]}" for n in ours_names],
    ]
    lines = []
    for row in measured:
        rps = {n: row["wrk"][n]["requests_per_second"] or 0.0 for n in names}
        ratios = {
            n: (rps[n] / rps["wagtail"] if rps["wagtail"] else float("nan")) for n in ours_names
        }
        row["ratio_vs_wagtail"] = ratios
        lines.append(
            [
                row["page"],
                *[f"{rps[n]:.1f}" for n in names],
                *[f"{ratios[n]:.2f}x" for n in ours_names],
            ]
        )
    widths = [max(len(str(x)) for x in col) for col in zip(header, *lines, strict=True)]
    log("")
    log("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    log("  ".join("-" * w for w in widths))
    for line in lines:
        log("  ".join(str(x).ljust(w) for x, w in zip(line, widths, strict=True)))

    log("\nin-process cost per request (SQL queries / median ms, Django test client):")
    for row in measured:
        costs = row["in_process"]
        cells = [
            f"{labels[n]}: {costs[n]['queries']} q / {costs[n]['median_ms']:.1f} ms" for n in names
        ]
        log(f"  {row['page']:<24} " + "   ".join(cells))

    log("\npublishing (import + publish, per readout):")
    for label, pub in (("ours", ours_publishing), ("Wagtail", wagtail_publishing)):
        extra = ""
        if "tagging_queries_mean" in pub:
            extra = (
                f"; tagging after import: {pub['tagging_seconds_mean'] * 1000:.1f} ms, "
                f"{pub['tagging_queries_mean']:.1f} queries"
            )
        log(
            f"  {label:<8} in-process {pub['seconds_per_readout_mean'] * 1000:.1f} ms mean "
            f"({pub['seconds_per_readout_median'] * 1000:.1f} median), "
            f"{pub['queries_per_readout_mean']:.1f} queries mean "
            f"({pub['queries_per_readout_median']:.0f} median, "
            f"{pub['queries_per_readout_max']} max); "
            f"whole command {pub['command_wall_seconds']:.1f} s = "
            f"{pub['command_seconds_per_readout'] * 1000:.1f} ms/readout{extra}"
        )
    fail = [
        f"{row['page']} ({labels[n]}: {row['wrk'][n]['non_2xx']} non-2xx, "
        f"socket errors {row['wrk'][n]['socket_errors'] or 'none'})"
        for row in measured
        for n in names
        if row["wrk"][n]["non_2xx"] or row["wrk"][n]["socket_errors"]
    ]
    if fail:
        log("\nWARNING: errors under load: " + "; ".join(fail))
    spread = max(probes) / min(probes)
    log(
        f"\nCPU probe (a fixed Python loop, idle servers) between pages: "
        f"{min(probes) * 1000:.0f}-{max(probes) * 1000:.0f} ms"
        + (
            f"  WARNING: the machine's speed varied {spread:.2f}x during the run"
            if spread > 1.15
            else ""
        )
    )

    versions = subprocess.run(
        [
            str(python),
            "-c",
            "import django, wagtail, gunicorn, taggit, sys; "
            "print(sys.version.split()[0], django.get_version(), wagtail.__version__, "
            "gunicorn.__version__, taggit.VERSION)",
        ],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split(" ", 4)
    return {
        "timestamp": timestamp,
        "command": " ".join(sys.argv),
        "portal_commit": git_head(),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": versions[0] if versions else None,
            "django": versions[1] if len(versions) > 1 else None,
            "wagtail": versions[2] if len(versions) > 2 else None,
            "gunicorn": versions[3] if len(versions) > 3 else None,
        },
        "archive": {"meetings": len(files), "seed": args.seed},
        "database": "SQLite (a fresh file per site)",
        "load": {
            "tool": "wrk",
            "threads": 2,
            "connections": 8,
            "duration_s": args.duration,
            "gunicorn_workers": 2,
        },
        "servers": {s.name: s.label for s in servers},
        "page_cache_setting_present": has_page_cache,
        "cpu_probe_seconds": probes,
        "rounds": args.rounds,
        "pages": measured,
        "publishing": {"ours": ours_publishing, "wagtail": wagtail_publishing},
    }


if __name__ == "__main__":
    main()
