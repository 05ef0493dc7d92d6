"""Importing readouts written in the ministry's text shape (see README, “Readout text shape”).

`parsing` reads text into a `ParsedReadout` without touching the database, and `lead` the
time, duration, place and participants its lead gives; `vocabulary` brings the editors'
meeting types and topics to it; `limits` refuses, line by line, what no readout holds or
no column fits; `saving` writes a parsed readout as a meeting, all or nothing, updating
the meeting an earlier import made.
"""

from .errors import ReadoutError
from .parsing import ParsedReadout, ReadoutWarning, decode, parse_readout
from .saving import ImportResult, save_readout
from .vocabulary import Vocabulary

__all__ = [
    "ImportResult",
    "ParsedReadout",
    "ReadoutError",
    "ReadoutWarning",
    "Vocabulary",
    "decode",
    "parse_readout",
    "save_readout",
]
