/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The simulator's MMIO entry points.  Every register access the kernel code
 * makes through readl()/writeq()/... ends up in one of these calls, which
 * the simulator implements (they forward to the SystemC models' register
 * files).  Plain C; no kernel headers needed.
 */
#ifndef SMMUSIM_MMIO_H
#define SMMUSIM_MMIO_H

#ifdef __cplusplus
extern "C" {
#endif

/* size is 1, 2, 4 or 8 bytes; addr is an address ioremap() returned. */
unsigned long long smmusim_mmio_read(const volatile void *addr, unsigned int size);
void smmusim_mmio_write(volatile void *addr, unsigned long long val, unsigned int size);

#ifdef __cplusplus
}
#endif

#endif /* SMMUSIM_MMIO_H */
