# amd-linux-iommu: the amd machine with Linux's own AMD IOMMU driver left on
# (no amd_iommu=off): the peer of thinhv in the DMA benchmarks
# (iommu_bench_peer). thinhv refuses to take over an IOMMU Linux already
# translates with, so only scenarios without thinhv belong here.
PROFILE_EMU=qemu
PROFILE_IOMMU=amd
PROFILE_DESC="QEMU TCG -cpu max: AMD-Vi IOMMU owned by Linux's driver, 2 x edu, TPM 2.0"
profile_qemu_args() {
	QEMU_MACHINE="q35"
	QEMU_IOMMU=(-device amd-iommu)
	QEMU_APPEND=""
}
