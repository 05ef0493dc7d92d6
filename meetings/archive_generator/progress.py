"""A one-line progress bar on a terminal: "  12,345 / 50,000 meetings (2,100/s, eta 0:18)"."""

import time


class Progress:
    """Rewrites one line of `stream` as work is done; silent when it is not a terminal."""

    def __init__(self, total, stream, *, what="meetings", enabled=True):
        self.total, self.stream, self.what = total, stream, what
        self.enabled = enabled and stream.isatty()
        self.started = time.monotonic()

    def __call__(self, done):
        if not self.enabled:
            return
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = done / elapsed
        left = round((self.total - done) / rate) if rate else 0
        self.stream.write(
            f"\r  {done:,} / {self.total:,} {self.what} ({rate:,.0f}/s, "
            f"eta {left // 60}:{left % 60:02d})"
        )
        self.stream.flush()

    def finish(self):
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()
