"""deploy/: the environment example names every variable the settings read, the nginx site
passes `nginx -t`, and the systemd units pass `systemd-analyze verify` (each checker skips
when it is not installed)."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

DEPLOY = Path(settings.BASE_DIR) / "deploy"
UNITS = ["portal.service", "portal-clock.service", "portal-clock.timer"]


def variables_read_by_the_settings():
    source = (Path(settings.BASE_DIR) / "portal" / "settings.py").read_text()
    return set(re.findall(r'"((?:DJANGO|PORTAL|DATABASE|REDIS)_[A-Z0-9_]+)"', source))


def test_the_environment_example_names_every_variable_the_settings_read():
    example = (DEPLOY / "env.example").read_text()
    named = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", example, flags=re.MULTILINE))
    assert variables_read_by_the_settings() - named == set()


def test_the_units_read_the_environment_file_and_the_clock_runs_every_minute():
    for unit in ("portal.service", "portal-clock.service"):
        text = (DEPLOY / "systemd" / unit).read_text()
        assert "EnvironmentFile=/etc/portal/env" in text
        assert "NoNewPrivileges=yes" in text
        assert "ProtectSystem=strict" in text
    assert "-c portal/gunicorn.conf.py" in (DEPLOY / "systemd" / "portal.service").read_text()
    assert "OnCalendar=minutely" in (DEPLOY / "systemd" / "portal-clock.timer").read_text()


def test_the_nginx_site_passes_nginx_t(tmp_path):
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    openssl = shutil.which("openssl")
    if not nginx or not openssl:
        pytest.skip("needs nginx and openssl")
    key, certificate = tmp_path / "privkey.pem", tmp_path / "fullchain.pem"
    request = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
    subprocess.run(
        [openssl, *request, "-subj", "/CN=www.mofa.example", "-keyout", key, "-out", certificate],
        check=True,
        capture_output=True,
        timeout=60,
    )
    site = (DEPLOY / "nginx" / "portal.conf").read_text()
    site = site.replace("/etc/letsencrypt/live/www.mofa.example/", f"{tmp_path}/")
    site = site.replace("/etc/nginx/portal_proxy_params", str(DEPLOY / "nginx/portal_proxy_params"))
    site = site.replace("/var/log/nginx/", f"{tmp_path}/")
    (tmp_path / "portal.conf").write_text(site)
    temporary = "".join(
        f"{name}_temp_path {tmp_path}/{name};" for name in ("client_body", "proxy", "fastcgi")
    )
    temporary += f"uwsgi_temp_path {tmp_path}/uwsgi; scgi_temp_path {tmp_path}/scgi;"
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;\n"
        "events {}\n"
        f"http {{ {temporary} access_log off; include {tmp_path}/portal.conf; }}\n"
    )
    checked = subprocess.run(
        [nginx, "-t", "-q", "-p", tmp_path, "-c", tmp_path / "nginx.conf"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert checked.returncode == 0, checked.stderr


def test_the_systemd_units_pass_systemd_analyze_verify(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if not analyze:
        pytest.skip("needs systemd-analyze")
    # Verified where they would run: the project's own folder, an environment file.
    (tmp_path / "env").write_text("PORTAL_BIND=127.0.0.1:8000\n")
    for unit in UNITS:
        text = (DEPLOY / "systemd" / unit).read_text()
        text = text.replace("/srv/portal/", f"{settings.BASE_DIR}/")
        text = text.replace("/etc/portal/env", str(tmp_path / "env"))
        (tmp_path / unit).write_text(text)
    checked = subprocess.run(
        [analyze, "verify", *(tmp_path / unit for unit in UNITS)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    # Only what concerns these units: the host's own units may have problems of their own.
    ours = [
        line
        for line in checked.stderr.splitlines()
        if any(unit in line for unit in UNITS) and "Unknown user" not in line
    ]
    if checked.returncode != 0 and not ours and "Failed to" in checked.stderr:
        pytest.skip(f"systemd-analyze cannot run here: {checked.stderr[-500:]}")
    assert ours == [], checked.stderr
