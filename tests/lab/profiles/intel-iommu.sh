# intel-iommu: QEMU TCG, VT-d remapping unit (intremap off), two edu DMA
# engines at 00:04.0 and 00:05.0, swtpm-backed TPM 2.0 (CRB). The CPU is still
# -cpu max (AMD SVM): VT-d and VMX are exercised in separate profiles.
PROFILE_EMU=qemu
PROFILE_IOMMU=intel
PROFILE_DESC="QEMU TCG: Intel VT-d IOMMU, 2 x edu, TPM 2.0 (CPU: -cpu max)"
profile_qemu_args() {
	QEMU_MACHINE="q35,kernel-irqchip=split"
	QEMU_IOMMU=(-device intel-iommu,intremap=off)
	QEMU_APPEND="intel_iommu=off"
}
