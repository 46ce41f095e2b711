# iommu_refuse: thinhv refuses to launch rather than enforce a wrong DMA
# policy. Hostile blobs (truncated, a flipped version byte, empty, missing)
# are refused with the byte offset and reason, and nothing stays loaded or
# virtualized. On intel-iommu this boot lets Linux enable VT-d itself
# (intel_iommu=on after the profile's off): thinhv must refuse to take the
# unit over and tell the user to boot with intel_iommu=off.
# lab-append: intel_iommu=on
# lab-timeout: 300
. /lab/scenarios/hv_lib.sh
P=/sys/module/thinhv/parameters
cat >/tmp/ok.xml <<XML
<policy version="1">
  <rule name="bus0"><match bdf="0000:00:*.*"/><identity/></rule>
  <default><deny/></default>
</policy>
XML
check policy-compile thinhv policy compile /tmp/ok.xml -o /tmp/ok.blob
head -c 100 /tmp/ok.blob >/tmp/trunc.blob
cp /tmp/ok.blob /tmp/flip.blob
printf '\231' | dd of=/tmp/flip.blob bs=1 seek=8 conv=notrunc 2>/dev/null
: >/tmp/empty.blob

# refused NAME BLOB PATTERN: insmod fails, dmesg explains, nothing left.
refused() {
	dmesg -c >/dev/null
	if insmod $HV_KO $HV_ARGS dma_policy="$2" 2>/dev/null; then
		fail "$1" "loaded with $2"
		rmmod thinhv
		return
	fi
	why=$(dmesg | grep -E "$3" | head -n 1 | sed 's/^\[[^]]*\] //')
	if [ -n "$why" ] && ! grep -q '^thinhv ' /proc/modules &&
		[ "$(hv_sig 0)" != thinhv ]; then
		pass "$1" "$why"
	else
		fail "$1" "$(dmesg | grep thinhv | tail -n 3 | tr '\n' '|')"
	fi
}
refused truncated-blob /tmp/trunc.blob 'policy refused: byte [0-9]+: '
refused bad-version-blob /tmp/flip.blob 'policy refused: byte 8: '
refused empty-blob /tmp/empty.blob 'cannot read policy|policy refused: byte 0'
refused missing-blob /tmp/nonexistent.blob 'cannot read policy /tmp/nonexistent.blob'

case "$PROFILE" in
intel-iommu)
	# Linux's driver claims the registers (devmem is refused): ask sysfs.
	if ls /sys/class/iommu 2>/dev/null | grep -q dmar; then
		pass os-owns-vtd "$(ls /sys/class/iommu | tr '\n' ' ')"
		refused os-translation-refused /tmp/ok.blob 'boot with intel_iommu=off'
	else
		fail os-owns-vtd "no /sys/class/iommu/dmar*: intel_iommu=on had no effect"
	fi
	;;
*)
	# amd_iommu=off cannot be undone from the command line: the valid
	# blob must load here.
	dmesg -c >/dev/null
	if insmod $HV_KO $HV_ARGS dma_policy=/tmp/ok.blob; then
		pass valid-blob-loads "$(grep '^iommu' $P/iommu_status)"
		check unload rmmod thinhv
	else
		fail valid-blob-loads "$(dmesg | grep thinhv | tail -n 3 | tr '\n' '|')"
	fi
	;;
esac
