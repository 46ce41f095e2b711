# common.sh - shared paths and helpers for the lab scripts (host userspace).
# Sourced, not run.
LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$LAB_DIR/../.." && pwd)
LAB_BUILD=${LAB_BUILD:-$TOP/build/lab}
# Downloads survive `make clean` and fresh clones on the same machine.
LAB_CACHE=${THINHV_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/thinhv}
LAB_KVER=${LAB_KVER:-$("$LAB_DIR/kver.sh")}
LAB_KERNEL=$LAB_CACHE/kernel-$LAB_KVER/vmlinuz
LAB_INITRD=$LAB_BUILD/initrd.img

lab_die() {
	echo "lab: error: $*" >&2
	exit 2
}

lab_note() {
	echo "lab: $*" >&2
}
