"""pip-audit over the installed dependencies (.ci/run runs it in the project's fresh venv).

Fails on any known vulnerability, and on any error of pip-audit's own. When the vulnerability
service cannot be reached (no network, a package mirror without PyPI's JSON API, which
answers "not found" for every package), it says so loudly and passes, so that CI is not
flaky: unless REQUIRE_AUDIT is set, and then that fails too.

    .venv/bin/python .ci/audit_dependencies.py
"""

import json
import os
import subprocess
import sys
from pathlib import Path

PIP_AUDIT = os.environ.get("PIP_AUDIT") or str(Path(sys.executable).parent / "pip-audit")
UNREACHABLE_SIGNS = (
    "ConnectionError",
    "Max retries exceeded",
    "NameResolutionError",
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "timed out",
)


def audit():
    run = subprocess.run(
        [PIP_AUDIT, "--format", "json", "--progress-spinner", "off", "--skip-editable"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        report = None
    if report is None:
        if any(sign in run.stderr for sign in UNREACHABLE_SIGNS):
            return unreachable(run.stderr.strip().splitlines()[-1])
        print(run.stderr, file=sys.stderr)
        return fail(f"pip-audit failed (exit {run.returncode}) without a report.")

    dependencies = report.get("dependencies", [])
    audited = [d for d in dependencies if "skip_reason" not in d]
    if dependencies and not audited:
        return unreachable(
            f"none of the {len(dependencies)} dependencies could be looked up "
            f"({dependencies[0]['skip_reason']})"
        )
    for skipped in (d for d in dependencies if "skip_reason" in d):
        print(f"pip-audit skipped {skipped['name']}: {skipped['skip_reason']}")
    vulnerable = [d for d in audited if d.get("vulns")]
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
            print(f"{dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {fixed})")
    if vulnerable:
        return fail(
            f"{len(vulnerable)} dependencies have known vulnerabilities: raise their floor in "
            "pyproject.toml to a fixed version."
        )
    print(f"pip-audit: no known vulnerabilities in {len(audited)} dependencies.")
    return 0


def unreachable(why):
    message = f"the vulnerability service could not be reached: {why}"
    if os.environ.get("REQUIRE_AUDIT"):
        return fail(f"{message} (REQUIRE_AUDIT is set).")
    print(f"WARNING: dependency audit SKIPPED, {message}.", file=sys.stderr)
    return 0


def fail(message):
    print(f"Dependency audit FAILED: {message}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(audit())
