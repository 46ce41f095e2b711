# demo - the story `make demo` tells, step by step, on the amd lab machine.
# Each capability joins here when it lands.
# lab-append: memmap=16M$0x2000000 memmap=16M$0x8000000
# lab-timeout: 420

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

say "== 4. thinhv slips under the running Linux =="
say "insmod thinhv.ko dma_policy=/tmp/lab.blob: measure image and policy into TPM PCR 12, build nested page tables that hide the hypervisor, program the IOMMU from the policy, virtualize every CPU"
if insmod /lab/thinhv.ko allow_nested=1 dma_policy=/tmp/lab.blob; then
	pass hv-load "$(dmesg | grep 'thinhv: virtualized' | tail -n 1 | sed 's/^\[[^]]*\] //')"
else
	fail hv-load "$(dmesg | grep thinhv | tail -n 3 | tr '\n' '|')"
	exit 1
fi
i=0
while [ $i -lt "$NCPUS" ]; do
	expect_eq "hv-signature-cpu$i" "$(cpuid --vendor 0x40000000 --cpu $i)" thinhv
	i=$((i + 1))
done
say "Linux still runs, now as a guest: CPUID leaf 0x40000000 on every CPU says 'thinhv'"
thinhv status >/tmp/status.txt 2>&1
grep -vE '^(range|iommu: region|iommu: unit)' /tmp/status.txt | head -n 24 | while read -r l; do say "  $l"; done
# What was measured is what was compiled: the policy digest in PCR 12's log
# equals the canonical digest of the policy file.
want=$(thinhv policy digest /lab/policy/lab.xml | cut -d' ' -f1)
got=$(sed -n 's/^measured: policy //p' /tmp/status.txt)
expect_eq measured-policy-is-compiled-policy "$got" "$want"

say "== 5. The same DMA attack, now under thinhv =="
edu mem fill $VICTIM 4096 0x11
before=$(edu mem hash $VICTIM 4096)
say "edu B (policy: deny) copies its buffer over the victim page again"
edu dma $b to-ram $VICTIM 256
expect_eq dma-deny-blocked "$(edu mem hash $VICTIM 4096)" "$before"
say "victim page unchanged: first bytes $(edu mem dump $VICTIM 8)"
a=$(edu list | head -n 1)
say "edu A (policy: window at 32 MiB) may DMA inside its window..."
edu mem fill 0x2000000 4096 0x5a
edu mem fill 0x2001000 4096 0x00
edu dma $a to-dev 0x2000000 256 && edu dma $a to-ram 0x2001000 256
expect_eq dma-window-works "$(edu mem dump 0x2001000 4)" "5a5a5a5a"
say "...but not outside it"
edu dma $a to-ram $VICTIM 256
expect_eq dma-outside-window-blocked "$(edu mem hash $VICTIM 4096)" "$before"
thinhv status | grep '^fault:' | while read -r l; do say "  $l"; done
say "(no fault record here: QEMU 7.2 never writes the AMD-Vi event log; the intel-iommu lab profile records each blocked DMA with the device, address and reason)"
say "the OS's own disk controller (AHCI, identity domain) keeps working; the hypervisor's memory and the IOMMU tables are in no device's domain"

say "== 6. Attestation: the TPM vouches for what is enforced =="
thinhv ak create -o /tmp/ak.pub >/tmp/ak.out 2>&1 || fail ak-create "$(tail -n 2 /tmp/ak.out | tr '\n' '|')"
NONCE=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
thinhv scan --json >/tmp/report.json 2>/tmp/report.err
say "auditor's nonce $NONCE; the quote covers PCRs 0-7 and 12 and binds SHA-256(nonce || isolation report)"
if thinhv attest --nonce $NONCE -o /tmp/evidence.bin --report /tmp/report.json >/tmp/attest.out 2>&1; then
	pass attest "$(tail -n 1 /tmp/attest.out)"
else
	fail attest "$(tail -n 3 /tmp/attest.out | tr '\n' '|')"
fi
echo $NONCE >/tmp/nonce.txt
export_file evidence.bin /tmp/evidence.bin
export_file ak.pub /tmp/ak.pub
export_file nonce.txt /tmp/nonce.txt
say "the evidence goes to the auditor's machine (the host), which verifies it offline: see the host-* results"

say "== 7. Audit: this host's DMA exposure, as thinhv sees it =="
thinhv scan >/tmp/scan.txt 2>&1
grep -E 'THV-|finding|FAIL|WARN' /tmp/scan.txt | head -n 12 | while read -r l; do say "  $l"; done
thinhv compare >/tmp/compare.txt 2>&1
head -n 14 /tmp/compare.txt | while read -r l; do say "  $l"; done
