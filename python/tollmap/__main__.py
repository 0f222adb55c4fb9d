"""``python -m tollmap ...`` is the ``tollmap`` command."""
from ._cli import run

run()
