"""The Python package against the command line: the same claims, answers and layers, and errors
raised as exceptions. Run by CI after installing the wheel into a fresh virtual environment:

    TOLLMAP_BIN=target/release/tollmap python -m pytest python/tests

TOLLMAP_BIN is the Rust binary the package is compared with (default: the repository's
target/release/tollmap). The corpus tests fail, not skip, under CI=1 when ../shared is missing.
"""
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import tollmap

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
BIN = os.environ.get("TOLLMAP_BIN", str(REPO / "target" / "release" / "tollmap"))


def cli(*args, check=True):
    """Runs the Rust binary; its standard output."""
    done = subprocess.run([BIN, "-q", *map(str, args)], capture_output=True, text=True)
    if check:
        assert done.returncode in (0, 1), done.stderr
    return done.stdout


def cli_claims(*inputs):
    return [json.loads(line) for line in cli("extract", *inputs, "--format", "jsonl").splitlines()]


def shared(path):
    p = SHARED / path
    if not p.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{p} is missing")
        pytest.skip(f"{p} is missing")
    return p


@pytest.fixture(scope="session")
def generated(tmp_path_factory):
    """1,000 documents of bench/gen_corpus.py."""
    d = tmp_path_factory.mktemp("gen")
    full = d / "full.jsonl"
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "gen_corpus.py"), "1.5", str(full), "11"],
        cwd=REPO,
        check=True,
    )
    lines = full.read_text(encoding="utf-8").splitlines()
    assert len(lines) >= 1000, len(lines)
    path = d / "gen-1000.jsonl"
    path.write_text("\n".join(lines[:1000]) + "\n", encoding="utf-8")
    return path


def records(path):
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


# --- claims equal the command line's ---------------------------------------------------------


def test_examples_equal_cli():
    docs = tollmap.read_documents(REPO / "examples")
    assert len(docs) == 7
    ours = tollmap.extract_many(docs)
    assert ours == cli_claims(REPO / "examples")
    assert len(ours) > 10


def test_examples_one_text_at_a_time_equal_cli():
    theirs = cli_claims(REPO / "examples")
    ours = []
    for d in tollmap.read_documents(REPO / "examples"):
        ours += tollmap.extract(
            d["text"], published=d["published"], title=d["title"], url=d["url"],
            doc_id=d["id"], outlet=d["outlet"],
        )
    assert ours == theirs


def test_seeds_equal_cli():
    seeds = shared("corpus/seeds.jsonl")
    ours = tollmap.extract_many(records(seeds))
    assert ours == cli_claims(seeds)
    assert ours == tollmap.extract_many(tollmap.read_documents(seeds))


def test_generated_equal_cli(generated):
    theirs = cli_claims(generated)
    docs = records(generated)
    assert len(docs) == 1000
    assert len(theirs) > 5000
    for threads in (None, 1, 2):
        assert tollmap.extract_many(docs, threads=threads) == theirs, threads


def test_extract_json_gives_the_cli_lines(generated):
    docs = records(generated)[:300]
    lines = cli("extract", generated, "--format", "jsonl").splitlines()
    ours = tollmap.extract_json(docs, threads=1)
    ids = [d["id"] for d in docs]
    assert [line for _, line in ours] == lines[: len(ours)]
    assert [ids[i] for i, _ in ours] == [json.loads(line)["doc"] for _, line in ours]
    assert tollmap.extract_json(docs) == ours == tollmap.extract_json(docs, threads=2)
    with pytest.raises(tollmap.TollmapError) as e:
        tollmap.extract_json([{"id": "x"}])
    assert e.value.input == "docs[0]"


def test_claims_keep_the_contracts_field_order():
    line = cli("extract", REPO / "examples" / "02-at-least-douma.md", "--format", "jsonl").splitlines()[0]
    ours = tollmap.extract_many(tollmap.read_documents(REPO / "examples" / "02-at-least-douma.md"))[0]
    assert json.dumps(ours, ensure_ascii=False, separators=(",", ":")) == line


def test_dates_and_numbers_as_python_gives_them(generated):
    import datetime

    docs = records(generated)[:50]
    as_dates = [dict(d, published=datetime.date.fromisoformat(d["published"])) for d in docs]
    as_ints = [dict(d, id=i) for i, d in enumerate(docs)]
    assert tollmap.extract_many(as_dates) == tollmap.extract_many(docs)
    assert [c["doc"] for c in tollmap.extract_many(as_ints)][:1] == ["0"]


def test_empty_cells_of_pandas_are_missing_fields(generated):
    pandas = pytest.importorskip("pandas") if not os.environ.get("CI") else __import__("pandas")
    docs = records(generated)[:40]
    frame = pandas.DataFrame(docs)
    frame["published"] = pandas.to_datetime(frame["published"])
    frame.loc[::3, "title"] = None          # NaN in an object column
    frame.loc[::4, "published"] = pandas.NaT
    want = []
    for i, d in enumerate(docs):
        d = dict(d)
        if i % 3 == 0:
            d["title"] = None
        if i % 4 == 0:
            d["published"] = None
        want.append(d)
    assert tollmap.extract_many(frame.to_dict("records")) == tollmap.extract_many(want)


def test_threads_run_at_once_and_agree(generated):
    """The GIL is released during extraction: threads each extracting a share agree with one
    call (the speed-up is measured in bench/python.sh, not here)."""
    docs = records(generated)
    shares = [docs[i::4] for i in range(4)]
    results = [None] * 4

    def work(i):
        results[i] = tollmap.extract_many(shares[i], threads=1)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i in range(4):
        assert results[i] == tollmap.extract_many(shares[i], threads=1)


# --- geocode equals the command line's ----------------------------------------------------------

NAMES = ["Latakia", "Lattakia", "اللاذقية", "Beit Yashout", "Qardaha", "Baniyas", "Jableh",
         "Jisr al-Shughur", "Douma", "Nowhere-at-all", "Tabqa airbase"]


def test_geocode_equals_cli():
    theirs = [json.loads(l) for l in cli("geocode", *NAMES, "--format", "jsonl", check=False).splitlines()]
    assert tollmap.geocode(NAMES) == theirs
    assert theirs[-2]["name"] is None


def test_geocode_with_context_equals_cli():
    context = "Shelling hit the outskirts of Jableh in Latakia province on Monday."
    names = ["the outskirts", "Jableh", "Hamidiyeh"]
    theirs = [json.loads(l) for l in
              cli("geocode", *names, "--context", context, "--format", "jsonl", check=False).splitlines()]
    assert tollmap.geocode(names, context) == theirs
    assert tollmap.geocode("Jableh") == tollmap.geocode(["Jableh"])


# --- errors are raised, not printed --------------------------------------------------------------


@pytest.mark.parametrize(
    "docs, where, says",
    [
        ([{"id": "a", "text": "x", "published": "last spring"}], "docs[0]", "ISO 8601"),
        ([{"id": "a", "text": "x"}, {"text": "y"}], "docs[1]", "`id`"),
        ([{"id": "a", "text": "x"}, {"id": "a", "text": "y"}], "docs[1]", "already used by docs[0]"),
        ([{"id": "a"}], "docs[0]", "`text`"),
        ([{"id": "big", "text": "x" * (4 << 20 | 1)}], "docs[0]", "more than"),
    ],
)
def test_bad_documents_raise(capfd, docs, where, says):
    with pytest.raises(tollmap.TollmapError) as e:
        tollmap.extract_many(docs)
    assert e.value.input == where
    assert says in str(e.value)
    assert capfd.readouterr() == ("", "")


def test_wrong_types_raise_type_errors():
    with pytest.raises(TypeError, match="docs\\[0\\]: field `title` must be a string"):
        tollmap.extract_many([{"id": "a", "text": "x", "title": 5}])
    with pytest.raises(TypeError, match="`published` must be a string or a date"):
        tollmap.extract("x", published=3.5)
    with pytest.raises(ValueError):
        tollmap.extract_many([{"id": "a", "text": "x"}], threads=0)


def test_bad_input_line_is_named(tmp_path, capfd):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "Two people were killed."}\n{"id": "b", "text": \n', encoding="utf-8")
    with pytest.raises(tollmap.TollmapError) as e:
        tollmap.read_documents(bad)
    assert (e.value.input, e.value.line) == (str(bad), 2)
    assert "invalid JSON" in str(e.value)
    with pytest.raises(tollmap.TollmapError) as e:
        tollmap.build(bad, tmp_path / "out")
    assert (e.value.input, e.value.line) == (str(bad), 2)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    assert capfd.readouterr() == ("", "")


def test_documents_left_out_are_warned(tmp_path):
    twice = tmp_path / "twice.jsonl"
    twice.write_text('{"id": "a", "text": "One."}\n{"id": "a", "text": "Two."}\n', encoding="utf-8")
    with pytest.warns(UserWarning, match="document id `a` already used"):
        docs = tollmap.read_documents(twice)
    assert [d["text"] for d in docs] == ["One."]


def test_build_errors_raise_and_keep_the_previous_output(tmp_path, capfd):
    out = tmp_path / "out"
    first = tollmap.build(REPO / "examples", out, no_tiles=True, no_web=True)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    with pytest.raises(tollmap.TollmapError) as e:
        tollmap.build(tmp_path / "missing", out)
    assert e.value.input == str(tmp_path / "missing")
    with pytest.raises(tollmap.TollmapError, match="--period"):
        tollmap.build(REPO / "examples", out, period="fortnight")
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert first["exit_code"] == 0
    assert capfd.readouterr() == ("", "")


# --- build and read_layers -------------------------------------------------------------------


def test_build_equals_the_cli_build(tmp_path):
    summary = tollmap.build([REPO / "examples"], tmp_path / "py", period="week", no_tiles=True)
    cli("build", REPO / "examples", "--out", tmp_path / "cli", "--period", "week", "--no-tiles")
    assert summary["counts"]["documents"] == 7
    assert summary["counts"]["claims"] == len(cli_claims(REPO / "examples"))
    assert summary["warnings"] == [] and summary["exit_code"] == 0
    for name in ("claims.geojson", "places.geojson", "events.geojson", "admin1.geojson", "claims.csv", "data.js"):
        assert (tmp_path / "py" / name).read_bytes() == (tmp_path / "cli" / name).read_bytes(), name


def test_read_layers_round_trips_a_build(tmp_path):
    geopandas = pytest.importorskip("geopandas") if not os.environ.get("CI") else __import__("geopandas")
    out = tmp_path / "out"
    tollmap.build(REPO / "examples", out, no_tiles=True, no_web=True)
    layers = tollmap.read_layers(out)
    assert list(layers) == list(tollmap.LAYERS)
    for name, frame in layers.items():
        assert isinstance(frame, geopandas.GeoDataFrame)
        features = json.loads((out / f"{name}.geojson").read_text(encoding="utf-8"))["features"]
        assert len(frame) == len(features), name
        for row, feature in zip(frame.itertuples(index=False), features):
            for key, value in feature["properties"].items():
                got = getattr(row, key)
                if isinstance(value, (list, dict)):
                    continue  # GDAL reads JSON-valued fields as text
                if value is None:
                    assert got is None or got != got, (name, key, got)
                elif hasattr(got, "isoformat"):  # GDAL reads ISO dates as dates
                    assert got.isoformat()[: len(value)] == value, (name, key, got, value)
                else:
                    assert got == value or str(got) == str(value), (name, key, got, value)
            assert row.geometry.geom_type == feature["geometry"]["type"], name
    assert frame.crs.to_epsg() == 4326


def test_read_layers_names_the_missing_package(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "geopandas", None)
    with pytest.raises(ImportError, match="needs the geopandas package"):
        tollmap.read_layers(tmp_path)


# --- the command installed by the wheel ---------------------------------------------------------


def test_the_wheel_installs_the_command():
    script = Path(sys.executable).parent / "tollmap"
    assert script.exists(), script
    done = subprocess.run([str(script), "-q", "extract", str(REPO / "examples"), "--format", "jsonl"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout == cli("extract", REPO / "examples", "--format", "jsonl")
    bad = subprocess.run([str(script), "build"], capture_output=True, text=True)
    assert bad.returncode == 2 and "no inputs" in bad.stderr
    usage = subprocess.run([sys.executable, "-m", "tollmap", "--no-such-flag"], capture_output=True, text=True)
    assert usage.returncode == 2 and "--no-such-flag" in usage.stderr


def test_the_command_serves_and_stops_on_ctrl_c(tmp_path):
    """`tollmap serve` from the wheel answers on loopback and ends on SIGINT, as the binary."""
    import signal
    import urllib.request

    tollmap.build(REPO / "examples", tmp_path / "out", no_tiles=True)
    script = Path(sys.executable).parent / "tollmap"
    server = subprocess.Popen([str(script), "-q", "serve", str(tmp_path / "out"), "--port", "0"],
                              stdout=subprocess.PIPE, text=True)
    try:
        url = server.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), url
        with urllib.request.urlopen(url + "index.html", timeout=10) as page:
            assert page.status == 200 and b"<html" in page.read().lower()
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=10) != 0
    finally:
        server.kill()
