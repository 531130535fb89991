#!/usr/bin/python3
"""Write fuzzing seed sets extracted from GitLab's vectors and the corpus.

  fuzz/seeds.py OUT_DIR

OUT_DIR/vectors: every YAML document the vectors hold as a string (config
snippets, file contents, round-trip inputs, env patterns as environments).
OUT_DIR/ids: every id written in the corpus and the vectors, one per file."""

import hashlib
import os
import re
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
TESTDATA = os.path.join(HERE, "..", "testdata")
DOC_FIELDS = ("yaml", "config_yaml", "file_content", "given", "given_json")


def walk(node):
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from walk(v)


def write_all(out, texts):
    os.makedirs(out, exist_ok=True)
    texts = sorted(set(texts))
    for t in texts:
        data = t.encode("utf-8")
        name = hashlib.sha1(data).hexdigest()[:16]
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    return len(texts)


def vector_docs():
    vdir = os.path.join(TESTDATA, "vectors")
    for name in sorted(os.listdir(vdir)):
        if not name.endswith(".yaml"):
            continue
        with open(os.path.join(vdir, name)) as f:
            data = yaml.safe_load(f)
        for node in walk(data):
            for key in DOC_FIELDS:
                if isinstance(node.get(key), str):
                    yield node[key]
            if "pattern" in node and isinstance(node["pattern"], str):
                yield "ci_access:\n  projects:\n    - id: g/p\n      environments: [%r]\n" % (
                    node["pattern"])


def ids():
    pat = re.compile(r"^\s*-?\s*id\s*:\s*(.*?)\s*(#.*)?$")
    cdir = os.path.join(TESTDATA, "corpus")
    for sub in ("real", "real-history"):
        for name in sorted(os.listdir(os.path.join(cdir, sub))):
            with open(os.path.join(cdir, sub, name), encoding="utf-8", errors="replace") as f:
                for line in f:
                    m = pat.match(line)
                    if m and m.group(1):
                        yield m.group(1).strip("\"'")
    for doc in vector_docs():
        for line in doc.splitlines():
            m = pat.match(line)
            if m and m.group(1):
                yield m.group(1).strip("\"'")


def main():
    out = sys.argv[1]
    n = write_all(os.path.join(out, "vectors"), vector_docs())
    m = write_all(os.path.join(out, "ids"), ids())
    print("seeds: %d vector documents, %d ids" % (n, m))


if __name__ == "__main__":
    main()
