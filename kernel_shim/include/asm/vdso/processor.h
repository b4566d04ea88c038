/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * smmusim shadow of <asm/vdso/processor.h> (found before the x86 header).
 *
 * On x86, cpu_relax() is the PAUSE instruction: a spin loop around it would
 * spin forever in a simulator, because the device it waits for only makes
 * progress when the simulated CPU gives up the host CPU.  Here the busy-wait
 * hint becomes a call that lets a little simulated time pass (the host side
 * decides how much; see KernelShim::Options::cpu_relax_ns).
 */
#ifndef __ASM_VDSO_PROCESSOR_H
#define __ASM_VDSO_PROCESSOR_H	/* also keeps the real header out */

#ifndef __ASSEMBLER__

void smmusim_cpu_relax(void);

static __always_inline void native_pause(void)
{
	smmusim_cpu_relax();
}

static __always_inline void cpu_relax(void)
{
	smmusim_cpu_relax();
}

#endif /* __ASSEMBLER__ */

#endif /* __ASM_VDSO_PROCESSOR_H */
