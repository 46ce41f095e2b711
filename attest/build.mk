# Userspace sources of attest/: pure event log (shared with the kernel),
# evidence container, ESAPI wrapper, verifier. OpenSSL libcrypto is used by
# att_crypto.c for ECDSA/RSA signature checks only (libsodium has neither).
PKGS += libcrypto
LIB_SRCS += attest/tcg_log.c attest/att_util.c attest/att_evidence.c \
	attest/att_tpm.c attest/att_crypto.c attest/att_report.c attest/att_canon.c \
	attest/att_verify.c
