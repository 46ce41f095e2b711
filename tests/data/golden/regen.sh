#!/bin/sh
# regen.sh - rewrites the golden outputs of the audit CLI from the recordings
# (host). Usage: tests/data/golden/regen.sh [path/to/thinhv]
# Review the diff before committing: a golden is a claim about behaviour.
# tests/unit/test_audit.c runs the same commands with the same environment.
set -eu
top=$(cd "$(dirname "$0")/../../.." && pwd)
cli=${1:-$top/build/thinhv}
case $cli in /*) ;; *) cli=$(pwd)/$cli ;; esac
gold=$top/tests/data/golden
cd "$top/tests/data/recordings"
export THINHV_PCI_IDS=pci.ids THINHV_SRCDIR=tcbtree NO_COLOR=1
run() { # name cmd args...
	name=$1
	shift
	rc=0
	"$cli" "$@" >"$gold/$name" || rc=$?
	echo "$name $rc" >>"$gold/exit-status"
}
: >"$gold/exit-status"
for r in host-vm intel-server amd-server laptop-tb intel-unpriv \
	lab-amd-thinhv lab-intel-os-owns malformed-dmar lab-amd lab-intel-iommu lab-amd-hv; do
	run "$r.scan.txt" scan --replay "$r"
	run "$r.scan.json" scan --replay "$r" --json
	run "$r.compare.txt" compare --replay "$r"
	run "$r.compare.json" compare --replay "$r" --json
	run "$r.report.txt" report --replay "$r"
	run "$r.report.json" report --replay "$r" --json
	run "$r.scan.html" scan --replay "$r" --html
done
# The baseline path is given relative so the golden holds no absolute path.
cp "$gold/intel-server.scan.json" intel-server.baseline.json
run "amd-vs-intel.baseline.txt" scan --replay amd-server \
	--baseline intel-server.baseline.json
rm -f intel-server.baseline.json
for r in bad-*; do
	rc=0
	"$cli" scan --replay "$r" >/dev/null 2>"$gold/$r.err" || rc=$?
	echo "$r.err $rc" >>"$gold/exit-status"
done
