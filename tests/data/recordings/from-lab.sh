#!/bin/sh
# from-lab.sh - keeps the recording a lab run of scenario audit_scan printed
# to its serial log (between @@AUDITREC-BEGIN/END, tar|gzip|base64) as
# tests/data/recordings/NAME (host). Usage: from-lab.sh SERIAL.LOG NAME
set -eu
[ $# -eq 2 ] || { echo "usage: $0 SERIAL.LOG NAME" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
case $2 in */* | .* | "") echo "bad name '$2'" >&2; exit 2 ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
awk '/@@AUDITREC-BEGIN/ { f = 1; next } /@@AUDITREC-END/ { f = 0 } f' "$1" |
	tr -d '\r' | base64 -d | tar -C "$tmp" -xz --no-same-owner
[ -f "$tmp/rec/THINHV-RECORDING" ] || { echo "no recording in $1" >&2; exit 1; }
rm -rf "${here:?}/$2"
mv "$tmp/rec" "$here/$2"
sed -i "s/^label: .*/label: $2/" "$here/$2/THINHV-RECORDING"
echo "kept $here/$2 ($(find "$here/$2" -type f | wc -l) files)"
