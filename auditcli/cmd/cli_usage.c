// SPDX-License-Identifier: GPL-2.0-only
/*
 * cli_usage.c - the `thinhv COMMAND --help` text of every subcommand, in one
 * table that main.c prints (host userspace). The man pages
 * (docs/man/thinhv-COMMAND.8.scd) name the same options: tests/pkg/check
 * compares the two both ways.
 */
#include <string.h>

#include "auditcli/cmd/cli.h"

static const struct {
	const char *name;
	const char *text;
} usages[] = {
	{ "acpi",
	  "usage: thinhv acpi [--json | --fields] [FILE...]\n"
	  "Decode DMAR (Intel VT-d) and IVRS (AMD-Vi) ACPI tables; without "
	  "FILE\nthe running machine's.\n"
	  "  --json     machine-readable output\n"
	  "  --fields   normalized 'OFFSET NAME VALUE' lines\n"
	  "  --help     this text\n" },
	{ "ak",
	  "usage: thinhv ak create [--tcti T] [-o AK.pub] [--pem AK.pem] "
	  "[--ek EK.pub]\n"
	  "                        [--ek-pem EK.pem] [--ek-cert EK.der]\n"
	  "       thinhv ak name AK.pub\n"
	  "       thinhv ak make-credential --ek EK.pub --ak AK.pub --secret "
	  "HEX -o CRED\n"
	  "                                 [--tcti T]\n"
	  "       thinhv ak activate CRED [-o SECRET] [--tcti T]\n"
	  "Make and certify the TPM attestation key.\n"
	  "  --tcti T        TPM connection (default: the tss2 default)\n"
	  "  --output, -o    output file\n"
	  "  --pem FILE      the AK public key as PEM\n"
	  "  --ek FILE       the EK public part (TPM2B_PUBLIC)\n"
	  "  --ek-pem FILE   the EK public key as PEM\n"
	  "  --ek-cert FILE  the EK certificate (DER) from the TPM's NV index\n"
	  "  --ak FILE       the AK public part (make-credential)\n"
	  "  --secret HEX    the challenge secret (make-credential)\n"
	  "  --help          this text\n" },
	{ "attest",
	  "usage: thinhv attest --nonce HEX -o EVIDENCE --report FILE "
	  "[--thinhv-log FILE]\n"
	  "                     [--firmware-log FILE|none] [--tcti T]\n"
	  "Quote PCRs with the AK and bundle the evidence.\n"
	  "  --nonce HEX           the verifier's fresh nonce\n"
	  "  --output, -o FILE     the evidence bundle\n"
	  "  --report FILE         JSON isolation report bound by the quote\n"
	  "  --thinhv-log FILE     thinhv's event log (default: from "
	  "/dev/thinhv)\n"
	  "  --firmware-log FILE   firmware event log, or none\n"
	  "  --tcti T              TPM connection\n"
	  "  --help                this text\n" },
	{ "compare",
	  "usage: thinhv compare [--json | --html] [--replay DIR | --record "
	  "DIR]\n"
	  "                      [--pci-ids FILE]\n"
	  "Compare the driver-domain, in-hypervisor and thinhv I/O models for "
	  "this host.\n"
	  "  --json           machine-readable output\n"
	  "  --html           a self-contained HTML page\n"
	  "  --record DIR     save what was read from this host into DIR\n"
	  "  --replay DIR     read a recorded host instead of this one\n"
	  "  --pci-ids FILE   PCI name database\n"
	  "  --help           this text\n" },
	{ "load",
	  "usage: thinhv load [--config FILE] [--policy FILE] [--dry-run]\n"
	  "Compile the configured policy, load thinhv.ko with it and say in "
	  "one line\nwhat is enforced or why not (thinhv.service runs this).\n"
	  "  --config FILE   settings (default /etc/thinhv/thinhv.conf)\n"
	  "  --policy FILE   policy XML instead of the configured one\n"
	  "  --dry-run       compile and print the module command; load "
	  "nothing\n"
	  "  --help          this text\n"
	  "exit: 0 enforced, 2 not enforced, 4 error\n" },
	{ "policy",
	  "usage: thinhv policy check POLICY [--inventory FILE]\n"
	  "       thinhv policy compile POLICY -o BLOB [--inventory FILE]\n"
	  "       thinhv policy show BLOB|POLICY [--inventory FILE]\n"
	  "       thinhv policy digest POLICY|BLOB [--inventory FILE]\n"
	  "       thinhv policy inventory [-o FILE]\n"
	  "       thinhv policy apply POLICY|BLOB [--inventory FILE]\n"
	  "Check, compile, show and apply DMA policies (thinhv-policy(5)).\n"
	  "  --inventory FILE   a recorded device inventory instead of this "
	  "host\n"
	  "  --output, -o FILE  output file\n"
	  "  --help             this text\n" },
	{ "report",
	  "usage: thinhv report [--json | --html] [--replay DIR | --record "
	  "DIR]\n"
	  "                     [--baseline OLD.json] [--pci-ids FILE]\n"
	  "                     [--evidence EVIDENCE --ak AK.pub --nonce HEX]\n"
	  "Scan, status, findings and comparison (and an attestation "
	  "verdict).\n"
	  "  --json             machine-readable output\n"
	  "  --html             a self-contained HTML page\n"
	  "  --record DIR       save what was read from this host into DIR\n"
	  "  --replay DIR       read a recorded host instead of this one\n"
	  "  --baseline FILE    an earlier --json scan to diff against\n"
	  "  --pci-ids FILE     PCI name database\n"
	  "  --evidence FILE    evidence bundle to verify\n"
	  "  --ak FILE          the AK public part\n"
	  "  --nonce HEX        the nonce the evidence must carry\n"
	  "  --help             this text\n" },
	{ "scan",
	  "usage: thinhv scan [--json | --html] [--record DIR | --replay DIR]\n"
	  "                   [--baseline OLD.json] [--pci-ids FILE]\n"
	  "Inventory this host's DMA exposure and list findings.\n"
	  "  --json             machine-readable output\n"
	  "  --html             a self-contained HTML page\n"
	  "  --record DIR       save what was read from this host into DIR\n"
	  "  --replay DIR       read a recorded host instead of this one\n"
	  "  --baseline FILE    an earlier --json scan to diff against\n"
	  "  --pci-ids FILE     PCI name database\n"
	  "  --help             this text\n" },
	{ "status",
	  "usage: thinhv status\n"
	  "The running hypervisor's state from /dev/thinhv: CPUs, counters,\n"
	  "protected ranges, measurements, DMA domains, faults.\n"
	  "  --help   this text\n" },
	{ "unload",
	  "usage: thinhv unload\n"
	  "Unload thinhv unless it was loaded with lock=1.\n"
	  "  --help   this text\n"
	  "exit: 0 unloaded or not loaded, 2 locked or refused, 4 error\n" },
	{ "verify",
	  "usage: thinhv verify EVIDENCE --ak AK.pub --nonce HEX [--reference "
	  "REF]\n"
	  "                     [--expect-policy DIGEST] "
	  "[--require-firmware-log]\n"
	  "                     [--sign-key KEY] [-o VERDICT]\n"
	  "       thinhv verify EVIDENCE --extract DIR [--nonce HEX]\n"
	  "       thinhv verify --gen-sign-key KEY\n"
	  "       thinhv verify --check-verdict VERDICT --pubkey BASE64\n"
	  "Verify evidence offline.\n"
	  "  --ak FILE                the AK public part\n"
	  "  --nonce HEX              the nonce the quote must carry\n"
	  "  --reference FILE         reference values to compare with\n"
	  "  --expect-policy DIGEST   the policy that must be enforced\n"
	  "  --require-firmware-log   fail without a firmware event log\n"
	  "  --sign-key FILE          sign the verdict\n"
	  "  --output, -o FILE        write the verdict\n"
	  "  --extract DIR            unpack the bundle\n"
	  "  --gen-sign-key FILE      make a verdict signing key\n"
	  "  --check-verdict FILE     check a signed verdict\n"
	  "  --pubkey BASE64          the verdict signer's public key\n"
	  "  --help                   this text\n"
	  "exit: 0 pass, 1 pass with warnings, 2 fail, 4 error\n" },
};

const char *cli_usage(const char *name)
{
	for (size_t i = 0; i < sizeof(usages) / sizeof(usages[0]); i++)
		if (!strcmp(usages[i].name, name))
			return usages[i].text;
	return NULL;
}
