"""Problem, the shared Context and the settings the content rules read."""

import os
from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"
NOTE = "note"

# Settings read by the rules (check and build alike), with defaults and meaning; pelicanconf
# may override any of them. The README's settings table mirrors this one.
DEFAULTS = {
    "CHECK_TITLE_MAX_LENGTH": [150, "titles longer than this (characters, NFC) get a warning"],
    "CHECK_LARGE_FILE_BYTES": [1_000_000, "files bigger than this (bytes) get a warning"],
    "CHECK_EXTRA_BOILERPLATE": [[], "extra portal phrases to refuse, besides the built-in list"],
    "CONTENT_YEARS": [(1900, 2100), "first and last year a Date:/Modified: may have"],
    "CONTENT_IFRAME_HOSTS": [("www.youtube.com", "www.youtube-nocookie.com"),
                             "hosts an <iframe src=https://…> may embed from"],
}


@dataclass(order=True)
class Problem:
    """One problem: ``path:line: severity: message [code]``."""

    path: str
    line: int
    severity: str = field(compare=False)
    code: str = field(compare=False)
    message: str = field(compare=False)

    def format(self):
        return f"{self.path}:{self.line}: {self.severity}: {self.message} [{self.code}]"


@dataclass
class Context:
    """Everything the rules share: settings, the content root and the campaign registry."""

    root: str
    settings: dict
    display_base: str = ""
    campaigns: object = None  # plugins.campaigns Registry; None: unavailable, rule skipped
    campaign_error: tuple = ()

    def setting(self, name):
        return self.settings.get(name, DEFAULTS[name][0] if name in DEFAULTS else None)

    def display(self, path):
        """The path as printed: relative to the working directory when inside it."""
        absolute = os.path.abspath(path)
        base = self.display_base or os.getcwd()
        rel = os.path.relpath(absolute, base)
        return absolute if rel.startswith("..") else rel

    def problem(self, path, line, severity, code, message):
        return Problem(self.display(path), max(1, int(line or 1)), severity, code, message)


def load_campaigns(ctx):
    """The campaign registry from ``plugins.campaigns.registry`` (never parsed here), or None.

    None (the rule is skipped) when the campaigns package or the registry file is absent; a
    broken registry is kept in ``ctx.campaign_error`` and reported once.
    """
    try:
        from plugins.campaigns import registry as campaigns_registry  # noqa: PLC0415
    except ImportError:
        return None
    loader = getattr(campaigns_registry, "load_registry", None)
    if loader is None:
        return None
    filename = ctx.settings.get("CAMPAIGNS_REGISTRY", "campaigns.toml")
    # The registry of the checked folder, else the project's (settings PATH) one.
    candidates = [filename] if os.path.isabs(filename) else [
        os.path.join(ctx.root, filename), os.path.join(ctx.settings.get("PATH", ctx.root), filename)]
    path = next((c for c in candidates if os.path.exists(c)), None)
    if path is None:
        return None
    try:
        return loader(path)
    except Exception as exc:  # a broken registry is reported once, not per article
        ctx.campaign_error = (path, str(exc))
        return None
