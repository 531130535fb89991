# Shell functions shared by fuzz/smoke.sh and fuzz/long.sh (sourced).

# Every target has a line in fuzz/targets and a corpus, and every line a target.
fuzz_check_targets()
{
    listed=$(grep -v '^#' fuzz/targets | awk 'NF {print $1}' | sort)
    built=$(ls fuzz/fuzz_*.c | sed 's#fuzz/##; s#\.c$##' | sort)
    if [ "$listed" != "$built" ]; then
        echo "fuzz: fuzz/targets and fuzz/fuzz_*.c disagree:" >&2
        echo "  listed: $(echo $listed)" >&2
        echo "  files:  $(echo $built)" >&2
        exit 1
    fi
    for t in $listed; do
        [ -d "fuzz/corpus/$t" ] || { echo "fuzz: no corpus fuzz/corpus/$t" >&2; exit 1; }
    done
}

# fuzz_args TARGET "SEEDS": sets FUZZ_DIRS (corpus and seed directories; seed
# files are copied to build/fuzz/seeds/TARGET, libFuzzer reads directories
# only) and FUZZ_FLAGS (-dict=...).
fuzz_args()
{
    FUZZ_DIRS="fuzz/corpus/$1"
    FUZZ_FLAGS=""
    for s in $2; do
        case $s in
        dict=*) FUZZ_FLAGS="$FUZZ_FLAGS -dict=${s#dict=}" ;;
        *) [ -e "$s" ] || { echo "fuzz: $1: no seed $s" >&2; exit 1; }
           if [ -d "$s" ]; then
               FUZZ_DIRS="$FUZZ_DIRS $s"
           else
               mkdir -p "build/fuzz/seeds/$1"
               cp "$s" "build/fuzz/seeds/$1/"
               case " $FUZZ_DIRS " in
               *" build/fuzz/seeds/$1 "*) ;;
               *) FUZZ_DIRS="$FUZZ_DIRS build/fuzz/seeds/$1" ;;
               esac
           fi ;;
        esac
    done
}
