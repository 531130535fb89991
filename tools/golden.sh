#!/bin/sh
# tools/golden.sh OUTDIR [AGENTLINT]: every command in every format on the demo
# repository and on the real-world corpus (testdata/), written to OUTDIR, one
# file per run (stdout, then stderr and the exit status). Refactoring commits
# must leave `diff -r` of two such directories empty: run it before and after.
set -eu
cd "$(dirname "$0")/.."
out=$1
bin=${2:-$PWD/build/agentlint}
rm -rf "$out" && mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GIT_AUTHOR_NAME=golden GIT_AUTHOR_EMAIL=golden@example.com \
    GIT_COMMITTER_NAME=golden GIT_COMMITTER_EMAIL=golden@example.com \
    GIT_AUTHOR_DATE='2026-01-01T00:00:00Z' GIT_COMMITTER_DATE='2026-01-01T00:00:00Z' \
    NO_COLOR=1 TZ=UTC LC_ALL=C.UTF-8

# The corpus as one configuration project: each file an agent; history
# versions form the first commit, the current ones the second.
corpus=$work/corpus
git init -q -b main "$corpus"
n=0
for f in testdata/corpus/real-history/*.yaml; do
    n=$((n + 1))
    base=$(basename "$f" .yaml | sed 's/\.hist-.*//; s/^[0-9]*-//' | tr 'A-Z_.' 'a-z--' | cut -c1-50 | sed 's/-*$//')
    mkdir -p "$corpus/.gitlab/agents/$base"
    cp "$f" "$corpus/.gitlab/agents/$base/config.yaml"
done
git -C "$corpus" add -A && git -C "$corpus" commit -qm old
for f in testdata/corpus/real/*.yaml; do
    base=$(basename "$f" .yaml | sed 's/^[0-9]*-//' | tr 'A-Z_.' 'a-z--' | cut -c1-50 | sed 's/-*$//')
    mkdir -p "$corpus/.gitlab/agents/$base"
    cp "$f" "$corpus/.gitlab/agents/$base/config.yaml"
done
git -C "$corpus" add -A && git -C "$corpus" commit -qm new

demo=$work/demo
mkdir -p "$demo" && cp -R testdata/demo/. "$demo/"
git init -q -b main "$demo" && git -C "$demo" commit -q --allow-empty -m empty
git -C "$demo" add -A && git -C "$demo" commit -qm demo

run() { # name dir args...
    name=$1 dir=$2
    shift 2
    rc=0
    (cd "$dir" && "$bin" "$@") >"$out/$name" 2>"$out/$name.err" || rc=$?
    echo "exit $rc" >>"$out/$name.err"
}
for r in corpus demo; do
    d=$work/$r
    for f in text json sarif codequality junit; do
        run "$r.check.$f" "$d" check -f "$f"
        run "$r.check-rev.$f" "$d" check --rev HEAD -f "$f"
    done
    for f in text markdown json dot; do
        run "$r.explain.$f" "$d" explain -f "$f"
    done
    for f in text markdown json; do
        run "$r.diff.$f" "$d" diff HEAD~1 HEAD -f "$f"
    done
    for f in yaml json; do run "$r.rbac.$f" "$d" rbac -f "$f"; done
    for f in html markdown; do run "$r.report.$f" "$d" report -f "$f"; done
done
# One job's decision for a few projects named in the corpus.
for p in appsemble/appsemble shortlink-org/shortlink gcp-solutions/hcls/x devops-group/nodejs-application kubernetes/k; do
    safe=$(echo "$p" | tr / _)
    for f in text markdown json; do
        run "corpus.explain-project.$safe.$f" "$work/corpus" explain --project "$p" --environment production -f "$f"
        run "corpus.explain-project-ref.$safe.$f" "$work/corpus" explain --project "$p" --protected -f "$f"
    done
done
run rules "$work/demo" rules
run rules.json "$work/demo" rules -f json
# A format no command has: the error names the command's formats.
for c in check explain diff rbac report schema rules; do run "badformat.$c" "$work/demo" "$c" -f nope; done
for v in 16.0 17.10 18.11; do run "schema.$v" "$work/demo" schema --gitlab-version "$v"; done
for c in check explain diff rbac report schema rules can-i who-can; do run "help.$c" "$work/demo" "$c" --help; done
run help "$work/demo" --help
echo "golden: $(ls "$out" | wc -l) files in $out"
