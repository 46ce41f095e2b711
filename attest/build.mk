# Userspace sources of attest/: pure event log (shared with the kernel),
# evidence container, ESAPI wrapper, verifier. OpenSSL libcrypto is used by
# the verifier for ECDSA/RSA signature checks only (libsodium has neither).
PKGS += libcrypto
LIB_SRCS += attest/tcg_log.c
