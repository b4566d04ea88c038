/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * smmusim shadow of <asm/bug.h> (found before arch/x86/include/asm/bug.h).
 *
 * x86 implements BUG() and WARN() as a "ud2" trap plus an entry in the
 * __bug_table section, relying on the kernel's trap handler to print the
 * warning and continue.  A userspace process would just die with SIGILL.
 * Without an arch definition, <asm-generic/bug.h> turns WARN() into a call
 * to warn_slowpath_fmt() and BUG() into panic(), both of which the shim
 * implements as ordinary functions.
 */
#ifndef _ASM_X86_BUG_H
#define _ASM_X86_BUG_H	/* also keeps the real header out */

#include <linux/stringify.h>
#include <linux/instrumentation.h>

#include <asm-generic/bug.h>

#endif /* _ASM_X86_BUG_H */
