// SPDX-License-Identifier: GPL-2.0-only
// The kernel-integrity check of iommufd_fail_nth.c's cases: what the
// kernel's own run relies on (panic_on_warn, kmemleak, KASAN splats in the
// log), made a verdict the kselftest harness sees. Each case runs in a
// forked process (the harness's); from its start (fork) to its exit
// (_exit, wrapped, which first closes the process's descriptors as the
// kernel's exit does), every failure the shim records (a WARN, BUG, trap,
// sleep in atomic context, ...), every kmalloc block or DMA/page-table page
// left allocated, and a sweep whose injected failure never happened fail
// the case (its exit status becomes KSFT_FAIL), each reported as a KTAP
// diagnostic ("# kernel: ...") with the fail-nth iteration it came in. It
// also prints the sweep's figures ("# fail-nth: ..."). It does not judge
// what the calls return (the test does).
#pragma once

namespace smmusim::kshim::selftest {

// Reports the failures the kernel recorded since the last report (or the
// case's start), with the sweep's iteration; they fail the case at exit.
void report_new_failures();

}  // namespace smmusim::kshim::selftest
