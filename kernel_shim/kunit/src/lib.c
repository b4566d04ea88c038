// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim, KUnit build: small library functions the KUnit core
 * calls that the simulator's objects do not (mm/util.c, lib/string.c,
 * lib/seq_buf.c), each to its kernel contract; the iommufd selftest's
 * kernel compiles it too (sized_strscpy: selftest/fail_nth/).  lib/string.c and
 * lib/seq_buf.c are not compiled whole: the first would define the C
 * library's string functions a second time in the program, the second
 * needs seq_file, d_path and the binary printf.
 *
 * CUSTOMISED:
 *   kmemdup_noprof   kmalloc(len) and a copy
 *   kstrndup         at most len characters, NUL-terminated
 *   sized_strscpy    copies what fits, always NUL-terminated; the length,
 *                    or -E2BIG when truncated (or size 0)
 *   strlcat          appends what fits in a buffer of `count` bytes, always
 *                    NUL-terminated; the length it tried to make (7.2's
 *                    string-stream.c; the C library here has none)
 *   seq_buf_puts     appends the string if it fits with its NUL (the NUL
 *                    not counted), else marks the buffer overflowed and
 *                    returns -1
 */
#include <linux/seq_buf.h>
#include <linux/slab.h>
#include <linux/string.h>

void *kmemdup_noprof(const void *src, size_t len, gfp_t gfp)
{
	void *p = kmalloc(len, gfp);

	if (p)
		memcpy(p, src, len);
	return p;
}

char *kstrndup(const char *s, size_t max, gfp_t gfp)
{
	size_t len;
	char *buf;

	if (!s)
		return NULL;
	len = strnlen(s, max);
	buf = kmalloc(len + 1, gfp);
	if (buf) {
		memcpy(buf, s, len);
		buf[len] = '\0';
	}
	return buf;
}

ssize_t sized_strscpy(char *dest, const char *src, size_t count)
{
	size_t len;

	if (count == 0 || WARN_ON_ONCE(count > INT_MAX))
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

size_t strlcat(char *dest, const char *src, size_t count)
{
	size_t dsize = strlen(dest);
	size_t len = strlen(src);
	size_t res = dsize + len;

	/* As the kernel's: the destination must be terminated within count. */
	BUG_ON(dsize >= count);
	dest += dsize;
	count -= dsize;
	if (len >= count)
		len = count - 1;
	memcpy(dest, src, len);
	dest[len] = '\0';
	return res;
}

int seq_buf_puts(struct seq_buf *s, const char *str)
{
	size_t len = strlen(str) + 1;	/* with its NUL */

	if (s->size && s->len + len <= s->size) {
		memcpy(s->buffer + s->len, str, len);
		s->len += len - 1;
		return 0;
	}
	seq_buf_set_overflow(s);
	return -1;
}
