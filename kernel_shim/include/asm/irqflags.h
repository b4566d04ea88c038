/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * smmusim shadow of <asm/irqflags.h> (found before the x86 header).
 *
 * x86 disables and restores interrupts with pushf/cli/sti/popf, which are
 * privileged (or silently ineffective) in a userspace process.  The
 * simulated machine has one CPU whose "interrupts enabled" state is just a
 * variable owned by the shim, kept in the x86 EFLAGS format (X86_EFLAGS_IF
 * set = enabled) so that code which stores or tests saved flags keeps
 * working.  The shim's interrupt delivery looks at this state.
 */
#ifndef _X86_IRQFLAGS_H_
#define _X86_IRQFLAGS_H_	/* also keeps the real header out */

#include <asm/processor-flags.h>

#ifndef __ASSEMBLER__

/* Defined by the shim; X86_EFLAGS_IF when interrupts are enabled. */
extern unsigned long smmusim_irq_flags;

#define __smmusim_irqflags_barrier() __asm__ __volatile__("" : : : "memory")

static __always_inline unsigned long native_save_fl(void)
{
	__smmusim_irqflags_barrier();
	return smmusim_irq_flags;
}

static __always_inline void native_irq_disable(void)
{
	__smmusim_irqflags_barrier();
	smmusim_irq_flags &= ~X86_EFLAGS_IF;
	__smmusim_irqflags_barrier();
}

static __always_inline void native_irq_enable(void)
{
	__smmusim_irqflags_barrier();
	smmusim_irq_flags |= X86_EFLAGS_IF;
	__smmusim_irqflags_barrier();
}

/* There is no idle CPU to halt; enabling interrupts is all that is left. */
static __always_inline void native_safe_halt(void) { native_irq_enable(); }
static __always_inline void native_halt(void) { }

static __always_inline int native_irqs_disabled_flags(unsigned long flags)
{
	return !(flags & X86_EFLAGS_IF);
}

static __always_inline unsigned long native_local_irq_save(void)
{
	unsigned long flags = native_save_fl();

	native_irq_disable();
	return flags;
}

static __always_inline void native_local_irq_restore(unsigned long flags)
{
	if (!native_irqs_disabled_flags(flags))
		native_irq_enable();
}

static __always_inline void arch_safe_halt(void) { native_safe_halt(); }
static __always_inline void halt(void) { native_halt(); }

static __always_inline unsigned long arch_local_save_flags(void)
{
	return native_save_fl();
}

static __always_inline void arch_local_irq_disable(void) { native_irq_disable(); }
static __always_inline void arch_local_irq_enable(void) { native_irq_enable(); }

static __always_inline unsigned long arch_local_irq_save(void)
{
	return native_local_irq_save();
}

static __always_inline int arch_irqs_disabled_flags(unsigned long flags)
{
	return native_irqs_disabled_flags(flags);
}

static __always_inline int arch_irqs_disabled(void)
{
	return arch_irqs_disabled_flags(arch_local_save_flags());
}

static __always_inline void arch_local_irq_restore(unsigned long flags)
{
	native_local_irq_restore(flags);
}

#endif /* !__ASSEMBLER__ */
#endif /* _X86_IRQFLAGS_H_ */
