# hv_bench: numbers for BENCHMARKS.md, all in one boot so native and
# virtualized runs share the machine: CPUID round trip (median cycles),
# a CPU+memory workload native / virtualized / native again, exits per
# second per CPU during the virtualized workload, launch time per CPU,
# hypervisor memory footprint. Assertions only check the runs completed;
# the numbers ride in the PASS details (tests/bench/bench_hv.sh collects).
# lab-timeout: 600
. /lab/scenarios/hv_lib.sh
MB=32 PASSES=12
num() { sed -n "s/.*$1=\([0-9]*\).*/\1/p"; }
cn=$(taskset -c 0 hv_bench cpuid 2000 | num cpuid_cycles)
w1=$(taskset -c 0 hv_bench work $MB $PASSES | num work_ms)
hv_load || exit 0
cv=$(taskset -c 0 hv_bench cpuid 2000 | num cpuid_cycles)
e0=$(thinhv status | sed -n 's/^cpu0: .* exits=\([0-9]*\).*/\1/p')
wv=$(taskset -c 0 hv_bench work $MB $PASSES | num work_ms)
e1=$(thinhv status | sed -n 's/^cpu0: .* exits=\([0-9]*\).*/\1/p')
launch=$(thinhv status | sed -n 's/^cpu\([0-9]*\): virtualized launch_us=\([0-9]*\).*/cpu\1=\2us/p' | tr '\n' ' ')
foot=$(thinhv status | sed -n 's/^footprint: //p')
check unload rmmod thinhv
w2=$(taskset -c 0 hv_bench work $MB $PASSES | num work_ms)
[ -n "$cn" ] && [ -n "$cv" ] && pass bench-cpuid "native=$cn virtualized=$cv cycles" || fail bench-cpuid "native=$cn virt=$cv"
if [ -n "$w1" ] && [ -n "$wv" ] && [ -n "$w2" ]; then
	ratio=$(awk -v a="$w1" -v b="$wv" -v c="$w2" 'BEGIN { printf "%.3f", b / ((a + c) / 2) }')
	pass bench-workload "native1=${w1}ms virtualized=${wv}ms native2=${w2}ms ratio=$ratio"
	# exits counted on cpu0 across the virtualized run, including the two
	# `thinhv status` calls around it (their hypercalls and CPUIDs)
	eps=$(awk -v e="$((e1 - e0))" -v t="$wv" 'BEGIN { printf "%.1f", e / (t / 1000) }')
	pass bench-exits "cpu0 exits=$((e1 - e0)) per_second=$eps"
else
	fail bench-workload "w1=$w1 wv=$wv w2=$w2"
fi
pass bench-launch "$launch"
pass bench-footprint "bytes=$foot ncpus=$NCPUS"
