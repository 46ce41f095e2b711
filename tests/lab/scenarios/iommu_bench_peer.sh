# iommu_bench_peer: the peer of iommu_bench_dma: no thinhv, Linux's own IOMMU
# driver on (run with --append "intel_iommu=on iommu.strict=1|0" on the
# intel-iommu profile). The same workloads: O_DIRECT reads of the whole AHCI
# disk (its group's domain is what iommu.strict made it: DMA = strict, DMA-FQ
# = lazy) and the edu loop of edu_dma.ko through the streaming DMA API, with
# edu A's group switched between identity, DMA (strict) and DMA-FQ (lazy) in
# this one boot (a group with a single, driverless device may change type).
# Data must be identical in every round; timings are TCG (LAB.md).
# lab-append: memmap=16M$0x2000000
# lab-timeout: 600
. /lab/lib.sh
. /lab/scenarios/iommu_bench_lib.sh
A=0000:00:04.0
WIN=0x2000000
ROUNDS=${IOMMU_BENCH_ROUNDS:-6}
EDU_N=${IOMMU_BENCH_EDU_ROUNDS:-10}
GT=/sys/bus/pci/devices/$A/iommu_group/type
AHCI_GT=/sys/bus/pci/devices/0000:00:1f.2/iommu_group/type

# The scenario is meaningless without Linux's IOMMU translating: say so.
units=$(ls /sys/class/iommu 2>/dev/null | tr '\n' ' ')
if [ -z "$units" ] || [ ! -r $GT ] || [ ! -r $AHCI_GT ]; then
	fail linux-iommu-on "no IOMMU unit or group in sysfs (units '$units'; boot with intel_iommu=on, or the amd-linux-iommu profile)"
	exit 1
fi
# Linux forces strict mode on an AMD IOMMU that advertises NpCache, as
# QEMU's does ("Using strict mode due to virtualization"): iommu.strict=0
# then leaves the AHCI domain strict (edu's group can still be DMA-FQ).
forced=$(dmesg | grep -o 'Using strict mode due to virtualization' | head -n 1)
pass linux-iommu-on "units $units; AHCI group $(cat $AHCI_GT), edu A group $(cat $GT); cmdline $(tr ' ' '\n' </proc/cmdline | grep -E '^(intel_iommu|amd_iommu|iommu)[.=]' | tr '\n' ' ')${forced:+; kernel: $forced}"
if [ ! -b $BENCH_DISK ]; then
	fail disk-present "no $BENCH_DISK ($(ls /sys/block | tr '\n' ' '))"
	exit 1
fi
sum=$(disk_fill)
if [ -z "$sum" ]; then
	fail disk-fill "random data written to $BENCH_DISK did not read back"
	exit 1
fi
pass disk-fill "$((BENCH_BYTES >> 20)) MiB random, sha256 $sum"

# Disk: the AHCI controller's domain is fixed for the boot. The first
# (warm-up) reads are not recorded.
dt=$(cat $AHCI_GT)
ref= ref_small= ks= ss=
disk_sample disk-warmup ref
disk_sample disk4k-warmup ref_small $BENCH_SMALL_BYTES $BENCH_SMALL_BLOCK
r=1
while [ $r -le $ROUNDS ]; do
	disk_sample disk-$dt-$r ref && ks="$ks $DISK_K"
	disk_sample disk4k-$dt-$r ref_small $BENCH_SMALL_BYTES $BENCH_SMALL_BLOCK &&
		ss="$ss $DISK_K"
	r=$((r + 1))
done
pass bench-disk "O_DIRECT $((BENCH_BLOCK >> 10)) KiB reads, $BENCH_PASSES x $((BENCH_BYTES >> 20)) MiB per round, $ROUNDS rounds, AHCI domain $dt: median $(mbps "$(median $ks)") MB/s ($(spread $ks)), best $(mbps "$(best $ks)")"
pass bench-disk4k "O_DIRECT $((BENCH_SMALL_BLOCK >> 10)) KiB reads, $BENCH_PASSES x $((BENCH_SMALL_BYTES >> 20)) MiB per round, $ROUNDS rounds, AHCI domain $dt: median $(mbps "$(median $ss)") MB/s ($(spread $ss)), best $(mbps "$(best $ss)")"

# edu: the same DMA-API loop in each domain type, alternating.
set_type() {
	echo "$1" >$GT 2>/dev/null
	[ "$(cat $GT)" = "$1" ]
}
tot_identity= tot_DMA= tot_DMAFQ=
map_identity= map_DMA= map_DMAFQ=
r=1
while [ $r -le $ROUNDS ]; do
	for t in identity DMA DMA-FQ; do
		if ! set_type $t; then
			fail edu-$t-$r "cannot switch edu A's group to $t (now $(cat $GT); $(dmesg | tail -n 1))"
			continue
		fi
		if edu_run bdf=$A rounds=$EDU_N && edu_ok && [ "$(edu_field domain)" = "$t" ]; then
			pass edu-$t-$r "$(edu_summary)"
			v=$(echo $t | tr -d -)
			eval "tot_$v=\"\$tot_$v $(edu_field total_ns)\""
			eval "map_$v=\"\$map_$v $(($(edu_field map_ns) / $(edu_field dmas)))\""
		else
			fail edu-$t-$r "$EDU_LINE"
		fi
	done
	r=$((r + 1))
done
for v in identity DMA DMAFQ; do
	eval "tt=\$tot_$v mm=\$map_$v"
	pass bench-edu-$v "edu loop ($((2 * EDU_N)) DMAs of 4000 B, DMA API), median of $ROUNDS: $(($(median $tt) / 1000000)) ms, map+unmap $(median $mm) ns/DMA (rounds:$mm; clock-read floor ~$(edu_field clock_ns) ns)"
done

# Linux's IOMMU really translates: a bus address nobody mapped is blocked
# (the loop sees the mismatch), so the timed loops above did real DMA.
set_type DMA
edu_run bdf=$A buf=$WIN rounds=1
if [ "$(edu_field mismatches)" -ge 1 ] 2>/dev/null; then
	pass unmapped-dma-blocked "$(edu_summary)"
else
	fail unmapped-dma-blocked "$EDU_LINE"
fi
