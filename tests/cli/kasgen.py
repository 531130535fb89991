"""Generated and mutated config.yaml files for the differential test against
the agent server's real libraries (test_kasdiff.py).

Configs are built from the schema data (schemas/agentcfg.yaml): a random walk
over its types that mostly writes valid values, then scalar spellings that
sit on the edges of go-yaml v2's and protojson's readings (numbers in string
fields, open enums, durations, nulls, YAML 1.1 booleans), then mutations of
the text (unknown keys, nulls beside set oneof members, directives, BOMs,
duplicate keys). Deterministic: the same seed gives the same files."""

import random

import yaml

# Plain scalars whose type go-yaml v2 decides, and quoted ones that stay strings.
NUMBERS = ["0", "1", "-1", "4", "99", "017", "08", "0x1F", "0o17", "0b101", "1_000", "1.0", "1e0",
           "1.5", "-0", "+1", "1e400", "-1e400", "1e10", "2147483648", "-2147483649",
           "18446744073709551615", "18446744073709551616", ".5", "5.", ".inf", "-.Inf", ".nan",
           "1e-400", "0.0", "3", "2", "1E2", "1__2", "0x", "1e", "e1"]
BOOLS = ["true", "false", "yes", "no", "on", "off", "y", "n", "True", "FALSE", "Off"]
NULLS = ["~", "null", "Null", "NULL", ""]
DURATIONS = ["1s", "0s", "3600s", ".5s", "+1s", "-1s", "1.s", ".s", "01s", "00s", "-0s", "-.5s",
             "315576000000s", "315576000001s", "-315576000000s", "-315576000001s",
             "1.123456789s", "1.1234567891s", "1.000000000s", "9223372036854775808s", "1m",
             "3600", "1 s", "s", "+s", "1.5e1s", "0.000000001s", "-0.000000001s", "1S"]
WORDS = ["info", "debug", "warn", "error", "none", "client", "server", "orphan", "background",
         "foreground", "must_match", "adopt_if_no_inventory", "adopt_all", "main", "v1.0",
         "group/project", "g/sub/p", "production", "review/*", "default", "x", "INFO", "Info",
         "2001-01-01", "12:30", "0777", "1,000", "a b", "é/ü"]


def quote(s, rnd):
    if rnd.random() < 0.5:
        return "'" + s.replace("'", "''") + "'"
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Gen:
    def __init__(self, schema, seed):
        self.s = schema
        self.types = schema["types"]
        self.rnd = random.Random(seed)

    # ---- values as YAML tokens (text), never re-read by Python ----
    def scalar(self, ftype, spec):
        r = self.rnd
        roll = r.random()
        if roll < 0.015:
            return r.choice(NULLS)
        if roll < 0.04:
            return r.choice(NUMBERS)
        if roll < 0.05:
            return r.choice(BOOLS)
        if roll < 0.065:
            return quote(r.choice(NUMBERS + BOOLS + DURATIONS), r)
        if roll < 0.075:
            return r.choice(DURATIONS)
        if ftype == "bool":
            return r.choice(BOOLS[:2] * 4 + BOOLS)
        if ftype == "int":
            v = str(r.choice([-2, -1, 0, 1, 2, 5, 36, 100, 8760, 8761]))
            return quote(v, r) if r.random() < 0.1 else v
        if ftype == "duration":
            return r.choice(DURATIONS[:4] * 3 + DURATIONS)
        if ftype == "empty":
            return r.choice(["{}"] * 6 + ["{x: 1}", "[]", "1", "~"])
        enum = spec.get("enum")
        if enum and r.random() < 0.8:
            v = r.choice(enum + ["bogus"])
            if v == "":
                return '""'
            return v if r.random() < 0.7 else quote(v, r)
        if r.random() < 0.05:
            return '""'
        return r.choice(WORDS) if r.random() < 0.7 else quote(r.choice(WORDS), r)

    def obj(self, tname, depth):
        t = self.types[tname]
        r = self.rnd
        # Removed keys (starboard, gitops.charts) reject the file: rarely.
        fields = [f for f in t["fields"].items() if "removed" not in f[1] or r.random() < 0.05]
        if not fields:
            return "{}"
        if t.get("oneof"):
            k = r.choice([1] * 12 + [0, 2])
            chosen = r.sample(fields, min(k, len(fields)))
        else:
            chosen = [f for f in fields if f[1].get("required") or r.random() < 0.35]
            if depth == 0:
                chosen = [f for f in fields if r.random() < 0.3] or [r.choice(fields)]
        pairs = []
        for name, spec in chosen:
            pairs.append((name, self.value(spec, depth + 1)))
        return pairs

    def value(self, spec, depth):
        r = self.rnd
        if depth > 7:
            return "{}"
        if "list" in spec:
            if r.random() < 0.02:
                return r.choice(["[]", "~", "x", "{}"])
            n = r.choice([0, 1, 1, 2, 3])
            return [self.item(spec["list"], spec, depth) for _ in range(n)] or "[]"
        if "map" in spec:
            if r.random() < 0.1:
                return r.choice(["{}", "[]", "x"])
            return [(r.choice(["a", "b", "app.kubernetes.io/x"]), self.scalar(spec["map"], {}))
                    for _ in range(r.choice([1, 2]))]
        t = spec["type"]
        if t in self.types:
            if r.random() < 0.02:
                return r.choice(["~", "{}", "[]", "x"])
            return self.obj(t, depth)
        if t == "any":
            return r.choice(["{}", "x", "[a]"])
        return self.scalar(t, spec)

    def item(self, tname, spec, depth):
        if tname in self.types:
            if self.rnd.random() < 0.03:
                return self.rnd.choice(["~", "x"])
            return self.obj(tname, depth)
        return self.scalar(tname, {"enum": None, **spec})

    # ---- mutations of the tree ----
    def mutate(self, pairs):
        r = self.rnd
        roll = r.random()
        if roll < 0.06:
            pairs.append((r.choice(["agent", "gitop", "ciAccess", "workspaces", "ci_access "]),
                          r.choice(["{}", "1", "[x]"])))
        elif roll < 0.10 and pairs:
            name, v = r.choice(pairs)
            if isinstance(v, list) and v and isinstance(v[0], tuple):
                v.append((r.choice(["bogus", "namespace", "reconcile"]), "1"))
        return pairs


def render(v, indent, out, rnd):
    """Append block-style YAML lines for value v (tokens are written verbatim)."""
    pad = "  " * indent
    if isinstance(v, list) and v and isinstance(v[0], tuple):
        for k, val in v:
            key = k if rnd.random() < 0.97 else quote(k, rnd)
            if isinstance(val, list) and val:
                out.append("%s%s:" % (pad, key))
                render(val, indent + 1, out, rnd)
            else:
                tok = val if isinstance(val, str) else "{}" if val == [] else str(val)
                out.append(("%s%s: %s" % (pad, key, tok)).rstrip())
    elif isinstance(v, list):
        for it in v:
            if isinstance(it, list) and it and isinstance(it[0], tuple):
                sub = []
                render(it, 0, sub, rnd)
                out.append("%s- %s" % (pad, sub[0]))
                out.extend("%s  %s" % (pad, line) for line in sub[1:])
            elif isinstance(it, list):
                out.append("%s- {}" % pad)
            else:
                out.append(("%s- %s" % (pad, it)).rstrip())
    else:
        out.append(pad + str(v))


def text_mutation(text, rnd):
    roll = rnd.random()
    if roll < 0.015:
        return "%YAML 1.2\n---\n" + text
    if roll < 0.03:
        return "%YAML 1.1\n---\n" + text
    if roll < 0.045:
        return "---\n\ufeff" + text
    if roll < 0.055:
        return "\ufeff" + text
    if roll < 0.07:
        lines = text.splitlines()
        if lines:
            lines.append(lines[0].split(":")[0] + ": {}")
        return "\n".join(lines) + "\n"
    if roll < 0.08:
        return "# comments only\n"
    if roll < 0.09:
        return rnd.choice(["[]\n", "x\n", "1\n", "~\n", "---\n", "{}\n"])
    if roll < 0.10:
        return text + "---\nfoo: 1\n"
    return text


def generate(schema_path, seed, n):
    """Yields n config texts (str)."""
    with open(schema_path, encoding="utf-8") as f:
        schema = yaml.safe_load(f)
    g = Gen(schema, seed)
    for _ in range(n):
        pairs = g.mutate(g.obj(schema["root"], 0))
        out = []
        render(pairs, 0, out, g.rnd)
        text = "\n".join(out) + "\n"
        yield text_mutation(text, g.rnd)
