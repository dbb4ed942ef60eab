"""quick_exit: the build's objects are kept out of the cyclic collector once it is done."""

from .quick_exit import register  # noqa: F401
