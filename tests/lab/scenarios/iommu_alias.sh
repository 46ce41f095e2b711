# iommu_alias: devices behind a PCIe-to-PCI bridge DMA with the bridge's
# alias requester id (secondary bus, devfn 0), not their own. edu D sits at
# that very id (01:00.0) with a window; edu C (01:01.0) beside it is denied.
# The IOMMU cannot tell them apart, so the shared id must get what both may
# do: nothing (fail closed), reported as an alias conflict. Asserted on
# memory bytes: C cannot write D's window. (Without alias handling, C's DMA
# would carry D's id and land in D's window: seen before the fix.) With one
# policy for both, C's DMA through the shared id reaches the window.
# lab-append: memmap=16M$0x8000000
# lab-qemu: -device pcie-pci-bridge,id=br1,addr=6 -device edu,bus=br1,addr=0,dma_mask=0xffffffffffffffff -device edu,bus=br1,addr=1,dma_mask=0xffffffffffffffff
# lab-timeout: 300
# VT-d only: QEMU 7.2's AMD-Vi model fixes a device's bus number when the
# device is created, before firmware numbers the bridge's secondary bus, so
# every device behind a bridge translates as bus 0 (00:00.0 for the alias
# id): it cannot show aliasing (QEMU later computes the bus at translation).
. /lab/scenarios/hv_lib.sh
if [ "$PROFILE" != intel-iommu ]; then
	skip alias "QEMU 7.2 AMD-Vi keys devices behind bridges to bus 0"
	exit 0
fi
W=$((0x8000000))
LEN=1024
P=/sys/module/thinhv/parameters
hx() { printf '%#x' "$1"; }
h() { edu mem hash "$(hx "$1")" $LEN; }
note "$(lspci 2>/dev/null | tr '\n' '|')"
D=$(ls -d /sys/bus/pci/devices/0000:0[1-9]:00.0 2>/dev/null | head -n 1)
D=${D##*/}
C=${D%00.0}01.0
[ -n "$D" ] && [ -e /sys/bus/pci/devices/$C ] && pass topology "D=$D C=$C behind the bridge" ||
	{ fail topology "no edu behind a bridge: $(ls /sys/bus/pci/devices | tr '\n' ' ')"; exit 0; }

cat >/tmp/alias.xml <<XML
<policy version="1">
  <rule name="edu-d"><match bdf="$D" id="1234:11e8"/>
    <window><range base="$(hx $W)" size="4M" access="rw"/></window></rule>
  <rule name="edu-c"><match bdf="$C" id="1234:11e8"/><deny/></rule>
  <rule name="bus0"><match bdf="0000:00:*.*"/><identity/></rule>
  <default><deny/></default>
</policy>
XML
check policy-compile thinhv policy compile /tmp/alias.xml -o /tmp/alias.blob

# Natively C reaches D's window (so "blocked" below can fail).
edu mem fill $(hx $W) 4096 0x11
before=$(h $W)
edu mem fill $(hx $((W + 0x1000))) 4096 0x77
edu dma $C to-dev $(hx $((W + 0x1000))) $LEN && edu dma $C to-ram $(hx $W) $LEN
[ "$(h $W)" != "$before" ] && pass native-c-reaches "C wrote $(hx $W) before launch" ||
	fail native-c-reaches "baseline DMA did not land"

hv_load dma_policy=/tmp/alias.blob || exit 0
st=$(cat $P/iommu_status)
note "$(echo "$st" | grep -E '^(aliases|alias|dev 0000:0[1-9])' | tr '\n' '|')"
note "bridge: $(lspci -s 00:06.0 -vv 2>/dev/null | grep -i 'express' | head -n 2 | tr '\n' '|')"
echo "$st" | grep -q "^alias .*conflict" &&
	pass alias-conflict-reported "$(echo "$st" | grep '^alias ' | head -n 1)" ||
	fail alias-conflict-reported "no alias line"
dmesg | grep -q 'requester id' && note "$(dmesg | grep 'requester id' | head -n 2 | tr '\n' '|')"

# C (deny) must not reach D's window through the shared id.
edu mem fill $(hx $W) 4096 0x11
before=$(h $W)
edu dma $C to-ram $(hx $W) $LEN
expect_eq c-blocked-through-alias "$(h $W)" "$before"
# D shares the id: denied as well (fail closed), and says so.
edu dma $D to-ram $(hx $W) $LEN
expect_eq d-denied-with-alias "$(h $W)" "$before"

# One rule for both (one domain): the shared id carries it, and C's DMA,
# arriving as D's id, lands in the window (runtime swap to that policy).
cat >/tmp/alias2.xml <<XML
<policy version="1">
  <rule name="behind-bridge"><match bdf="${D%:00.0}:*.*" id="1234:11e8"/>
    <window><range base="$(hx $W)" size="4M" access="rw"/></window></rule>
  <rule name="bus0"><match bdf="0000:00:*.*"/><identity/></rule>
  <default><deny/></default>
</policy>
XML
check apply-shared-window thinhv policy apply /tmp/alias2.xml
grep -q '^alias .*conflict' $P/iommu_status &&
	fail no-conflict-now "$(grep '^alias' $P/iommu_status | tr '\n' '|')" ||
	pass no-conflict-now "$(grep '^aliases' $P/iommu_status)"
edu mem fill $(hx $W) 4096 0x11
edu mem fill $(hx $((W + 0x1000))) 4096 0x77
edu dma $C to-dev $(hx $((W + 0x1000))) $LEN && edu dma $C to-ram $(hx $W) $LEN
expect_eq c-reaches-shared-window "$(h $W)" "$(h $((W + 0x1000)))"
edu mem fill $(hx $W) 4096 0x11
edu dma $D to-dev $(hx $((W + 0x1000))) $LEN && edu dma $D to-ram $(hx $W) $LEN
expect_eq d-reaches-shared-window "$(h $W)" "$(h $((W + 0x1000)))"
note "$(grep -E '^(swap|dev 0000:01|alias)' $P/iommu_status | tr '\n' '|')"
check unload rmmod thinhv
