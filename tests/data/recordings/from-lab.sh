#!/bin/sh
# from-lab.sh - keeps the recording a lab run of scenario audit_scan printed
# to its serial log (between @@AUDITREC-BEGIN/END, tar|gzip|base64) as
# tests/data/recordings/NAME (host). BLOCK picks the recording: rec (default,
# thinhv not loaded) or rec-hv (thinhv loaded).
# Usage: from-lab.sh SERIAL.LOG NAME [BLOCK]
set -eu
[ $# -eq 2 ] || [ $# -eq 3 ] || {
	echo "usage: $0 SERIAL.LOG NAME [rec|rec-hv]" >&2
	exit 2
}
block=${3:-rec}
here=$(cd "$(dirname "$0")" && pwd)
case $2 in */* | .* | "") echo "bad name '$2'" >&2; exit 2 ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tr -d '\r' <"$1" |
	awk -v b="$block" '$1 == "@@AUDITREC-BEGIN" { f = ($2 == b); next }
	/@@AUDITREC-END/ { f = 0 } f' |
	base64 -d | tar -C "$tmp" -xz --no-same-owner
[ -f "$tmp/$block/THINHV-RECORDING" ] || {
	echo "no recording '$block' in $1" >&2
	exit 1
}
rm -rf "${here:?}/$2"
mv "$tmp/$block" "$here/$2"
sed -i "s/^label: .*/label: $2/" "$here/$2/THINHV-RECORDING"
echo "kept $here/$2 ($(find "$here/$2" -type f | wc -l) files)"
