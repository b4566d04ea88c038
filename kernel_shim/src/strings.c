// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: scnprintf (lib/vsprintf.c), which only the iommufd
 * selftest's kernel calls (libfs.c), where compiling lib/vsprintf.c whole
 * would bring the rest (its strscpy is kunit/src/lib.c's, compiled there
 * too: selftest/fail_nth/CMakeLists.txt).
 *
 * CUSTOMISED, with the kernel's contract:
 *   scnprintf      the characters written to buf, not counting the NUL
 *                  (at most size - 1; 0 for size 0), formatted by the
 *                  host side's formatter (host/vsprintf.cc)
 */
#include <linux/kernel.h>
#include <linux/sprintf.h>

#include "shim.h"

int scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	int len;

	if (!size)
		return 0;
	len = smmusim_format(buf, size, fmt);
	return (size_t)len < size ? len : (int)(size - 1);
}
