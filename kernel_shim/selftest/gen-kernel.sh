#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# gen-kernel.sh TREE OUTDIR STAMP - the iommufd selftest's kernel
# configuration and uAPI headers, made at build time (only the selftest's
# targets wait for it, so configuring the project costs nothing more):
#   1. ../gen-config.sh TREE OUTDIR selftest.config overlay.h (the
#      product's configuration plus IOMMUFD_TEST and its dependencies,
#      TRANSPARENT_HUGEPAGE and IOMMU_IOPF)
#   2. make O=OUTDIR headers: the uAPI headers in OUTDIR/usr/include, the
#      selftest Makefile's KHDR_INCLUDES
#   3. the overlay must still be in OUTDIR's autoconf.h; then STAMP is
#      written
# Not for the product's configuration (kernel_shim/CMakeLists.txt).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
(($# == 3)) || { echo "usage: $0 TREE OUTDIR STAMP" >&2; exit 2; }
tree=$1 out=$2 stamp=$3
rm -f "$stamp"
"$here/../gen-config.sh" "$tree" "$out" "$here/selftest.config" "$here/overlay.h"
env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS ARCH=x86_64 make -s -C "$tree" O="$out" headers >&2
grep -q 'define SMMUSIM_CONFIG_OVERLAY' "$out/include/generated/autoconf.h" || {
	echo "gen-kernel: $out/include/generated/autoconf.h lost the smmusim overlay" >&2
	exit 1
}
touch "$stamp"
