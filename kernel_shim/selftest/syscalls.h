// SPDX-License-Identifier: GPL-2.0-only
// What the selftest programs' system-call wrappers share (syscalls.cc has
// the wrappers of iommufd.c's calls; fail_nth/ adds those of
// iommufd_fail_nth.c): whose a descriptor is, errno as the C library sets
// it, and a call into the simulated kernel. It wraps nothing itself.
#pragma once

#include <functional>

namespace smmusim::kshim::selftest {

// A descriptor of the simulated process (the shim's table, 3..255; the
// real process's are moved above it at start-up).
bool simulated(int fd);
// A kernel return value as the C library returns it: -1 with errno set
// for a negative errno, else the value.
long sysret(long ret);
// Runs `call` (a system call of smmusim/fs_calls.h) on the simulated CPU;
// its value.
long kernel_call(const std::function<long()>& call);

}  // namespace smmusim::kshim::selftest
