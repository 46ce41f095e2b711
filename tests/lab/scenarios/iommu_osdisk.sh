# iommu_osdisk: the OS's own disk (AHCI at 00:1f.2, identity domain in the
# lab policy) keeps working while thinhv confines DMA: data written before
# launch reads back unchanged through DMA after launch, and data written
# after launch reads back after the page cache is dropped. The edus stay
# confined at the same time (edu B denied).
# lab-append: memmap=16M$0x2000000 memmap=16M$0x8000000
# lab-timeout: 300
. /lab/scenarios/hv_lib.sh
disk=/dev/sda
if [ ! -b $disk ]; then
	fail disk-present "no $disk: AHCI driver or drive missing ($(ls /sys/block | tr '\n' ' '))"
	exit 1
fi
pass disk-present "$(cat /sys/block/sda/device/model 2>/dev/null) $(($(cat /sys/block/sda/size) / 2048)) MiB"
dd if=/dev/urandom of=/tmp/pat1 bs=64k count=16 2>/dev/null
dd if=/tmp/pat1 of=$disk bs=64k count=16 conv=fsync 2>/dev/null
want1=$(sha256sum </tmp/pat1 | cut -d' ' -f1)

thinhv policy compile /lab/policy/lab.xml -o /tmp/lab.blob >/dev/null 2>&1 ||
	fail policy-compile "lab.xml"
hv_load dma_policy=/tmp/lab.blob || exit 0
grep -q '^dev 0000:00:1f.2 identity' /sys/module/thinhv/parameters/iommu_status &&
	pass ahci-identity "AHCI 00:1f.2 in the identity domain" ||
	fail ahci-identity "$(grep 1f.2 /sys/module/thinhv/parameters/iommu_status)"

# Reads must come from the device (DMA into RAM), not the page cache.
sync
echo 3 >/proc/sys/vm/drop_caches
expect_eq disk-read-after-launch "$(dd if=$disk bs=64k count=16 2>/dev/null | sha256sum | cut -d' ' -f1)" "$want1"
dd if=/dev/urandom of=/tmp/pat2 bs=64k count=16 2>/dev/null
dd if=/tmp/pat2 of=$disk bs=64k count=16 seek=32 conv=fsync 2>/dev/null
echo 3 >/proc/sys/vm/drop_caches
expect_eq disk-write-after-launch "$(dd if=$disk bs=64k count=16 skip=32 2>/dev/null | sha256sum | cut -d' ' -f1)" "$(sha256sum </tmp/pat2 | cut -d' ' -f1)"

# Meanwhile edu B (deny) still cannot touch RAM.
edu mem fill 0x8100000 4096 0x11
before=$(edu mem hash 0x8100000 4096)
edu dma 0000:00:05.0 to-ram 0x8100000 256
expect_eq edu-b-still-denied "$(edu mem hash 0x8100000 4096)" "$before"
hv_clean_log log-clean
check unload rmmod thinhv
