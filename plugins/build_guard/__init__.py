from .guard import planned_outputs, register

__all__ = ["planned_outputs", "register"]
