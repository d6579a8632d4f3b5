#!/usr/bin/env python3
"""The shape of the code at a git revision: files and lines per layer
(docs/console.md, "Layers") and the largest functions, as Markdown.

    scripts/code_shape.py [REV] [N]     (default: the working tree, 10 functions)

Production code only for the functions: `tests.rs` files and everything after
a file's `#[cfg(test)]` are left out. Lines are all lines, comments included.
"""
import re
import subprocess
import sys
from collections import defaultdict

LAYERS = {"domain": "domain", "sources": "sources", "ui": "ui", "cli": "cli", "demo": "cli (demo)"}
FN = re.compile(r"^\s*(?:pub(?:\([a-z]+\))?\s+)?(?:const\s+)?(?:async\s+)?(?:unsafe\s+)?fn\s+([A-Za-z0-9_]+)")


def files(rev):
    if rev is None:
        out = subprocess.run(["git", "ls-files", "src"], capture_output=True, text=True, check=True).stdout
        names = [n for n in out.split() if n.endswith(".rs")]
        return {n: open(n, encoding="utf-8").read() for n in names}
    out = subprocess.run(["git", "ls-tree", "-r", "--name-only", rev, "src"], capture_output=True, text=True, check=True)
    names = [n for n in out.stdout.split() if n.endswith(".rs")]
    return {
        n: subprocess.run(["git", "show", f"{rev}:{n}"], capture_output=True, text=True, check=True).stdout for n in names
    }


def functions(path, text):
    """(lines, name, path:line) for each fn with a body, by brace counting."""
    if path.endswith("/tests.rs") or "/tests/" in path:
        return []
    cut = text.find("#[cfg(test)]")
    lines = (text[:cut] if cut >= 0 else text).split("\n")
    found = []
    for i, line in enumerate(lines):
        m = FN.match(line)
        if not m:
            continue
        depth, started = 0, False
        for j in range(i, len(lines)):
            code = lines[j].split("//")[0]
            for c in code:
                if c == "{":
                    depth += 1
                    started = True
                elif c == "}":
                    depth -= 1
                elif c == ";" and not started and depth == 0:
                    break
            else:
                if started and depth <= 0:
                    found.append((j - i + 1, m.group(1), f"{path}:{i + 1}"))
                    break
                continue
            break
    return found


def main():
    rev = sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] != "-" else None
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    per = defaultdict(lambda: [0, 0])
    fns = []
    for path, text in files(rev).items():
        parts = path.split("/")
        layer = LAYERS.get(parts[1], "top (lib.rs, main.rs)") if len(parts) > 2 else "top (lib.rs, main.rs)"
        per[layer][0] += 1
        per[layer][1] += text.count("\n")
        fns.extend(functions(path, text))
    print(f"### {rev or 'working tree'}\n")
    print("| layer | files | lines |\n|---|---:|---:|")
    for layer in ["domain", "sources", "ui", "cli", "cli (demo)", "top (lib.rs, main.rs)"]:
        if layer in per:
            print(f"| {layer} | {per[layer][0]} | {per[layer][1]} |")
    print(f"| **all** | {sum(v[0] for v in per.values())} | {sum(v[1] for v in per.values())} |\n")
    print(f"Largest {n} functions (lines):\n")
    for size, name, where in sorted(fns, reverse=True)[:n]:
        print(f"- {size} `{name}` ({where})")
    print()


if __name__ == "__main__":
    main()
