"""The editors' admin, one module per concern; importing the package registers them all."""

from . import log, meetings, topics

__all__ = ["log", "meetings", "topics"]
