#!/usr/bin/env bash
# kmod-selftest.sh - runs attest/kernel/att_measure.c in a real kernel against a real
# (emulated) TPM (host): builds tests/attest/kmod/att_selftest.ko with the
# lab kernel's headers, boots the lab kernel under QEMU/SeaBIOS with a
# private swtpm and a busybox initramfs that loads it, then checks on the
# host that the kernel's event log parses with tpm2_eventlog and replays, in
# every PCR bank the TPM has, to the PCR 12 values the guest read back from
# sysfs; that the logged SHA-256 digests are those of the measured bytes;
# that `thinhv attest` in the guest (module log via debugfs, real SeaBIOS
# firmware log, /dev/tpmrm0) produces evidence the host verifies with
# `thinhv verify` and tpm2_checkquote; and, in a second boot without a TPM,
# that require_tpm=1 refuses with "no TPM found" and require_tpm=0 carries on.
# Prints one "ok|not ok NAME" line per check; exit 0 only if all passed.
# Usage: tests/attest/kmod-selftest.sh   (needs scripts/deps.sh, the lab
#        kernel, and build/thinhv or $THINHV_CLI from `make tools`)
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
kver=$("$top/tests/lab/kver.sh") || exit 2
kdir=${KDIR:-/usr/src/linux-headers-$kver}
kernel=${THINHV_CACHE:-$HOME/.cache/thinhv}/kernel-$kver/vmlinuz
[[ -r $kernel ]] || { echo "kmod-selftest: no lab kernel $kernel (tests/lab/fetch-kernel)" >&2; exit 2; }
[[ -d $kdir ]] || { echo "kmod-selftest: no headers $kdir" >&2; exit 2; }
bb=$(command -v busybox) || exit 2
cli=${THINHV_CLI:-$top/build/thinhv}
[[ -x $cli ]] || { echo "kmod-selftest: $cli not built (make tools)" >&2; exit 2; }
nonce=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')

work=$(mktemp -d /tmp/thinhv-kmodst-XXXXXX)
swpid=""
cleanup() {
	[[ -n $swpid ]] && kill "$swpid" 2>/dev/null && wait "$swpid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT INT TERM
fails=0
ok() { echo "ok $1${2:+ - $2}"; }
notok() { echo "not ok $1${2:+ - $2}"; fails=$((fails + 1)); }

# --- build the module from the tree's sources ---
mkdir -p "$work/mod"
ln -s "$top/tests/attest/kmod/att_selftest.c" "$work/mod/selftest.c"
ln -s "$top/attest/pure/tcg_log.c" "$work/mod/tcg_log.c"
ln -s "$top/attest/kernel/att_measure.c" "$work/mod/att_measure.c"
cat >"$work/mod/Kbuild" <<KB
obj-m := att_selftest.o
att_selftest-y := selftest.o tcg_log.o att_measure.o
ccflags-y := -I$top/include -I$top -std=gnu11 -Wall -Werror
KB
if make -s -C "$kdir" M="$work/mod" modules >"$work/build.out" 2>&1; then
	ok build "att_selftest.ko against $kver"
else
	notok build "$(tail -5 "$work/build.out")"
	exit 1
fi

# --- initramfs ---
mkdir -p "$work/root/bin" "$work/root/proc" "$work/root/sys"
cp "$bb" "$work/root/bin/busybox"
for a in sh mount cat insmod rmmod dmesg grep sed poweroff echo ls base64; do
	ln -s busybox "$work/root/bin/$a"
done
cp "$work/mod/att_selftest.ko" "$work/root/"
# thinhv and the shared objects it needs (tctildr dlopens the device TCTI)
cp "$cli" "$work/root/thinhv"
for f in $( (ldd "$cli"; ldd /usr/lib/x86_64-linux-gnu/libtss2-tcti-device.so.0) |
	awk '/=>/ {print $3} /^[[:space:]]*\/lib/ {print $1}' | sort -u) \
	/usr/lib/x86_64-linux-gnu/libtss2-tcti-device.so.0; do
	[[ -e $f ]] && cp -L --parents "$f" "$work/root/"
done
echo "$nonce" >"$work/root/nonce"
iso=$(printf '%s' "att-selftest isolation state" | sha256sum | cut -d' ' -f1)
printf '{"devices":[],"isolation_state_sha256":"%s","selftest":true,"version":1}' \
	"$iso" >"$work/root/report.json"
cat >"$work/root/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t securityfs securityfs /sys/kernel/security
mount -t debugfs debugfs /sys/kernel/debug
if [ -e /sys/class/tpm/tpm0 ]; then
	insmod /att_selftest.ko
	for b in sha1 sha256 sha384 sha512; do
		[ -r /sys/class/tpm/tpm0/pcr-$b/12 ] &&
			echo "@@PCR12 $b $(cat /sys/class/tpm/tpm0/pcr-$b/12)"
	done
	for i in 0 1 2 3 4 5 6 7; do
		echo "@@PCR $i $(cat /sys/class/tpm/tpm0/pcr-sha256/$i)"
	done
	T=device:/dev/tpmrm0
	/thinhv ak create -o /ak.pub --tcti $T >/dev/null
	/thinhv attest --nonce "$(cat /nonce)" -o /ev.bin \
		--report /report.json --tcti $T \
		--thinhv-log /sys/kernel/debug/att_selftest/log
	echo "@@ATTEST rc=$?"
	echo "@@EV-BEGIN"; base64 /ev.bin; echo "@@EV-END"
	echo "@@AK-BEGIN"; base64 /ak.pub; echo "@@AK-END"
else
	insmod /att_selftest.ko require_tpm=1
	rmmod att_selftest
	dmesg | grep ATTSELF | sed 's/.*ATTSELF/@@REQ1/'
	dmesg -c >/dev/null
	insmod /att_selftest.ko require_tpm=0
fi
dmesg | grep -E 'ATTSELF|ATTLOG' | sed 's/.*\(ATTSELF\|ATTLOG\)/@@\1/'
echo "@@DONE"
poweroff -f
INIT
chmod +x "$work/root/init"
(cd "$work/root" && find . | cpio -o -H newc --quiet | gzip -1 >"$work/initrd.gz")

boot() { # boot with_tpm serial_file
	local tpmargs=()
	if [[ $1 == 1 ]]; then
		mkdir -p "$work/tpm"
		swtpm socket --tpm2 --tpmstate dir="$work/tpm" \
			--ctrl type=unixio,path="$work/tpm/sock" \
			>"$work/swtpm.out" 2>&1 &
		swpid=$!
		for _ in $(seq 100); do [[ -S $work/tpm/sock ]] && break; sleep 0.05; done
		tpmargs=(-chardev socket,id=c,path="$work/tpm/sock"
			-tpmdev emulator,id=t,chardev=c -device tpm-crb,tpmdev=t)
	fi
	timeout 300 qemu-system-x86_64 -machine q35 -accel tcg -cpu max -m 512 \
		-nographic -no-reboot -kernel "$kernel" -initrd "$work/initrd.gz" \
		-append "console=ttyS0 quiet panic=-1" "${tpmargs[@]}" -net none \
		</dev/null 2>&1 | tr -d '\r' >"$2"
	if [[ -n $swpid ]]; then
		kill "$swpid" 2>/dev/null
		wait "$swpid" 2>/dev/null
		swpid=""
	fi
}

# --- boot 1: with a TPM (SHA-1/256/384/512 banks) ---
boot 1 "$work/serial1"
s=$work/serial1
grep -q '^@@DONE' "$s" && ok boot-tpm || { notok boot-tpm "$(tail -5 "$s")"; exit 1; }
grep -q '^@@ATTSELF init rc=0 ' "$s" && ok init || notok init "$(grep ATTSELF "$s" | head -1)"
n=$(grep -c '^@@ATTSELF measure [0-2] rc=0 ' "$s")
[[ $n == 3 ]] && ok measure-3 || notok measure-3 "$(grep 'measure' "$s")"
grep -q '^@@ATTSELF bad-tag rc=-22$' "$s" && ok bad-tag-refused || notok bad-tag-refused
grep -q '^@@ATTSELF copy-empty-buffer rc=-28$' "$s" && ok copy-sizes || notok copy-sizes
sed -n 's/^@@ATTLOG \([0-9a-f]*\)$/\1/p' "$s" | tr -d '\n' | xxd -r -p >"$work/kernel.log"
want=$(sed -n 's/^@@ATTSELF log-bytes \([0-9]*\)$/\1/p' "$s")
[[ -n $want && $(stat -c %s "$work/kernel.log") == "$want" ]] && ok log-export "$want bytes" ||
	notok log-export "got $(stat -c %s "$work/kernel.log"), kernel said $want"

if tpm2_eventlog "$work/kernel.log" >"$work/eventlog.yaml" 2>&1; then
	ok tpm2_eventlog-parses
else
	notok tpm2_eventlog-parses "$(tail -3 "$work/eventlog.yaml")"
fi
# tpm2_eventlog's replay of PCR 12, per bank, vs the TPM's PCR 12 (sysfs)
awk '/^pcrs:/{p=1;next} p&&/^  [a-z0-9]+:/{b=$1;sub(":","",b);next}
	p&&/^ +12 *:/{v=$NF;sub("0x","",v);print b, tolower(v)}' \
	"$work/eventlog.yaml" | sort >"$work/replayed"
sed -n 's/^@@PCR12 \([a-z0-9]*\) \([0-9A-Fa-f]*\)$/\1 \2/p' "$s" |
	tr 'A-F' 'a-f' | sort >"$work/tpmvals"
nb=$(wc -l <"$work/tpmvals")
if ((nb >= 1)) && cmp -s "$work/replayed" "$work/tpmvals"; then
	ok replay-equals-tpm "PCR 12 in $nb banks: $(cut -d' ' -f1 "$work/tpmvals" | tr '\n' ' ')"
else
	notok replay-equals-tpm "replayed: $(tr '\n' ';' <"$work/replayed") tpm: $(tr '\n' ';' <"$work/tpmvals")"
fi
for d in "att-selftest hypervisor image" "att-selftest policy blob" \
	"att-selftest isolation state"; do
	h=$(printf '%s' "$d" | sha256sum | cut -d' ' -f1)
	if grep -qi "Digest: \"$h\"" "$work/eventlog.yaml"; then
		ok "sha256-of-'$d'"
	else
		notok "sha256-of-'$d'"
	fi
done
if grep -q 'EV_EVENT_TAG' "$work/eventlog.yaml" &&
	grep -q 'PCRIndex: 12' "$work/eventlog.yaml"; then
	ok event-type-and-pcr
else
	notok event-type-and-pcr
fi

# --- evidence produced in the guest, verified on the host ---
grep -q '^@@ATTEST rc=0$' "$s" && ok guest-attest || notok guest-attest "$(grep -m3 -E 'ATTEST|thinhv' "$s")"
sed -n '/^@@EV-BEGIN/,/^@@EV-END/p' "$s" | sed '1d;$d' | base64 -d >"$work/ev.bin" 2>/dev/null
sed -n '/^@@AK-BEGIN/,/^@@AK-END/p' "$s" | sed '1d;$d' | base64 -d >"$work/ak.pub" 2>/dev/null
{
	for pair in "hypervisor:att-selftest hypervisor image" \
		"policy:att-selftest policy blob" \
		"isolation-state:att-selftest isolation state"; do
		echo "${pair%%:*} sha256:$(printf '%s' "${pair#*:}" | sha256sum | cut -d' ' -f1)"
	done
	sed -n 's/^@@PCR \([0-7]\) \([0-9A-Fa-f]\{64\}\)$/pcr\1 sha256:\2/p' "$s"
} >"$work/ref.txt"
rc=0
"$cli" verify "$work/ev.bin" --ak "$work/ak.pub" --nonce "$nonce" \
	--reference "$work/ref.txt" --require-firmware-log >"$work/verdict" 2>&1 || rc=$?
[[ -n ${ATT_DEBUG:-} ]] && cat "$work/verdict" >&2
if ((rc == 0)) && grep -q '^verdict: PASS$' "$work/verdict"; then
	ok host-verify "$(grep -c '^check .* PASS' "$work/verdict") checks PASS incl. real firmware log"
else
	notok host-verify "rc=$rc $(grep -v PASS "$work/verdict" | head -5 | tr '\n' ' ')"
fi
rc=0
"$cli" verify "$work/ev.bin" --ak "$work/ak.pub" --nonce 00112233445566778899 \
	>/dev/null 2>&1 || rc=$?
((rc == 2)) && ok host-verify-other-nonce-fails || notok host-verify-other-nonce-fails "rc=$rc"
if "$cli" verify "$work/ev.bin" --extract "$work/x" --nonce "$nonce" >/dev/null &&
	(cd "$work/x" && tpm2_checkquote -u ak.pem -m quote.msg -s quote.sig \
		-f pcrs.tpm2-tools -g sha256 -q "$(cat qualification.hex)") >/dev/null 2>&1; then
	ok tpm2_checkquote-guest-quote
else
	notok tpm2_checkquote-guest-quote
fi

# --- boot 2: no TPM ---
boot 0 "$work/serial2"
s=$work/serial2
grep -q '^@@DONE' "$s" && ok boot-notpm || { notok boot-notpm "$(tail -5 "$s")"; exit 1; }
grep -q '^@@REQ1 init rc=-19 reason="no TPM found"$' "$s" &&
	ok require_tpm=1-refuses || notok require_tpm=1-refuses "$(grep REQ1 "$s" | head -2)"
grep -q '^@@ATTSELF init rc=0 ' "$s" && [[ $(grep -c '^@@ATTSELF measure [0-2] rc=0 ' "$s") == 3 ]] &&
	ok require_tpm=0-continues || notok require_tpm=0-continues "$(grep ATTSELF "$s" | head -3)"

echo "kmod-selftest: $fails failure(s)"
((fails == 0))
