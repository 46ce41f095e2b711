# amd: QEMU TCG, -cpu max (AMD SVM + NPT, LA57 unless --la57 off), AMD IOMMU,
# two edu DMA engines at 00:04.0 and 00:05.0, swtpm-backed TPM 2.0 (CRB).
PROFILE_EMU=qemu
PROFILE_IOMMU=amd
PROFILE_DESC="QEMU TCG -cpu max: AMD SVM+NPT, AMD-Vi IOMMU, 2 x edu, TPM 2.0"
profile_qemu_args() {
	QEMU_MACHINE="q35"
	QEMU_IOMMU=(-device amd-iommu)
	QEMU_APPEND="amd_iommu=off"
}
