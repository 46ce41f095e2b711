# vmx: Bochs 2.7, corei7_skylake_x (Intel VMX with EPT, VPID, unrestricted
# guest). No IOMMU, no TPM, no edu. Boots from an isolinux ISO (~90 s per CPU).
PROFILE_EMU=bochs
PROFILE_IOMMU=none
PROFILE_DESC="Bochs corei7_skylake_x: Intel VMX+EPT, no IOMMU, no TPM"
BOCHS_CPU_MODEL=corei7_skylake_x
