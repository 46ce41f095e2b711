#!/bin/sh
# kmod-src.sh DEST - copy the sources thinhv.ko is built from (the Kbuild
# and the kernel-side folders) into DEST: the DKMS source tree of the
# thinhv-dkms package, or the private build directory of `make install`.
# Run from the top of the tree.
set -eu
dest=${1:?usage: kmod-src.sh DEST}
mkdir -p "$dest"
cp Kbuild "$dest/"
# Everything the Kbuild compiles lives under these folders; the
# userspace-only ones (attest/lib, policy/lib, auditcli) stay out.
find include thinhv vtd attest/pure attest/kernel policy/pure -type f \
	\( -name '*.c' -o -name '*.h' -o -name '*.S' \) |
	while read -r f; do
		mkdir -p "$dest/$(dirname "$f")"
		cp "$f" "$dest/$f"
	done
