/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * smmusim shadow of <asm/barrier.h> (found before the x86 header).
 *
 * The x86 header is included as it is.  In the upstream objects the CPU cost
 * model counts (SMMUSIM_CPU_COST_COUNTED, kernel_shim/CMakeLists.txt), each
 * barrier counts the arm64 instruction it is there: mb()/rmb()/wmb() are DSBs
 * (arch/arm64/include/asm/barrier.h: dsb(sy/ld/st)), smp_mb()/smp_rmb()/
 * smp_wmb() and dma_mb()/dma_rmb()/dma_wmb() are DMBs (the inner- and
 * outer-shareable dmb variants).
 * On the host each stays a compiler barrier: every context runs on one host
 * thread (SystemC coroutines) and the models read memory on that thread too,
 * so no fence instruction is needed for the ordering the code relies on.
 * smp_load_acquire()/smp_store_release() (LDAR/STLR) are not counted.
 */
#ifndef SMMUSIM_SHADOW_ASM_BARRIER_H
#define SMMUSIM_SHADOW_ASM_BARRIER_H

#include_next <asm/barrier.h>

#if defined(SMMUSIM_CPU_COST_COUNTED) && !defined(__ASSEMBLY__)
#include <smmusim/cpu_cost.h>

#define smmusim_counted_barrier(kind) do { smmusim_cpu_event(kind, 1); barrier(); } while (0)

#undef mb
#undef rmb
#undef wmb
#define mb()	smmusim_counted_barrier(SMMUSIM_CPU_DSB)
#define rmb()	smmusim_counted_barrier(SMMUSIM_CPU_DSB)
#define wmb()	smmusim_counted_barrier(SMMUSIM_CPU_DSB)

#undef smp_mb
#undef smp_rmb
#undef smp_wmb
#undef dma_mb
#undef dma_rmb
#undef dma_wmb
#define smp_mb()	smmusim_counted_barrier(SMMUSIM_CPU_DMB)
#define smp_rmb()	smmusim_counted_barrier(SMMUSIM_CPU_DMB)
#define smp_wmb()	smmusim_counted_barrier(SMMUSIM_CPU_DMB)
#define dma_mb()	smmusim_counted_barrier(SMMUSIM_CPU_DMB)
#define dma_rmb()	smmusim_counted_barrier(SMMUSIM_CPU_DMB)
#define dma_wmb()	smmusim_counted_barrier(SMMUSIM_CPU_DMB)
#endif

#endif /* SMMUSIM_SHADOW_ASM_BARRIER_H */
