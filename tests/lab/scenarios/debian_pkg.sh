# debian_pkg: thinhv as a Debian server package (profile debian only). The
# image has the thinhv and thinhv-dkms .debs installed with apt, DKMS built
# thinhv.ko for this kernel, /etc/thinhv/policy.xml gives edu A (00:04.0) an
# 8 MiB window and denies edu B (00:05.0). Asserted: thinhv.service loaded it
# at boot, `thinhv status` and `systemctl status` agree, edu B's DMA is
# blocked (bytes unchanged) while edu A's window works, `man thinhv`
# renders, `systemctl stop` unloads (edu B's DMA lands again), a bad
# policy fails the unit with its reason in the journal, `dpkg -r`
# removes both packages and DKMS forgets the module.
# lab-append: memmap=16M$0x8000000
# lab-timeout: 900
A=0000:00:04.0
B=0000:00:05.0
WIN=$((0x8000000))
OUT=$((0x8800000))
LEN=1024
hx() { printf '%#x' "$1"; }
h() { edu mem hash "$(hx "$1")" $LEN; }

if [ "$PROFILE" != debian ]; then
	skip debian-only "needs the Debian image (profile debian)"
	return 0 2>/dev/null || exit 0
fi
kver=$(uname -r)
say "A Debian 12 server booted with systemd; thinhv came from apt, thinhv.ko from DKMS."
d=$(dkms status thinhv 2>/dev/null | tr '\n' ' ')
case "$d" in
*"$kver"*installed*) pass dkms-built "$d" ;;
*) fail dkms-built "$d" ;;
esac
ko=$(modinfo -n thinhv 2>&1)
case "$ko" in
/lib/modules/$kver/updates/dkms/thinhv.ko*) pass dkms-module "$ko" ;;
*) fail dkms-module "$ko" ;;
esac

# thinhv.service ran at boot and says what it enforces.
expect_eq service-active "$(systemctl is-active thinhv.service)" active
line=$(journalctl -b -u thinhv.service -o cat 2>&1 | grep '^thinhv: ' | tail -n 1)
case "$line" in
"thinhv: enforcing /etc/thinhv/policy.xml (sha256 "*) pass service-says "$line" ;;
*) fail service-says "journal: $line" ;;
esac
st=$(thinhv status 2>&1)
sys=$(systemctl status thinhv.service 2>&1)
note "$(echo "$sys" | head -n 4 | tr '\n' '|')"
if echo "$st" | grep -qx 'launched: 1' && echo "$sys" | grep -q 'Active: active (exited)' &&
	echo "$sys" | grep -q 'thinhv: enforcing'; then
	pass status-agree "thinhv status launched: 1; systemctl: active (exited), enforcing"
else
	fail status-agree "status: $(echo "$st" | head -n 6 | tr '\n' '|') systemctl: $(echo "$sys" | tr '\n' '|')"
fi
measured=$(echo "$st" | sed -n 's/^measured: policy \([0-9a-f]*\)$/\1/p')
said=$(echo "$line" | sed -n 's/.*(sha256 \([0-9a-f]*\)\.\.\.).*/\1/p')
case "$measured" in
"$said"*) [ -n "$said" ] && pass digest-agree "service said $said, TPM log has $measured" ||
	fail digest-agree "no digest in '$line'" ;;
*) fail digest-agree "service said '$said', measured '$measured'" ;;
esac
ist=$(cat /sys/module/thinhv/parameters/iommu_status 2>&1)
echo "$ist" | grep -q "^dev $A window" && echo "$ist" | grep -q "^dev $B deny" &&
	pass verdicts "A window, B deny" || fail verdicts "$(echo "$ist" | grep '^dev' | tr '\n' '|')"

# Enforcement, on memory bytes: edu A inside its window works (so the
# block below is the policy's doing), edu B is blocked.
edu mem fill $(hx $WIN) 4096 0x5a
edu mem fill $(hx $((WIN + 0x1000))) 4096 0x00
edu dma $A to-dev $(hx $WIN) $LEN && edu dma $A to-ram $(hx $((WIN + 0x1000))) $LEN
expect_eq window-dma-works "$(h $((WIN + 0x1000)))" "$(h $WIN)"
edu mem fill $(hx $OUT) 4096 0x11
before=$(h $OUT)
edu dma $B to-dev $(hx $WIN) $LEN
edu dma $B to-ram $(hx $OUT) $LEN
expect_eq denied-dma-blocked "$(h $OUT)" "$before"

# The manual is installed and renders.
m=$(MANPAGER=cat MANWIDTH=80 man thinhv 2>&1)
echo "$m" | grep -q 'thinhv - thin hypervisor for DMA isolation' &&
	echo "$m" | grep -q 'LIVING BESIDE FWUPD' &&
	pass man-renders "$(echo "$m" | wc -l) lines" || fail man-renders "$(echo "$m" | head -n 3 | tr '\n' '|')"
m=$(MANPAGER=cat man 5 thinhv.conf 2>&1 | grep -c require_tpm)
[ "$m" -gt 0 ] && pass man5-renders "thinhv.conf(5)" || fail man5-renders "no require_tpm in thinhv.conf(5)"

# systemctl stop unloads (lock = 0 here) and the DMA lands again.
systemctl stop thinhv.service
expect_eq stop-inactive "$(systemctl is-active thinhv.service)" inactive
if grep -q '^thinhv ' /proc/modules; then
	fail stop-unloads "thinhv still in /proc/modules"
else
	pass stop-unloads "$(journalctl -b -u thinhv.service -o cat | grep '^thinhv: ' | tail -n 1)"
fi
edu mem fill $(hx $OUT) 4096 0x11
before=$(h $OUT)
edu dma $B to-ram $(hx $OUT) $LEN
if [ "$(h $OUT)" != "$before" ]; then
	pass dma-after-stop "edu B reached $(hx $OUT) again"
else
	fail dma-after-stop "memory unchanged: still blocked?"
fi

# A policy that does not compile: the unit fails loudly, the journal and
# systemctl status carry the reason with file and line, nothing is loaded.
cp /etc/thinhv/policy.xml /tmp/policy.good
sed -i 's/size="8M"/size="8Q"/' /etc/thinhv/policy.xml
systemctl start thinhv.service 2>/dev/null
expect_eq bad-policy-unit-failed "$(systemctl is-active thinhv.service)" failed
why=$(journalctl -b -u thinhv.service -o cat | grep 'not enforced' | tail -n 1)
sys=$(systemctl status thinhv.service 2>&1)
case "$why" in
*"not enforced: policy /etc/thinhv/policy.xml:"[0-9]*)
	echo "$sys" | grep -q 'not enforced' &&
		pass bad-policy-reason "$why" || fail bad-policy-reason "systemctl status lacks it: $(echo "$sys" | tr '\n' '|')" ;;
*) fail bad-policy-reason "journal: '$why'" ;;
esac
grep -q '^thinhv ' /proc/modules && fail bad-policy-not-loaded "thinhv loaded" ||
	pass bad-policy-not-loaded "thinhv not in /proc/modules"
cp /tmp/policy.good /etc/thinhv/policy.xml
systemctl reset-failed thinhv.service

# Removal: both packages, the module leaves DKMS and the disk.
out=$(DEBIAN_FRONTEND=noninteractive dpkg -r thinhv thinhv-dkms 2>&1)
rc=$?
[ $rc = 0 ] && pass dpkg-remove "$(echo "$out" | grep -c '^Removing') packages removed" ||
	fail dpkg-remove "rc=$rc $(echo "$out" | tail -n 4 | tr '\n' '|')"
# (dkms's own pipes print "echo: write error: Broken pipe" on stderr.)
d=$(dkms status 2>/dev/null | grep thinhv)
[ -z "$d" ] && pass dkms-forgot "dkms status lists no thinhv" || fail dkms-forgot "$d"
if ls /lib/modules/$kver/updates/dkms/thinhv.ko* >/dev/null 2>&1 || [ -e /usr/sbin/thinhv ]; then
	fail removed-files "$(ls /lib/modules/$kver/updates/dkms/ /usr/sbin/thinhv 2>&1 | tr '\n' ' ')"
else
	pass removed-files "no thinhv.ko for $kver, no /usr/sbin/thinhv"
fi
