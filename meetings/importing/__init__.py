"""Importing readouts written in the ministry's text shape (see README, “Readout text shape”).

`parsing` reads text into a `ParsedReadout` without touching the database; `vocabulary`
brings the editors' meeting types and topics to it; `saving` writes a parsed readout as a
meeting, all or nothing, updating the meeting an earlier import made.
"""

from .parsing import ParsedReadout, ReadoutError, ReadoutWarning, decode, parse_readout
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
