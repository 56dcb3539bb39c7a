# shellcheck shell=bash disable=SC2154
# Shared by bench/run and bench/delta (sourced, not run). Needs $root (the checkout) and, before measure,
# $work (the scratch folder) set by the caller.

# build_caisson: builds the Release binary and sets $caisson and $measured (what was measured). By default
# from the working tree (uncommitted changes included, and said so); with BENCH_REV=<commit>, from a clean
# `git archive` of that commit, so the figures belong to exactly one commit while others keep committing.
build_caisson() {
  local src=$root build=$root/build/release
  if [[ -n ${BENCH_REV:-} ]]; then
    local rev
    rev=$(git -C "$root" rev-parse --short "$BENCH_REV")
    src=$root/build/bench-src-$rev
    build=$root/build/bench-release-$rev
    if [[ ! -f $src/CMakeLists.txt ]]; then
      mkdir -p "$src"
      git -C "$root" archive "$rev" | tar -x -C "$src"
    fi
    measured="commit $rev (clean export)"
  else
    measured="commit $(git -C "$root" rev-parse --short HEAD)"
    git -C "$root" diff --quiet HEAD -- src apps data CMakeLists.txt 2>/dev/null ||
      measured+=" + uncommitted changes in the working tree"
  fi
  cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCAISSON_BUILD_TESTS=OFF >/dev/null
  # -j1: the machine is shared, and the build itself is not timed.
  cmake --build "$build" -j1 --target caisson >/dev/null
  caisson=$build/apps/caisson
}

# print_machine: the header every figure needs.
print_machine() {
  echo "caisson $("$caisson" --version 2>/dev/null | awk '{print $2}'), $measured, $(date -u '+%F %H:%M UTC')"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB"
}

# loadavg: the 1/5/15-minute load (the machine is shared: read absolute seconds against it).
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# measure NAME CMD...: runs CMD under /usr/bin/time -v and prints one row: wall s, CPU s (user + sys), peak
# RSS MiB, exit status. The wall seconds are left in $work/last.secs, CMD's stdout in $work/last.out.
measure() {
  local name=$1; shift
  local log="$work/time.log"
  local status=0
  /usr/bin/time -v "$@" >"$work/last.out" 2>"$log" || status=$?
  local wall user sys rss secs
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
  user=$(awk -F': ' '/User time/ {print $2}' "$log")
  sys=$(awk -F': ' '/System time/ {print $2}' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  # wall is m:ss.ss or h:mm:ss
  secs=$(echo "$wall" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  printf '%-36s %9.2f %9.2f %10.0f %6s\n' "$name" "$secs" "$(echo "$user + $sys" | bc)" "$((rss / 1024))" "$status"
  echo "$secs" >"$work/last.secs"
  if ((status != 0)); then
    # A failing job is a finding to report, not a figure: show what it said (time -v's own lines cut off).
    sed -n '/Command being timed/q;p' "$log" | tail -n 5 | sed 's/^/   | /'
  fi
  return 0
}

measure_header() { printf '%-36s %9s %9s %10s %6s\n' "job" "wall s" "cpu s" "peak MiB" "exit"; }

# store_bytes BOOKS: the state store's size on disk, the database and its write-ahead log (not checkpointed
# first: that is what a firm's disk holds).
store_bytes() {
  (stat -c %s "$1"/caisson.db "$1"/caisson.db-wal 2>/dev/null || true) | awk '{s += $1} END {print s + 0}'
}

# drop_store BOOKS: so that a timed full build starts from no memory (a second build of the same books would
# be "submission N already" and write nothing).
drop_store() { rm -f "$1"/caisson.db "$1"/caisson.db-wal "$1"/caisson.db-shm "$1"/caisson.db-journal; }
