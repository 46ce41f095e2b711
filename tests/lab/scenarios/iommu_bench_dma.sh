# iommu_bench_dma: DMA throughput with thinhv enforcing vs without, side by
# side in one boot (the lab policy: the AHCI disk in the identity domain, edu A
# confined to its window, edu B denied). Alternating rounds: native, load,
# enforced, unload, ... Each round reads the whole disk with O_DIRECT (every
# byte a DMA by the AHCI controller) and runs the edu DMA loop of edu_dma.ko
# (buffer in edu A's window); the data read must be identical in every round.
# Then the hypervisor's work per DMA: exits and nested-page faults over the
# enforced loops against an idle window of the same length.
# QEMU TCG timings are functional, not hardware numbers (LAB.md).
# lab-append: memmap=16M$0x2000000
# lab-timeout: 900
. /lab/scenarios/hv_lib.sh
. /lab/scenarios/iommu_bench_lib.sh
A=0000:00:04.0
WIN=0x2000000
ROUNDS=${IOMMU_BENCH_ROUNDS:-8}
EDU_N=${IOMMU_BENCH_EDU_ROUNDS:-5}
P=/sys/module/thinhv/parameters

if [ ! -b $BENCH_DISK ]; then
	fail disk-present "no $BENCH_DISK ($(ls /sys/block | tr '\n' ' '))"
	exit 1
fi
if ! thinhv policy compile /lab/policy/lab.xml -o /tmp/lab.blob >/dev/null 2>&1; then
	fail policy-compile "lab.xml"
	exit 1
fi
sum=$(disk_fill)
if [ -z "$sum" ]; then
	fail disk-fill "random data written to $BENCH_DISK did not read back"
	exit 1
fi
pass disk-fill "$((BENCH_BYTES >> 20)) MiB random, sha256 $sum"

ref=
ref_small=
native_k= native_s= native_edu=
enf_k= enf_s= enf_edu=
# bench_round MODE R: disk reads (large and small requests) and one edu
# loop, each checked (same data every time) and recorded.
bench_round() {
	disk_sample disk-$1-$2 ref
	k=$DISK_K
	disk_sample disk4k-$1-$2 ref_small $BENCH_SMALL_BYTES $BENCH_SMALL_BLOCK
	ks=$DISK_K
	if edu_run bdf=$A buf=$WIN rounds=$EDU_N && edu_ok; then
		pass edu-$1-$2 "$(edu_summary)"
		t=$(edu_field total_ns)
	else
		fail edu-$1-$2 "$EDU_LINE"
		t=
	fi
	if [ "$1" = native ]; then
		native_k="$native_k $k"
		native_s="$native_s $ks"
		native_edu="$native_edu $t"
	else
		enf_k="$enf_k $k"
		enf_s="$enf_s $ks"
		enf_edu="$enf_edu $t"
	fi
}

# The probe refuses what is not an edu (here the AHCI controller) and a
# malformed address, naming it, before touching any device.
insmod $EDU_KO bdf=0000:00:1f.2 2>/dev/null
m1=$(dmesg | grep 'edu_dma: ' | tail -n 1)
insmod $EDU_KO bdf=00:04 2>/dev/null
m2=$(dmesg | grep 'edu_dma: ' | tail -n 1)
case "$m1|$m2" in
*"0000:00:1f.2 is not an edu device"*"bdf '00:04' is not DDDD:BB:DD.F"*)
	pass edu-probe-refuses "${m1#*] } / ${m2#*] }" ;;
*) fail edu-probe-refuses "$m1 / $m2" ;;
esac

# The DMA-API variant of the edu loop without any IOMMU: the peer's baseline
# (iommu_bench_peer times the same loop under Linux's IOMMU).
if edu_run bdf=$A rounds=$EDU_N && edu_ok; then
	pass edu-native-dma-api "$(edu_summary)"
else
	fail edu-native-dma-api "$EDU_LINE"
fi

# Warm-up (QEMU's translation cache, the block layer): not recorded.
disk_read
disk_read $BENCH_SMALL_BYTES $BENCH_SMALL_BLOCK
r=1
while [ $r -le $ROUNDS ]; do
	bench_round native $r
	if ! insmod $HV_KO $HV_ARGS dma_policy=/tmp/lab.blob; then
		fail load-$r "$(dmesg | grep thinhv | tail -n 3 | tr '\n' '|')"
		exit 1
	fi
	grep -q '^dev 0000:00:1f.2 identity' $P/iommu_status ||
		fail ahci-identity-$r "$(grep 1f.2 $P/iommu_status)"
	bench_round enforced $r
	if [ $r -eq 1 ]; then
		# Hypervisor work per DMA. edu: thinhv's counters read by
		# hypercall inside edu_dma.ko right around the timed loop, and
		# around an idle sleep as long. Disk: `thinhv status` around
		# the dread process and around an idle insmod as long (both
		# windows pay one process start's CPUIDs and hypercalls).
		edu_run bdf=$A buf=$WIN rounds=$((4 * EDU_N)) hv=1
		dma_line=$EDU_LINE
		edu_run idle_ms=$(($(edu_field total_ns "$dma_line") / 1000000)) hv=1
		idle_line=$EDU_LINE
		dmas=$(edu_field dmas "$dma_line")
		pass bench-exits-edu "$(awk -v a="$(edu_field hv_exits "$dma_line")" -v b="$(edu_field hv_exits "$idle_line")" -v n="$dmas" 'BEGIN { printf "%.2f", n ? (a - b) / n : 0 }') exits per DMA beyond the idle background; $dmas DMAs: exits $(edu_field hv_exits "$dma_line") (cpuid $(edu_field hv_cpuid "$dma_line"), hypercall $(edu_field hv_hypercall "$dma_line"), npf $(edu_field hv_npf "$dma_line"), msr $(edu_field hv_msr "$dma_line")); idle window of the same length: exits $(edu_field hv_exits "$idle_line") (hypercall $(edu_field hv_hypercall "$idle_line"))"
		expect_eq npf-during-edu-dma "$(edu_field hv_npf "$dma_line")" 0
		c0=$(hv_counts)
		disk_read
		disk_line=$DREAD
		c1=$(hv_counts)
		edu_run idle_ms=$(($(disk_field ns "$disk_line") / 1000000))
		c2=$(hv_counts)
		dd=$(hv_delta "$c0" "$c1")
		pass bench-exits-disk "disk read of $BENCH_PASSES x $((BENCH_BYTES >> 20)) MiB ($((BENCH_PASSES * BENCH_BYTES / BENCH_BLOCK)) requests): $dd; idle window of the same length: $(hv_delta "$c1" "$c2")"
		expect_eq npf-during-disk-read "$(echo "$dd" | sed -n 's/.*npf=\([0-9-]*\).*/\1/p')" 0
		# A DMA outside the window is blocked and the loop notices:
		# the benchmark cannot time failed transfers as successes.
		edu_run bdf=$A rounds=1
		if [ "$(edu_field mismatches)" -ge 1 ] 2>/dev/null; then
			pass edu-outside-window-detected "$(edu_summary)"
		else
			fail edu-outside-window-detected "$EDU_LINE"
		fi
	fi
	if ! rmmod thinhv; then
		fail unload-$r "$(dmesg | grep thinhv | tail -n 3 | tr '\n' '|')"
		exit 1
	fi
	r=$((r + 1))
done
bench_round native $r

# Medians: the shared 2-core host makes single rounds swing by 2x.
# The best round is the one the host disturbed least.
disk_summary() { # NATIVE ENFORCED -> "median native M MB/s (lo-hi), ..."
	nk=$(median $1)
	ek=$(median $2)
	pr=$(pair_ratios "$1" "$2")
	echo "median native $(mbps "$nk") MB/s ($(spread $1)), enforced $(mbps "$ek") MB/s ($(spread $2)); enforced/native per round:$pr, median $(MEDIAN_FMT=%.3f median $pr); best native $(mbps "$(best $1)"), enforced $(mbps "$(best $2)"), ratio $(ratio "$(best $2)" "$(best $1)")"
}
pass bench-disk "O_DIRECT $((BENCH_BLOCK >> 10)) KiB reads, $BENCH_PASSES x $((BENCH_BYTES >> 20)) MiB per round, $ROUNDS rounds each: $(disk_summary "$native_k" "$enf_k")"
pass bench-disk4k "O_DIRECT $((BENCH_SMALL_BLOCK >> 10)) KiB reads, $BENCH_PASSES x $((BENCH_SMALL_BYTES >> 20)) MiB per round, $ROUNDS rounds each: $(disk_summary "$native_s" "$enf_s")"
ne=$(median $native_edu)
ee=$(median $enf_edu)
pass bench-edu "edu loop ($((2 * EDU_N)) DMAs of 4000 B, window buffer), median: native $((ne / 1000000)) ms, enforced $((ee / 1000000)) ms, time enforced/native $(ratio "$ee" "$ne")"
hv_clean_log log-clean
