"""The ``tollmap`` command installed by the wheel: the Rust command line, in this process."""
import signal
import sys

from . import _tollmap


def run() -> None:
    """Runs ``tollmap`` with this process's arguments and exits with its code."""
    # The process is the command now: Ctrl-C stops it as it stops the binary (Python's own
    # handler would only set a flag, which `tollmap serve` never looks at). A build installs
    # its own handler, which removes its staged outputs first.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    sys.stdout.flush()
    sys.exit(_tollmap.main(["tollmap", *sys.argv[1:]]))
