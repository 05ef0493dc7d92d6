#!/usr/bin/env python3
"""Our portal against Wagtail serving the same archive on this machine, page by page.

    /work/main/.bench-venv/bin/python bench/compare.py [--meetings 500] [--duration 10]
        [--rounds 3] [--database sqlite|postgres --postgres postgres://USER:PASSWORD@HOST:PORT/DB]

1. Generates a deterministic archive of readouts (as `generate_archive --files`) in a temp folder.
2. Builds a fresh database for each site (SQLite files in the temp folder, or, with
   --database postgres, databases <prefix>_ours, <prefix>_ours_stats and <prefix>_wagtail
   created on the server --postgres names, dropped at the end unless --keep) and measures
   the cost of publishing:
   ours:    migrate, then `manage.py import_readout --publish <folder>` (timed as a whole),
            then the topics are tagged (the text shape has no topics); a second database
            is built in-process by bench/ours_helper.py for seconds and SQL queries per
            readout.
   Wagtail: migrate, then `manage.py load_readouts <folder>` (bench/wagtail_site), which
            creates and publishes pages with revisions, timing and counting each readout.
3. Serves each site with gunicorn (--workers 2 --no-control-socket, DEBUG off) on its own
   loopback port: ours with the page cache off, on with each process's memory (locmem) and
   on with a throwaway redis-server (REDIS_URL; skipped when redis-server is missing);
   Wagtail as it comes.
4. Checks every measured URL answers 200 on every server and shows the same meeting (or,
   for the relations index, the same relations page). Then writes the bytes our cached
   server returned for each page under STATIC_ROOT/bench-ceiling/ and starts one more
   gunicorn of ours (cache on) serving them through whitenoise: the static ceiling.
5. Measures each page with `wrk -t2 -c8 -d<duration>s --latency` after a 1 s warm-up,
   servers interleaved page by page and rotated each round; medians of the rounds kept.
6. Prints a table and writes bench/results/compare-<timestamp>.json, .md (the report) and
   -throughput.png, -p99.png (matplotlib).

Everything runs on 127.0.0.1; the temp folder is removed unless --keep.
"""

import argparse
import html
import json
import os
import platform
import re
import shlex
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse, urlsplit

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


def fetch_bytes(url, timeout=10):
    """(status, content type, body bytes): the response as a client without compression sees it."""
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, response.headers.get("Content-Type", ""), response.read()


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


# wrk's default (2 s) would count a slow page's responses as timeouts, dropping them from
# its latencies: at 50,000 meetings a cache-off page may take longer than that.
WRK_TIMEOUT = "30s"


def wrk(url, duration, warmup=True):
    if warmup:
        subprocess.run(
            ["wrk", "-t2", "-c8", "-d1s", f"--timeout={WRK_TIMEOUT}", url],
            capture_output=True,
            check=False,
        )
    proc = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{duration}s", f"--timeout={WRK_TIMEOUT}", "--latency", url],
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


class RedisServer:
    """A throwaway redis-server on a free loopback port, keeping nothing on disk."""

    def __init__(self, executable, folder):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        folder.mkdir(exist_ok=True)
        self.proc = subprocess.Popen(
            [
                executable,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                sys.exit(f"redis-server exited with {self.proc.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), 0.2):
                    return
            except OSError:
                time.sleep(0.05)
        self.stop()
        sys.exit(f"redis-server: nothing answered on port {self.port}")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


# Databases


class Databases:
    """A fresh database per use ("ours", "ours_stats", "wagtail").

    SQLite: <use>.db in the work folder. PostgreSQL: <prefix>_<use> on the server the
    --postgres URL names (its own database is only used to create and drop them), dropped
    first if left over, and dropped by drop_all(); no other database is touched."""

    def __init__(self, kind, tmp, server_url=None, prefix="bench"):
        self.kind, self.tmp, self.server_url, self.prefix = kind, tmp, server_url, prefix
        self.created = []
        if kind == "postgres":
            import psycopg  # the bench's virtualenv has it (bench/requirements.txt)

            self.psycopg = psycopg
            self.admin = psycopg.connect(server_url, autocommit=True)
            self.version = self.admin.execute("SHOW server_version").fetchone()[0]
            self.label = f"PostgreSQL {self.version.split()[0]}"
        else:
            self.version = sqlite3.sqlite_version
            self.label = f"SQLite {self.version}"

    def name(self, use):
        return f"{self.prefix}_{use}"

    def url(self, use):
        if self.kind == "sqlite":
            return f"sqlite:///{self.tmp / (use + '.db')}"
        return urlsplit(self.server_url)._replace(path="/" + self.name(use)).geturl()

    def create(self, use, template=None):
        """An empty database for use, or a copy of template's (which nothing may be using)."""
        if self.kind == "sqlite":
            if template:
                shutil.copy(self.tmp / f"{template}.db", self.tmp / f"{use}.db")
            return
        sql = self.psycopg.sql
        name = sql.Identifier(self.name(use))
        self.admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        statement = sql.SQL("CREATE DATABASE {}").format(name)
        if template:
            statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(self.name(template)))
        self.admin.execute(statement)
        if use not in self.created:
            self.created.append(use)

    def analyze(self, use):
        """Fresh planner statistics after the bulk load, as autovacuum would make later."""
        if self.kind == "postgres":
            with self.psycopg.connect(self.url(use), autocommit=True) as conn:
                conn.execute("VACUUM ANALYZE")

    def drop(self, use):
        if self.kind == "postgres" and use in self.created:
            name = self.psycopg.sql.Identifier(self.name(use))
            self.admin.execute(
                self.psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name)
            )
            self.created.remove(use)

    def drop_all(self):
        for use in list(self.created):
            self.drop(use)

    def close(self):
        if self.kind == "postgres":
            self.admin.close()


def redacted(text):
    """text with the passwords of any URLs in it replaced by ***."""
    return re.sub(r"(://[^:/@\s]+:)[^@\s]+@", r"\1***@", text)


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
    """The portal's checked-out commit, read from .git (no git command is run); in a
    worktree .git is a file naming its own folder, whose refs live in the main one."""
    try:
        git_dir = PORTAL_DIR / ".git"
        if git_dir.is_file():
            git_dir = Path(git_dir.read_text().split("gitdir:", 1)[1].strip())
        common = git_dir
        if (git_dir / "commondir").exists():
            common = (git_dir / (git_dir / "commondir").read_text().strip()).resolve()
        head = (git_dir / "HEAD").read_text().strip()
        if not head.startswith("ref: "):
            return head
        ref = head[5:]
        ref_path = common / ref
        if ref_path.exists():
            return f"{ref_path.read_text().strip()} ({ref})"
        packed = common / "packed-refs"
        for line in packed.read_text().splitlines() if packed.exists() else []:
            if line.endswith(" " + ref):
                return f"{line.split()[0]} ({ref})"
    except (OSError, IndexError):
        pass
    return None


# Report: console table, markdown, plots

SERIES = [  # (server name, label in reports, colour in plots)
    ("ours", "ours, cache off", "#1f77b4"),
    ("wagtail", "Wagtail", "#ff7f0e"),
    ("ours_locmem", "ours, cache on (locmem)", "#2ca02c"),
    ("ours_redis", "ours, cache on (Redis)", "#9467bd"),
    ("ceiling", "static ceiling", "#7f7f7f"),
]
RATIO_GOAL = 2.0  # cache off: at least twice Wagtail's throughput
SHARE_GOAL = 0.70  # cache on: at least 70 % of the static ceiling


def series_of(result):
    return [s for s in SERIES if s[0] in result["servers"]]


def mark(ok):
    return "✓" if ok else "✗"


def cell(summary):
    rps, p99 = summary["requests_per_second"], summary["latency_p99_ms"]
    return f"{rps or 0:,.0f} · {p99:,.1f} ms" if p99 is not None else f"{rps or 0:,.0f} · ?"


def goal_cells(row, name):
    """'2.31× ✓' (ours cache off against Wagtail) or '74 % ✓' (cache on against the ceiling)."""
    if name == "ours":
        ratio = row["ratio_vs_wagtail"].get("ours")
        return "?" if ratio is None else f"{ratio:.2f}× {mark(ratio >= RATIO_GOAL)}"
    share = row["share_of_ceiling"].get(name)
    return "?" if share is None else f"{share * 100:.1f} % {mark(share >= SHARE_GOAL)}"


def errors_under_load(result):
    return [
        f"{row['page']} ({result['servers'][n]}: {w['non_2xx']} non-2xx, "
        f"socket errors {w['socket_errors'] or 'none'})"
        for row in result["pages"]
        for n, w in row["wrk"].items()
        if w["non_2xx"] or w["socket_errors"]
    ]


def probe_line(result):
    probes = result["cpu_probe_seconds"]
    spread = max(probes) / min(probes)
    warning = (
        f"  WARNING: the machine's speed varied {spread:.2f}× during the run"
        if spread > 1.15
        else ""
    )
    return (
        f"CPU probe (a fixed Python loop, idle servers) between pages: "
        f"{min(probes) * 1000:.0f}–{max(probes) * 1000:.0f} ms{warning}"
    )


def publishing_lines(result):
    lines = []
    for label, pub in (
        ("ours", result["publishing"]["ours"]),
        ("Wagtail", result["publishing"]["wagtail"]),
    ):
        extra = ""
        if "tagging_queries_mean" in pub:
            extra = (
                f"; tagging after import: {pub['tagging_seconds_mean'] * 1000:.1f} ms, "
                f"{pub['tagging_queries_mean']:.1f} queries"
            )
        lines.append(
            f"{label}: in-process {pub['seconds_per_readout_mean'] * 1000:.1f} ms mean "
            f"({pub['seconds_per_readout_median'] * 1000:.1f} median), "
            f"{pub['queries_per_readout_mean']:.1f} queries mean "
            f"({pub['queries_per_readout_median']:.0f} median, "
            f"{pub['queries_per_readout_max']} max); "
            f"whole command {pub['command_wall_seconds']:.1f} s = "
            f"{pub['command_seconds_per_readout'] * 1000:.1f} ms/readout{extra}"
        )
    return lines


def print_summary(result):
    series = series_of(result)
    goal_names = [n for n, *_ in series if n.startswith("ours")]
    short = {"ours": "ours off", "ours_locmem": "locmem", "ours_redis": "Redis"}
    header = ["page", *[short.get(n, label) for n, label, _ in series]]
    header += ["off ÷ Wagtail" if n == "ours" else f"{short[n]} ÷ ceiling" for n in goal_names]
    lines = [
        [
            row["page"],
            *[cell(row["wrk"][n]) for n, *_ in series],
            *[goal_cells(row, n) for n in goal_names],
        ]
        for row in result["pages"]
    ]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *lines, strict=True)]
    log(f"\neach cell: requests/s · p99 latency, median of {result['rounds']} round(s)")
    log("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    log("  ".join("-" * w for w in widths))
    for line in lines:
        log("  ".join(str(x).ljust(w) for x, w in zip(line, widths, strict=True)))

    log("\nin-process cost per request (SQL queries / median ms, Django test client):")
    for row in result["pages"]:
        costs = row["in_process"]
        cells = [
            f"{result['servers'][n]}: {c['queries']} q / {c['median_ms']:.1f} ms"
            for n, c in costs.items()
        ]
        log(f"  {row['page']:<24} " + "   ".join(cells))
    log("\npublishing (import + publish, per readout):")
    for line in publishing_lines(result):
        log("  " + line)
    fail = errors_under_load(result)
    if fail:
        log("\nWARNING: errors under load: " + "; ".join(fail))
    for note in result["notes"]:
        log("NOTE: " + note)
    log("\n" + probe_line(result))


def write_plots(result, base):
    """compare-<time>-throughput.png and -p99.png: grouped bars per page (log scale)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        log("NOTE: matplotlib is missing (bench/requirements.txt): no plots")
        return []
    series = series_of(result)
    pages = [row["page"] for row in result["pages"]]
    title = (
        f"{result['archive']['meetings']:,} meetings, {result['database']['label']}, "
        f"gunicorn 2 sync workers, wrk -c{result['load']['connections']} "
        f"-d{result['load']['duration_s']}s, median of {result['rounds']} round(s)"
    )
    written = []
    for key, suffix, ylabel in (
        ("requests_per_second", "throughput", "requests per second (log scale)"),
        ("latency_p99_ms", "p99", "p99 latency, ms (log scale)"),
    ):
        fig, ax = plt.subplots(figsize=(13, 6))
        width = 0.8 / len(series)
        for i, (name, label, colour) in enumerate(series):
            values = [row["wrk"][name][key] or 0 for row in result["pages"]]
            xs = [p + (i - (len(series) - 1) / 2) * width for p in range(len(pages))]
            bars = ax.bar(xs, values, width, label=label, color=colour)
            ax.bar_label(
                bars,
                labels=[f"{v:,.0f}" if v >= 10 else f"{v:.1f}" for v in values],
                fontsize=7,
                rotation=90,
                padding=2,
            )
        ax.set_yscale("log")
        ax.set_xticks(range(len(pages)), pages)
        ax.set_ylabel(ylabel)
        ax.set_title(
            f"{'Throughput' if suffix == 'throughput' else 'p99 latency'}: {title}", fontsize=10
        )
        ax.margins(y=0.25)
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        ax.grid(axis="y", which="major", alpha=0.3)
        fig.tight_layout()
        path = Path(f"{base}-{suffix}.png")
        fig.savefig(path, dpi=110)
        plt.close(fig)
        written.append(path)
    return written


def markdown_report(result, plots):
    series = series_of(result)
    names = {n for n, *_ in series}
    m = result["machine"]
    out = [
        f"# Our portal against Wagtail, {result['timestamp']}",
        "",
        f"{result['archive']['meetings']:,} meetings (seed {result['archive']['seed']}), "
        f"{result['database']['label']}, each site on its own fresh database; gunicorn with "
        f"{result['load']['gunicorn_workers']} sync workers per server; "
        f"`wrk -t{result['load']['threads']} -c{result['load']['connections']} "
        f"-d{result['load']['duration_s']}s --timeout={WRK_TIMEOUT} --latency` after a "
        f"{result['load']['warmup_s']} s "
        f"warm-up; {result['rounds']} round(s), servers alternating page by page and rotated "
        "each round; the median of the rounds for requests/s and for p99. All on loopback, "
        "on the same machine as the servers.",
        "",
        "Each cell: requests per second · p99 latency. Goals: page cache off, at least "
        f"{RATIO_GOAL:.0f}× Wagtail's throughput; page cache on, at least "
        f"{SHARE_GOAL * 100:.0f} % of the static ceiling (the same bytes served as a static file "
        "by whitenoise through the same gunicorn and settings, measured in the same run).",
        "",
    ]
    header = ["page", "bytes", "ours, cache off", "Wagtail", "ours ÷ Wagtail"]
    if "ours_locmem" in names:
        header += ["ours, cache on (locmem)", "÷ ceiling"]
    if "ours_redis" in names:
        header += ["ours, cache on (Redis)", "÷ ceiling"]
    header += ["static ceiling"]
    out += ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for row in result["pages"]:
        w = row["wrk"]
        cells = [
            row["page"],
            f"{row['bytes']:,}",
            cell(w["ours"]),
            cell(w["wagtail"]),
            goal_cells(row, "ours"),
        ]
        for name in ("ours_locmem", "ours_redis"):
            if name in names:
                cells += [cell(w[name]), goal_cells(row, name)]
        cells.append(cell(w["ceiling"]))
        out.append("| " + " | ".join(cells) + " |")
    out.append("")
    verdicts = []
    ratios = [row["ratio_vs_wagtail"].get("ours") or 0 for row in result["pages"]]
    verdicts.append(
        f"- Cache off, every page at least {RATIO_GOAL:.0f}× Wagtail: "
        f"**{'yes' if min(ratios) >= RATIO_GOAL else 'no'}** (lowest {min(ratios):.2f}×)."
    )
    for name in ("ours_locmem", "ours_redis"):
        if name in names:
            shares = [row["share_of_ceiling"].get(name) or 0 for row in result["pages"]]
            verdicts.append(
                f"- {result['servers'][name]}, every page at least {SHARE_GOAL * 100:.0f} % of "
                f"the ceiling: **{'yes' if min(shares) >= SHARE_GOAL else 'no'}** "
                f"(lowest {min(shares) * 100:.1f} %)."
            )
    out += verdicts
    fail = errors_under_load(result)
    if fail:
        out.append(f"- **Errors under load**: {'; '.join(fail)}.")
    out += [f"- Note: {note}." for note in result["notes"]]
    out += [f"- {probe_line(result)}.", ""]
    for path in plots:
        out += [f"![{path.stem}]({path.name})", ""]

    out += [
        "## In-process cost per request",
        "",
        "SQL queries and median milliseconds per request through Django's test client "
        "(full middleware, no network), for the same URLs.",
        "",
        "| page | "
        + " | ".join(result["servers"][n] for n in result["pages"][0]["in_process"])
        + " |",
        "|" + " --- |" * (1 + len(result["pages"][0]["in_process"])),
    ]
    for row in result["pages"]:
        out.append(
            f"| {row['page']} | "
            + " | ".join(
                f"{c['queries']} q, {c['median_ms']:.1f} ms" for c in row["in_process"].values()
            )
            + " |"
        )
    out += [
        "",
        "## Publishing cost per readout",
        "",
        "Import and publish (parse, write, publish, commit hooks), per readout: in-process "
        "timings and SQL queries counted with a connection execute wrapper; "
        "“whole command” is the wall time of `manage.py import_readout --publish` (ours) or "
        "`manage.py load_readouts` (Wagtail: a revision, then `revision.publish()`) divided by "
        "the readouts, process start-up included.",
        "",
    ]
    out += ["- " + line for line in publishing_lines(result)]
    db = result["database"]
    out += [
        "",
        "## Machine and software",
        "",
        f"- CPU: {m.get('cpu_model') or 'unknown'}; {m['cpus']} cores "
        f"({m.get('cpus_usable')} usable by this process); load average at the start "
        + ", ".join(f"{x:.2f}" for x in m.get("load_average_at_start") or [])
        + f"; {m['platform']}.",
        f"- Database: {db['label'].split()[0]} {db['version']}"
        + (
            f" (databases {', '.join(db['names'].values())}, VACUUM ANALYZE after loading)."
            if db.get("names")
            else "."
        ),
        f"- Python {m.get('python')}, Django {m.get('django')}, Wagtail {m.get('wagtail')}, "
        f"gunicorn {m.get('gunicorn')}, whitenoise {m.get('whitenoise')}, "
        f"psycopg {m.get('psycopg')}, redis-py {m.get('redis_py')}, {m.get('wrk') or 'wrk'}.",
        f"- Portal commit: {result.get('portal_commit') or 'unknown'}.",
        f"- Page cache on: `PORTAL_PAGE_CACHE_SECONDS={result['load']['cache_seconds']}`; "
        "Redis: a throwaway `redis-server` on loopback, no persistence (`REDIS_URL`).",
        "",
        "## Reproducing",
        "",
        "From the portal's folder, with the benchmark's virtualenv (bench/README.md):",
        "",
        "```sh",
        f"cd {result.get('cwd', '.')}",
        result["command"],
        "```",
        "",
        "(passwords in URLs are shown as ***.) What it runs for each server and page:",
        "",
        "```sh",
        "DATABASE_URL=… DJANGO_SECRET_KEY=… PORTAL_PAGE_CACHE_SECONDS=0|"
        f"{result['load']['cache_seconds']} [REDIS_URL=redis://127.0.0.1:PORT/0] \\",
        "  .bench-venv/bin/gunicorn portal.wsgi --workers 2 --no-control-socket -b 127.0.0.1:PORT",
        "# Wagtail: cd bench/wagtail_site && DJANGO_SETTINGS_MODULE=wagtailbench.settings "
        "… gunicorn wagtailbench.wsgi …",
        f"wrk -t2 -c8 -d1s --timeout={WRK_TIMEOUT} URL; wrk -t{result['load']['threads']} "
        f"-c{result['load']['connections']} -d{result['load']['duration_s']}s "
        f"--timeout={WRK_TIMEOUT} --latency URL",
        "```",
        "",
        "Every number, wrk's raw output and each page's SQL: "
        f"`compare-{result['timestamp']}.json`.",
        "",
    ]
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(description="Compare our portal with Wagtail.")
    parser.add_argument("--meetings", type=int, default=500, help="readouts to generate")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run (≤ 10)")
    parser.add_argument(
        "--rounds", type=int, default=3, help="measure every page this often (median kept)"
    )
    parser.add_argument(
        "--database",
        choices=("sqlite", "postgres"),
        default="sqlite",
        help="SQLite files in the temp folder (default), or PostgreSQL databases on --postgres",
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES_URL"),
        metavar="URL",
        help="a PostgreSQL server, as postgres://user:password@host:port/db, whose user may "
        "CREATE DATABASE (default: BENCH_POSTGRES_URL)",
    )
    parser.add_argument(
        "--db-prefix",
        default="bench",
        help="PostgreSQL databases are named <prefix>_ours, <prefix>_ours_stats, "
        "<prefix>_wagtail (default bench)",
    )
    parser.add_argument("--venv", default=str(DEFAULT_VENV), help="the benchmark virtualenv")
    parser.add_argument(
        "--keep", action="store_true", help="keep the temp folder (and PostgreSQL databases)"
    )
    parser.add_argument(
        "--cache-seconds",
        type=int,
        default=int(os.environ.get("PORTAL_PAGE_CACHE_SECONDS") or 0) or 600,
        help="PORTAL_PAGE_CACHE_SECONDS for the 'cache on' runs (default 600)",
    )
    args = parser.parse_args()
    if not 1 <= args.duration <= 10:
        sys.exit("--duration: 1 to 10 seconds")
    if args.rounds < 1:
        sys.exit("--rounds: at least 1")
    if args.database == "postgres":
        if not args.postgres or urlsplit(args.postgres).scheme not in ("postgres", "postgresql"):
            sys.exit("--database postgres needs --postgres postgres://user:password@host:port/db")
        if not re.fullmatch(r"[a-z][a-z0-9_]{0,30}", args.db_prefix) or args.db_prefix.startswith(
            "portal"
        ):
            sys.exit("--db-prefix: lower-case letters, digits and _, not starting with 'portal'")
    venv = Path(args.venv)
    python, gunicorn = venv / "bin" / "python", venv / "bin" / "gunicorn"
    if not python.exists() or not gunicorn.exists():
        sys.exit(f"no virtualenv at {venv}: see bench/README.md")
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")

    tmp = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    log(f"work folder: {tmp}")
    databases = Databases(args.database, tmp, args.postgres, args.db_prefix)
    log(f"database: {databases.label}")
    processes = []  # servers (and redis-server), stopped in reverse order
    try:
        result = bench(args, tmp, python, gunicorn, processes, databases)
    finally:
        for process in reversed(processes):
            process.stop()
        if args.keep:
            log(
                f"kept {tmp}" + (f" and databases {databases.created}" if databases.created else "")
            )
        else:
            databases.drop_all()
            shutil.rmtree(tmp, ignore_errors=True)
        databases.close()
    RESULTS_DIR.mkdir(exist_ok=True)
    base = RESULTS_DIR / f"compare-{result['timestamp']}"
    out = base.with_suffix(".json")
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False))
    plots = write_plots(result, base)
    report = base.with_suffix(".md")
    report.write_text(markdown_report(result, plots))
    log("")
    for path in (out, report, *plots):
        log(f"written: {path.relative_to(PORTAL_DIR)}")


def machine_facts():
    model = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu_model": model,
        "load_average_at_start": list(os.getloadavg()),
        "platform": platform.platform(),
    }


def bench(args, tmp, python, gunicorn, processes, databases):
    timestamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    machine = machine_facts()
    base_env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "PORTAL_", "REDIS_", "CACHE_"))
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
    databases.create("ours")
    ours_env = dict(
        base_env,
        DATABASE_URL=databases.url("ours"),
        DJANGO_STATIC_ROOT=str(tmp / "ours-static"),
    )
    manage = [python, "manage.py"]
    run([*manage, "migrate", "--noinput", "-v0"], env=ours_env, cwd=PORTAL_DIR)
    databases.create("ours_stats", template="ours")
    run([*manage, "collectstatic", "--noinput", "-v0"], env=ours_env, cwd=PORTAL_DIR)
    log("ours: manage.py import_readout --publish …")
    # The folder, not its files: 50,000 names do not fit on a command line. import_readout
    # reads a folder's files in name order, which is write_files' date order.
    ours_wall, ours_out = run(
        [*manage, "import_readout", "--publish", archive],
        env=ours_env,
        cwd=PORTAL_DIR,
        out_path=tmp / "ours-import.log",
    )
    imported = [
        line.split(" ", 1)[1] for line in ours_out.splitlines() if line.startswith("imported: ")
    ]
    ours_meeting = urlparse(imported[-1]).path
    run([python, BENCH_DIR / "ours_helper.py", "tag", archive], env=ours_env, cwd=PORTAL_DIR)
    databases.analyze("ours")
    log("ours: publishing cost per readout (bench/ours_helper.py import-stats) …")
    stats_env = dict(ours_env, DATABASE_URL=databases.url("ours_stats"))
    run(
        [
            python,
            BENCH_DIR / "ours_helper.py",
            "import-stats",
            "--out",
            tmp / "ours-stats.json",
            archive,
        ],
        env=stats_env,
        cwd=PORTAL_DIR,
    )
    if not args.keep:
        databases.drop("ours_stats")
    ours_publishing = summarize_publishing(
        json.loads((tmp / "ours-stats.json").read_text()), ours_wall, len(files)
    )

    # 2b. Wagtail
    databases.create("wagtail")
    wagtail_env = dict(
        base_env,
        DATABASE_URL=databases.url("wagtail"),
        DJANGO_STATIC_ROOT=str(tmp / "wagtail-static"),
        DJANGO_SETTINGS_MODULE="wagtailbench.settings",
    )
    run([python, "manage.py", "migrate", "--noinput", "-v0"], env=wagtail_env, cwd=WAGTAIL_DIR)
    log("Wagtail: manage.py load_readouts …")
    loader_env = dict(wagtail_env, DJANGO_SETTINGS_MODULE="wagtailbench.settings_loader")
    wagtail_wall, wagtail_out = run(
        [python, "manage.py", "load_readouts", "--stats-json", tmp / "wagtail-stats.json", archive],
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
    databases.analyze("wagtail")

    # 3. Servers: ours with the page cache off, on (each process's memory), on (Redis);
    # Wagtail. The static ceiling is started later, once the pages' bytes are known.
    cache_on = str(args.cache_seconds)
    configs = [
        (
            "ours",
            "ours (cache off)",
            PORTAL_DIR,
            "portal.wsgi",
            dict(ours_env, PORTAL_PAGE_CACHE_SECONDS="0"),
        ),
        (
            "ours_locmem",
            "ours (cache on, locmem)",
            PORTAL_DIR,
            "portal.wsgi",
            dict(ours_env, PORTAL_PAGE_CACHE_SECONDS=cache_on),
        ),
    ]
    notes = []
    redis_executable = shutil.which("redis-server")
    if redis_executable:
        redis = RedisServer(redis_executable, tmp / "redis")
        processes.append(redis)
        log(f"redis-server: {redis.url}")
        configs.append(
            (
                "ours_redis",
                "ours (cache on, Redis)",
                PORTAL_DIR,
                "portal.wsgi",
                dict(ours_env, PORTAL_PAGE_CACHE_SECONDS=cache_on, REDIS_URL=redis.url),
            )
        )
    else:
        notes.append("redis-server is missing: the Redis page cache was not measured")
        log("NOTE: " + notes[-1])
    configs.append(("wagtail", "Wagtail", WAGTAIL_DIR, "wagtailbench.wsgi", wagtail_env))
    servers = []
    for name, label, cwd, wsgi, env in configs:
        server = Server(name, label, wsgi, cwd, env, gunicorn, tmp / f"{name}-gunicorn.log")
        processes.append(server)
        servers.append(server)
    for server in servers:
        server.wait_ready()
        log(f"{server.label}: {server.base}")
    by_name = {s.name: s for s in servers}

    # 4. The pages, and the checks that they are equivalent
    ours_body = fetch(by_name["ours"].base + ours_meeting)[1]
    topic = re.search(r'href="/topics/([^/"]+)/"', ours_body)
    if not topic:
        sys.exit(f"no topic link on our meeting page {ours_meeting}")
    topic_path = f"/topics/{topic.group(1)}/"

    def parent(path):
        return "/".join(path.rstrip("/").split("/")[:3]) + "/"

    pages = []
    for page_name, ours_path, wagtail_path, title in [
        ("home", "/", "/", meeting_title),
        ("relations index", "/relations/", "/relations/", page_title),
        ("relations page", parent(ours_meeting), parent(wagtail_meeting), meeting_title),
        ("meeting page", ours_meeting, wagtail_meeting, meeting_title),
        ("topic page", topic_path, topic_path, meeting_title),
        ("RSS feed (all meetings)", "/meetings/feed/rss/", "/meetings/feed/rss/", meeting_title),
    ]:
        paths = {name: ours_path for name, *_ in configs}
        paths["wagtail"] = wagtail_path
        pages.append({"page": page_name, "title": title, "paths": paths})

    problems = []
    for page in pages:
        for server in servers:
            path = page["paths"][server.name]
            status, body = fetch(server.base + path, timeout=120)
            if status != 200:
                problems.append(f"{server.label} {path}: HTTP {status}")
            elif not shows(body, page["title"]):
                problems.append(f"{server.label} {path}: no “{page['title']}”")
    if problems:
        sys.exit("the sites do not serve the same pages:\n  " + "\n  ".join(problems))
    log(f"checked: every page answers 200 on every server and shows “{meeting_title}”")

    # The static ceiling: the bytes our cached server returns for each page, written under
    # STATIC_ROOT (whitenoise reads the folder when a process starts, so before the ceiling's
    # server starts) and served by whitenoise through the same gunicorn and settings.
    ceiling_dir = tmp / "ours-static" / "bench-ceiling"
    ceiling_dir.mkdir(parents=True, exist_ok=True)
    ceiling_bytes = {}
    for page in pages:
        status, content_type, body = fetch_bytes(
            by_name["ours_locmem"].base + page["paths"]["ours"]
        )
        suffix = ".xml" if "xml" in content_type else ".html"
        file_name = re.sub(r"[^a-z0-9]+", "-", page["page"].lower()).strip("-") + suffix
        (ceiling_dir / file_name).write_bytes(body)
        page["paths"]["ceiling"] = f"/static/bench-ceiling/{file_name}"
        ceiling_bytes[page["page"]] = body
    ceiling_env = configs[1][4]
    ceiling = Server(
        "ceiling",
        "static ceiling",
        "portal.wsgi",
        PORTAL_DIR,
        ceiling_env,
        gunicorn,
        tmp / "ceiling-gunicorn.log",
    )
    processes.append(ceiling)
    ceiling.wait_ready()
    log(f"{ceiling.label}: {ceiling.base} (whitenoise, same gunicorn and settings as ours)")
    for page in pages:
        status, _type, body = fetch_bytes(ceiling.base + page["paths"]["ceiling"])
        if status != 200 or body != ceiling_bytes[page["page"]]:
            sys.exit(f"static ceiling {page['paths']['ceiling']}: not the page's bytes")
    servers.append(ceiling)

    # In-process cost of each page: SQL queries and milliseconds, through Django's test client.
    page_costs = {}
    for name, _label, cwd, _wsgi, env in configs:
        out = tmp / f"{name}-page-costs.json"
        paths = [page["paths"][name] for page in pages]
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
        f"\nwrk -t2 -c8 -d{args.duration}s --timeout={WRK_TIMEOUT} --latency per page and "
        "server, after a 1 s warm-up"
        f" ({args.rounds} round{'s' if args.rounds > 1 else ''}):"
    )
    measured = [
        {"page": page["page"], "urls": dict(page["paths"]), "wrk": {}, "in_process": {}}
        for page in pages
    ]
    probes = [cpu_probe()]
    for round_number in range(args.rounds):
        for row in measured:
            shift = round_number % len(servers)
            for server in servers[shift:] + servers[:shift]:
                result = wrk(server.base + row["urls"][server.name], args.duration)
                row["wrk"].setdefault(server.name, {"runs": []})["runs"].append(result)
                log(
                    f"  {row['page']:<24} {server.label:<24} "
                    f"{result['requests_per_second'] or 0:>8.1f} req/s  "
                    f"p99 {result['latency_p99_ms'] or 0:>7.1f} ms"
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
            if server.name in page_costs:
                cost = page_costs[server.name][row["urls"][server.name]]
                row["in_process"][server.name] = {
                    k: cost[k] for k in ("queries", "median_ms", "bytes", "sql")
                }
        row["bytes"] = len(ceiling_bytes[row["page"]])
        rps = {n: row["wrk"][n]["requests_per_second"] or 0.0 for n in row["wrk"]}
        row["ratio_vs_wagtail"] = {
            n: (rps[n] / rps["wagtail"] if rps["wagtail"] else None)
            for n in rps
            if n.startswith("ours")
        }
        row["share_of_ceiling"] = {
            n: (rps[n] / rps["ceiling"] if rps["ceiling"] else None)
            for n in rps
            if n.startswith("ours")
        }

    versions = subprocess.run(
        [
            str(python),
            "-c",
            "import sys; from importlib.metadata import version; "
            "print(sys.version.split()[0], *(version(p) for p in "
            "('django', 'wagtail', 'gunicorn', 'whitenoise', 'psycopg', 'redis')))",
        ],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
    machine.update(
        python=versions[0] if versions else None,
        django=versions[1] if len(versions) > 1 else None,
        wagtail=versions[2] if len(versions) > 2 else None,
        gunicorn=versions[3] if len(versions) > 3 else None,
        whitenoise=versions[4] if len(versions) > 4 else None,
        psycopg=versions[5] if len(versions) > 5 else None,
        redis_py=versions[6] if len(versions) > 6 else None,
        wrk=" ".join((wrk_version.stdout + wrk_version.stderr).split()[:2]),
    )
    result = {
        "timestamp": timestamp,
        "command": redacted(shlex.join([str(python), *sys.argv])),
        "cwd": str(Path.cwd()),
        "portal_commit": git_head(),
        "machine": machine,
        "archive": {"meetings": len(files), "seed": args.seed},
        "database": {
            "kind": databases.kind,
            "label": databases.label,
            "version": databases.version,
            "names": {use: databases.name(use) for use in ("ours", "ours_stats", "wagtail")}
            if databases.kind == "postgres"
            else None,
        },
        "load": {
            "tool": "wrk",
            "threads": 2,
            "connections": 8,
            "duration_s": args.duration,
            "warmup_s": 1,
            "timeout": WRK_TIMEOUT,
            "gunicorn_workers": 2,
            "cache_seconds": args.cache_seconds,
        },
        "servers": {s.name: s.label for s in servers},
        "notes": notes,
        "cpu_probe_seconds": probes,
        "rounds": args.rounds,
        "pages": measured,
        "publishing": {"ours": ours_publishing, "wagtail": wagtail_publishing},
    }
    print_summary(result)
    return result


if __name__ == "__main__":
    main()
