# debian: the amd machine (QEMU TCG -cpu max: AMD SVM+NPT, AMD-Vi, 2 x edu at
# 00:04.0/00:05.0, swtpm TPM 2.0) booting a real Debian 12 with systemd from
# its disk (ext4 labelled debian-lab), with thinhv installed from the project's .debs and
# thinhv.ko built by DKMS (tests/lab/debian/build-debian-image, cached).
# The scenario, lib.sh and static probes of this boot come on a second disk
# (a raw tar) that lab-run.service unpacks into /lab.
PROFILE_EMU=qemu
PROFILE_IOMMU=amd
PROFILE_DESC="QEMU TCG -cpu max: AMD SVM+NPT, AMD-Vi, 2 x edu, TPM 2.0; Debian 12 + systemd from disk"
profile_qemu_args() {
	local dir=$LAB_CACHE/debian12-$LAB_KVER img
	img=$(cat "$dir/current" 2>/dev/null)
	[[ -n $img && -s $img ]] ||
		lab_die "no Debian lab image in $dir: run 'make debian-image'"
	QEMU_MACHINE="q35"
	QEMU_IOMMU=(-device amd-iommu)
	# By label: either AHCI port may come first. (No rootdelay=: Debian's
	# initramfs sleeps that long before it even looks for the root.)
	QEMU_APPEND="amd_iommu=off root=LABEL=debian-lab rw systemd.show_status=0"
	QEMU_KERNEL=$dir/vmlinuz
	QEMU_INITRD=(-initrd "$dir/initrd.img")
	# The cached image stays pristine: each boot writes to an overlay.
	qemu-img create -q -f qcow2 -b "$img" -F raw "$rundir/root.qcow2" ||
		lab_die "qemu-img overlay of $img failed"
	# The guest runs the packaged /usr/sbin/thinhv, not the lab's copy.
	tar -cf "$rundir/payload.tar" -C "$LAB_BUILD/rootfs" --exclude=lab/bin/thinhv \
		lab/lib.sh lab/scenarios lab/bin ||
		lab_die "cannot pack the lab payload from $LAB_BUILD/rootfs"
	QEMU_DISKS=(-drive file="$rundir/root.qcow2",format=qcow2,if=none,id=disk0
		-device ide-hd,drive=disk0,bus=ide.0
		-drive file="$rundir/payload.tar",format=raw,if=none,id=disk1
		-device ide-hd,drive=disk1,bus=ide.1)
}
