"""The progress line of a sweep on stderr: runs done of all, wall time and
ETA, redrawn in place; `ipsecsim run` draws its own the same way."""
from __future__ import annotations

import shutil
import sys
import time
from typing import Optional, TextIO


def duration(seconds: float) -> str:
    s = int(max(0.0, min(seconds, 3.6e8)) + 0.5)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


def line(done: int, total: int, elapsed: float, note: str = "") -> str:
    """'12/40 runs (30%)  1:05 elapsed  ETA 2:31  <note>'"""
    text = f"{done}/{total} runs ({100 * done // max(total, 1)}%)  {duration(elapsed)} elapsed"
    if 0 < done < total:
        text += f"  ETA {duration(elapsed * (total - done) / done)}"
    return text + (f"  {note}" if note else "")


class Progress:
    """Call tick() as each run ends and close() once all have. Draws on
    stream only when enabled: None means 'when stream is a terminal'."""

    def __init__(self, total: int, enabled: Optional[bool] = None,
                 stream: Optional[TextIO] = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.total, self.done = total, 0
        self.started = time.monotonic()

    def tick(self, note: str = "") -> None:
        self.done += 1
        if not self.enabled:
            return
        width = shutil.get_terminal_size().columns - 1
        text = line(self.done, self.total, time.monotonic() - self.started, note)
        self.stream.write("\r" + text[:width] + "\033[K")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self.done:
            self.stream.write("\r\033[K")
            self.stream.flush()

    def __call__(self, done: int, total: int) -> None:
        """As a sweep's progress(done, total) callback."""
        self.total = total
        self.tick()
        if done == total:
            self.close()
