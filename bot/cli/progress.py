"""Progress lines for long CLI work: redrawn on a terminal, sparse lines in logs."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressLine:
    """Call with (done, total); shows rate and time left."""

    def __init__(self, label: str, *, stream: TextIO | None = None, every: float = 5.0) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.every = every
        self._start = time.monotonic()
        self._last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done == 0:
            self._start = now
        finished = done >= total
        if not self.tty and not finished and done and now - self._last < self.every:
            return
        self._last = now
        elapsed = now - self._start
        rate = done / elapsed if elapsed > 0 and done else 0.0
        left = f", ~{(total - done) / rate:.0f} s left" if rate and not finished else ""
        line = f"{self.label}: {done}/{total} ({rate:.1f}/s{left})"
        if self.tty:
            self.stream.write(f"\r\033[K{line}" + ("\n" if finished else ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()
