#!/usr/bin/env bash
# Fuzzes the readers that take files from outside (WAV, .npy, torch.save checkpoints, device plans, model configs) with
# afl-fuzz (Debian's afl++) through SharpFuzz, each for a given time, starting from tools/VoxTile.Fuzz/corpus/<reader>.
#   scripts/fuzz.sh [--seconds 300] [--out DIR] [--mutate] [HARNESS…]      (default: every harness)
# Installs afl++ with apt-get and the sharpfuzz instrumenter (SharpFuzz.CommandLine 2.3.0) into DIR when missing
# (needs root for apt-get; not part of setup.sh or CI). Builds the harness in Release, instruments the VoxTile
# assemblies, and runs afl-fuzz on each harness; prints executions, paths, crashes and hangs per harness. Crashing and
# hanging inputs are left in DIR/findings/<harness>/default/{crashes,hangs}: each one is a bug to fix, then a
# regression input to add to the corpus (tests/VoxTile.Server.Tests ReaderCorpusTests replays it).
# --mutate runs the in-process mutation fuzzer instead (no afl-fuzz, no instrumentation; not coverage-guided).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds=300; out="${TMPDIR:-/tmp}/voxtile-fuzz"; mutate=0; harnesses=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --mutate) mutate=1; shift ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) harnesses+=("$1"); shift ;;
  esac
done
[ ${#harnesses[@]} -gt 0 ] || harnesses=(wav npy checkpoint plan config)
bin="$out/bin"
mkdir -p "$out"
dotnet build "$root/tools/VoxTile.Fuzz/VoxTile.Fuzz.csproj" -c Release -o "$bin" --nologo -v q >"$out/build.log" 2>&1 \
  || { cat "$out/build.log" >&2; exit 1; }
corpus="$root/tools/VoxTile.Fuzz/corpus"
# .npy seeds are not tracked either (no tensor file in the repository): the fuzz tool writes them (NpySeeds)
[ -d "$corpus/npy" ] || dotnet "$bin/voxtile-fuzz.dll" seeds npy "$corpus/npy" || { echo "fuzz.sh: writing the .npy seeds failed" >&2; exit 1; }
# checkpoint seeds are not tracked (no .pth in the repository): the seed script writes them, with numpy
if [ ! -d "$corpus/checkpoint" ]; then
  py=/usr/bin/python3; [ -x "$py" ] || py=python3
  "$py" "$root/scripts/fuzz_seeds.py" "$corpus" || { echo "fuzz.sh: scripts/fuzz_seeds.py failed (needs python3 with numpy)" >&2; exit 1; }
fi

if [ "$mutate" = 1 ]; then
  status=0
  for h in "${harnesses[@]}"; do
    dotnet "$bin/voxtile-fuzz.dll" mutate "$h" "$seconds" "$out/findings-mutate/$h" "$corpus/$h" || status=1
  done
  exit $status
fi

if ! command -v afl-fuzz >/dev/null; then
  echo "fuzz.sh: installing afl++ (apt-get)" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq afl++ >/dev/null
fi
if [ ! -x "$out/tools/sharpfuzz" ]; then
  dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$out/tools" >/dev/null
fi
# Coverage comes from the instrumented VoxTile assemblies (SharpFuzz rewrites their IL in place: afl's edge counters).
for dll in VoxTile.IR VoxTile.Models VoxTile.Lowering VoxTile.Runtime; do
  "$out/tools/sharpfuzz" "$bin/$dll.dll" >/dev/null
done

# dotnet itself is not instrumented (AFL_SKIP_BIN_CHECK); no terminal UI; the machine is shared (no CPU pinning).
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
status=0
for h in "${harnesses[@]}"; do
  rm -rf "$out/findings/$h"; mkdir -p "$out/findings"
  # -t: a .NET start and a first call are slow; a hang is an input over 10 s. -V: stop after the time given.
  afl-fuzz -i "$corpus/$h" -o "$out/findings/$h" -t 10000 -m none -V "$seconds" -- dotnet "$bin/voxtile-fuzz.dll" afl "$h" \
    >"$out/afl-$h.log" 2>&1 || { echo "fuzz.sh: afl-fuzz failed on $h (see $out/afl-$h.log):" >&2; tail -5 "$out/afl-$h.log" >&2; status=1; continue; }
  stats="$out/findings/$h/default/fuzzer_stats"
  get() { awk -F' *: *' -v k="$1" '$1 == k {print $2}' "$stats"; }
  echo "fuzz $h: $(get execs_done) executions in $(get run_time) s ($(get execs_per_sec)/s), $(get corpus_count) paths, $(get saved_crashes) crashes, $(get saved_hangs) hangs"
  [ "$(get saved_crashes)" = 0 ] && [ "$(get saved_hangs)" = 0 ] || status=1
done
exit $status
