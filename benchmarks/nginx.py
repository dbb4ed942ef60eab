"""The search benchmark's web server: Debian's nginx over the benchmark's folder, as the portal
serves the site (HTTP/1.1 keep-alive, the build's ``.gz`` copies with ``gzip_static``, the
search index's cache headers of ``deploy/nginx.conf``), counting the bytes of every response
from its access log.
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

CONFIG = """{user}daemon off;
worker_processes 2;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log;
events {{ worker_connections 512; }}
http {{
    include {mime_types};
    log_format bench '$uri $body_bytes_sent';
    access_log {prefix}/access.log bench;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    map $uri $bench_cache_control {{
        ~/tim-kiem/chi-muc/index\\.json$ "no-cache";
        ~/tim-kiem/chi-muc/ "public, max-age=31536000, immutable";
        default "";
    }}
    server {{
        listen 127.0.0.1:{port};
        root {root};
        gzip_static on;
        gzip_vary on;
        add_header Cache-Control $bench_cache_control;
    }}
}}
"""


def available():
    return os.path.exists(NGINX) and os.path.exists(MIME_TYPES)


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


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serving(root, prefix):
    """Serve ``root`` with nginx (its files below ``prefix``); yields (base URL, LogCounter)."""
    prefix = Path(prefix)
    if prefix.exists():
        shutil.rmtree(prefix)
    prefix.mkdir(parents=True)
    port = _free_port()
    user = "user root root;\n" if os.geteuid() == 0 else ""
    conf = prefix / "nginx.conf"
    conf.write_text(CONFIG.format(user=user, prefix=prefix, mime_types=MIME_TYPES, port=port,
                                  root=Path(root).resolve()), encoding="utf-8")
    process = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for _ in range(100):
            if process.poll() is not None:
                raise RuntimeError("nginx did not start: " + (prefix / "error.log").read_text(errors="replace"))
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}", LogCounter(prefix / "access.log")
    finally:
        process.terminate()
        process.wait(timeout=10)
