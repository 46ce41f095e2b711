# Userspace source lists, shared by the Makefile and tests/fuzz/fuzz.mk
# (each sets OBJ, where its objects go, before including this).
# Userspace: libthinhv.a holds the pure code shared with the module and
# the userspace libraries; the CLI is auditcli/cmd/ on top of it.
PKGS += libcrypto
LIB_SRCS := $(wildcard thinhv/pure/*.c) thinhv/host/hv_exit.c \
	thinhv/host/hv_pcicfg.c thinhv/host/hv_ranges.c thinhv/host/vmx_caps.c \
	$(wildcard vtd/acpi/*.c vtd/pure/*.c vtd/host/*.c) \
	$(wildcard attest/pure/*.c attest/lib/*.c) \
	$(wildcard policy/pure/*.c policy/lib/*.c)
# The audit library (inventory, findings, reports): build/libaudit.a, used
# by the CLI commands and the unit tests.
AUDIT_SRCS := $(wildcard auditcli/lib/*.c)
CLI_SRCS := $(wildcard auditcli/cmd/*.c)
# Unit tests link the audit library's self-contained helpers directly.
UNIT_SRCS := $(wildcard tests/unit/*.c) auditcli/lib/audit_text.c

# The schema is embedded with .incbin: pass its absolute path, rebuild on edit.
POL_XSD_FILE := $(CURDIR)/policy/thinhv-policy.xsd
$(OBJ)/policy/lib/pol_xsd.o: CFLAGS += -DPOL_XSD_PATH='"$(POL_XSD_FILE)"'
$(OBJ)/policy/lib/pol_xsd.o: $(POL_XSD_FILE)

