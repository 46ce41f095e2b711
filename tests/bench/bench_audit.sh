#!/usr/bin/env bash
# bench_audit.sh - audit CLI timings (host): decode of the whole ACPI corpus
# (target < 1 s), a live scan of this host, a scan replayed from a recording.
# Median of 5 runs each, wall clock of the whole process.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cli=${THINHV_CLI:-$top/build/thinhv}
corpus=$top/../shared/acpi-corpus
[[ -x $cli ]] || { echo "bench_audit: $cli not built (make tools)" >&2; exit 4; }
med() { # med CMD... -> median seconds of 5 runs
	local t=()
	for _ in 1 2 3 4 5; do
		local s e
		s=$(date +%s%N)
		"$@" >/dev/null 2>&1
		e=$(date +%s%N)
		t+=($(((e - s) / 1000)))
	done
	printf '%s\n' "${t[@]}" | sort -n | sed -n 3p | awk '{printf "%.3f", $1 / 1e6}'
}
shopt -s nullglob
tables=("$corpus"/dmar/*.dat "$corpus"/ivrs/*.dat)
if ((${#tables[@]})); then
	echo "acpi_corpus_decode_s $(med "$cli" acpi "${tables[@]}") s (${#tables[@]} tables, text; target < 1 s)"
	echo "acpi_corpus_json_s $(med "$cli" acpi --json "${tables[@]}") s"
fi
echo "scan_live_s $(med "$cli" scan) s (this host)"
echo "scan_replay_s $(cd "$top/tests/data/recordings" && med "$cli" scan --replay intel-server) s (recording intel-server)"
