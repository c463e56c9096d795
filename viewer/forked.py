"""Work done in a forked child process while the caller does other work, on a second core:
the command line tokenizes the corrupted side this way (``tokens.tokenize_pair``) and measures
the error rates while the ``--json`` records are built (``measures.measured_alongside``).

Only from a single-threaded program (``may_fork``): forking a web server's threads is unsafe.
"""

from __future__ import annotations

import os
import pickle
import signal
import threading
from collections.abc import Callable


def may_fork() -> bool:
    """Whether to fork: a single-threaded program (the command line; a web server's threads
    stay safe) where ``fork`` exists, on a machine with a second core."""
    return (threading.active_count() == 1 and hasattr(os, "fork")
            and (os.cpu_count() or 1) >= 2)


class Forked:
    """``work()`` running in a forked child from the moment this is made. ``result()`` waits
    for its return value (pickled through a pipe), None when the child failed: the caller then
    does the work itself. ``cancel()`` ends the child when its result is no longer wanted."""

    def __init__(self, work: Callable[[], object]):
        self._read, write = os.pipe()
        self._pid = os.fork()
        if self._pid == 0:  # the child: work, send the result, leave at once
            status = 0
            try:
                os.close(self._read)
                with os.fdopen(write, "wb") as out:
                    pickle.dump(work(), out, protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:
                status = 1
            finally:
                os._exit(status)
        os.close(write)

    def result(self):
        try:
            with os.fdopen(self._read, "rb") as inp:
                return pickle.load(inp)
        except (EOFError, pickle.UnpicklingError, ValueError):  # the child failed
            return None
        finally:
            os.waitpid(self._pid, 0)

    def cancel(self) -> None:
        os.kill(self._pid, signal.SIGKILL)
        os.waitpid(self._pid, 0)
        os.close(self._read)
