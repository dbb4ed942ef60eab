"""Debian's nginx on 127.0.0.1, for the search benchmark and the tests (tests/webserver.py):
a whole nginx.conf for an unprivileged run in a folder, and its start.

The benchmark serves its folder as the portal serves the site (HTTP/1.1 keep-alive, the build's
``.gz`` copies with ``gzip_static``, the search index's cache headers of ``deploy/nginx.conf``)
and counts the bytes of every response from the access log.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

NGINX = "/usr/sbin/nginx"
MIME_TYPES = "/etc/nginx/mime.types"

BENCH_HTTP = """    include {mime_types};
    log_format bench '$uri $body_bytes_sent';
    map $uri $bench_cache_control {{
        ~/tim-kiem/chi-muc/index\\.json$ "no-cache";
        ~/tim-kiem/chi-muc/ "public, max-age=31536000, immutable";
        default "";
    }}
    server {{
        listen 127.0.0.1:{port};
        root {root};
        access_log {prefix}/access.log bench;
        gzip_static on;
        gzip_vary on;
        add_header Cache-Control $bench_cache_control;
    }}
"""


def available():
    return os.path.exists(NGINX) and os.path.exists(MIME_TYPES)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main_config(prefix, http_body, workers=1):
    """A whole nginx.conf for an unprivileged run in ``prefix`` around ``http_body``."""
    user = "user root root;\n" if hasattr(os, "geteuid") and os.geteuid() == 0 else ""
    return f"""{user}daemon off;
worker_processes {workers};
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


def start(prefix, config, port):
    """Write ``config`` to ``prefix``/nginx.conf and start nginx in the foreground; return the
    process once ``port`` answers, or as soon as it has exited (``poll()`` tells)."""
    conf = Path(prefix) / "nginx.conf"
    conf.write_text(config, encoding="utf-8")
    process = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(conf), "-e", str(Path(prefix) / "error.log")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(100):
        if process.poll() is not None:
            break
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    return process


class LogCounter:
    """Bytes and requests since the last :meth:`reset`, read from nginx's access log (one line
    per response, written when the response is done)."""

    def __init__(self, log):
        self.log = Path(log)
        self.offset = 0

    def reset(self):
        self.offset = self.log.stat().st_size if self.log.exists() else 0

    def _lines(self):
        if not self.log.exists():
            return []
        with open(self.log, "rb") as handle:
            handle.seek(self.offset)
            return handle.read().decode("utf-8", "replace").splitlines()

    @property
    def requests(self):
        return len(self._lines())

    def total(self, contains=""):
        size = 0
        for line in self._lines():
            path, _, sent = line.rpartition(" ")
            if contains in path and sent.isdigit():
                size += int(sent)
        return size


@contextlib.contextmanager
def serving(root, prefix):
    """Serve ``root`` with nginx (its files below ``prefix``); yields (base URL, LogCounter)."""
    prefix = Path(prefix)
    if prefix.exists():
        shutil.rmtree(prefix)
    prefix.mkdir(parents=True)
    port = free_port()
    body = BENCH_HTTP.format(mime_types=MIME_TYPES, port=port, root=Path(root).resolve(), prefix=prefix)
    process = start(prefix, main_config(prefix, body, workers=2), port)
    try:
        if process.poll() is not None:
            raise RuntimeError("nginx did not start: " + (prefix / "error.log").read_text(errors="replace"))
        yield f"http://127.0.0.1:{port}", LogCounter(prefix / "access.log")
    finally:
        process.terminate()
        process.wait(timeout=10)
