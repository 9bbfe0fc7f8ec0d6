#!/usr/bin/env bash
# measure-one.sh: one chapter's library on one program: time, peak memory and
# the tree's counters, in one command. See bench/README.md.
#
#   bench/measure-one.sh [--chapter NN | --src DIR] [--runs N] [--callgrind]
#                        [--regions] [--process NAME] -- COMMAND [ARGS...]
#
# It builds the chapter's snapshot (out/chapters/NN-*/src, tangled by `make` or
# `make chapters`) twice into out/measure/NN/: as the chapter has it, and with
# -DOBB_COUNT. It runs COMMAND N times (default 3) on the first, through
# bench/timeit.c as the benchmarks do, and prints each run's wall, user and
# system time and peak resident set, and their medians; then it runs COMMAND
# once on the counting build, with bench/stats-at-exit.c preloaded after it,
# and prints malloc_stats as each process exits (per-region lines left out
# unless --regions; only the processes called NAME with --process, such as
# python3 in a shell script). --chapter final (the default) is code/, the last
# chapter's library; --src DIR builds the .c files of DIR instead (a variant of
# a chapter's src/). --callgrind adds a run under valgrind's callgrind on the
# plain build: instructions executed, and the share of the library's
# functions, figures that do not move with the load of a shared machine.
# --chapter glibc measures the same program on glibc's malloc (no preload).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
chapter=final src= runs=3 callgrind=0 regions=0 process=
while [ $# -gt 0 ]; do
    case $1 in
        --chapter) chapter=$2; shift 2 ;;
        --src) src=${2%/}; chapter=$(basename "$(dirname "$src")")-$(basename "$src"); shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --callgrind) callgrind=1; shift ;;
        --regions) regions=1; shift ;;
        --process) process=$2; shift 2 ;;
        --) shift; break ;;
        -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "measure-one: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
done
[ $# -gt 0 ] || { echo "measure-one: no command after --" >&2; exit 2; }

if [ "$chapter" = glibc ]; then
    src=
elif [ -n "$src" ]; then
    [ -d "$src" ] || { echo "measure-one: no folder $src" >&2; exit 2; }
elif [ "$chapter" = final ]; then
    src=code/src
else
    dirs=(out/chapters/"$chapter"-*/src)
    src=${dirs[0]}
    [ -d "$src" ] || { echo "measure-one: no $src; run make first" >&2; exit 2; }
fi
out=out/measure/$chapter
mkdir -p "$out"
# The compiler and flags of every build (flags.mk, which the Makefile includes too).
flag() { sed -n "s/^$1 *= *//p" flags.mk; }
read -ra program_flags <<< "$(flag PROGRAM_CFLAGS)"
read -ra flags <<< "$(flag LIBRARY_CFLAGS)"
gcc "${program_flags[@]}" -o "$out/timeit" bench/timeit.c
lib=
if [ -n "$src" ]; then
    # The snapshot build, and the same with -DOBB_COUNT for the counting one.
    gcc "${flags[@]}" -o "$out/libmalloc.so" "$src"/*.c
    gcc "${flags[@]}" -DOBB_COUNT -o "$out/libmalloc-count.so" "$src"/*.c
    gcc -std=gnu11 -O2 -fPIC -shared -Wall -Wextra -Werror \
        -o "$out/stats-at-exit.so" bench/stats-at-exit.c
    lib=$root/$out/libmalloc.so
fi
rm -f "$out/counted.txt"

what=${src:-glibc}
echo "measure-one: $what on: $*"
echo "machine: $(nproc) cores, $(uname -m), $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq "$runs"); do
    "$out/timeit" --out "$out/time.$i" --timeout 3600 --preload "$lib" -- "$@" \
        >/dev/null 2>"$out/stderr.$i" || true
    # wall_ns=... user_us=... sys_us=... maxrss_kib=... nvcsw=... exit=... signal=...
    line=$(cat "$out/time.$i")
    field() { echo "$line" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
    if [ "$(field exit)" != 0 ] || [ "$(field signal)" != 0 ]; then
        echo "measure-one: run $i failed ($line); its stderr:" >&2
        tail -20 "$out/stderr.$i" >&2
        exit 1
    fi
    awk -v w="$(field wall_ns)" -v u="$(field user_us)" -v s="$(field sys_us)" \
        -v k="$(field maxrss_kib)" 'BEGIN { printf "%.2f %.2f %.2f %d\n", w / 1e9, u / 1e6, s / 1e6, k }' \
        > "$out/time.$i"
    read -r wall user sys kib < "$out/time.$i"
    echo "run $i: wall $wall s, user $user s, sys $sys s, peak RSS $((kib / 1024)) MiB"
done
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
echo "median of $runs: wall $(cut -d' ' -f1 "$out"/time.* | median) s," \
     "user+sys $(awk '{ print $2 + $3 }' "$out"/time.* | median) s," \
     "peak RSS $(( $(cut -d' ' -f4 "$out"/time.* | median) / 1024 )) MiB"
rm -f "$out"/time.* "$out"/stderr.*
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg) (a shared machine: wall time moves 10-40 %)"

if [ -z "$lib" ]; then
    :
elif ! nm -D --defined-only "$out/libmalloc.so" | grep -w malloc_stats >/dev/null; then
    echo "(no malloc_stats in this chapter's library: no report, no counters)"
elif ! nm "$out/libmalloc-count.so" | grep -w obb_counts >/dev/null; then
    echo "(no counters in this chapter's library: they start in chapter 04)"
else
    env LD_PRELOAD="$root/$out/libmalloc-count.so $root/$out/stats-at-exit.so" "$@" \
        >/dev/null 2>"$out/counted.txt"
fi
if [ -f "$out/counted.txt" ]; then
    # A heading "obb: ---- NAME (pid N) exits" starts each process's report.
    awk -v want="$process" -v regions="$regions" '
        /^obb: ---- / { keep = (want == "" || $3 == want) }
        /^obb: / && keep && (regions == 1 || !/^obb: region /) { print }
    ' "$out/counted.txt"
fi

if [ "$callgrind" = 1 ]; then
    rm -f "$out"/callgrind.out.*
    valgrind --tool=callgrind --trace-children=yes \
        --callgrind-out-file="$root/$out/callgrind.out.%p" \
        env ${lib:+LD_PRELOAD="$lib"} "$@" >/dev/null 2>"$out/callgrind.log"
    # Of a script's processes, the one that executed the most instructions.
    main=$(for f in "$out"/callgrind.out.*; do
        echo "$(awk '/^summary:/ { print $2 }' "$f") $f"; done | sort -n | tail -1 | cut -d' ' -f2)
    echo "callgrind, $(awk '/^cmd:/ { sub(/^cmd: /, ""); print; exit }' "$main"):"
    callgrind_annotate --auto=no --inclusive=no "$main" 2>/dev/null |
        grep -E 'PROGRAM TOTALS|libmalloc\.so\]?$|docs/[0-9]' | head -14
fi
