#!/bin/sh
# Prints the kernel release the lab boots: the one Debian's linux-headers-amd64
# metapackage depends on (e.g. 6.1.0-56-amd64). Used for KDIR and the guest image.
dep=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null) || {
	echo "kver: linux-headers-amd64 is not installed (run scripts/deps.sh)" >&2
	exit 1
}
echo "$dep" | sed -n 's/^linux-headers-\([^ ,]*\).*/\1/p'
