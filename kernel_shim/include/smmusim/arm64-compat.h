/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * arm64-only names used by drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c.
 *
 * The driver is compiled against the x86 architecture headers (the host's),
 * which lack a few arm64 definitions the driver uses directly.  This file is
 * force-included (-include) when compiling the SMMUv3 driver files and gives
 * those names host/simulator meanings.  It adds names only; it does not
 * change anything the x86 headers define.
 */
#ifndef SMMUSIM_ARM64_COMPAT_H
#define SMMUSIM_ARM64_COMPAT_H

/*
 * Nothing is included here: a forced include that pulled in <linux/printk.h>
 * would fix pr_fmt before the driver defines its own.  Macros below refer
 * to kernel names (mb()) only when expanded, inside the driver.
 */

/*
 * Width of a kernel virtual address (arm64: CONFIG_ARM64_VA_BITS).  The
 * driver caps the stage-1 input address size of kernel-owned page tables
 * with it.  48 is the usual arm64 distribution setting (4K pages, 4 levels).
 */
#ifndef VA_BITS
#define VA_BITS 48
#endif

/*
 * CPU capability query.  On arm64, cpus_have_cap(ARM64_HAS_VIRT_HOST_EXTN)
 * tells whether the kernel runs at EL2 with VHE, which makes the SMMU
 * driver use the EL2 translation regime (E2H) for its stage-1 tables.
 * The simulator decides (it models the CPU the driver believes it runs on).
 * Capability numbers here are private to the shim.
 */
#define ARM64_HAS_VIRT_HOST_EXTN 1

#ifndef __ASSEMBLER__
_Bool smmusim_cpus_have_cap(unsigned int num);
#endif
#define cpus_have_cap(num) smmusim_cpus_have_cap(num)

/*
 * wfe(): the driver waits for an event (the SMMU's SEV on CMD_SYNC
 * completion) in polling loops.  In the simulator, waiting means letting
 * simulated time and the device model run.
 */
#ifndef __ASSEMBLER__
void smmusim_cpu_wfe(void);
#endif
#define wfe() smmusim_cpu_wfe()

/*
 * __iomb(): arm64's barrier ordering normal-memory writes against later
 * device accesses, which is dma_mb() there.  On the host dma_mb() is a full
 * barrier, at least as strong (and the CPU cost model counts it as the
 * DMB it is on arm64, asm/barrier.h).
 */
#ifndef __iomb
#define __iomb() dma_mb()
#endif

#endif /* SMMUSIM_ARM64_COMPAT_H */
