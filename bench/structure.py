#!/usr/bin/env python3
"""Module dependency graph of a Rust crate from `crate::` paths (top-level modules), cycles
between files, long functions."""
import re, sys, os, collections
root = sys.argv[1] if len(sys.argv) > 1 else "src"
files = []
for d, _, fs in os.walk(root):
    for f in fs:
        if f.endswith(".rs"):
            files.append(os.path.join(d, f))
def modpath(f):
    rel = os.path.relpath(f, root)[:-3].split(os.sep)
    if rel[-1] in ("mod", "lib", "main"): rel = rel[:-1]
    return rel
edges = collections.defaultdict(set)  # file module path -> referenced module paths
for f in files:
    src = open(f).read()
    # strip test modules crudely
    m = re.search(r"#\[cfg\(test\)\]\s*mod tests", src)
    if m: src = src[:m.start()]
    me = tuple(modpath(f))
    for ref in re.findall(r"crate::((?:[a-z_][a-z0-9_]*::)*[a-z_][a-z0-9_]*)", src):
        parts = ref.split("::")
        edges[me].add(tuple(parts))
    # use crate::{a, b::c}
    for grp in re.findall(r"use crate::\{([^;]*)\}", src, re.S):
        for item in re.split(r",\s*", grp):
            item = item.strip()
            if item: edges[me].add(tuple(item.split("::")[:1]))
mods = set(tuple(modpath(f)) for f in files)
def resolve(p):
    # longest prefix that is a module
    for i in range(len(p), 0, -1):
        if tuple(p[:i]) in mods: return tuple(p[:i])
    return None
g = collections.defaultdict(set)
for a, refs in edges.items():
    for r in refs:
        b = resolve(r)
        if b and b != a and not (a[:len(b)] == b):
            g[a].add(b)
# file-level cycles (Tarjan)
index = {}; low = {}; stack = []; on = set(); sccs = []; i = [0]
sys.setrecursionlimit(10000)
def strong(v):
    index[v] = low[v] = i[0]; i[0] += 1; stack.append(v); on.add(v)
    for w in g[v]:
        if w not in index: strong(w); low[v] = min(low[v], low[w])
        elif w in on: low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        c = []
        while True:
            w = stack.pop(); on.discard(w); c.append(w)
            if w == v: break
        if len(c) > 1: sccs.append(c)
for v in list(mods):
    if v not in index: strong(v)
print("file cycles:", ["/".join("::".join(x) for x in c) for c in sccs] or "none")
top = collections.defaultdict(set)
for a, bs in g.items():
    for b in bs:
        if a and b and a[0] != b[0]: top[a[0]].add(b[0])
print("top-level deps:")
for a in sorted(top): print(f"  {a} -> {', '.join(sorted(top[a]))}")
# long functions
print("functions over 120 lines (non-test):")
for f in sorted(files):
    lines = open(f).read().split("\n")
    cut = len(lines)
    for n, l in enumerate(lines):
        if re.match(r"#\[cfg\(test\)\]", l) and n + 1 < len(lines) and re.match(r"\s*mod tests", lines[n+1]): cut = n; break
    n = 0
    while n < cut:
        l = lines[n]
        m = re.match(r"(\s*)(pub(\([a-z]+\))? )?(const )?(async )?(unsafe )?fn ([a-zA-Z0-9_]+)", l)
        if m:
            ind = len(m.group(1)); name = m.group(7)
            # find closing brace at same indentation
            k = n + 1
            while k < cut and not re.match(" " * ind + r"\}\s*$", lines[k]):
                if l.rstrip().endswith(";"): break
                k += 1
            if k - n + 1 > 120: print(f"  {f}:{n+1} {name} {k-n+1}")
        n += 1
