# vmx: Bochs 2.7, corei7_skylake_x (Intel VMX with EPT, VPID, unrestricted
# guest). No IOMMU, no TPM, no edu. Boots from an isolinux ISO (~90 s per CPU).
PROFILE_EMU=bochs
PROFILE_IOMMU=none
PROFILE_DESC="Bochs corei7_skylake_x: Intel VMX+EPT, no IOMMU, no TPM"
BOCHS_CPU_MODEL=corei7_skylake_x
# Bochs' TSC and local APIC timer count emulated ticks (run's bochsrc:
# ips=100000000, i.e. 100 MHz), but Linux 6.1 takes the TSC and APIC timer
# frequency of a Skylake-X from CPUID leaves 0x15/0x16 (GHz), so guest
# time ran ~30x slower than the emulated machine: one guest second was
# ~3e9 emulated instructions per CPU and a 60-second hv_stress took hours.
# Giving the TSC frequency skips that (the APIC timer is then calibrated
# against the PIT, which Bochs also drives from ticks); lpj= to match
# (udelay counts TSC cycles: 100 MHz / HZ 250), overriding run's default.
BOCHS_APPEND="tsc_early_khz=100000 lpj=400000"
