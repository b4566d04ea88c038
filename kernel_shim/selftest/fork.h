// SPDX-License-Identifier: GPL-2.0-only
// A second simulated process for the selftest's cases that fork (fork.cc):
// what the other system-call wrappers (syscalls.cc) need of it.
#pragma once

namespace smmusim::kshim::selftest {

// Before a blocking read() of a real descriptor: serves the system calls of
// this process's forked children until `fd` is readable (or they are all
// gone), so a parent waiting for its child (an eventfd, a pipe) lets the
// child's calls into the simulated kernel run.
void serve_children_until_readable(int fd);

}  // namespace smmusim::kshim::selftest
