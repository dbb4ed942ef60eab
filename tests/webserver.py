"""A real nginx for the tests (Debian package): start it on 127.0.0.1 with a given http block.

Used by tests/test_redirects.py (the README's minimal map configuration) and
tests/test_deploy_nginx.py (deploy/nginx.conf itself). The config and the start are
benchmarks.nginx's, shared with the search benchmark.
"""

import contextlib
import http.client
import os
import subprocess

import pytest

from benchmarks.nginx import MIME_TYPES, NGINX, free_port, main_config, start

__all__ = ["MIME_TYPES", "fetch", "free_port", "get", "main_config", "require_nginx", "running_nginx"]


def require_nginx():
    """Skip locally without nginx; in CI (CI set) its absence is a failure."""
    if not os.path.exists(NGINX):
        if os.environ.get("CI"):
            pytest.fail("nginx is required in CI: apt-get install -y nginx")
        pytest.skip("nginx is not installed (apt-get install -y nginx)")


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
        config = main_config(prefix, http_body_for_port(chosen))
        conf.write_text(config, encoding="utf-8")
        test = subprocess.run([NGINX, "-t", "-p", str(prefix), "-c", str(conf), "-e", str(error_log)],
                              capture_output=True, text=True)
        assert test.returncode == 0, test.stderr
        proc = start(prefix, config, chosen)
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
