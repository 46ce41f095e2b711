# platform - what the lab machine really offers (every profile).
# Asserts the hardware features each profile promises, read from the CPU,
# ACPI tables, PCI, device registers and the TPM: not from the profile name.
# lab-timeout: 180

case $PROFILE in
amd | intel-iommu)
	set -- $(cpuid 0x80000001)
	expect_eq cpu-svm "$(bit $3 2)" 1
	set -- $(cpuid 0x8000000a)
	expect_eq cpu-npt "$(bit $4 0)" 1
	note "CPUID 0x8000000A: asid=$((0x$2)) edx=$4 (bit 3 nrip-save=$(bit $4 3))"
	;;
vmx)
	set -- $(cpuid 1)
	expect_eq cpu-vmx "$(bit $3 5)" 1
	if grep -qE '^vmx flags.* ept( |$)' /proc/cpuinfo; then
		pass cpu-ept "$(grep -m1 '^vmx flags' /proc/cpuinfo | cut -c1-80)"
	else
		fail cpu-ept "no ept in /proc/cpuinfo vmx flags"
	fi
	;;
esac

# The IOMMU each profile promises, found where the firmware says it is.
case $PROFILE in
amd)
	if [ -r /sys/firmware/acpi/tables/IVRS ]; then
		pass acpi-ivrs "$(wc -c </sys/firmware/acpi/tables/IVRS) bytes"
	else
		fail acpi-ivrs "no IVRS table"
	fi
	# AMD IOMMU: PCI class 0806 (system peripheral, IOMMU), AMD vendor.
	found=
	for d in /sys/bus/pci/devices/*; do
		if [ "$(cat $d/class)" = 0x080600 ] && [ "$(cat $d/vendor)" = 0x1022 ]; then
			found=${d##*/}
		fi
	done
	if [ -n "$found" ]; then
		pass amd-iommu-function "$found"
	else
		fail amd-iommu-function "no PCI function of class 0806 from AMD"
	fi
	;;
intel-iommu)
	t=/sys/firmware/acpi/tables/DMAR
	if [ -r $t ]; then
		# First remapping structure at byte 48; a DRHD (type 0) keeps its
		# register base at +8 (VT-d spec 8.3).
		typ=$(od -An -tu2 -j48 -N2 $t | tr -d ' ')
		base=$(od -An -tx8 -j56 -N8 $t | tr -d ' ')
		if [ "$typ" = 0 ]; then
			pass dmar-drhd "register base 0x$base"
			ver=$(devmem 0x$base 32)
			# VER register: major in bits 7:4 (1 on QEMU 7.2).
			if [ $(((ver >> 4) & 0xf)) -ge 1 ]; then
				pass vtd-unit-at-base "VER=$ver CAP=$(devmem $((0x$base + 8)) 64)"
			else
				fail vtd-unit-at-base "VER=$ver at 0x$base"
			fi
		else
			fail dmar-drhd "first record type $typ, not a DRHD"
		fi
	else
		fail acpi-dmar "no DMAR table"
	fi
	;;
vmx)
	if [ -e /sys/firmware/acpi/tables/DMAR ] || [ -e /sys/firmware/acpi/tables/IVRS ]; then
		fail no-iommu "an IOMMU table is present"
	else
		pass no-iommu "no DMAR/IVRS, as the profile says"
	fi
	;;
esac

# edu DMA engines: a real round trip RAM -> device -> RAM, no IOMMU enforcing.
case $PROFILE in
amd | intel-iommu)
	edus=$(edu list)
	expect_eq edu-count "$(echo $edus | wc -w)" 2
	for b in $edus; do
		check "edu-ident-$b" edu ident $b
		check "edu-dma-roundtrip-$b" edu roundtrip $b 1024
	done
	;;
esac

# TPM 2.0 answers a PCR read; firmware (SeaBIOS) has measured the boot.
case $PROFILE in
amd | intel-iommu)
	if [ "$(cat /sys/class/tpm/tpm0/tpm_version_major 2>/dev/null)" = 2 ]; then
		pass tpm2-present "/dev/tpm0"
	else
		fail tpm2-present "no TPM 2.0 at /sys/class/tpm/tpm0"
	fi
	pcr0=$(cat /sys/class/tpm/tpm0/pcr-sha256/0 2>/dev/null)
	case $pcr0 in
	"") fail tpm2-pcr-read "cannot read PCR 0 (sha256)" ;;
	0000000000000000000000000000000000000000000000000000000000000000)
		fail tpm2-pcr-read "PCR 0 is zero: boot not measured" ;;
	*) pass tpm2-pcr-read "PCR0=$pcr0" ;;
	esac
	# The firmware event log goes to the host, which replays it with the
	# stock tpm2_eventlog and compares with the PCR the TPM reported.
	log=/sys/kernel/security/tpm0/binary_bios_measurements
	if [ -r $log ]; then
		cat $log >/tmp/fw.log
		export_file fw-eventlog.bin /tmp/fw.log
		echo "$pcr0" >/tmp/pcr0
		export_file pcr0.txt /tmp/pcr0
	else
		fail tpm2-fw-eventlog "no $log"
	fi
	;;
esac
