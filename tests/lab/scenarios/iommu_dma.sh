# iommu_dma: thinhv confines device DMA by policy (amd and intel-iommu).
# edu A (00:04.0) gets an 8 MiB read-write window, edu B (00:05.0) is
# denied. Asserted on memory bytes: DMA inside the window works both ways,
# outside it is blocked and the memory stays byte-identical; edu B reaches
# nothing; on VT-d the fault is recorded with edu A's BDF, the address and
# the reason; the OS cannot switch the IOMMU off through its registers;
# after unload the same DMA goes through again (the block was thinhv's).
# lab-append: memmap=16M$0x8000000
# lab-timeout: 300
. /lab/scenarios/hv_lib.sh
A=0000:00:04.0
B=0000:00:05.0
WIN=$((0x8000000))  # window: the first 8 MiB of the reserved 16 MiB
OUT=$((0x8800000))  # outside the window, still /dev/mem-reachable
LEN=1024
P=/sys/module/thinhv/parameters
hx() { printf '%#x' "$1"; }
h() { edu mem hash "$(hx "$1")" $LEN; }

cat >/tmp/iommu.xml <<XML
<policy version="1">
  <rule name="edu-a"><match bdf="$A" id="1234:11e8"/>
    <window><range base="$(hx $WIN)" size="8M" access="rw"/></window></rule>
  <rule name="edu-b"><match bdf="$B" id="1234:11e8"/><deny/></rule>
  <rule name="bus0"><match bdf="0000:00:*.*"/><identity/></rule>
  <default><deny/></default>
</policy>
XML
check policy-compile thinhv policy compile /tmp/iommu.xml -o /tmp/iommu.blob

# Native baseline: without enforcement edu A does reach OUT (so the
# "blocked" assertions below can fail).
edu mem fill $(hx $WIN) 4096 0xa5
edu mem fill $(hx $OUT) 4096 0x11
before=$(h $OUT)
edu dma $A to-dev $(hx $WIN) $LEN && edu dma $A to-ram $(hx $OUT) $LEN
if [ "$(h $OUT)" = "$(h $WIN)" ] && [ "$before" != "$(h $OUT)" ]; then
	pass native-dma-reaches-out "edu A wrote $(hx $OUT) before launch"
else
	fail native-dma-reaches-out "baseline DMA did not land"
fi

hv_load dma_policy=/tmp/iommu.blob || exit 0
st=$(cat $P/iommu_status)
note "$(echo "$st" | head -n 3 | tr '\n' '|')"
case "$PROFILE" in
intel-iommu) unit=vt-d ;;
*) unit=amd-vi ;;
esac
case "$st" in
"iommu $unit "*) pass iommu-enabled "$(echo "$st" | head -n 1)" ;;
*) fail iommu-enabled "$st" ;;
esac
# Every PCI function the OS sees has an explicit entry (no default pass).
expect_eq every-device-has-entry "$(echo "$st" | grep -c '^dev ')" \
	"$(ls /sys/bus/pci/devices | wc -l)"
echo "$st" | grep -q "^dev $A window" && echo "$st" | grep -q "^dev $B deny" &&
	pass verdicts "A window, B deny" ||
	fail verdicts "$(echo "$st" | grep '^dev' | tr '\n' '|')"

# 1. Inside the window, both directions: WIN -> device -> WIN+0x1000.
edu mem fill $(hx $WIN) 4096 0x5a
edu mem fill $(hx $((WIN + 0x1000))) 4096 0x00
edu dma $A to-dev $(hx $WIN) $LEN && edu dma $A to-ram $(hx $((WIN + 0x1000))) $LEN
expect_eq window-roundtrip "$(h $((WIN + 0x1000)))" "$(h $WIN)"

# 2. Outside the window, device writes: blocked, bytes unchanged.
edu mem fill $(hx $OUT) 4096 0x11
before=$(h $OUT)
edu dma $A to-ram $(hx $OUT) $LEN
expect_eq outside-write-blocked "$(h $OUT)" "$before"

# The fault names edu A, the page and the reason (VT-d; QEMU 7.2 never
# writes the AMD-Vi event log, so there only the bytes can speak).
if [ "$unit" = vt-d ]; then
	sleep 1
	f=$(cat $P/iommu_faults)
	line=$(echo "$f" | grep " $A write $(hx $OUT) vtd 0x5" | head -n 1)
	if [ -n "$line" ]; then
		pass fault-recorded "$line"
	else
		fail fault-recorded "$(echo "$f" | tr '\n' '|')"
	fi
	dmesg | grep -q "DMA blocked: $A write $(hx $OUT)" &&
		pass fault-logged "$(dmesg | grep 'DMA blocked' | head -n 1 | sed 's/^\[[^]]*\] //')" ||
		fail fault-logged "no 'DMA blocked' line"
fi

# 3. Outside the window, device reads: the device never sees OUT's bytes
# (QEMU fills a refused read with its own filler, so compare with OUT).
edu dma $A to-dev $(hx $OUT) $LEN
edu mem fill $(hx $((WIN + 0x2000))) 4096 0x00
edu dma $A to-ram $(hx $((WIN + 0x2000))) $LEN
got=$(edu mem dump $(hx $((WIN + 0x2000))) 16)
if [ "$(h $((WIN + 0x2000)))" != "$(h $OUT)" ]; then
	pass outside-read-blocked "device got $got, not the 0x11 bytes"
else
	fail outside-read-blocked "device read the outside bytes ($got)"
fi

# 4. edu B (deny): neither the window nor anything else.
edu mem fill $(hx $((WIN + 0x3000))) 4096 0x33
before_w=$(h $((WIN + 0x3000)))
before_o=$(h $OUT)
edu dma $B to-ram $(hx $((WIN + 0x3000))) $LEN
edu dma $B to-ram $(hx $OUT) $LEN
expect_eq deny-window-unchanged "$(h $((WIN + 0x3000)))" "$before_w"
expect_eq deny-out-unchanged "$(h $OUT)" "$before_o"

# 5. The OS tries to switch translation off through the registers.
case "$unit" in
vt-d)
	base=$(echo "$st" | awk '$1 == "unit" {print $4; exit}')
	reg=$((base + 0x18)) sts=$((base + 0x1c)) bit=31 ;;
*)
	base=$(echo "$st" | awk '$1 == "unit" {print $4; exit}')
	reg=$((base + 0x18)) sts=$((base + 0x18)) bit=0 ;;
esac
(devmem $(hx $reg) 32 0) >/dev/null 2>&1
v=$(devmem $(hx $sts) 32)
if [ $(((v >> bit) & 1)) = 1 ]; then
	pass register-write-refused "translation still on ($(hx $sts)=$v)"
else
	fail register-write-refused "$(hx $sts)=$v after the OS wrote 0"
fi
edu mem fill $(hx $OUT) 4096 0x11
before=$(h $OUT)
edu dma $B to-ram $(hx $OUT) $LEN
expect_eq still-blocked-after-write "$(h $OUT)" "$before"

# 6. Unload: translation off, the same DMA lands again.
check unload rmmod thinhv
edu mem fill $(hx $OUT) 4096 0x11
before=$(h $OUT)
edu dma $B to-ram $(hx $OUT) $LEN
if [ "$(h $OUT)" != "$before" ]; then
	pass unblocked-after-unload "edu B reached $(hx $OUT) again"
else
	fail unblocked-after-unload "memory unchanged: IOMMU still on?"
fi
dmesg | grep thinhv | grep -v ' dma 0000' | tail -n 12 | while read -r l; do note "$l"; done
