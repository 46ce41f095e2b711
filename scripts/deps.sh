#!/usr/bin/env bash
# Installs every Debian package thinhv needs (build, tests, lab, demo).
# Idempotent: when everything is present it only runs dpkg-query and exits.
set -euo pipefail

PKGS=(
  build-essential pkg-config kmod cpio zstd xz-utils file bc
  libpci-dev pciutils libxml2-dev libxml2-utils libsodium-dev libcunit1-dev
  libjansson-dev
  libtss2-dev tpm2-tools swtpm swtpm-tools
  libssl-dev
  acpica-tools
  clang llvm libclang-rt-14-dev clang-format cppcheck
  qemu-system-x86 qemu-utils
  bochs bochsbios vgabios bochs-term
  busybox-static isolinux syslinux-common xorriso
  linux-headers-amd64
  python3
  debhelper dh-dkms dkms scdoc lintian mmdebstrap
)

missing=()
for p in "${PKGS[@]}"; do
  st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$st" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "deps: installing: ${missing[*]}" >&2
SUDO=""
[[ $(id -u) -eq 0 ]] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
