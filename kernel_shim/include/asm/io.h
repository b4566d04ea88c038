/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * smmusim shadow of <asm/io.h> (found before arch/x86/include/asm/io.h).
 *
 * The x86 header implements MMIO with inline "mov" instructions on the
 * mapped address.  In the simulator a device register is not memory: each
 * access has to reach the device model.  So this header supplies only the
 * raw accessors (__raw_readl() and friends, calling the simulator through
 * <smmusim/mmio.h>) and the ioremap family as external functions, and lets
 * <asm-generic/io.h> build everything else (readl(), writeq_relaxed(),
 * memcpy_fromio(), ...) on top of them, with the usual barriers.
 */
#ifndef _ASM_X86_IO_H
#define _ASM_X86_IO_H	/* also keeps the real header out */

#include <linux/string.h>
#include <linux/compiler.h>
#include <linux/types.h>
#include <asm/page.h>
#include <asm/pgtable_types.h>
#include <smmusim/mmio.h>

#define __SMMUSIM_RAW_IO(bits, type)					\
static inline type __raw_read##bits(const volatile void __iomem *addr)	\
{									\
	return (type)smmusim_mmio_read((const volatile void __force *)addr, \
				       sizeof(type));			\
}									\
static inline void __raw_write##bits(type val, volatile void __iomem *addr) \
{									\
	smmusim_mmio_write((volatile void __force *)addr, val, sizeof(type)); \
}

__SMMUSIM_RAW_IO(b, u8)
__SMMUSIM_RAW_IO(w, u16)
__SMMUSIM_RAW_IO(l, u32)
__SMMUSIM_RAW_IO(q, u64)
#undef __SMMUSIM_RAW_IO

#define __raw_readb __raw_readb
#define __raw_readw __raw_readw
#define __raw_readl __raw_readl
#define __raw_readq __raw_readq
#define __raw_writeb __raw_writeb
#define __raw_writew __raw_writew
#define __raw_writel __raw_writel
#define __raw_writeq __raw_writeq

/* Mappings are made by the simulator's memory map. */
void __iomem *ioremap(resource_size_t offset, unsigned long size);
#define ioremap ioremap
void __iomem *ioremap_wc(resource_size_t offset, unsigned long size);
#define ioremap_wc ioremap_wc
void __iomem *ioremap_wt(resource_size_t offset, unsigned long size);
#define ioremap_wt ioremap_wt
void __iomem *ioremap_uc(resource_size_t offset, unsigned long size);
#define ioremap_uc ioremap_uc
void __iomem *ioremap_cache(resource_size_t offset, unsigned long size);
#define ioremap_cache ioremap_cache
void __iomem *ioremap_prot(resource_size_t offset, unsigned long size,
			   pgprot_t prot);
#define ioremap_prot ioremap_prot
void iounmap(volatile void __iomem *addr);
#define iounmap iounmap

/*
 * phys_to_virt(): arm64's linear map holds RAM only, so a physical address
 * outside simulated DRAM (a corrupted page-table descriptor, say) must not
 * become a pointer into whatever host memory lies at DRAM's host mapping +
 * PA; src/memmap.c sends it to a PROT_NONE hole instead, and the access
 * oopses.  Out of line, in uncounted shim code: the counted code calls it
 * where it added page_offset_base (docs/cpu-cost.md).
 */
void *smmusim_phys_to_virt(unsigned long address) __pure;
#define phys_to_virt phys_to_virt
static inline void *phys_to_virt(unsigned long address)
{
	return smmusim_phys_to_virt(address);
}

/* No port I/O space in the simulated system. */
#define IO_SPACE_LIMIT 0xffff

#include <asm-generic/io.h>

#endif /* _ASM_X86_IO_H */
