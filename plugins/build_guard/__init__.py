from .guard import register

__all__ = ["register"]
