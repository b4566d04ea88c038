// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: two string helpers of lib/ that only the iommufd
 * selftest's kernel calls (lib/fault-inject.c, debugfs.c, libfs.c), where
 * compiling lib/string.c or lib/vsprintf.c whole would bring the rest.
 *
 * CUSTOMISED, with the kernel's contracts:
 *   sized_strscpy  (strscpy) copies what fits and always terminates: the
 *                  length copied, or -E2BIG when `src` did not fit (or
 *                  count is 0)
 *   scnprintf      the characters written to buf, not counting the NUL
 *                  (at most size - 1; 0 for size 0), formatted by the
 *                  host side's formatter (host/vsprintf.cc)
 */
#include <linux/kernel.h>
#include <linux/sprintf.h>
#include <linux/string.h>

#include "shim.h"

ssize_t sized_strscpy(char *dest, const char *src, size_t count)
{
	size_t len;

	if (!count)
		return -E2BIG;
	len = strnlen(src, count);
	if (len == count) {
		memcpy(dest, src, count - 1);
		dest[count - 1] = '\0';
		return -E2BIG;
	}
	memcpy(dest, src, len + 1);
	return len;
}

int scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	int len;

	if (!size)
		return 0;
	len = smmusim_format(buf, size, fmt);
	return (size_t)len < size ? len : (int)(size - 1);
}
