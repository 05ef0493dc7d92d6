""".ci/audit_dependencies.py: a known vulnerability fails CI, and so does any error of
pip-audit's; an unreachable vulnerability service is a loud warning, not a silent pass."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def audit_with(tmp_path, *, stdout="", stderr="", status=0, **environment):
    """The audit, with a stand-in pip-audit that answers as given."""
    stand_in = tmp_path / "pip-audit"
    stand_in.write_text(
        f"#!{sys.executable}\nimport sys\n"
        f"sys.stdout.write({stdout!r}); sys.stderr.write({stderr!r}); sys.exit({status})\n"
    )
    stand_in.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k != "REQUIRE_AUDIT"}
    return subprocess.run(
        [sys.executable, ROOT / ".ci" / "audit_dependencies.py"],
        env={**env, "PIP_AUDIT": str(stand_in), **environment},
        capture_output=True,
        text=True,
        timeout=60,
    )


def report(*dependencies):
    return json.dumps({"dependencies": list(dependencies), "fixes": []})


DJANGO_CLEAN = {"name": "django", "version": "5.2.19", "vulns": []}
NOT_FOUND = {"name": "django", "skip_reason": "Dependency not found on PyPI: django (5.2.19)"}


def test_no_known_vulnerability_passes(tmp_path):
    run = audit_with(tmp_path, stdout=report(DJANGO_CLEAN))
    assert run.returncode == 0
    assert "no known vulnerabilities in 1 dependencies" in run.stdout


def test_a_known_vulnerability_fails_naming_it_and_its_fix(tmp_path):
    vulnerable = {
        "name": "tqdm",
        "version": "4.66.1",
        "vulns": [{"id": "GHSA-g7vv-2v7x-gj9p", "fix_versions": ["4.66.3"], "aliases": []}],
    }
    run = audit_with(tmp_path, stdout=report(DJANGO_CLEAN, vulnerable), status=1)
    assert run.returncode == 1
    assert "tqdm 4.66.1: GHSA-g7vv-2v7x-gj9p (fixed in 4.66.3)" in run.stdout
    assert "raise their floor" in run.stderr


def test_an_unreachable_service_is_a_loud_skip_unless_the_audit_is_required(tmp_path):
    refused = (
        "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='pypi.org', port=443): "
        "Max retries exceeded with url: /pypi/django/5.2.19/json\n"
    )
    for answer in ({"stderr": refused, "status": 1}, {"stdout": report(NOT_FOUND)}):
        skipped = audit_with(tmp_path, **answer)
        assert skipped.returncode == 0
        assert "WARNING: dependency audit SKIPPED" in skipped.stderr
        required = audit_with(tmp_path, **answer, REQUIRE_AUDIT="1")
        assert required.returncode == 1
        assert "FAILED" in required.stderr


def test_any_other_error_of_pip_audit_fails(tmp_path):
    run = audit_with(tmp_path, stderr="pip-audit: error: invalid requirement\n", status=2)
    assert run.returncode == 1
    assert "pip-audit failed (exit 2)" in run.stderr
