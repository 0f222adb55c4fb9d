#!/usr/bin/env python3
"""Extracts tollmap's claims from a corpus on Apache Spark, then builds the map layers.

    extract_claims.py INPUT OUTPUT [--master local[*]] [--build-arg=--period=week ...]

INPUT is a file or folder of JSON Lines documents (one object per line: `id`, `text`, and
optionally `title`, `url`, `outlet`, `published`, as `tollmap extract` reads them) or of
Parquet with those columns (`--format parquet`, or a path ending in `.parquet`). The
executors extract the claims with `tollmap.extract_json` inside `mapInPandas` (the package's
wheel must be installed on them; its gazetteer loads once per Python worker process). OUTPUT
receives:

    claims.parquet/month=YYYY-MM/   the claims, one row each: flat columns for queries and the
                                    whole claim (`claim`, the claim JSON)
    claims-jsonl/month=YYYY-MM/     the claims as JSON Lines (`tollmap extract --format jsonl`)
    documents-jsonl/                each document's id, title, url, outlet and date, no text
    layers/                         `tollmap build` of the two JSON Lines folders: the same
                                    layers as `tollmap build INPUT` (skip with --no-build)

The month is the document's publication month (`undated` without one). On a cluster, give
OUTPUT on a file system the driver also sees (the build runs on the driver), or pass
--no-build and run `tollmap build` on the JSON Lines where they land.

Exit codes: the build's (0, or 1 with warnings); 2 when the job failed (a line that is not a
JSON object, a document tollmap refuses: each named), the previous OUTPUT left whole.
"""
import argparse
import glob
import json
import os
import shutil
import subprocess
import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

#: What `mapInPandas` returns: documents (kind "document") and claims (kind "claim"), each
#: with its line of JSON (the claim JSON, or a document's fields with an empty text).
SCHEMA = T.StructType(
    [
        T.StructField("kind", T.StringType(), False),
        T.StructField("doc_index", T.LongType(), False),
        T.StructField("seq", T.IntegerType(), False),
        T.StructField("month", T.StringType(), False),
        T.StructField("json", T.StringType(), False),
    ]
)

#: What the Parquet columns take from the claim JSON (parsed in the JVM, not in Python).
CLAIM_FIELDS = T.StructType(
    [
        T.StructField("id", T.StringType()),
        T.StructField("doc", T.StringType()),
        T.StructField("published", T.StringType()),
        T.StructField("count", T.StructType([
            T.StructField("low", T.LongType()), T.StructField("high", T.LongType()),
            T.StructField("qualifier", T.StringType())])),
        T.StructField("outcome", T.StringType()),
        T.StructField("victims", T.StringType()),
        T.StructField("claimant", T.StringType()),
        T.StructField("scope", T.StringType()),
        T.StructField("part_of", T.StringType()),
        T.StructField("date", T.StructType([
            T.StructField("start", T.StringType()), T.StructField("end", T.StringType())])),
        T.StructField("places", T.ArrayType(T.StructType([
            T.StructField("role", T.StringType()), T.StructField("name", T.StringType()),
            T.StructField("gazetteer_id", T.StringType()), T.StructField("lat", T.DoubleType()),
            T.StructField("lon", T.DoubleType()), T.StructField("admin1", T.StringType()),
            T.StructField("admin2", T.StringType()), T.StructField("precision", T.IntegerType())]))),
        T.StructField("confidence", T.DoubleType()),
    ]
)

#: Document fields `tollmap build` reads from a line with an empty `text`.
DOCUMENT_FIELDS = ("id", "title", "url", "outlet", "published")


def month_of(published):
    """`YYYY-MM` of an ISO date, or `undated`."""
    if isinstance(published, str) and len(published) >= 7 and published[4] == "-":
        return published[:7]
    return "undated"


def extract_batches(batches):
    """mapInPandas: lines of JSON documents (`value`, `doc_index`) in, a row per document and
    per claim out. Runs on the executors; the claims' JSON is made in Rust."""
    import pandas as pd

    import tollmap

    for frame in batches:
        docs, indexes = [], []
        for value, doc_index in zip(frame["value"], frame["doc_index"]):
            if value is None or not value.strip():
                continue
            try:
                record = json.loads(value)
            except ValueError as e:
                raise ValueError(f"extract_claims: a line of the input is not JSON ({e}): "
                                 f"{value[:120]!r}") from None
            if not isinstance(record, dict):
                raise ValueError(f"extract_claims: a line of the input is not a JSON object: "
                                 f"{value[:120]!r}")
            if "quote" in record and "count" in record:
                continue  # a claim line, not a document
            docs.append(record)
            indexes.append(int(doc_index))
        if not docs:
            continue
        kind, doc_index, seq, month, text = [], [], [], [], []
        months = []
        for doc, i in zip(docs, indexes):
            published = doc.get("published")
            if published is not None and not isinstance(published, str):
                published = published.isoformat()
            line = {k: doc.get(k) for k in DOCUMENT_FIELDS}
            line["id"], line["published"], line["text"] = str(doc["id"]), published, ""
            months.append(month_of(published))
            kind.append("document"), doc_index.append(i), seq.append(0)
            month.append(months[-1]), text.append(json.dumps(line, ensure_ascii=False))
        n, last = 0, -1
        try:
            pairs = tollmap.extract_json(docs, threads=1)
        except (tollmap.TollmapError, TypeError) as e:
            where = getattr(e, "input", None) or ""
            if where.startswith("docs["):
                where = f"document {docs[int(where[5:-1])].get('id')!r}: "
            raise ValueError(f"extract_claims: {where}{e}") from None
        for d, claim in pairs:
            n = n + 1 if d == last else 0
            last = d
            kind.append("claim"), doc_index.append(indexes[d]), seq.append(n)
            month.append(months[d]), text.append(claim)
        yield pd.DataFrame({"kind": kind, "doc_index": doc_index, "seq": seq, "month": month,
                            "json": text})


def claim_columns(claims):
    """The Parquet columns: the claim JSON's main fields, flat, and the whole claim."""
    c = F.from_json("json", CLAIM_FIELDS).alias("c")
    event = F.filter("c.places", lambda p: p["role"] == "event")[0]
    return claims.select("month", "json", c).select(
        F.col("c.id").alias("id"), F.col("c.doc").alias("doc"),
        F.col("c.published").alias("published"),
        F.col("c.count.low").alias("low"), F.col("c.count.high").alias("high"),
        F.col("c.count.qualifier").alias("qualifier"),
        F.col("c.outcome").alias("outcome"), F.col("c.victims").alias("victims"),
        F.col("c.scope").alias("scope"), F.col("c.part_of").alias("part_of"),
        F.col("c.claimant").alias("claimant"),
        F.col("c.date.start").alias("date_start"), F.col("c.date.end").alias("date_end"),
        event["name"].alias("place"), event["gazetteer_id"].alias("gazetteer_id"),
        event["lat"].alias("lat"), event["lon"].alias("lon"),
        event["admin1"].alias("admin1"), event["admin2"].alias("admin2"),
        event["precision"].alias("precision"),
        F.col("c.confidence").alias("confidence"),
        F.col("json").alias("claim"), "month",
    )


def read_documents(spark, path, fmt):
    """The input as lines of JSON (`value`) numbered in input order (`doc_index`)."""
    if fmt == "auto":
        fmt = "parquet" if path.rstrip("/").endswith(".parquet") else "jsonl"
    if fmt == "jsonl":
        lines = spark.read.text(path)
    else:
        frame = spark.read.parquet(path)
        present = set(frame.columns)
        missing = {"id", "text"} - present
        if missing:
            raise SystemExit(f"{path}: Parquet input lacks the column(s) {sorted(missing)}")
        cols = [
            (F.col(k).cast("string") if k in present else F.lit(None).cast("string")).alias(k)
            for k in ("id", "text", "title", "url", "outlet", "published")
        ]
        lines = frame.select(F.to_json(F.struct(*cols)).alias("value"))
    return lines.withColumn("doc_index", F.monotonically_increasing_id())


def rename_parts(folder):
    """Spark names its text parts `part-*.txt`; tollmap reads JSON Lines by `.jsonl`. Their
    checksums and markers go."""
    for path in sorted(glob.glob(os.path.join(folder, "**", "*"), recursive=True)):
        name = os.path.basename(path)
        if name.endswith(".crc") or name == "_SUCCESS":
            os.remove(path)
        elif name.startswith("part-") and name.endswith(".txt"):
            target = path[: -len(".txt")] + ".jsonl"
            os.replace(path, target)
    for path in sorted(glob.glob(os.path.join(folder, "**", ".*.crc"), recursive=True)):
        os.remove(path)


def local_path(uri):
    """The local path of OUTPUT, or None for a remote file system (hdfs:, s3a: ...)."""
    if uri.startswith("file://"):
        return uri[len("file://"):]
    if "://" in uri:
        return None
    return os.path.abspath(uri)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input", help="JSON Lines or Parquet documents (a file or a folder)")
    ap.add_argument("output", help="the folder to write (claims, documents, layers)")
    ap.add_argument("--master", default=None,
                    help="Spark master (default: local[*], or what spark-submit was given)")
    ap.add_argument("--format", choices=("auto", "jsonl", "parquet"), default="auto")
    ap.add_argument("--partitions", type=int, default=None,
                    help="split the input into this many tasks (default: Spark's)")
    ap.add_argument("--no-build", action="store_true", help="stop after writing the claims")
    ap.add_argument("--tollmap", default=None,
                    help="the tollmap program for the build (default: this Python's tollmap package)")
    ap.add_argument("--build-arg", action="append", default=[],
                    help="a flag for `tollmap build`, e.g. --build-arg=--period=week (repeatable)")
    args = ap.parse_args(argv)

    builder = SparkSession.builder.appName("tollmap extract_claims")
    under_submit = "PYSPARK_GATEWAY_PORT" in os.environ
    if args.master or not under_submit:
        builder = builder.master(args.master or "local[*]")
    if (args.master or "local").startswith("local") and not under_submit:
        # Local workers run this Python, which has the tollmap package.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = (
        builder.config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.python.worker.reuse", "true")
        .config("spark.hadoop.mapreduce.fileoutputcommitter.marksuccessfuljobs", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("WARN")
    # Inputs split into a task per core at least (a split ends at a line; the order holds).
    spark.conf.set("spark.sql.files.minPartitionNum", str(spark.sparkContext.defaultParallelism))

    out = args.output.rstrip("/")
    local = local_path(out)
    # A local OUTPUT is written into a staging folder inside it and moved into place at the
    # end: a failed or killed job leaves the previous claims whole.
    stage = f"{out}/.staging-{os.getpid()}" if local is not None else out
    if local is not None:
        for left in glob.glob(f"{local}/.staging-*"):
            shutil.rmtree(left, ignore_errors=True)  # what a killed job left
    lines = read_documents(spark, args.input, args.format)
    if args.partitions:
        # Ranges keep the input's order across tasks (a hash repartition would not).
        lines = lines.repartitionByRange(args.partitions, "doc_index")
    rows = lines.mapInPandas(extract_batches, SCHEMA).persist()

    claims = rows.where(F.col("kind") == "claim")
    documents = rows.where(F.col("kind") == "document")
    # Each month's files hold its claims in input order, each document's in the order
    # extracted: tollmap build puts them in document order all the same.
    ordered = claims.sortWithinPartitions("month", "doc_index", "seq")
    try:
        (claim_columns(ordered).write.mode("overwrite").partitionBy("month")
            .parquet(f"{stage}/claims.parquet"))
        (ordered.select("month", "json").write.mode("overwrite").partitionBy("month")
            .text(f"{stage}/claims-jsonl"))
        (documents.coalesce(1).sortWithinPartitions("doc_index").select("json")
            .write.mode("overwrite").text(f"{stage}/documents-jsonl"))
        n_claims, n_docs = claims.count(), documents.count()
    except Exception as e:  # Spark wraps what failed on an executor in a Java error
        said = [l for l in str(e).splitlines() if "extract_claims: " in l]
        why = said[-1].split("extract_claims: ", 1)[1] if said else str(e).splitlines()[0]
        print(f"extract_claims: error: {args.input}: {why}", file=sys.stderr)
        spark.stop()
        if local is not None:
            shutil.rmtree(local_path(stage), ignore_errors=True)
        return 2
    rows.unpersist()
    spark.stop()
    print(f"extract_claims: {n_docs} documents, {n_claims} claims -> {out}", file=sys.stderr)

    if local is None:
        print("extract_claims: OUTPUT is not on this machine: run `tollmap build` on its "
              "documents-jsonl and claims-jsonl folders (part files renamed to .jsonl)",
              file=sys.stderr)
        return 0
    staged = local_path(stage)
    for folder in ("documents-jsonl", "claims-jsonl", "claims.parquet"):
        rename_parts(f"{staged}/{folder}")
    for folder in ("documents-jsonl", "claims-jsonl", "claims.parquet"):
        old = f"{local}/{folder}"
        if os.path.exists(old):
            os.replace(old, f"{staged}/{folder}.old")
        os.replace(f"{staged}/{folder}", old)
    shutil.rmtree(staged)
    if args.no_build:
        return 0
    program = [args.tollmap] if args.tollmap else [sys.executable, "-m", "tollmap"]
    build = program + ["build", f"{local}/documents-jsonl", f"{local}/claims-jsonl",
                       "--out", f"{local}/layers", *args.build_arg]
    return subprocess.run(build).returncode


if __name__ == "__main__":
    sys.exit(main())
