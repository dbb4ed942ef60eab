"""A real nginx for the tests (Debian package): start it on 127.0.0.1 with a given http block.

Used by tests/test_redirects.py (the README's minimal map configuration) and
tests/test_deploy_nginx.py (deploy/nginx.conf itself).
"""

import contextlib
import http.client
import os
import socket
import subprocess
import time

import pytest

NGINX = "/usr/sbin/nginx"
MIME_TYPES = "/etc/nginx/mime.types"


def require_nginx():
    """Skip locally without nginx; in CI (CI set) its absence is a failure."""
    if not os.path.exists(NGINX):
        if os.environ.get("CI"):
            pytest.fail("nginx is required in CI: apt-get install -y nginx")
        pytest.skip("nginx is not installed (apt-get install -y nginx)")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main_config(prefix, http_body):
    """A whole nginx.conf for an unprivileged test run in ``prefix`` around ``http_body``."""
    user = "user root root;\n" if hasattr(os, "geteuid") and os.geteuid() == 0 else ""
    return f"""{user}daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
{http_body}
}}
"""


@contextlib.contextmanager
def running_nginx(prefix, http_body_for_port, port=None, attempts=5):
    """Start nginx with ``http_body_for_port(port)``; yield the port; stop it afterwards.

    Without ``port`` a free one is picked (and another one if it was taken meanwhile)."""
    require_nginx()
    prefix.mkdir(parents=True, exist_ok=True)
    error_log = prefix / "error.log"
    proc = None
    for _ in range(attempts if port is None else 1):
        chosen = port or free_port()
        conf = prefix / "nginx.conf"
        conf.write_text(main_config(prefix, http_body_for_port(chosen)), encoding="utf-8")
        test = subprocess.run([NGINX, "-t", "-p", str(prefix), "-c", str(conf), "-e", str(error_log)],
                              capture_output=True, text=True)
        assert test.returncode == 0, test.stderr
        proc = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(conf), "-e", str(error_log)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for _ in range(100):
            if proc.poll() is not None:
                break
            try:
                socket.create_connection(("127.0.0.1", chosen), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        if proc.poll() is None:
            break
    else:
        pytest.fail("nginx did not start: " + error_log.read_text(errors="replace"))
    try:
        yield chosen
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def get(port, target, headers=None):
    """(status, Location, body) of one GET; ``fetch`` gives the whole response."""
    response, body = fetch(port, target, headers)
    return response.status, response.getheader("Location"), body


def fetch(port, target, headers=None):
    """(HTTPResponse with its headers, body bytes) of one GET to 127.0.0.1:port."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", target, headers=headers or {})
        response = conn.getresponse()
        return response, response.read()
    finally:
        conn.close()
