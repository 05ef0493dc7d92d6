"""Responses do not name the stack: gunicorn's Server header carries no version, and nginx
in front (deploy/nginx) replaces it with its own bare name (`server_tokens off`), passing the
site's security headers on. Each part skips without gunicorn or nginx."""

import contextlib
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings

from tests.test_access_log import free_port, get, serving

NGINX_SITE = Path(settings.BASE_DIR) / "deploy" / "nginx"


def test_gunicorn_names_itself_without_a_version_and_passes_the_security_headers(tmp_path):
    with serving(tmp_path) as (address, _):
        status, headers, _ = get(f"{address}/healthz")
    assert status == 200
    assert headers["Server"] == "gunicorn"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "camera=()" in headers["Permissions-Policy"]


def test_the_nginx_site_hides_its_version_and_never_passes_the_app_servers_name_on():
    def directives(name):
        return re.sub(r"#.*", "", (NGINX_SITE / name).read_text())

    site = directives("portal.conf")
    assert re.search(r"^server_tokens off;$", site, flags=re.MULTILINE)
    for text in (site, directives("portal_proxy_params")):
        assert "proxy_pass_header" not in text


@contextlib.contextmanager
def nginx_in_front_of(upstream, folder):
    """nginx with the site's server_tokens and proxy parameters, proxying to `upstream`."""
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if not nginx:
        pytest.skip("needs nginx")
    port = free_port()
    temporary = "".join(
        f"{name}_temp_path {folder}/{name};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (folder / "nginx.conf").write_text(
        f"daemon off; master_process off; pid {folder}/nginx.pid; error_log {folder}/error.log;\n"
        "events {}\n"
        f"http {{ {temporary} access_log off; server_tokens off;\n"
        f"  server {{ listen 127.0.0.1:{port};\n"
        f"    location / {{ proxy_pass {upstream};"
        f" include {NGINX_SITE / 'portal_proxy_params'}; }} }} }}\n"
    )
    server = subprocess.Popen(
        [nginx, "-p", folder, "-c", folder / "nginx.conf"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(50):
            with contextlib.suppress(OSError):
                get(f"http://127.0.0.1:{port}/healthz")
                break
            if server.poll() is not None:
                pytest.skip(f"nginx could not start: {server.stderr.read()[-1000:]!r}")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_behind_nginx_the_server_header_is_nginx_alone(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "nginx").mkdir()
    with (
        serving(tmp_path / "app") as (upstream, _),
        nginx_in_front_of(upstream, tmp_path / "nginx") as address,
    ):
        status, headers, _ = get(f"{address}/healthz")
    assert status == 200
    assert headers["Server"] == "nginx"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "camera=()" in headers["Permissions-Policy"]
