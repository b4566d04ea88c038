// SPDX-License-Identifier: GPL-2.0-only
// What the smmusim program was built from: `smmusim --version` prints it and
// the statistics JSON names it. version.cc holds what the configuration
// knows (the CMake project version); the commit comes from a small source
// the build regenerates only when `git describe` changes
// (cmake/GitCommit.cmake), so a new commit recompiles one file and relinks
// the program, nothing else. (What the kernel shim was built from is asked
// of the kernel-level operations provider at run time: sim/kernel_ops_provider.h.)
#pragma once

// The CMake project VERSION, e.g. "0.1.0".
const char* smmusim_version();
// `git describe --always --dirty` of the source tree at build time, or
// "unknown" outside a git checkout.
const char* smmusim_commit();
