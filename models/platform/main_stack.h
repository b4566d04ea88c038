// SPDX-License-Identifier: GPL-2.0-only
// After sc_start() returns to the calling thread: tells AddressSanitizer the
// thread runs on its own stack again. SystemC 2.3.4 announces each switch
// between its coroutine stacks through ASan's fiber interface when a
// sanitizer is present, so after a simulation returns, ASan may still record
// the caller as running on the last coroutine's stack: a later exception
// thrown by the caller (__asan_handle_no_return) is then checked against the
// wrong bounds and reported as a stack-use-after-scope, and LeakSanitizer's
// exit-time check reads that stack after SystemC freed it. Does nothing in a
// build without ASan (the interface's symbols are weak and null then).
#pragma once

namespace smmusim {

void announce_main_stack();

}  // namespace smmusim
