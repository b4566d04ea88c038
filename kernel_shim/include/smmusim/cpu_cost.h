/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The CPU cost model's counters, as kernel code and the host side share them
 * (kernel_shim/host/cpu_cost.h turns them into simulated time).
 *
 * Kernel code only counts: a basic block of an upstream object
 * (__sanitizer_cov_trace_pc, from -fsanitize-coverage=trace-pc), an atomic
 * read-modify-write, a barrier, a lock taken, an allocation, an MMIO access,
 * a byte copied to or from user memory.  Counting is an increment of a
 * plain global: every context runs on the one host thread (SystemC
 * coroutines), so no lock and no atomic is needed.  What a count costs, and
 * when it becomes simulated time, is the host side's business.
 *
 * This header does not charge anything by itself and holds no costs.
 */
#ifndef SMMUSIM_CPU_COST_H
#define SMMUSIM_CPU_COST_H

enum smmusim_cpu_event {
	SMMUSIM_CPU_BLOCK,	/* a basic block of an upstream object */
	SMMUSIM_CPU_ATOMIC,	/* an atomic read-modify-write (LSE atomic / LDXR-STXR) */
	SMMUSIM_CPU_DMB,	/* smp_*mb(), dma_*mb(): arm64 DMB */
	SMMUSIM_CPU_DSB,	/* mb(), rmb(), wmb(): arm64 DSB */
	SMMUSIM_CPU_LOCK,	/* a mutex or rwsem taken (the shim's locking.c) */
	SMMUSIM_CPU_ALLOC,	/* a kmalloc or kfree (the shim's slab.c) */
	SMMUSIM_CPU_MMIO,	/* a device register access issued */
	SMMUSIM_CPU_COPY_BYTE,	/* a byte copied from or to user memory */
	SMMUSIM_CPU_EVENTS
};

#ifdef __cplusplus
extern "C" {
#endif

/* Counts since the host side last took them (kernel_shim/host/cpu_cost.cc). */
extern unsigned long long smmusim_cpu_events[SMMUSIM_CPU_EVENTS];

#ifdef __cplusplus
}
#endif

#define smmusim_cpu_event(kind, n) ((void)(smmusim_cpu_events[(kind)] += (n)))

#endif /* SMMUSIM_CPU_COST_H */
