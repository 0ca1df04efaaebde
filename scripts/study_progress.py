"""The progress line of a study: runs done of all, wall time, ETA, as
`ipsecsim run` draws its own on a terminal, and silence in a pipe."""
import shutil
import sys
import time


def duration(seconds):
    s = int(max(0.0, min(seconds, 3.6e8)) + 0.5)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


def line(done, total, elapsed, note=""):
    """'12/40 runs (30%)  1:05 elapsed  ETA 2:31  <note>'"""
    text = f"{done}/{total} runs ({100 * done // max(total, 1)}%)  {duration(elapsed)} elapsed"
    if 0 < done < total:
        text += f"  ETA {duration(elapsed * (total - done) / done)}"
    return text + (f"  {note}" if note else "")


class Progress:
    """Call tick() as each run ends and close() once all have. Draws on
    stream only when enabled: None means 'when stream is a terminal'."""

    def __init__(self, total, enabled=None, stream=None):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.total, self.done = total, 0
        self.started = time.monotonic()

    def tick(self, note=""):
        self.done += 1
        if not self.enabled:
            return
        width = shutil.get_terminal_size().columns - 1
        text = line(self.done, self.total, time.monotonic() - self.started, note)
        self.stream.write("\r" + text[:width] + "\033[K")
        self.stream.flush()

    def close(self):
        if self.enabled and self.done:
            self.stream.write("\r\033[K")
            self.stream.flush()


def add_options(parser):
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--progress", dest="progress", action="store_true", default=None,
                       help="draw the progress line even when stderr is not a terminal")
    group.add_argument("--quiet", dest="progress", action="store_false",
                       help="no progress line, even on a terminal")


def ordered(pool, fn, jobs, progress):
    """pool.map(fn, jobs) in job order, ticking progress as each ends. pool
    is a concurrent.futures executor or a Dask distributed Client."""
    if hasattr(pool, "gather"):
        from distributed import as_completed
        futures = [pool.submit(fn, job, pure=False) for job in jobs]
    else:
        from concurrent.futures import as_completed
        futures = [pool.submit(fn, job) for job in jobs]
    for _ in as_completed(futures):
        progress.tick()
    progress.close()
    return [f.result() for f in futures]
