"""Hostile config.yaml shapes of at most GitLab's 128 KiB (issue 9): each is
generated, not stored, so that its size is exactly what the test names.
Used by test_hostile_cost.py and, for measurements, run as a script:

    python3 tests/cli/hostile.py DIR    # writes DIR/<name>.yaml
"""

import os
import sys

LIMIT = 128 * 1024


def _fill(head, unit, tail="", limit=LIMIT):
    """head + as many numbered units (unit % i) as fit in limit bytes + tail."""
    out = [head]
    size = len(head) + len(tail)
    i = 0
    while True:
        u = unit % {"i": i}
        if size + len(u) > limit:
            break
        out.append(u)
        size += len(u)
        i += 1
    out.append(tail)
    return "".join(out)


def anchors_and_aliases(limit=LIMIT):
    """Half anchors, half aliases to them (n x m lookups if unhashed)."""
    n = limit // 40
    head = "ci_access:\n  projects:\n"
    a = "".join("    - &a%d {id: g/p%d}\n" % (i, i) for i in range(n))
    b = "  groups:\n" + "".join("    - *a%d\n" % (n - 1 - i) for i in range(n))
    text = head + a + b
    while len(text) > limit:
        n = n * 9 // 10
        a = "".join("    - &a%d {id: g/p%d}\n" % (i, i) for i in range(n))
        b = "  groups:\n" + "".join("    - *a%d\n" % (n - 1 - i) for i in range(n))
        text = head + a + b
    return text


def anchored_list_of_anchors(limit=LIMIT):
    """The use-after-free shape: one anchored list holding many anchors."""
    return _fill("x: &o [", "&a%(i)d v, ", "last]\ny: *o\n", limit)


def alias_bomb(limit=LIMIT):
    """Nine levels of ten aliases each: 10^9 nodes if expanded."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        lines.append("a%d: &a%d [%s]" % (i, i, ", ".join(["*a%d" % (i - 1)] * 10)))
    return "\n".join(lines) + "\n"


def wide_alias_under_the_cap(limit=LIMIT):
    """ci_access.projects expanding (through aliases) to ~900,000 entries,
    just under the loader's node cap: every rule walks them."""
    return ("e0: &e0 [{id: g/p}, {id: g/q, environments: ['*']}, {id: g/r}]\n"
            "e1: &e1 [*e0, *e0, *e0, *e0, *e0, *e0, *e0, *e0, *e0, *e0]\n"
            "e2: &e2 [*e1, *e1, *e1, *e1, *e1, *e1, *e1, *e1, *e1, *e1]\n"
            "e3: &e3 [*e2, *e2, *e2, *e2, *e2, *e2, *e2, *e2, *e2, *e2]\n"
            "ci_access:\n  projects: *e3\n"
            "  groups:\n" + "".join("    - {id: g%d, environments: [*e3]}\n" % i
                                    for i in range(20)))


def merge_bomb(limit=LIMIT):
    """A 5,000-key mapping merged into every later mapping."""
    head = "base: &b\n" + "".join("  k%d: 1\n" % i for i in range(5000))
    return _fill(head, "m%(i)d: {<<: *b, k1: 2}\n", "", limit)


def deep_nesting(limit=LIMIT):
    """Flow lists nested past the loader's depth limit."""
    n = (limit - 16) // 2
    return "x: " + "[" * n + "]" * n + "\n"


def unknown_keys(limit=LIMIT):
    return _fill("ci_access:\n  projects:\n    - id: g/p\n", "k%(i)d: 1\n", "", limit)


def env_patterns(limit=LIMIT):
    """Environment patterns GitLab reads differently than they look."""
    return _fill("ci_access:\n  projects:\n    - id: g/p\n      environments:\n",
                 "        - 'review/*%(i)d*'\n", "", limit)


def duplicate_keys(limit=LIMIT):
    return _fill("ci_access:\n  projects:\n    - id: g/p\n", "observability: {}\n", "", limit)


def project_entries(limit=LIMIT):
    """Many entries, each with a bad id and duplicates (entry-limit, id-format,
    duplicate-id)."""
    return _fill("ci_access:\n  projects:\n", "    - id: 'g//p%(i)d'\n    - id: g/dup\n", "",
                 limit)


def long_scalar(limit=LIMIT):
    return "ci_access:\n  projects:\n    - id: " + "a" * (limit - 64) + "\n"


def many_documents(limit=LIMIT):
    return _fill("ci_access: {}\n", "---\nx: %(i)d\n", "", limit)


SHAPES = {
    f.__name__: f
    for f in (anchors_and_aliases, anchored_list_of_anchors, alias_bomb,
              wide_alias_under_the_cap, merge_bomb, deep_nesting, unknown_keys, env_patterns,
              duplicate_keys, project_entries, long_scalar, many_documents)
}


def main(out):
    os.makedirs(out, exist_ok=True)
    for name, f in SHAPES.items():
        text = f()
        assert len(text.encode()) <= LIMIT, (name, len(text))
        with open(os.path.join(out, name + ".yaml"), "w") as fh:
            fh.write(text)


if __name__ == "__main__":
    main(sys.argv[1])
