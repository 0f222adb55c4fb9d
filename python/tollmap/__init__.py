"""tollmap: claims of war casualties from news text, resolved to Syrian places, into map layers.

The same library as the ``tollmap`` command (which ``pip install`` installs too):

>>> import tollmap
>>> claims = tollmap.extract("Shelling killed eight civilians in Douma on Monday.",
...                          published="2018-02-20")
>>> claims[0]["count"]["low"], claims[0]["places"][0]["name"]
(8, 'Duma')

Claims are dicts in the claim JSON contract (docs/contract.md of the repository), exactly as
``tollmap extract --format jsonl`` writes them. The GIL is released while the library works.
"""
from __future__ import annotations

import os
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from . import _tollmap
from ._tollmap import TollmapError

__all__ = [
    "TollmapError",
    "extract",
    "extract_many",
    "extract_json",
    "read_documents",
    "geocode",
    "build",
    "read_layers",
    "LAYERS",
]

__version__ = "0.1.0"

PathLike = Union[str, "os.PathLike[str]"]
Claim = Dict[str, Any]

#: The layers ``tollmap build`` writes as GeoJSON, in the order ``read_layers`` returns them.
LAYERS = ("claims", "events", "places", "origins", "admin1", "admin2")


def extract(
    text: str,
    *,
    published: Any = None,
    title: Optional[str] = None,
    url: Optional[str] = None,
    doc_id: Optional[str] = None,
    outlet: Optional[str] = None,
) -> List[Claim]:
    """The claims of one text, in order.

    ``published`` (an ISO 8601 string, a ``datetime.date`` or anything with ``isoformat()``)
    dates relative phrases ("on Monday"); ``title`` is read as the headline; ``doc_id`` (default
    ``"text"``) starts each claim's id. Raises ``TollmapError`` for a text over 4 MiB or a date
    that does not parse.
    """
    return _tollmap.extract(
        text, published=published, title=title, url=url, doc_id=doc_id, outlet=outlet
    )


def extract_many(
    docs: Iterable[Mapping[str, Any]], *, threads: Optional[int] = None
) -> List[Claim]:
    """The claims of many documents, in document order, as one list.

    Each document is a mapping with ``id`` and ``text`` and optionally ``title``, ``url``,
    ``outlet`` and ``published``: the fields of a JSON Lines record of ``tollmap extract``.
    ``threads=None`` extracts on every core, ``threads=1`` on the calling thread alone (what a
    Spark task or a thread pool of your own wants). A document that cannot be read raises
    ``TollmapError`` with ``input`` set to ``docs[i]``.
    """
    return _tollmap.extract_many(docs, threads=threads)


def extract_json(
    docs: Iterable[Mapping[str, Any]], *, threads: Optional[int] = None
) -> List[Tuple[int, str]]:
    """The claims of many documents as JSON text: for each claim, the position of its
    document in ``docs`` and its line of ``tollmap extract --format jsonl`` (the same bytes).

    Faster than ``extract_many`` when the claims are to be written, not inspected: the JSON is
    made with the GIL released, one string per claim instead of a tree of dicts. The Spark
    job uses it. Documents and errors as ``extract_many``.
    """
    return _tollmap.extract_json(docs, threads=threads)


def read_documents(
    paths: Union[PathLike, Sequence[PathLike]], *, published: Any = None
) -> List[Dict[str, Any]]:
    """The documents of files and folders as ``tollmap`` reads them (``.txt``/``.md`` with
    front matter, ``.jsonl``, ``.html``, feeds), each a dict with ``id``, ``title``, ``text``,
    ``url``, ``outlet``, ``published`` and ``source``. ``extract_many(read_documents(p))``
    equals ``tollmap extract p --format jsonl`` for inputs without event tables. Documents
    left out (an id read twice, a text over 4 MiB) are each a ``UserWarning``; an input that
    cannot be read at all raises ``TollmapError``.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    return _tollmap.read_documents([os.fspath(p) for p in paths], published=published)


def geocode(
    names: Union[str, Sequence[str]], context: Optional[str] = None, *, alternatives: int = 3
) -> List[Dict[str, Any]]:
    """The resolver's answer for each place name, as ``tollmap geocode --format jsonl`` gives
    them: name, gazetteer id, lat/lon, kind, governorate, precision, score and up to
    ``alternatives`` other candidates. ``context`` is a text the names come from: its places
    steer ambiguous names, and a name that resolves to nothing falls back to the place the
    text is about (``"fallback": true``). Unresolved names come back with nulls.
    """
    if isinstance(names, str):
        names = [names]
    return _tollmap.geocode(list(names), context, alternatives=alternatives)


def _flags(options: Mapping[str, Any]) -> List[str]:
    """Keyword options as ``tollmap build`` flags: ``period="week"`` is ``--period week``,
    ``no_tiles=True`` is ``--no-tiles`` (False and None leave a flag out), a list repeats it."""
    argv: List[str] = []
    for key, value in options.items():
        flag = "--" + key.replace("_", "-")
        if value is None or value is False:
            continue
        if value is True:
            argv.append(flag)
        elif isinstance(value, (list, tuple)):
            for v in value:
                argv += [flag, os.fspath(v) if isinstance(v, os.PathLike) else str(v)]
        else:
            argv += [flag, os.fspath(value) if isinstance(value, os.PathLike) else str(value)]
    return argv


def build(
    inputs: Union[PathLike, Sequence[PathLike]], out: PathLike, **options: Any
) -> Dict[str, Any]:
    """Runs ``tollmap build INPUTS --out OUT`` with ``options`` as its flags (``period="week"``,
    ``no_tiles=True``, ``corrections="fix.csv"``, ``overlay=["a.tsv", "b.tsv"]`` ...; see
    ``tollmap build --help``) and returns its summary: ``out``, ``counts`` (documents, claims,
    events, place_periods ...), ``warnings`` (inputs that failed while the rest were built),
    ``skipped``, ``corrections`` and ``exit_code`` (0, or 1 as the command's). A build that
    cannot run (no input readable, a bad option, an output that cannot be written) raises
    ``TollmapError`` and leaves the previous output whole.
    """
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    argv = [os.fspath(i) for i in inputs] + ["--out", os.fspath(out)] + _flags(options)
    return _tollmap.build_args(argv)


def read_layers(out: PathLike, layers: Sequence[str] = LAYERS) -> Dict[str, Any]:
    """The GeoJSON layers of a build folder as GeoDataFrames (EPSG:4326), by name: ``claims``,
    ``events``, ``places``, ``origins``, ``admin1``, ``admin2``. Needs geopandas
    (``pip install geopandas``, or ``pip install tollmap[geo]``).
    """
    try:
        import geopandas
    except ImportError as e:
        raise ImportError(
            "tollmap.read_layers needs the geopandas package: pip install geopandas"
        ) from e
    folder = os.fspath(out)
    frames = {}
    for name in layers:
        path = os.path.join(folder, f"{name}.geojson")
        if not os.path.exists(path):
            err = TollmapError(f"{path}: no such layer (is {folder} a tollmap build folder?)")
            err.input, err.line = path, None
            raise err
        frames[name] = geopandas.read_file(path)
    return frames
