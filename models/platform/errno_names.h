// SPDX-License-Identifier: GPL-2.0-only
// Errno names, one table for the whole project: every errno Linux has, both
// ways ("EINVAL" <-> 22). The user-space ones (EINVAL, EADDRINUSE, ...) are
// glibc's strerrorname_np() (Linux's numbers); the kernel's own, never seen
// by user space (EPROBE_DEFER, ENOTSUPP, ...: include/linux/errno.h,
// 512..531), are listed here. The trace grammar's `expect=ERRNO`, the
// player's messages and the kernel shim's %pe all read it. It lives with
// the platform models because it is the one layer both the trace library
// and the kernel shim depend on.
#pragma once

#include <string>

namespace smmusim {

// The errno a name stands for ("0" is 0, aliases such as EWOULDBLOCK are
// accepted); -1 when the name is none.
int errno_by_name(const std::string& name);
// The name of errno `e` (> 0), or nullptr when Linux has none.
const char* errno_name_or_null(int e);
// The same, or "errno N" when Linux has none ("0" for 0).
std::string errno_name(int e);

}  // namespace smmusim
