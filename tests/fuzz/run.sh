#!/bin/sh
# Run every libFuzzer binary of a SB_FUZZ build for a while, each on a copy
# of its seed corpus, and say what each did.
#
#   tests/fuzz/run.sh BUILD_DIR SECONDS [TARGET...]
#
# New inputs go to BUILD_DIR/fuzz-work/<target>, crashes to
# BUILD_DIR/fuzz-artifacts/<target>-*; the seed corpora in the tree are not
# touched (add a crasher there by hand once it is fixed). Fails when any
# target finds a crash, a leak or a timeout.
set -eu
build=$1; seconds=$2; shift 2
here=$(cd "$(dirname "$0")" && pwd)
targets=${*:-phone inbound calls inputs twilio}
mkdir -p "$build/fuzz-artifacts"
status=0
for t in $targets; do
  bin="$build/tests/fuzz_$t"
  [ -x "$bin" ] || { echo "fuzz: $bin is missing (configure with -DSB_FUZZ=ON)"; status=1; continue; }
  work="$build/fuzz-work/$t"
  mkdir -p "$work"
  log="$build/fuzz-artifacts/$t.log"
  if "$bin" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$build/fuzz-artifacts/$t-" "$work" "$here/corpus/$t" >"$log" 2>&1; then
    verdict=clean
  else
    verdict="FOUND SOMETHING (see $log)"
    status=1
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
  echo "fuzz_$t: ${seconds}s, ${execs:-?} inputs (${rate:-?}/s), ${cov:-cov: ?}, $(ls "$work" | wc -l) in corpus: $verdict"
done
exit $status
