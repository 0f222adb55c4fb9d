#!/usr/bin/env python3
"""One long text of N casualty sentences (with filler between them) at ten places with
varied counts: the worst case for grouping claims within one document.
Usage: python3 bench/gen_long_document.py N OUT.md"""
import random
import sys

n, out = int(sys.argv[1]), sys.argv[2]
rng = random.Random(7)
places = ["Ariha", "Douma", "Saraqib", "Jisr al-Shughur", "Maarat al-Numan", "Khan Shaykhun",
          "Kafr Nabl", "Atarib", "Darayya", "Harasta"]
victims = ["civilians", "fighters", "people", "children", "soldiers"]
with open(out, "w", encoding="utf-8") as f:
    f.write("---\npublished: 2019-05-14\n---\n")
    for i in range(n):
        f.write(f"Shelling killed {rng.randint(2, 400)} {rng.choice(victims)} in "
                f"{rng.choice(places)}, a monitor said.\n")
        f.write("Residents said the roads were closed for most of the day.\n\n")
