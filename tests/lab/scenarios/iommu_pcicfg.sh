# iommu_pcicfg: once thinhv owns the AMD IOMMU, the OS (root) cannot
# reprogram the IOMMU's own PCI function: config writes through sysfs
# (port I/O 0xCF8/0xCFC, emulated by thinhv) and through ECAM (MMCONFIG,
# read-only in the nested page table) are refused and counted, the bytes
# stay as they were, and DMA enforcement is unchanged afterwards. Controls:
# the same writes work natively before launch; writes to an ordinary device
# (edu's interrupt line, by sysfs and by ECAM) still take effect under
# thinhv; `lspci -vvv` reads every device the same before and after launch.
# With 2 CPUs, a userspace race on the 0xCF8 latch (cf8race) redirects
# writes into the IOMMU natively and is refused under thinhv.
# QEMU 7.2 makes the IOMMU's capability block read-only itself, so there
# only the counter proves the refusal; the command register is writable in
# QEMU and proves it by its bytes.
# lab-append: memmap=16M$0x8000000
# lab-timeout: 360
# lab-tcg: multi
# (multi: the native CF8 race needs truly parallel vCPUs; such runs stay
# exposed to QEMU 7.2's hflags2 race on CPU 0, tests/lab/run and docs/lab.md)
. /lab/scenarios/hv_lib.sh
if [ "$PROFILE" != amd ]; then
	skip pcicfg "AMD-Vi only (VT-d has no PCI function holding its registers)"
	exit 0
fi
A=0000:00:04.0
B=0000:00:05.0
WIN=$((0x8000000))
OUT=$((0x8800000))
LEN=1024
hx() { printf '%#x' "$1"; }
h() { edu mem hash "$(hx "$1")" $LEN; }
D=/sys/bus/pci/devices
# cfgrd DEV OFF LEN: little-endian config value (hex) through sysfs.
cfgrd() {
	od -An -tx1 -j "$(($2))" -N "$3" $D/$1/config |
		awk '{ for (i = NF; i > 0; i--) s = s $i } END { print "0x" s }' |
		{ read -r v; hx "$v"; }
}
# cfgwr DEV OFF LEN VALUE: one aligned pwrite of LEN bytes at OFF.
cfgwr() {
	esc= i=0
	while [ $i -lt "$3" ]; do
		esc="$esc\\$(printf '%03o' $((($4 >> (8 * i)) & 255)))"
		i=$((i + 1))
	done
	printf "$esc" | dd of=$D/$1/config bs="$3" seek=$(($2 / $3)) count=1 \
		conv=notrunc 2>/dev/null
}
poke_rc() { dmesg | sed -n "s/.*pcicfg_poke: $1 .*rc=\(-*[0-9]*\).*/\1/p" | tail -n 1; }

# The IOMMU's function: AMD, class 0806 (IOMMU).
IO=
for d in $D/*; do
	if [ "$(cat $d/vendor)" = 0x1022 ] && [ "$(cat $d/class)" = 0x080600 ]; then
		IO=${d##*/}
	fi
done
if [ -z "$IO" ]; then
	fail iommu-function "no AMD IOMMU function in $(ls $D | tr '\n' ' ')"
	exit 0
fi
# Its capability block (ID 0x0f, "secure device"): base address at +4.
cap=0 p=$(($(cfgrd $IO 0x34 1))) n=0
while [ $p -ne 0 ] && [ $n -lt 48 ]; do
	[ $(($(cfgrd $IO $p 1))) = 15 ] && cap=$p && break
	p=$(($(cfgrd $IO $((p + 1)) 1)))
	n=$((n + 1))
done
if [ $cap = 0 ]; then
	fail iommu-capability "no capability 0x0f in $IO"
	exit 0
fi
BARLO=$((cap + 4))
pass iommu-function "$IO, capability at $(hx $cap), base low $(cfgrd $IO $BARLO 4)"

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

# Native control: the command register of the IOMMU function is writable
# (INTx disable, bit 10, is harmless to toggle), so "unchanged" can fail.
cmd0=$(cfgrd $IO 4 2)
cfgwr $IO 4 2 $((cmd0 ^ 0x400))
cmd1=$(cfgrd $IO 4 2)
cfgwr $IO 4 2 $((cmd0))
if [ $((cmd1)) = $((cmd0 ^ 0x400)) ] && [ $(($(cfgrd $IO 4 2))) = $((cmd0)) ]; then
	pass native-cmd-writable "$IO command $cmd0 -> $cmd1 -> restored"
else
	fail native-cmd-writable "$IO command $cmd0 -> $cmd1"
fi
# With 2 CPUs: the CONFIG_ADDRESS race. CPU 0 writes edu A's interrupt
# line while CPU 1 keeps pointing the latch at the IOMMU: natively some of
# those bytes land in the IOMMU (the control that the race is real here).
race() {
	cf8race "${A#0000:}" "${IO#0000:}" 3c 77 3 2>&1 | tail -n 1
}
if [ "$NCPUS" -ge 2 ]; then
	la=$(cfgrd $A 0x3c 1) li=$(cfgrd $IO 0x3c 1)
	out=$(race)
	ni=$(cfgrd $IO 0x3c 1)
	cfgwr $A 0x3c 1 $((la))
	cfgwr $IO 0x3c 1 $((li))
	if [ $((ni)) = $((0x77)) ]; then
		pass race-native-reaches-iommu "$out: IOMMU line $li -> $ni (restored)"
	else
		fail race-native-reaches-iommu "$out: IOMMU line $li -> $ni"
	fi
fi
lspci -vvv >/tmp/lspci.before 2>&1

hv_load dma_policy=/tmp/iommu.blob || exit 0
lspci -vvv >/tmp/lspci.after 2>&1
if cmp -s /tmp/lspci.before /tmp/lspci.after; then
	pass lspci-identical "$(grep -c '^[0-9a-f]' /tmp/lspci.after) functions, $(wc -l </tmp/lspci.after) lines"
else
	fail lspci-identical "$(diff /tmp/lspci.before /tmp/lspci.after | head -n 6 | tr '\n' '|')"
fi
bdf=${IO#0000:}
line=$(dmesg | grep "pcicfg: config writes to $IO refused" | tail -n 1)
[ -n "$line" ] && pass guard-registered "${line#*] }" ||
	fail guard-registered "$(dmesg | grep -E 'thinhv.*(pcicfg|refused)' | tail -n 3 | tr '\n' '|')"

# The ECAM page: from the kernel's own MMCONFIG resource, independently.
mc=$(sed -n 's/^ *\([0-9a-f]*\)-[0-9a-f]* : PCI MMCONFIG 0000.*/\1/p' /proc/iomem | head -n 1)
bus=$((0x${bdf%%:*})) dev=$((0x$(echo $bdf | cut -d: -f2 | cut -d. -f1))) fn=${bdf##*.}
ECAM=$((0x$mc + (bus << 20) + (dev << 15) + (fn << 12)))
if [ -n "$mc" ] && dmesg | grep -q "ECAM page $(hx $ECAM) (MCFG) read-only"; then
	pass ecam-page-guarded "$(hx $ECAM) (MMCONFIG at 0x$mc)"
else
	fail ecam-page-guarded "MMCONFIG '0x$mc', expected $(hx $ECAM): $(dmesg | grep 'ECAM page' | tr '\n' '|')"
fi
thinhv status | grep -q "^range: mmio $(hx $ECAM) " &&
	pass ecam-range-listed "$(thinhv status | grep "^range: mmio $(hx $ECAM) ")" ||
	fail ecam-range-listed "$(thinhv status | grep '^range: mmio' | tr '\n' '|')"

# 1. sysfs (port I/O): command register and capability base address.
d0=$(hv_counter deny_pcicfg)
io0=$(hv_counter io)
cfgwr $IO 4 2 $((cmd0 ^ 0x400))
expect_eq cmd-write-refused "$(cfgrd $IO 4 2)" "$cmd0"
bar0=$(cfgrd $IO $BARLO 4)
cfgwr $IO $BARLO 4 0x12340001
expect_eq bar-write-refused "$(cfgrd $IO $BARLO 4)" "$bar0"
d1=$(hv_counter deny_pcicfg)
if [ $((d1 - d0)) -ge 2 ]; then
	pass pcicfg-denials-counted "deny_pcicfg $d0 -> $d1, io exits $io0 -> $(hv_counter io)"
else
	fail pcicfg-denials-counted "deny_pcicfg $d0 -> $d1"
fi

# Only 0xCF8-0xCFF exit: /dev/port reads of port 0x61 (4 byte reads) stay
# native, one byte read of 0xCF9 (reset control) exits and passes through.
if [ -e /dev/port ]; then
	i0=$(hv_counter io)
	dd if=/dev/port bs=1 skip=$((0x61)) count=4 2>/dev/null >/dev/null
	i1=$(hv_counter io)
	dd if=/dev/port bs=1 skip=$((0xcf9)) count=1 2>/dev/null >/dev/null
	i2=$(hv_counter io)
	# thinhv status itself makes no port I/O: the deltas are the reads'
	if [ $((i1 - i0)) = 0 ] && [ $((i2 - i1)) = 1 ]; then
		pass iopm-only-config-ports "port 0x61: 0 exits, port 0xcf9: 1 exit"
	else
		fail iopm-only-config-ports "io exits $i0 -> $i1 (0x61) -> $i2 (0xcf9)"
	fi
else
	skip iopm-only-config-ports "no /dev/port"
fi

# 2. ECAM: the same command-register write through MMCONFIG.
# (busybox insmod retries a failed load: count the attempts it made)
m0=$(hv_counter deny_mem)
w0=$(dmesg | grep -c 'pcicfg_poke: write')
insmod /lab/kmod/pcicfg_poke.ko op=write pa=$(hx $((ECAM + 4))) width=2 \
	value=$((cmd0 ^ 0x400)) 2>/dev/null
rc=$(poke_rc write)
runs=$(($(dmesg | grep -c 'pcicfg_poke: write') - w0))
m1=$(hv_counter deny_mem)
if [ "$rc" = -14 ] && [ $runs -ge 1 ] && [ $((m1 - m0)) = $runs ]; then
	pass ecam-write-refused "rc=$rc, deny_mem $m0 -> $m1 ($runs attempts)"
else
	fail ecam-write-refused "rc=${rc:-none}, deny_mem $m0 -> $m1 ($runs attempts)"
fi
expect_eq ecam-cmd-unchanged "$(cfgrd $IO 4 2)" "$cmd0"
insmod /lab/kmod/pcicfg_poke.ko op=read pa=$(hx $ECAM) 2>/dev/null
got=$(dmesg | sed -n 's/.*pcicfg_poke: read .*rc=0 value=\(0x[0-9a-f]*\).*/\1/p' | tail -n 1)
expect_eq ecam-read-allowed "$got" "$(cfgrd $IO 0 4)"

# 3. Moving the ECAM window (AMD MSR C001_0058) is refused.
ms0=$(hv_counter deny_msr)
w0=$(dmesg | grep -c 'pcicfg_poke: msr')
insmod /lab/kmod/pcicfg_poke.ko op=msr 2>/dev/null
runs=$(($(dmesg | grep -c 'pcicfg_poke: msr') - w0))
ms1=$(hv_counter deny_msr)
if [ $runs -ge 1 ] && [ $((ms1 - ms0)) = $runs ]; then
	pass ecam-msr-refused "deny_msr $ms0 -> $ms1 ($runs attempts): $(dmesg | grep 'pcicfg_poke: msr' | tail -n 1 | sed 's/^\[[^]]*\] //')"
else
	fail ecam-msr-refused "deny_msr $ms0 -> $ms1 ($runs attempts)"
fi

# 4. Controls under thinhv: an ordinary device's config still takes writes.
il=$(cfgrd $A 0x3c 1)
cfgwr $A 0x3c 1 $((il ^ 0x5a))
expect_eq other-sysfs-write-works "$(cfgrd $A 0x3c 1)" "$(hx $((il ^ 0x5a)))"
cfgwr $A 0x3c 1 $((il))
expect_eq other-sysfs-restored "$(cfgrd $A 0x3c 1)" "$il"
EA=$((0x$mc + (4 << 15)))
insmod /lab/kmod/pcicfg_poke.ko op=write pa=$(hx $((EA + 0x3c))) width=1 \
	value=$((il ^ 0x33)) 2>/dev/null
if [ "$(poke_rc write)" = 0 ] && [ $(($(cfgrd $A 0x3c 1))) = $((il ^ 0x33)) ]; then
	pass other-ecam-write-works "edu A line $il -> $(cfgrd $A 0x3c 1) through ECAM"
else
	fail other-ecam-write-works "rc=$(poke_rc write), line $(cfgrd $A 0x3c 1)"
fi
cfgwr $A 0x3c 1 $((il))
expect_eq no-extra-denials "$(hv_counter deny_pcicfg)" "$d1"

# The race under thinhv: the data write is checked against the address
# host mode itself writes to 0xCF8, under one lock: whenever CPU 1 won the
# race the write is refused (counted), never redirected into the IOMMU.
if [ "$NCPUS" -ge 2 ]; then
	la=$(cfgrd $A 0x3c 1) li=$(cfgrd $IO 0x3c 1)
	r0=$(hv_counter deny_pcicfg)
	out=$(race)
	r1=$(hv_counter deny_pcicfg)
	ni=$(cfgrd $IO 0x3c 1)
	cfgwr $A 0x3c 1 $((la))
	if [ "$ni" = "$li" ] && [ $((r1 - r0)) -gt 0 ]; then
		pass race-refused "$out: $((r1 - r0)) writes hit the IOMMU's latch and were refused; line stays $ni"
	else
		fail race-refused "$out: IOMMU line $li -> $ni, deny_pcicfg $r0 -> $r1"
	fi
fi

# Every refused write left nothing behind, every control was restored
# (before any DMA: a finished edu transfer may leave its INTx status bit).
lspci -vvv >/tmp/lspci.end 2>&1
if cmp -s /tmp/lspci.before /tmp/lspci.end; then
	pass lspci-identical-end "after the attacks and controls"
else
	fail lspci-identical-end "$(diff /tmp/lspci.before /tmp/lspci.end | grep '^[-+]' | head -n 6 | tr '\n' '|')"
fi

# 5. DMA enforcement is what it was: A's window works, B stays denied.
edu mem fill $(hx $WIN) 4096 0x5a
edu mem fill $(hx $((WIN + 0x1000))) 4096 0x00
edu dma $A to-dev $(hx $WIN) $LEN && edu dma $A to-ram $(hx $((WIN + 0x1000))) $LEN
expect_eq window-still-works "$(h $((WIN + 0x1000)))" "$(h $WIN)"
edu mem fill $(hx $OUT) 4096 0x11
before=$(h $OUT)
edu dma $B to-ram $(hx $OUT) $LEN
expect_eq deny-still-blocked "$(h $OUT)" "$before"
hv_clean_log log-clean

# 6. Unload: the port path is native again (the guard was thinhv's).
check unload rmmod thinhv
cfgwr $IO 4 2 $((cmd0 ^ 0x400))
cmd2=$(cfgrd $IO 4 2)
cfgwr $IO 4 2 $((cmd0))
expect_eq writable-after-unload "$cmd2" "$(hx $((cmd0 ^ 0x400)))"
