/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Facts of the kernel that the C++ host side needs (kernel_shim/host/),
 * exported by kernel_shim/src/facts.c from the kernel's own definitions,
 * so that no C++ file restates them as numbers.  Plain C types only.
 */
#ifndef SMMUSIM_KERNEL_FACTS_H
#define SMMUSIM_KERNEL_FACTS_H

#ifdef __cplusplus
extern "C" {
#endif

/* enum irqreturn (include/linux/irqreturn.h) */
extern const int smmusim_kernel_irq_handled;	/* IRQ_HANDLED */
extern const int smmusim_kernel_irq_wake_thread;	/* IRQ_WAKE_THREAD */
/* open() flags (include/uapi/asm-generic/fcntl.h) */
extern const int smmusim_kernel_o_rdwr;		/* O_RDWR */
/* arm64 CPU capability numbers (smmusim/arm64-compat.h, the names of
 * arch/arm64/tools/cpucaps) */
extern const unsigned int smmusim_kernel_cap_vhe;	/* ARM64_HAS_VIRT_HOST_EXTN */
/* Slab poison bytes (include/linux/poison.h): a new block, a freed one */
extern const int smmusim_kernel_poison_inuse;	/* POISON_INUSE */
extern const int smmusim_kernel_poison_free;	/* POISON_FREE */
/* arch_irqs_disabled_flags(): nonzero when saved IRQ flags (a context's)
 * have interrupts disabled. */
int smmusim_kernel_irqs_disabled_flags(unsigned long flags);

#ifdef __cplusplus
}
#endif

#endif /* SMMUSIM_KERNEL_FACTS_H */
