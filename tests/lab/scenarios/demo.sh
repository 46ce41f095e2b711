# demo - the story `make demo` tells, step by step, on the amd lab machine.
# Each capability joins here when it lands.
# lab-append: memmap=16M$0x2000000 memmap=16M$0x8000000
# lab-timeout: 300

VICTIM=0x8100000 # a page of reserved RAM that no device was ever given

say "== 1. The machine =="
say "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-) x $NCPUS"
set -- $(cpuid 0x8000000a)
say "AMD-V (SVM) with nested paging: CPUID 0x8000000A EDX=$4"
for d in /sys/bus/pci/devices/*; do
	say "PCI $(basename $d)  $(cat $d/vendor):$(cat $d/device)  class $(cat $d/class)"
done
say "ACPI IVRS (AMD IOMMU) table: $(wc -c </sys/firmware/acpi/tables/IVRS) bytes; Linux booted with amd_iommu=off, so nobody translates DMA yet"
say "TPM 2.0: PCR0 = $(cat /sys/class/tpm/tpm0/pcr-sha256/0) (the firmware measured the boot)"

say "== 2. Without an IOMMU every device can write anywhere =="
edu mem fill $VICTIM 4096 0x11
before=$(edu mem hash $VICTIM 4096)
say "victim page $VICTIM holds 0x11 bytes (hash $before)"
b=$(edu list | tail -n 1)
say "edu $b (a bus-mastering PCI device) copies its buffer over the victim page"
edu mem fill 0x8000000 256 0xee
edu dma $b to-dev 0x8000000 256 && edu dma $b to-ram $VICTIM 256
after=$(edu mem hash $VICTIM 4096)
if [ "$before" != "$after" ]; then
	say "the victim page changed (hash $after): first bytes $(edu mem dump $VICTIM 8)"
	pass dma-anarchy "unconfined device overwrote memory it was never given"
else
	fail dma-anarchy "expected an unconfined DMA to land"
fi

say "== 3. A policy for this machine =="
say "policy/examples/lab.xml: edu A may DMA only into a 16 MiB window at 32 MiB, edu B not at all, the chipset keeps 1:1 access, anything else is denied"
thinhv policy compile /lab/policy/lab.xml -o /tmp/lab.blob >/tmp/pol.out 2>&1
say "compiled: $(wc -c </tmp/lab.blob) bytes; $(thinhv policy digest /lab/policy/lab.xml)"
thinhv policy check /lab/policy/lab.xml >/tmp/check.out 2>&1
rc=$?
grep -- '->' /tmp/check.out | while read -r l; do say "  $l"; done
if [ $rc -le 1 ] && grep -q "00:04.0.*edu-a" /tmp/check.out && grep -q "00:05.0.*edu-b" /tmp/check.out; then
	pass policy-check "edu A -> window, edu B -> deny on this machine"
else
	fail policy-check "rc=$rc $(tail -n 2 /tmp/check.out | tr '\n' '|')"
fi
say "(loading thinhv and enforcing this policy join the demo when they land)"
