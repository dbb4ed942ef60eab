from .date_archives import register

__all__ = ["register"]
