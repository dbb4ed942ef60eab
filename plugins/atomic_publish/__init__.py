"""atomic_publish: build beside the live folder, verify, swap atomically (a library, no register())."""

from .publish import PublishError, PublishResult, publish, recover, rollback, swap_in, verify
from .verify import broken_links

__all__ = ["PublishError", "PublishResult", "broken_links", "publish", "recover", "rollback", "swap_in", "verify"]
