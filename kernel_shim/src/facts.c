// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kernel facts for the C++ host side (smmusim/kernel_facts.h): each value
 * is the kernel's own definition, compiled with the kernel's headers and
 * configuration, so the host side never restates one as a number.
 */
#include <linux/fcntl.h>
#include <linux/interrupt.h>
#include <linux/irqflags.h>
#include <linux/poison.h>

#include <smmusim/kernel_facts.h>

const int smmusim_kernel_irq_handled = IRQ_HANDLED;
const int smmusim_kernel_irq_wake_thread = IRQ_WAKE_THREAD;
const int smmusim_kernel_o_rdwr = O_RDWR;
const unsigned int smmusim_kernel_cap_vhe = ARM64_HAS_VIRT_HOST_EXTN;
const int smmusim_kernel_poison_inuse = POISON_INUSE;
const int smmusim_kernel_poison_free = POISON_FREE;

int smmusim_kernel_irqs_disabled_flags(unsigned long flags)
{
	return arch_irqs_disabled_flags(flags);
}
