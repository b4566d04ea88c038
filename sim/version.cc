// SPDX-License-Identifier: GPL-2.0-only
// The configuration's part of the version information (see version.h).
// Compiled as part of the program, so it sees the program's own compile
// definitions: SMMUSIM_HAVE_KERNEL_SHIM and the tree and version the shim
// library exports (kernel_shim/CMakeLists.txt).
#include "version.h"

#ifndef SMMUSIM_VERSION
#error "SMMUSIM_VERSION must be defined by the build (sim/CMakeLists.txt)"
#endif

const char* smmusim_version()
{
    return SMMUSIM_VERSION;
}

const char* smmusim_kernel_info()
{
#ifdef SMMUSIM_HAVE_KERNEL_SHIM
    return "Linux " SMMUSIM_KERNEL_VERSION " from " SMMUSIM_KERNEL_TREE;
#else
    return "no kernel shim";
#endif
}
