"""Headless Chromium over a built site: one local HTTP server and one launcher, shared by
`invoke screenshots`, `invoke page-weight` and the browser tests."""

import contextlib
import functools
import http.server
import threading
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
# Debian's Chromium, never a downloaded one (developers' guide).
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    extra_headers = {}

    def end_headers(self):
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(directory, headers=None):
    """Serve ``directory`` on 127.0.0.1 (a free port) in a thread, adding ``headers`` to every
    response; yields the base URL."""
    handler_class = type("Handler", (QuietHandler,), {"extra_headers": dict(headers or {})})
    handler = functools.partial(handler_class, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def launch(playwright):
    """Debian's Chromium through Playwright, with the flags the project uses everywhere."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
