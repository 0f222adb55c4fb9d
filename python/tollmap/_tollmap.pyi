"""Type stubs of the extension module (python/src/lib.rs)."""
import os
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence

class TollmapError(Exception):
    """An input tollmap could not read or a run that failed."""

    #: The input: a path, a URL, ``path:line`` of a JSON Lines record, or ``docs[i]``.
    input: Optional[str]
    #: The line of ``input``, counting from 1, when known.
    line: Optional[int]

def extract(
    text: str,
    *,
    published: Any = ...,
    title: Optional[str] = ...,
    url: Optional[str] = ...,
    doc_id: Optional[str] = ...,
    outlet: Optional[str] = ...,
) -> List[Dict[str, Any]]: ...
def extract_many(
    docs: Iterable[Mapping[str, Any]], *, threads: Optional[int] = ...
) -> List[Dict[str, Any]]: ...
def read_documents(
    paths: Sequence[str], *, published: Any = ...
) -> List[Dict[str, Any]]: ...
def geocode(
    names: Sequence[str], context: Optional[str] = ..., *, alternatives: int = ...
) -> List[Dict[str, Any]]: ...
def build_args(argv: Sequence[str]) -> Dict[str, Any]: ...
def main(argv: Sequence[str]) -> int: ...
