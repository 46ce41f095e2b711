# Userspace sources of the policy component (into libthinhv.a).
# pol_blob.c is pure C shared with the kernel (see policy/kbuild.mk).
LIB_SRCS += policy/pol_blob.c policy/pol_xsd.c policy/pol_xml.c \
	policy/pol_inventory.c policy/pol_compile.c

# The schema is embedded with .incbin: pass its absolute path, rebuild on edit.
POL_XSD_FILE := $(CURDIR)/policy/thinhv-policy.xsd
$(B)/policy/pol_xsd.o: CFLAGS += -DPOL_XSD_PATH='"$(POL_XSD_FILE)"'
$(B)/policy/pol_xsd.o: $(POL_XSD_FILE)
