# audit_scan - `thinhv scan` against the guest's own view of the machine
# (every profile). What the scan reports per PCI function (ids, class, bus
# master bit, config size) is checked against sysfs and busybox lspci; the
# platform part against the raw ACPI tables; the findings against what the
# profile boots with (IOMMU present but off: amd_iommu=off / intel_iommu=off;
# none on vmx); and a record/replay round trip inside the guest.
# lab-timeout: 240

scan=/tmp/scan.json
t0=$(cut -d' ' -f1 /proc/uptime)
thinhv scan --json >$scan 2>/tmp/scan.err
rc=$?
t1=$(cut -d' ' -f1 /proc/uptime)
# Benchmark (issue 7): wall time of one scan in the guest, 10 ms resolution.
note "bench: thinhv scan took $(echo "$t0 $t1" | awk '{ printf "%d", ($2 - $1) * 1000 }') ms"
if [ $((rc & 4)) -eq 0 ] && grep -q '"schema": "thinhv-scan-v1"' $scan; then
	pass scan-json "exit $rc, $(wc -c <$scan) bytes"
else
	fail scan-json "exit $rc: $(head -c 200 /tmp/scan.err)"
fi

# One "bdf vendor device class busmaster configbytes" line per device, from
# the JSON (one field per line, as thinhv prints it).
awk -F'"' '
/"bdf": /        { bdf = $4 }
/"vendor_id": /  { ven = $4 }
/"device_id": /  { dev = $4 }
/"class": "[0-9a-f]/ { cls = $4 }
/"bus_master": / { bm = ($0 ~ /true/) ? 1 : 0 }
/"config_bytes": / { split($0, a, ": "); cb = a[2] + 0;
	print bdf, ven, dev, cls, bm, cb }
' $scan >/tmp/scan.devs

n_json=$(wc -l </tmp/scan.devs)
n_sys=$(ls /sys/bus/pci/devices | wc -l)
expect_eq device-count-vs-sysfs "$n_json" "$n_sys"

bad=
while read bdf ven dev cls bm cb; do
	d=/sys/bus/pci/devices/$bdf
	[ -d $d ] || { bad="$bad $bdf:absent"; continue; }
	[ "$(cat $d/vendor)" = "0x$ven" ] || bad="$bad $bdf:vendor"
	[ "$(cat $d/device)" = "0x$dev" ] || bad="$bad $bdf:device"
	[ "$(cat $d/class)" = "0x$cls" ] || bad="$bad $bdf:class"
	cmd=$(od -An -tu2 -j4 -N2 $d/config | tr -d ' ')
	[ $(((cmd >> 2) & 1)) = "$bm" ] || bad="$bad $bdf:busmaster"
	[ "$(wc -c <$d/config)" = "$cb" ] || bad="$bad $bdf:configsize"
done </tmp/scan.devs
if [ -z "$bad" ]; then
	pass devices-match-sysfs "$n_json functions: ids, class, bus master, config size"
else
	fail devices-match-sysfs "$bad"
fi

# With pciutils' lspci in the image: bus master and ATS state per function
# as `lspci -vvv` decodes them (busybox lspci has no -vvv).
if lspci -vvv -s 00:00.0 >/dev/null 2>&1; then
	bad=
	while read bdf ven dev cls bm cb; do
		v=$(lspci -vvv -s $bdf)
		case "$v" in
		*BusMaster+*) lbm=1 ;;
		*) lbm=0 ;;
		esac
		[ "$lbm" = "$bm" ] || bad="$bad $bdf:busmaster"
		sats=$(awk -v b="$bdf" '
			/"bdf": / { cur = ($0 ~ b) }
			cur && /"ats": \{/ { getline; print ($0 ~ /true/) ? 1 : 0; exit }' $scan)
		case "$v" in
		*"Address Translation Service"*) lats=1 ;;
		*) lats=0 ;;
		esac
		[ "$lats" = "$sats" ] || bad="$bad $bdf:ats"
	done </tmp/scan.devs
	if [ -z "$bad" ]; then
		pass devices-match-lspci-vvv "bus master and ATS capability"
	else
		fail devices-match-lspci-vvv "$bad"
	fi
else
	skip devices-match-lspci-vvv "no pciutils lspci in the guest image"
fi

# lspci -n (or busybox lspci): same functions, same ids ("BB:DD.F ... VVVV:DDDD").
if { lspci -n 2>/dev/null || busybox lspci; } >/tmp/lspci.out && [ -s /tmp/lspci.out ]; then
	sed -n 's/^\([0-9a-f:.]*\) .* \([0-9a-f]\{4\}:[0-9a-f]\{4\}\).*/\1 \2/p' \
		/tmp/lspci.out | sort >/tmp/lspci.ids
	awk '{ sub(/^0000:/, "", $1); print $1, $2 ":" $3 }' /tmp/scan.devs |
		sort >/tmp/scan.ids
	if cmp -s /tmp/lspci.ids /tmp/scan.ids; then
		pass devices-match-lspci "$(wc -l </tmp/lspci.ids) functions"
	else
		fail devices-match-lspci "lspci: $(tr '\n' ' ' </tmp/lspci.ids) scan: $(tr '\n' ' ' </tmp/scan.ids)"
	fi
else
	skip devices-match-lspci "busybox has no lspci"
fi

has_finding() { grep -q "\"id\": \"$1\"" $scan; }

case $PROFILE in
amd)
	t=/sys/firmware/acpi/tables/IVRS
	# The first IVHD block starts at byte 48; its register base is at +8.
	base=$(od -An -tx8 -j56 -N8 $t | tr -d ' ' | sed 's/^0*//')
	if grep -q "\"base\": \"0x$base\"" $scan; then
		pass ivrs-unit-base "0x$base"
	else
		fail ivrs-unit-base "0x$base not among $(grep '"base"' $scan | tr -d ' \n')"
	fi
	;;
intel-iommu)
	t=/sys/firmware/acpi/tables/DMAR
	base=$(od -An -tx8 -j56 -N8 $t | tr -d ' ' | sed 's/^0*//')
	if grep -q "\"base\": \"0x$base\"" $scan; then
		pass dmar-unit-base "0x$base"
	else
		fail dmar-unit-base "0x$base not among $(grep '"base"' $scan | tr -d ' \n')"
	fi
	;;
esac

case $PROFILE in
amd | intel-iommu)
	# The lab boots with the OS IOMMU driver off and thinhv not loaded.
	if has_finding THV-IOMMU-001; then
		pass finding-iommu-off "THV-IOMMU-001"
	else
		fail finding-iommu-off "no THV-IOMMU-001"
	fi
	expect_eq exit-has-fail-bit $((rc & 2)) 2
	# Each edu DMA engine can reach all RAM, and is reported so.
	for b in $(edu list); do
		if awk -v b="$b" '
			/"bdf": / { cur = ($0 ~ b) }
			cur && /"kind": "all RAM"/ { ok = 1 }
			END { exit !ok }' $scan; then
			pass "edu-reach-all-ram-$b" "THV-DMA-001"
		else
			fail "edu-reach-all-ram-$b" "reach not 'all RAM'"
		fi
	done
	if grep -q '"present": true' $scan && grep -q '"version": "2.0"' $scan; then
		pass scan-sees-tpm2 "TPM 2.0"
	else
		fail scan-sees-tpm2 "TPM not reported"
	fi
	;;
vmx)
	if has_finding THV-IOMMU-002; then
		pass finding-no-iommu "THV-IOMMU-002"
	else
		fail finding-no-iommu "no THV-IOMMU-002"
	fi
	;;
esac

# Record this machine, replay it: the same report (bar the title line).
thinhv scan --record /tmp/rec | tail -n +2 >/tmp/live.txt
thinhv scan --replay /tmp/rec | tail -n +2 >/tmp/replay.txt
if [ -s /tmp/live.txt ] && cmp -s /tmp/live.txt /tmp/replay.txt; then
	pass record-replay "$(find /tmp/rec -type f | wc -l) files recorded"
else
	fail record-replay "$(diff /tmp/live.txt /tmp/replay.txt | head -n 5 | tr '\n' '|')"
fi

# With thinhv loaded (QEMU profiles: SVM), the scan reads /dev/thinhv:
# launched on every CPU, its protected ranges, and the edu engines then
# under thinhv's policy rather than reaching all RAM.
case $PROFILE in
amd | intel-iommu)
	. /lab/scenarios/hv_lib.sh
	if hv_load; then
		thinhv scan --json --record /tmp/rec-hv >/tmp/hv.json 2>/tmp/hv.err
		hrc=$?
		if [ $((hrc & 4)) -eq 0 ] &&
			grep -q '"status_read": true' /tmp/hv.json &&
			grep -q '"launched": true' /tmp/hv.json; then
			pass scan-reads-thinhv "$(grep '"status": "thinhv' /tmp/hv.json | tr -s ' ')"
		else
			fail scan-reads-thinhv "exit $hrc $(head -c 300 /tmp/hv.err) $(grep -A3 '"thinhv": {' /tmp/hv.json | tr -d '\n')"
		fi
		expect_eq scan-thinhv-cpus "$(sed -n 's/.*"cpus": \([0-9]*\).*/\1/p' /tmp/hv.json)" "$NCPUS"
		nr=$(grep -c '"kind": "hv-' /tmp/hv.json)
		if [ "$nr" -ge 1 ]; then
			pass scan-thinhv-ranges "$nr hypervisor range(s)"
		else
			fail scan-thinhv-ranges "no hv-mem/hv-code range reported"
		fi
		# IOMMU tables among the protected ranges are the only ABI-1
		# evidence that thinhv programs the IOMMU; without them the scan
		# must say the hypervisor is reachable by DMA (fail closed).
		owner=$(sed -n 's/.*"owner": "\([a-z]*\)".*/\1/p' /tmp/hv.json)
		if grep -q '"kind": "iommu"' /tmp/hv.json; then
			expect_eq scan-owner-thinhv "$owner" thinhv
		elif grep -q '"id": "THV-HV-001"' /tmp/hv.json; then
			pass scan-hv-reachable "no IOMMU tables: owner $owner, THV-HV-001"
		else
			fail scan-hv-reachable "no IOMMU tables but no THV-HV-001 (owner $owner)"
		fi
		check unload-after-scan rmmod thinhv
	fi
	;;
esac

# The recordings (without, and with thinhv loaded) go to the serial log so
# the host can keep them as test data (tests/data/recordings/from-lab.sh):
# tar | gzip | base64 between markers. Not on Bochs: its slow UART loses the tail (and the end marker)
# when the guest powers off right after a dump of this size.
if [ "$PROFILE" != vmx ] && command -v base64 >/dev/null &&
	command -v tar >/dev/null; then
	for r in rec rec-hv; do
		[ -d /tmp/$r ] || continue
		echo "@@AUDITREC-BEGIN $r"
		tar -C /tmp -c $r | gzip -9 | base64
		echo "@@AUDITREC-END"
	done
fi

# Every JSON document the guest produces has the same shape as on the host;
# schema validation runs on the host (no python here): copy it out in the log.
note "scan summary: $(grep -A6 '"summary"' $scan | tr -d ' \n')"
