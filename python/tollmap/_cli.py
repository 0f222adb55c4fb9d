"""The ``tollmap`` command installed by the wheel: the Rust command line, in this process."""
import sys

from . import _tollmap


def run() -> None:
    """Runs ``tollmap`` with this process's arguments and exits with its code."""
    sys.stdout.flush()
    sys.exit(_tollmap.main(["tollmap", *sys.argv[1:]]))
