// SPDX-License-Identifier: GPL-2.0-only
// The configuration's part of the version information (see version.h).
#include "version.h"

#ifndef SMMUSIM_VERSION
#error "SMMUSIM_VERSION must be defined by the build (apps/smmusim/CMakeLists.txt)"
#endif

const char* smmusim_version()
{
    return SMMUSIM_VERSION;
}
