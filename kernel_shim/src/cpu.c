// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: the state of the one simulated CPU (x86's per-CPU
 * __preempt_count, the interrupt flag; CPU hotplug; bottom halves).
 *
 * The simulated machine has one CPU (CONFIG_SMP off) running kernel code in
 * SystemC threads ("contexts": the CPU thread that probes, and one per
 * requested interrupt).  Only one context runs at a time; a context gives up
 * the host CPU only inside the host side's waits (MMIO, delays, sleeps, WFE,
 * a contended lock), which save and restore the per-context preemption
 * count and interrupt flag below (smmusim_ctx_*, include/smmusim/host.h).
 * Every linked object reads them: preempt_disable()/spin_lock() (UP: a
 * preemption count), local_irq_save() (asm/irqflags.h shadow), in_atomic().
 *
 * CUSTOMISED:
 *   __preempt_count, smmusim_irq_flags   saved per context by the host side
 *   smmusim_irq_enter/exit   hard-IRQ context around a handler (the
 *                            host side's interrupt threads)
 *   __local_bh_enable_ip     no softirqs are ever pending
 * STUBBED:
 *   preempt_schedule_thunk   never reached (no reschedule is ever
 *                            requested); returns at once
 *   __cpuhp_setup_state      one CPU that never goes away
 *   static_key_initialized   static keys are plain variables
 */
#include <linux/preempt.h>
#include <linux/hardirq.h>
#include <linux/irqflags.h>
#include <linux/jump_label.h>
#include <linux/cpuhotplug.h>
#include <linux/bottom_half.h>

#include "shim.h"

/* x86 keeps PREEMPT_NEED_RESCHED inverted in the count: set = no resched. */
/* Its type as asm/preempt.h declares it (int up to 7.2, unsigned long since). */
DEFINE_PER_CPU_CACHE_HOT(__typeof__(__preempt_count), __preempt_count) = INIT_PREEMPT_COUNT;

/* EFLAGS-format interrupt state (asm/irqflags.h shadow); starts disabled. */
unsigned long smmusim_irq_flags;

void smmusim_ctx_save(unsigned long *pc, unsigned long *flags)
{
	*pc = raw_cpu_read(__preempt_count);
	*flags = smmusim_irq_flags;
}

void smmusim_ctx_restore(unsigned long pc, unsigned long flags)
{
	raw_cpu_write(__preempt_count, pc);
	smmusim_irq_flags = flags;
}

void smmusim_ctx_init(unsigned long *pc, unsigned long *flags)
{
	*pc = PREEMPT_ENABLED;
	*flags = X86_EFLAGS_IF;
}

int smmusim_ctx_atomic(void)
{
	return preempt_count() != 0 || irqs_disabled();
}

int smmusim_ctx_is_atomic(unsigned long pc, unsigned long flags)
{
	return (pc & ~PREEMPT_NEED_RESCHED) != 0 || !(flags & X86_EFLAGS_IF);
}

void smmusim_irq_enter(void)
{
	preempt_count_add(HARDIRQ_OFFSET);
	local_irq_disable();
}

void smmusim_irq_exit(void)
{
	local_irq_enable();
	preempt_count_sub(HARDIRQ_OFFSET);
}

/*
 * x86 calls this (with a special calling convention that preserves every
 * register) when preempt_enable() finds a reschedule pending.  The shim
 * never requests one (PREEMPT_NEED_RESCHED stays set, i.e. "not needed"),
 * so it is unreachable; it must still exist for the link.  STUB.
 */
asm(".pushsection .text\n"
    ".globl preempt_schedule_thunk\n"
    ".type preempt_schedule_thunk, @function\n"
    "preempt_schedule_thunk:\n"
    "\tret\n"
    ".size preempt_schedule_thunk, . - preempt_schedule_thunk\n"
    ".popsection\n");

/* Static keys are plain variables (JUMP_LABEL off); they are usable now. */
bool static_key_initialized = true;

/* CPU hotplug: one CPU that never goes away; the callbacks are not needed
 * (they drain per-CPU preload caches of CPUs going offline). STUB. */
int __cpuhp_setup_state(enum cpuhp_state state, const char *name, bool invoke,
			int (*startup)(unsigned int cpu), int (*teardown)(unsigned int cpu),
			bool multi_instance)
{
	return 0;
}

/* local_bh_enable(): no softirqs are ever pending in the simulator. */
void __local_bh_enable_ip(unsigned long ip, unsigned int cnt)
{
	preempt_count_sub(cnt);
}
