"""What is wrong with a readout, located by line for `FILE:LINE: message` reports."""


class ReadoutError(ValueError):
    """Text that cannot be imported; `line` is 1-based, or None for the whole text."""

    def __init__(self, message, line=None):
        super().__init__(message)
        self.message = message
        self.line = line

    def located(self, source):
        return f"{source}:{self.line or 1}: {self.message}"
