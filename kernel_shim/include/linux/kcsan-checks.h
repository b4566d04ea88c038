/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * smmusim shadow of <linux/kcsan-checks.h> (found before the tree's).
 *
 * The tree's header is included as it is.  In the upstream objects the CPU
 * cost model counts (SMMUSIM_CPU_COST_COUNTED, kernel_shim/CMakeLists.txt),
 * the hook every instrumented atomic read-modify-write passes through
 * (instrument_atomic_read_write(): atomic*_{add,sub,inc,dec,fetch_*,
 * *_return,cmpxchg,xchg}, test_and_{set,clear}_bit, ...) also counts one
 * atomic, which the host side charges as an arm64 LSE atomic.  KCSAN is off
 * in this configuration, so the hook did nothing before.  Atomic plain
 * loads and stores (atomic_read/atomic_set, set_bit) are not counted: they
 * go through the read/write hooks, which cannot tell them apart.
 */
#ifndef SMMUSIM_SHADOW_KCSAN_CHECKS_H
#define SMMUSIM_SHADOW_KCSAN_CHECKS_H

#include_next <linux/kcsan-checks.h>

#ifdef SMMUSIM_CPU_COST_COUNTED
#include <smmusim/cpu_cost.h>
#undef kcsan_check_atomic_read_write
#define kcsan_check_atomic_read_write(ptr, size) smmusim_cpu_event(SMMUSIM_CPU_ATOMIC, 1)
#endif

#endif /* SMMUSIM_SHADOW_KCSAN_CHECKS_H */
