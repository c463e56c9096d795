"""Work in a forked child: its result comes back through the pipe; a failed child gives None
(the caller then does the work itself); a cancelled one is ended."""

from __future__ import annotations

import os

import pytest

from viewer.forked import Forked

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this system")


def test_the_result_comes_from_the_child():
    parent = os.getpid()
    child = Forked(lambda: (os.getpid() != parent, [1, 2, 3]))
    assert child.result() == (True, [1, 2, 3])


def test_a_failed_child_gives_none():
    child = Forked(lambda: 1 / 0)
    assert child.result() is None


def test_a_cancelled_child_is_ended():
    read, write = os.pipe()

    def wait_forever():
        os.read(read, 1)  # nothing is ever written

    child = Forked(wait_forever)
    child.cancel()  # would hang in waitpid if the child were not killed
    os.close(read)
    os.close(write)
