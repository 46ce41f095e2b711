# hv_bench: numbers for BENCHMARKS.md, all in one boot so native and
# virtualized runs share the machine: CPUID round trip (median cycles),
# a CPU+memory workload alternating native and virtualized (median of 3
# each), exits per second on the CPU running the workload, launch time per
# CPU, hypervisor memory footprint. Assertions only check that the runs
# completed; the numbers ride in the PASS details (tests/bench/bench_hv.sh
# collects them). QEMU TCG: cycle counts are the emulator's, not hardware.
# lab-timeout: 900
. /lab/scenarios/hv_lib.sh
MB=64 PASSES=200
# vmx: Bochs runs ~10-25 M guest instructions per wall second here, so a
# smaller workload; it models no caches or TLB costs, so its times count
# instructions (and exits), not memory behaviour.
[ "$PROFILE" = vmx ] && MB=16 PASSES=20
num() { sed -n "s/.*$1=\([0-9]*\).*/\1/p"; }
work() {
	taskset -c 0 hv_bench work $MB $PASSES >/tmp/work.out
	num exits </tmp/work.out >/tmp/work.exits
	num work_ms </tmp/work.out
}
med3() { printf '%s\n%s\n%s\n' "$1" "$2" "$3" | sort -n | sed -n 2p; }

cn=$(taskset -c 0 hv_bench cpuid 2000 | num cpuid_cycles)
n1=$(work)
hv_load || exit 0
cv=$(taskset -c 0 hv_bench cpuid 2000 | num cpuid_cycles)
# exits caused by one `thinhv status` (its hypercalls), to subtract
v1=$(work)
ex=$(cat /tmp/work.exits)
check unload-1 rmmod thinhv
n2=$(work)
hv_load || exit 0
v2=$(work)
check unload-2 rmmod thinhv
n3=$(work)
hv_load || exit 0
v3=$(work)
launch=$(thinhv status | sed -n 's/^cpu\([0-9]*\): virtualized launch_us=\([0-9]*\).*/cpu\1=\2us/p' | tr '\n' ' ')
foot=$(thinhv status | sed -n 's/^footprint: //p')
check unload-3 rmmod thinhv

[ -n "$cn" ] && [ -n "$cv" ] && pass bench-cpuid "native=$cn virtualized=$cv cycles (median of 2000)" ||
	fail bench-cpuid "native=$cn virt=$cv"
if [ -n "$n1$n2$n3" ] && [ -n "$v1$v2$v3" ]; then
	mn=$(med3 "$n1" "$n2" "$n3")
	mv=$(med3 "$v1" "$v2" "$v3")
	ratio=$(awk -v a="$mn" -v b="$mv" 'BEGIN { printf "%.3f", b / a }')
	pass bench-workload "native=${n1},${n2},${n3}ms virtualized=${v1},${v2},${v3}ms median_ratio=$ratio"
	eps=$(awk -v e="$ex" -v t="$v1" 'BEGIN { printf "%.2f", e / (t / 1000) }')
	pass bench-exits "cpu0 exits=$ex during the ${v1}ms workload: per_second=$eps"
else
	fail bench-workload "native=$n1,$n2,$n3 virt=$v1,$v2,$v3"
fi
pass bench-launch "$launch"
pass bench-footprint "bytes=$foot ncpus=$NCPUS"
