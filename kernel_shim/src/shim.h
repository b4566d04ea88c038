/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internal declarations shared by the shim's kernel-side C files.  These
 * files are compiled like the upstream kernel sources (same flags, real
 * kernel headers), so the structures they build are the kernel's own.
 */
#ifndef SMMUSIM_SHIM_H
#define SMMUSIM_SHIM_H

#include <linux/device.h>
#include <linux/types.h>
#include <smmusim/host.h>

/*
 * A shim function the linked kernel code references but that the simulator
 * does not implement (yet).  Calling it records a "trap" failure naming the
 * function, which fails the running test, and returns a harmless value.
 * These are STUBS; kernel_shim/README.md lists them.
 */
#define SMMUSIM_TRAP(name) \
	smmusim_host_failure("trap", "unimplemented kernel service " #name "() called")

/* devres (mm.c) */
void smmusim_devres_release_all(struct device *dev);
int smmusim_devres_count(struct device *dev);

#endif /* SMMUSIM_SHIM_H */
