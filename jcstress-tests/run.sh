#!/usr/bin/env bash
#
# Builds the jcstress tests and runs them; fails unless every test ran and none saw a
# forbidden outcome. Works from any directory.
#
#   jcstress-tests/run.sh [quick|full] [jcstress options...]
#   jcstress-tests/run.sh compare A/claims.json B/claims.json [POINTS]
#   jcstress-tests/run.sh check-page [quick|full]
#
#   quick  (default) what CI runs: -m quick -iters 2 -jvmArgs -Xmx256m -sc false.
#          A few seconds per test; the summary at the end prints the total time.
#   full   for studying races: jcstress's "default" preset (more forks, 1 s iterations, split
#          compilation variants). Expect a few minutes per test on a 2-CPU machine.
#
# Extra options go to jcstress as they are, e.g. a subset:
#   jcstress-tests/run.sh quick -t Counter_01_LostUpdates
#   jcstress-tests/run.sh full  -t 'HybridString|Gil_'
#
# Output in jcstress-tests/results/<mode>/: jcstress's index.html (one page per test), its console
# log jcstress.log and its result file; then, written from that result file after every run,
# claims.html (one section per claim of README.md with its verdict, broken and fixed tests side
# by side), claims.json and claims.md (the same data: one record per test and outcome, and the
# run's JVM, OS, CPU count and mode).
#
# compare: prints the differences that matter between two runs' claims.json (an outcome seen in
# one and not the other, a frequency that moved by POINTS percentage points or more, default 5,
# a test in one run only, a different JVM, OS, CPU count or mode); exits 1 when there are any.
#
# check-page: renders results/<mode>/claims.html in headless Chromium (chromium on PATH, or
# CHROMIUM), checks the DOM it built (--dump-dom, saved as claims.dom.html) has a verdict for
# every claim, and saves a 1280x2000 screenshot as claims.png; fails when any of it fails.
#
# Environment: JAVA_HOME selects the JVM (default: java on PATH); SKIP_BUILD=1 reuses
# jcstress-tests/target/jcstress.jar; MVN (default mvn) and MVN_ARGS add Maven options (e.g. -o).
#
# Fails (exit 1) when: the build fails; jcstress exits non-zero; any test failed or errored;
# any forbidden outcome has a non-zero sample count; fewer tests ran than the jar holds (or the
# -t filter matches), which is how a test silently skipped for lack of CPUs shows; or nothing ran.

set -euo pipefail

mode="${1:-quick}"
if [[ $# -gt 0 ]]; then shift; fi

case "$mode" in
  quick) mode_flags=(-m quick -iters 2 -jvmArgs -Xmx256m -sc false) ;;
  full)  mode_flags=(-m default -jvmArgs -Xmx512m) ;;
  compare|check-page) ;;
  -h|--help|help)
    sed -n '2,38p' "$0" | sed 's/^# \{0,1\}//'
    exit 0 ;;
  *) echo "run.sh: unknown mode '$mode' (expected quick or full)" >&2; exit 2 ;;
esac

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
jar="$here/target/jcstress.jar"
out="$here/results/$mode"
log="$out/jcstress.log"

if [[ -n "${JAVA_HOME:-}" ]]; then java="$JAVA_HOME/bin/java"; else java="java"; fi
report_main=io.github.gilpatterns.jcstress.report.ClaimsReport

build() {
  echo "== Building jcstress-tests/target/jcstress.jar"
  # Javadoc and source jars of the modules it depends on are not needed to run the tests.
  (cd "$root" && ${MVN:-mvn} -B -ntp -q ${MVN_ARGS:-} -pl jcstress-tests -am package \
      -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true)
}

if [[ "$mode" == "compare" ]]; then
  if [[ $# -lt 2 || $# -gt 3 ]]; then
    echo "usage: run.sh compare A/claims.json B/claims.json [POINTS]" >&2
    exit 2
  fi
  [[ -f "$jar" ]] || build
  exec "$java" -cp "$jar" "$report_main" compare "$@"
fi

if [[ "$mode" == "check-page" ]]; then
  page="$here/results/${1:-quick}/claims.html"
  chromium="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
  [[ -n "$chromium" ]] || { echo "run.sh check-page: no chromium on PATH (apt-get install chromium, or set CHROMIUM)" >&2; exit 1; }
  [[ -f "$page" ]] || { echo "run.sh check-page: $page not found: run run.sh ${1:-quick} first" >&2; exit 1; }
  [[ -f "$jar" ]] || build
  # --no-sandbox: Chromium refuses to run as root with its sandbox, as in CI containers.
  flags=(--headless --no-sandbox --disable-gpu --window-size=1280,2000)
  dom="${page%.html}.dom.html"
  shot="${page%.html}.png"
  timeout 120 "$chromium" "${flags[@]}" --dump-dom "file://$page" > "$dom" 2> "${dom}.log" \
    || { echo "run.sh check-page: chromium --dump-dom failed, see ${dom}.log" >&2; exit 1; }
  "$java" -cp "$jar" "$report_main" check-dom "$dom"
  timeout 120 "$chromium" "${flags[@]}" --screenshot="$shot" "file://$page" >> "${dom}.log" 2>&1 \
    || { echo "run.sh check-page: chromium --screenshot failed, see ${dom}.log" >&2; exit 1; }
  [[ -s "$shot" ]] || { echo "run.sh check-page: no screenshot in $shot" >&2; exit 1; }
  echo "Screenshot: $shot"
  exit 0
fi

# The test filter, if any, to know how many tests should run.
filter=""
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  if [[ "${args[$i]}" == "-t" && $((i + 1)) -lt ${#args[@]} ]]; then filter="${args[$((i + 1))]}"; fi
done

if [[ "${SKIP_BUILD:-0}" != "1" ]]; then build; fi
[[ -f "$jar" ]] || { echo "run.sh: $jar not found" >&2; exit 1; }

# Test names from the jar's META-INF/TestList: each line is JCTEST, then length-prefixed
# fields ("<length>S<text>"), the first being the test name.
expected=()
while IFS= read -r line; do
  if [[ "$line" =~ ^JCTEST([0-9]+)S ]]; then
    n="${BASH_REMATCH[1]}"
    name="${line:$((6 + ${#n} + 1)):$n}"
    # jcstress selects tests whose name contains a match of the -t regexp (Matcher.find);
    # grep -E agrees with java.util.regex for the plain patterns used with this script.
    if [[ -z "$filter" ]] || grep -Eq -- "$filter" <<<"$name"; then expected+=("$name"); fi
  fi
done < <(unzip -p "$jar" META-INF/TestList)

if [[ ${#expected[@]} -eq 0 ]]; then
  echo "run.sh: no test in $jar matches '${filter}'" >&2
  exit 1
fi

rm -rf "$out"
mkdir -p "$out"
echo "== Running ${#expected[@]} jcstress tests, mode $mode: ${mode_flags[*]} $*"
echo "   log: $log"
start=$(date +%s)
: > "$log"
set +e
# -v lists every test (not only the interesting ones) in the final RUN RESULTS section.
# jcstress writes its result blob into the working directory: run it from $out.
(cd "$out" && "$java" -jar "$jar" -v "${mode_flags[@]}" -r "$out" "$@") > "$log" 2>&1 &
pid=$!
# Show the per-test verdict lines as they come, without the full tables.
tail -n +1 --pid="$pid" -f "$log" 2>/dev/null | grep --line-buffered -E '^\.+ \[|FATAL|Exception' || true
wait "$pid"
rc=$?
set -e
elapsed=$(( $(date +%s) - start ))

failures=()
[[ $rc -eq 0 ]] || failures+=("jcstress exited with status $rc")
if grep -q 'FATAL' "$log"; then failures+=("jcstress: $(grep -m1 'FATAL' "$log")"); fi

# The final section, in which every test appears once with its results across configurations.
summary="$out/summary.txt"
sed -n '/^RUN RESULTS:/,$p' "$log" > "$summary"
[[ -s "$summary" ]] || failures+=("no RUN RESULTS section in the log")
grep -q 'Failed tests: No matches' "$summary" || failures+=("some tests failed (see 'Failed tests' in $log)")
grep -q 'Error tests: No matches' "$summary" || failures+=("some tests errored (see 'Error tests' in $log)")

# Parse: "...... [STATUS] name" (dots pad the status) opens a test; table rows end with EXPECT and DESCRIPTION.
report="$(awk '
  /^\.+ \[/ { status = $2; test = $3; sub(/^io\.github\.gilpatterns\.jcstress\./, "", test); print "TEST " status " " test; next }
  test != "" && match($0, /^ +.*[^ ] +[0-9][0-9,]* +[<0-9.]+% +(Acceptable|Forbidden|Interesting) /) {
    line = $0
    n = split(line, f, /  +/)
    # fields: "", RESULT, SAMPLES, FREQ, EXPECT, DESCRIPTION
    res = f[2]; samples = f[3]; freq = f[4]; expect = f[5]
    gsub(/,/, "", samples)
    print "ROW\t" test "\t" res "\t" samples "\t" freq "\t" expect
  }
' "$summary")"

ran=$(grep -c '^TEST ' <<<"$report" || true)
declare -A seen=()
while read -r _ status name; do
  seen["$name"]=1
  [[ "$status" == "[OK]" ]] || failures+=("$name: $status")
done < <(grep '^TEST ' <<<"$report" || true)

missing=()
for name in "${expected[@]}"; do
  short="${name#io.github.gilpatterns.jcstress.}"
  [[ -n "${seen[$short]:-}" ]] || missing+=("$short")
done
[[ $ran -gt 0 ]] || failures+=("no test ran")
[[ ${#missing[@]} -eq 0 ]] || failures+=("${#missing[@]} of ${#expected[@]} tests did not run: ${missing[*]}")

forbidden=$(awk -F'\t' '$1 == "ROW" && $6 == "Forbidden" && $4 + 0 > 0 { print "  " $2 "  [" $3 "]  " $4 " samples (" $5 ")" }' <<<"$report")
[[ -z "$forbidden" ]] || failures+=("forbidden outcomes seen:"$'\n'"$forbidden")

echo
echo "== Summary ($mode mode, ${elapsed} s, $("$java" -version 2>&1 | head -n1))"
echo "Tests run: $ran of ${#expected[@]} expected"
echo "Interesting outcomes (ACCEPTABLE_INTERESTING; samples, share of the test's samples):"
awk -F'\t' '$1 == "ROW" && $6 == "Interesting" {
  printf "  %-62s %-12s %12s  %s%s\n", $2, "[" $3 "]", $4, $5, ($4 + 0 == 0 ? "  (not seen this run)" : "") }' <<<"$report"
echo "HTML report: $out/index.html"

# The claims report, from jcstress's result file: written whatever the verdict above.
echo
if ! "$java" -cp "$jar" "$report_main" write "$out" "$mode"; then
  failures+=("the claims report could not be written from the results in $out")
fi

if [[ ${#failures[@]} -gt 0 ]]; then
  echo
  echo "== FAILED"
  for f in "${failures[@]}"; do echo "- $f"; done
  exit 1
fi
echo "== OK: no forbidden outcome, every test ran"
