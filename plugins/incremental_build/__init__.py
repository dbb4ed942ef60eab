from .incremental import register

__all__ = ["register"]
