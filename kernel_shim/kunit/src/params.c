// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim, KUnit build: the module-parameter types of KUnit's
 * parameters (kernel/params.c): int and ulong (kunit.timeout, ...) and
 * charp (kunit.filter_glob, kunit.action, ...), next to
 * ../../src/params.c's bool.  Set through smmusim_kernel_param_set(), as
 * the kernel's parse_args() does for the command line.
 *
 * CUSTOMISED:
 *   param_ops_int, param_ops_ulong  kstrtoint/kstrtoul (base 0); "%i"/"%lu"
 *                                   (printed with the C library's snprintf,
 *                                   as every plain format in the shim)
 *   param_ops_charp                 a copy of the string (at most 1024
 *                                   bytes, -ENOSPC beyond); a value this
 *                                   file set is freed when replaced
 */
#include <linux/kernel.h>
#include <linux/kstrtox.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/string.h>

static int set_int(const char *val, const struct kernel_param *kp)
{
	return kstrtoint(val, 0, kp->arg);
}

static int get_int(char *buffer, const struct kernel_param *kp)
{
	return snprintf(buffer, PAGE_SIZE, "%i\n", *(int *)kp->arg);
}

const struct kernel_param_ops param_ops_int = {
	.set = set_int,
	.get = get_int,
};

static int set_ulong(const char *val, const struct kernel_param *kp)
{
	return kstrtoul(val, 0, kp->arg);
}

static int get_ulong(char *buffer, const struct kernel_param *kp)
{
	return snprintf(buffer, PAGE_SIZE, "%lu\n", *(unsigned long *)kp->arg);
}

const struct kernel_param_ops param_ops_ulong = {
	.set = set_ulong,
	.get = get_ulong,
};

/* The values set_charp() allocated (so it frees only its own). */
static char *charp_values[16];

static void charp_forget(const char *p)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(charp_values); i++) {
		if (charp_values[i] == p) {
			kfree(charp_values[i]);
			charp_values[i] = NULL;
		}
	}
}

static int set_charp(const char *val, const struct kernel_param *kp)
{
	char **arg = kp->arg;
	char *copy;
	int i;

	if (strnlen(val, 1025) > 1024)
		return -ENOSPC;
	for (i = 0; i < ARRAY_SIZE(charp_values) && charp_values[i]; i++)
		;
	if (i == ARRAY_SIZE(charp_values))
		return -ENOMEM;
	copy = kstrdup(val, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	charp_forget(*arg);
	charp_values[i] = copy;
	*arg = copy;
	return 0;
}

static int get_charp(char *buffer, const struct kernel_param *kp)
{
	const char *v = *(char **)kp->arg;

	return snprintf(buffer, PAGE_SIZE, "%s\n", v ? v : "(null)");
}

const struct kernel_param_ops param_ops_charp = {
	.set = set_charp,
	.get = get_charp,
};
