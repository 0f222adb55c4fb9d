#!/usr/bin/env python3
"""A throughput corpus of real news text: the seed articles and the articles of the
geoparsing corpora (GeoWebNews, LGL, TR-News, GeoVirus subsets), repeated to SIZE_MB.

Usage: python3 bench/real_corpus.py SIZE_MB OUT.jsonl [SHARED_DIR]

The text stays in bench/data (ignored by git): nothing of it enters the repository. Each copy
gets its own document id; repetition means names are looked up warm, as in a large corpus of
one conflict, where the same few hundred places recur."""
import html
import json
import re
import sys
from pathlib import Path

size_mb = float(sys.argv[1])
out = Path(sys.argv[2])
shared = Path(sys.argv[3] if len(sys.argv) > 3 else "../shared")

articles = []
for line in (shared / "corpus/seeds.jsonl").read_text(encoding="utf-8").splitlines():
    if line.strip():
        d = json.loads(line)
        articles.append({"title": d.get("title"), "published": d.get("published"), "text": d["text"]})
for xml in sorted((shared / "data/events/geoparsing_corpora_syria").glob("*.xml")):
    raw = xml.read_text(encoding="utf-8", errors="replace")
    for art in re.findall(r"<article\b.*?</article>", raw, flags=re.S):
        text = re.search(r"<text>(.*?)</text>", art, flags=re.S)
        if not text:
            continue
        body = text.group(1)
        body = re.sub(r"^<!\[CDATA\[|\]\]>$", "", body.strip())
        title = re.search(r"<title>(.*?)</title>", art, flags=re.S)
        articles.append(
            {
                "title": html.unescape(title.group(1).strip()) if title else None,
                "published": None,
                "text": html.unescape(body),
            }
        )

target = int(size_mb * 1e6)
written = 0
n = 0
out.parent.mkdir(parents=True, exist_ok=True)
with out.open("w", encoding="utf-8") as f:
    while written < target:
        for a in articles:
            n += 1
            d = dict(a, id=f"real-{n:07d}")
            line = json.dumps(d, ensure_ascii=False) + "\n"
            f.write(line)
            written += len(line.encode("utf-8"))
            if written >= target:
                break
print(f"{len(articles)} distinct articles, {n} documents, {written / 1e6:.1f} MB -> {out}")
