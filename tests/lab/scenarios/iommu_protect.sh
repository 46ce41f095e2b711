# iommu_protect: a device with identity DMA (all RAM) still cannot reach
# what thinhv protects: the hypervisor's memory and the IOMMU's own tables.
# edu A gets identity and aims its writes at the hypervisor pool and at the
# page that confines edu B (VT-d: the deny domain's table; AMD-Vi: edu B's
# device-table entry) with a crafted payload staged in the device before
# launch: written into the table, it would open 0x8800000 to edu B
# (VT-d: a root entry pointing at a forged level-2 table with a 2 MiB RW
# leaf; AMD-Vi: a DTE with translation off and IR=IW=1). Asserted: identity
# DMA into ordinary RAM works; the attacks are refused (VT-d: fault record
# with edu A's BDF and the target page); edu B stays denied; the hypervisor
# still answers.
# lab-append: memmap=16M$0x8000000
# lab-timeout: 300
. /lab/scenarios/hv_lib.sh
A=0000:00:04.0
B=0000:00:05.0
OUT=$((0x8800000))
LEN=1024
P=/sys/module/thinhv/parameters
hx() { printf '%#x' "$1"; }
h() { edu mem hash "$(hx "$1")" $LEN; }

cat >/tmp/iommu.xml <<XML
<policy version="1">
  <rule name="edu-b"><match bdf="$B" id="1234:11e8"/><deny/></rule>
  <rule name="bus0"><match bdf="0000:00:*.*"/><identity/></rule>
  <default><deny/></default>
</policy>
XML
check policy-compile thinhv policy compile /tmp/iommu.xml -o /tmp/iommu.blob

# Stage the payload natively: forged L2 table at 0x8000000 (entry 0x44 =
# 2 MiB at 0x8800000, PS|W|R), payload page at 0x8100000, copied into the
# device buffer at offset 2048 where later round trips do not touch it.
FORGED=$((0x8000000)) PAY=$((0x8100000))
edu mem fill $(hx $FORGED) 4096 0
edu mem fill $(hx $PAY) 4096 0
devmem $(hx $((FORGED + 0x44 * 8))) 64 0x8800083
case "$PROFILE" in
intel-iommu) devmem $(hx $PAY) 64 $(hx $((FORGED | 3))) ;;
*) devmem $(hx $PAY) 64 0x6000000000000003 ;;
esac
edu dma $A to-dev $(hx $PAY) $LEN 2048
edu mem fill $(hx $((0x8200000))) 4096 0xee
edu dma $A to-ram $(hx $((0x8200000))) $LEN 2048
expect_eq payload-staged "$(h $((0x8200000)))" "$(h $PAY)"
hv_load dma_policy=/tmp/iommu.blob || exit 0
st=$(cat $P/iommu_status)
echo "$st" | grep -q "^dev $A identity" && pass verdict-identity "edu A identity" ||
	fail verdict-identity "$(echo "$st" | grep "^dev $A")"

# Identity: the OS's own DMA into ordinary RAM keeps working.
check identity-roundtrip edu roundtrip $A 1024

hvmem=$(thinhv status | awk '$1 == "range:" && $2 == "hv-mem" {print $3; exit}')
case "$PROFILE" in
intel-iommu) tables=$(echo "$st" | awk '$1 == "region" && $4 == "tables" {print $2; exit}') ;;
*) # the 2 MiB device table; edu B's entry is at devid 0x28 * 32 bytes
	dt=$(echo "$st" | awk '$1 == "region" && $3 == "0x200000" {print $2; exit}')
	tables=$(hx $((dt + 0x28 * 32))) ;;
esac
note "hv-mem=$hvmem tables=$tables"
if [ -z "$hvmem" ] || [ -z "$tables" ]; then
	fail targets-found "hv-mem '$hvmem' tables '$tables'"
	exit 0
fi
pass targets-found "hv-mem $hvmem, IOMMU table $tables"

# Attack 1: the hypervisor's memory.
edu dma $A to-ram "$hvmem" $LEN 2048
if [ "$PROFILE" = intel-iommu ]; then
	sleep 1
	pg=$(hx $((hvmem & ~0xfff)))
	line=$(grep " $A write $pg vtd 0x5" $P/iommu_faults | head -n 1)
	[ -n "$line" ] && pass hv-mem-dma-refused "$line" ||
		fail hv-mem-dma-refused "$(tr '\n' '|' <$P/iommu_faults)"
fi
# Sweep every protected hypervisor range (pool: host state, VMCBs, nested
# and host page tables; module code and data) every 64 KiB.
n=0
thinhv status | awk '$1 == "range:" && ($2 == "hv-mem" || $2 == "hv-code") {print $3, $4}' >/tmp/ranges
while read -r base len; do
	off=0
	while [ $off -lt $((len)) ]; do
		edu dma $A to-ram $(hx $((base + off))) $LEN 2048
		off=$((off + 0x10000))
		n=$((n + 1))
	done
done </tmp/ranges
# Exit bit 1 (warning) is expected on VT-d: the blocked DMAs were recorded
# as faults. Bit 4 (error) means /dev/thinhv did not answer.
thinhv status >/tmp/st.out 2>&1
rc=$?
if [ $((rc & 4)) = 0 ] && grep -q '^launched: 1' /tmp/st.out; then
	pass hypervisor-alive "status answers after $n DMAs into protected ranges (exit $rc, $(grep -c '^fault: [0-9]' /tmp/st.out) fault records)"
else
	fail hypervisor-alive "thinhv status exit $rc: $(tail -n 2 /tmp/st.out | tr '\n' '|')"
fi

# Attack 2: the IOMMU table that keeps edu B out (the forged entry).
edu dma $A to-ram "$tables" $LEN 2048
edu mem fill $(hx $OUT) 4096 0x11
before=$(h $OUT)
edu dma $B to-ram $(hx $OUT) $LEN
expect_eq tables-intact-b-still-denied "$(h $OUT)" "$before"
check identity-still-works edu roundtrip $A 512
check unload rmmod thinhv
dmesg | grep 'thinhv' | grep -v ' dma 0000' | tail -n 8 | while read -r l; do note "$l"; done
