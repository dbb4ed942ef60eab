"""asset_urls: theme files addressed by content, so servers may cache them for a year.

Templates write ``{{ asset_url('css/site.css') }}`` instead of
``{{ SITEURL }}/theme/css/site.css``; it gives ``{SITEURL}/theme/css/site.css?v=<hash>``,
the hash being that of the file's content (SITEURL as the page renders it, so relative URLs
in development work too). After the build, stylesheets copied to the output get the same
treatment for their ``url(...)`` references (fonts, images), so the bytes served are exactly
those the hash was computed from. ``deploy/nginx.conf`` sends ``Cache-Control: immutable``
with a one-year lifetime for every theme request carrying ``?v=``.

Settings: ``ASSET_URLS_HASH_LENGTH`` (default ``10`` hex digits), ``ASSET_URLS_QUERY``
(default ``"v"``). A name that is not a theme file is an error naming it (the URL is
returned unversioned). State (the fingerprint cache) lives in the build's settings.
"""

import logging
import os

from jinja2 import pass_context
from pelican import signals

from .fingerprint import AssetFiles

logger = logging.getLogger(__name__)

DEFAULTS = {
    "ASSET_URLS_HASH_LENGTH": [10, "hex digits of SHA-256 in ?v="],
    "ASSET_URLS_QUERY": ["v", "query parameter that carries the fingerprint"],
}
STATE_KEY = "ASSET_URLS_STATE"


def configure(pelican):
    settings = pelican.settings
    for name, (default, _doc) in DEFAULTS.items():
        value = settings.get(name, default)
        valid = (isinstance(value, int) and not isinstance(value, bool) and 6 <= value <= 64
                 if isinstance(default, int) else isinstance(value, str) and value.isidentifier())
        if not valid:
            logger.error("asset_urls: invalid %s %r; using %r", name, value, default)
            value = default
        settings[name] = value
    settings[STATE_KEY] = None


def theme_files(settings):
    """The build's AssetFiles over the theme's static folders (created once per build)."""
    files = settings.get(STATE_KEY)
    if files is None:
        theme = settings.get("THEME", "")
        roots = [os.path.join(theme, p) for p in settings.get("THEME_STATIC_PATHS", ["static"])]
        files = AssetFiles(roots, settings["ASSET_URLS_HASH_LENGTH"], settings["ASSET_URLS_QUERY"])
        settings[STATE_KEY] = files
    return files


def make_asset_url(settings):
    files = theme_files(settings)
    static_dir = settings.get("THEME_STATIC_DIR", "theme").strip("/")

    @pass_context
    def asset_url(context, rel):
        """``{SITEURL}/theme/<rel>?v=<fingerprint>`` for a file of the theme's static folder."""
        url = f"{context.get('SITEURL', '')}/{static_dir}/{rel.lstrip('/')}"
        fingerprint = files.fingerprint(rel)
        if fingerprint is None:
            logger.error("asset_url: %r is not a file of the theme's static folders %s",
                         rel, ", ".join(files.roots))
            return url
        return files.versioned(url, fingerprint)

    return asset_url


def add_global(generator):
    """Make ``asset_url`` available to every template (``generator_init``)."""
    if getattr(generator, "env", None) is not None:
        generator.env.globals["asset_url"] = make_asset_url(generator.settings)


def rewrite_output_css(pelican):
    """Fingerprint url() references in the stylesheets copied to the output (``finalized``)."""
    settings = pelican.settings
    files = theme_files(settings)
    folder = os.path.join(pelican.output_path, settings.get("THEME_STATIC_DIR", "theme").strip("/"))
    for dirpath, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            if not name.endswith(".css"):
                continue
            rel = os.path.relpath(os.path.join(dirpath, name), folder).replace(os.sep, "/")
            data = files.served_bytes(rel)
            if data is None:
                continue  # not from the theme's static folders: leave it alone
            path = os.path.join(dirpath, name)
            with open(path, "rb") as handle:
                if handle.read() == data:
                    continue
            with open(path, "wb") as handle:
                handle.write(data)


def register():
    signals.initialized.connect(configure)
    signals.generator_init.connect(add_global)
    signals.finalized.connect(rewrite_output_css)
