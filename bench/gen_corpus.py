#!/usr/bin/env python3
"""Writes a synthetic JSON Lines corpus of wire-style casualty reports, for benchmarks.

Every sentence comes from templates written for tollmap; place names come from the bundled
gazetteer. Deterministic for a given seed. Usage: gen_corpus.py SIZE_MB OUT.jsonl [SEED]
"""
import json
import random
import sys

size_mb = float(sys.argv[1])
out_path = sys.argv[2]
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 7)

places = []
with open("gazetteer/places.tsv", encoding="utf-8") as f:
    next(f)
    for line in f:
        col = line.split("\t")
        if col[5] == "SY" and col[1] in ("city", "town", "village"):
            places.append(col[2])

counts = ["eight", "at least 12", "more than 40", "dozens of", "three", "about 25", "1,200",
          "nearly 60", "between 5 and 9", "scores of", "two", "seventeen", "at least 140"]
victims = ["civilians", "regime troops", "rebel fighters", "soldiers", "children",
           "militiamen", "ISIS militants", "SDF fighters", "people", "residents"]
outcomes = ["were killed", "died", "were wounded", "were injured", "lost their lives",
            "were killed and wounded", "were captured"]
days = ["on Monday", "on Friday", "yesterday", "last week", "on Thursday", "in five days", ""]
claimants = ["according to activists", "a war monitor said", "state media reported",
             "local medics said", "a rebel source told reporters", ""]
filler = [
    "Residents said the roads out of {p} were closed for most of the day.",
    "The offensive has displaced some 15,000 people from villages around {p} since 2019.",
    "Talks on a ceasefire in {p} stalled after 14 hours of negotiations.",
    "Aid convoys waited for three days at the crossing near {p}.",
    "The council in {p} said 40 schools remained closed.",
]

def sentence():
    p = rng.choice(places)
    c = rng.choice(counts)
    v = rng.choice(victims)
    o = rng.choice(outcomes)
    d = rng.choice(days)
    cl = rng.choice(claimants)
    s = f"{c[0].upper()}{c[1:]} {v} {o} in {p} {d}".strip()
    return (s + (", " + cl if cl else "") + ".").replace("  ", " ")

target = int(size_mb * 1024 * 1024)
written = 0
n = 0
with open(out_path, "w", encoding="utf-8") as out:
    while written < target:
        n += 1
        paras = []
        for _ in range(rng.randint(4, 8)):
            sents = [sentence() if rng.random() < 0.5 else rng.choice(filler).format(p=rng.choice(places))
                     for _ in range(rng.randint(2, 4))]
            paras.append(" ".join(sents))
        text = "\n\n".join(paras)
        doc = {"id": f"synthetic-{n:07d}", "published": f"20{rng.randint(12, 24)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
               "title": f"Report {n}", "text": text}
        line = json.dumps(doc, ensure_ascii=False) + "\n"
        out.write(line)
        written += len(line.encode("utf-8"))
print(f"{out_path}: {n} documents, {written / 1e6:.1f} MB", file=sys.stderr)
