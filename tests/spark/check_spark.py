"""The Spark job against the command line, in Spark's local mode:

    python tests/spark/check_spark.py TOLLMAP_BIN WORKDIR [DOCS]

On DOCS (default 20,000) documents of bench/gen_corpus.py, integrations/spark/extract_claims.py
on local[2] must give the claim set of `tollmap extract --format jsonl`, its Parquet the same
claims with their months, and `tollmap build` of its claims layers byte-identical to a direct
`tollmap build` of the documents (every file but manifest.json, which lists the inputs). The
job also reads Parquet documents. Run with a Python that has the tollmap wheel, pyspark,
pandas and pyarrow, and a Java runtime.
"""
import collections
import filecmp
import glob
import json
import os
import subprocess
import sys
import time

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
JOB = os.path.join(REPO, "integrations", "spark", "extract_claims.py")

binary, work = sys.argv[1], sys.argv[2]
n_docs = int(sys.argv[3]) if len(sys.argv) > 3 else 20000
os.makedirs(work, exist_ok=True)


def run(*cmd, **kw):
    t0 = time.time()
    done = subprocess.run(list(map(str, cmd)), **kw)
    assert done.returncode == 0, (cmd, done.returncode)
    return time.time() - t0


def canonical(claims):
    return sorted(json.dumps(c, sort_keys=True, ensure_ascii=False) for c in claims)


# Documents: bench/gen_corpus.py writes about 700 per MB.
full = os.path.join(work, "generated.jsonl")
run(sys.executable, os.path.join(REPO, "bench", "gen_corpus.py"), n_docs / 680 + 1, full, 5, cwd=REPO)
docs_path = os.path.join(work, f"docs-{n_docs}.jsonl")
with open(full, encoding="utf-8") as f, open(docs_path, "w", encoding="utf-8") as out:
    lines = [l for l in f if l.strip()]
    assert len(lines) >= n_docs, len(lines)
    out.writelines(lines[:n_docs])

cli_out = subprocess.run([binary, "-q", "extract", docs_path, "--format", "jsonl"],
                         capture_output=True, text=True, check=True).stdout
cli_claims = [json.loads(l) for l in cli_out.splitlines()]
assert len(cli_claims) > n_docs, len(cli_claims)

# The job, with its build.
spark_out = os.path.join(work, "spark")
took = run(sys.executable, JOB, docs_path, spark_out, "--master", "local[2]")
print(f"ok  the Spark job on local[2]: {n_docs} documents in {took:.1f} s (with its build)")

spark_claims = []
months = collections.Counter()
for path in sorted(glob.glob(os.path.join(spark_out, "claims-jsonl", "month=*", "*.jsonl"))):
    month = os.path.basename(os.path.dirname(path))[len("month="):]
    with open(path, encoding="utf-8") as f:
        for line in f:
            c = json.loads(line)
            assert month == (c["published"] or "undated")[:7], (month, c["id"])
            months[month] += 1
            spark_claims.append(c)
assert len(months) > 12, months
assert len(spark_claims) == len(cli_claims), (len(spark_claims), len(cli_claims))
assert canonical(spark_claims) == canonical(cli_claims), "the claim sets differ"
print(f"ok  the same {len(cli_claims)} claims as tollmap extract, in {len(months)} months")

table = ds.dataset(os.path.join(spark_out, "claims.parquet"), format="parquet",
                   partitioning="hive").to_table()
assert table.num_rows == len(cli_claims), table.num_rows
by_id = {c["id"]: c for c in cli_claims}
for row in table.select(["id", "month", "low", "outcome", "claim"]).to_pylist():
    c = by_id[row["id"]]
    assert json.loads(row["claim"]) == c, row["id"]
    assert (row["low"], row["outcome"]) == (c["count"]["low"], c["outcome"]), row["id"]
    assert str(row["month"]) == (c["published"] or "undated")[:7], row
print(f"ok  claims.parquet: {table.num_rows} rows, {len(table.schema)} columns, the claims of the JSON Lines")

direct = os.path.join(work, "direct")
run(binary, "-q", "build", docs_path, "--out", direct)
layers = os.path.join(spark_out, "layers")
names = sorted(os.listdir(direct))
assert names == sorted(os.listdir(layers)), (names, sorted(os.listdir(layers)))
compared = [n for n in names if n != "manifest.json" and os.path.isfile(os.path.join(direct, n))]
differ = [n for n in compared if not filecmp.cmp(os.path.join(direct, n), os.path.join(layers, n), shallow=False)]
assert not differ, f"differ from a direct build: {differ}"
print(f"ok  tollmap build of the Spark claims: {len(compared)} files byte-identical to a direct build "
      f"({', '.join(compared)})")

# Parquet documents in, a tenth of them, with dates as dates.
sample = [json.loads(l) for l in lines[: max(n_docs // 10, 100)]]
import datetime

pq.write_table(pa.Table.from_pylist([
    {"id": d["id"], "text": d["text"], "title": d.get("title"),
     "published": datetime.date.fromisoformat(d["published"]) if d.get("published") else None}
    for d in sample]), os.path.join(work, "docs.parquet"))
sample_path = os.path.join(work, "sample.jsonl")
with open(sample_path, "w", encoding="utf-8") as f:
    f.writelines(json.dumps(d) + "\n" for d in sample)
# Into the first job's OUTPUT: its claims are replaced whole, nothing of the staging left.
from_parquet = spark_out
run(sys.executable, JOB, os.path.join(work, "docs.parquet"), from_parquet, "--master", "local[2]", "--no-build")
assert sorted(os.listdir(from_parquet)) == ["claims-jsonl", "claims.parquet", "documents-jsonl", "layers"], \
    sorted(os.listdir(from_parquet))
got = []
for path in glob.glob(os.path.join(from_parquet, "claims-jsonl", "month=*", "*.jsonl")):
    with open(path, encoding="utf-8") as f:
        got += [json.loads(l) for l in f]
want = [json.loads(l) for l in subprocess.run(
    [binary, "-q", "extract", sample_path, "--format", "jsonl"], capture_output=True, text=True,
    check=True).stdout.splitlines()]
assert canonical(got) == canonical(want), "Parquet input: the claim sets differ"
assert ds.dataset(os.path.join(from_parquet, "claims.parquet"), format="parquet",
                  partitioning="hive").count_rows() == len(want)
print(f"ok  Parquet documents in: the same {len(want)} claims as tollmap extract, replacing "
      "the first job's claims whole")

# A line that is not JSON: exit 2 naming it, the claims of the run before left whole.
bad = os.path.join(work, "bad.jsonl")
with open(bad, "w", encoding="utf-8") as f:
    f.writelines(lines[:50])
    f.write('{"id": "broken", "text": "Two were killed in Jableh.",\n')
before = sorted(glob.glob(os.path.join(from_parquet, "claims-jsonl", "*", "*.jsonl")))
done = subprocess.run([sys.executable, JOB, bad, from_parquet, "--master", "local[2]", "--no-build"],
                      capture_output=True, text=True)
assert done.returncode == 2, (done.returncode, done.stderr[-2000:])
message = [l for l in done.stderr.splitlines() if l.startswith("extract_claims: error:")]
assert message and bad in message[0] and "not JSON" in message[0], done.stderr[-2000:]
assert sorted(glob.glob(os.path.join(from_parquet, "claims-jsonl", "*", "*.jsonl"))) == before
assert sorted(os.listdir(from_parquet)) == ["claims-jsonl", "claims.parquet", "documents-jsonl", "layers"]
print(f"ok  a line that is not JSON: exit 2, `{message[0][:100]}…`, the previous claims whole")
