#!/usr/bin/env bash
# capture-fwlog.sh - records a real firmware event log as golden test data
# (host): boots the lab kernel under QEMU with SeaBIOS and a private swtpm,
# and a busybox initramfs that prints binary_bios_measurements and the
# kernel's view of PCRs 0-7 (sysfs pcr-sha256) on the serial console.
# Writes OUTDIR/seabios-fw.log and OUTDIR/seabios-pcrs.txt
# ("N HEX" lines), which tests/unit/test_att_log.c replays and compares.
# Usage: tests/attest/capture-fwlog.sh [OUTDIR]   (default tests/data/attest)
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$top/tests/data/attest}
kver=$("$top/tests/lab/kver.sh")
kernel=${THINHV_CACHE:-$HOME/.cache/thinhv}/kernel-$kver/vmlinuz
[[ -r $kernel ]] || { echo "capture: no lab kernel at $kernel (tests/lab/fetch-kernel)" >&2; exit 2; }
bb=$(command -v busybox)
file -L "$bb" | grep -q 'statically linked' || { echo "capture: need busybox-static" >&2; exit 2; }

work=$(mktemp -d /tmp/thinhv-fwlog-XXXXXX)
swpid=""
cleanup() {
	[[ -n $swpid ]] && kill "$swpid" 2>/dev/null && wait "$swpid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

mkdir -p "$work/root/bin" "$work/root/proc" "$work/root/sys" "$work/tpm"
cp "$bb" "$work/root/bin/busybox"
for a in sh mount cat base64 poweroff echo sleep ls; do
	ln -s busybox "$work/root/bin/$a"
done
cat >"$work/root/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t securityfs securityfs /sys/kernel/security
echo "@@FWLOG-BEGIN"
base64 /sys/kernel/security/tpm0/binary_bios_measurements
echo "@@FWLOG-END"
for i in 0 1 2 3 4 5 6 7; do
	echo "@@PCR $i $(cat /sys/class/tpm/tpm0/pcr-sha256/$i)"
done
echo "@@DONE"
poweroff -f
INIT
chmod +x "$work/root/init"
(cd "$work/root" && find . | cpio -o -H newc --quiet | gzip -1 >"$work/initrd.gz")

swtpm socket --tpm2 --tpmstate dir="$work/tpm" \
	--ctrl type=unixio,path="$work/tpm/sock" >"$work/swtpm.out" 2>&1 &
swpid=$!
for _ in $(seq 100); do [[ -S $work/tpm/sock ]] && break; sleep 0.05; done

# TCG like the lab (nested KVM is not dependable here)
timeout 300 qemu-system-x86_64 -machine q35 -accel tcg -cpu max -m 256 -nographic \
	-no-reboot -kernel "$kernel" -initrd "$work/initrd.gz" \
	-append "console=ttyS0 quiet panic=-1" \
	-chardev socket,id=c,path="$work/tpm/sock" -tpmdev emulator,id=t,chardev=c \
	-device tpm-crb,tpmdev=t -net none </dev/null >"$work/serial" 2>&1 || true
tr -d '\r' <"$work/serial" >"$work/serial.txt"
grep -q '^@@DONE' "$work/serial.txt" || { echo "capture: guest did not finish; serial:" >&2; tail -20 "$work/serial.txt" >&2; exit 1; }

mkdir -p "$out"
sed -n '/^@@FWLOG-BEGIN/,/^@@FWLOG-END/p' "$work/serial.txt" | sed '1d;$d' |
	base64 -d >"$out/seabios-fw.log"
sed -n 's/^@@PCR \([0-7]\) \([0-9A-Fa-f]\{64\}\)$/\1 \2/p' "$work/serial.txt" |
	tr 'A-F' 'a-f' >"$out/seabios-pcrs.txt"
[[ $(wc -l <"$out/seabios-pcrs.txt") -eq 8 ]] || { echo "capture: PCR values missing" >&2; exit 1; }
echo "capture: $(wc -c <"$out/seabios-fw.log") bytes of firmware log, 8 PCRs -> $out"
