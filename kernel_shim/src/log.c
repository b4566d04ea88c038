// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: printk, dev_printk, WARN, BUG, panic, dump_stack.
 *
 * CUSTOMISED: messages go to the host side's kernel log (level, simulated time,
 * text), which tests read; WARN()/BUG()/panic() are recorded as failures
 * with the kernel's own message, and a test asserts that none happened.
 * Formatting follows the kernel's vsnprintf for the conversions the drivers
 * use, including %pa, %pe, %pOF, %pR/%pr (host/vsprintf.cc).
 * STUBBED: ___ratelimit never suppresses a message.
 */
#include <linux/printk.h>
#include <linux/device.h>
#include <linux/bug.h>
#include <linux/panic.h>
#include <linux/of.h>
#include <linux/sprintf.h>
#include <linux/ratelimit.h>

#include "shim.h"

/* "\001" + level digit, as KERN_* are built; returns the level and skips it. */
static int shim_level(const char **fmt, int dflt)
{
	int level = dflt;

	while ((*fmt)[0] == KERN_SOH_ASCII && (*fmt)[1]) {
		char c = (*fmt)[1];

		if (c >= '0' && c <= '7')
			level = c - '0';
		*fmt += 2;
	}
	return level;
}

int _printk(const char *fmt, ...)
{
	va_list ap;
	int level = shim_level(&fmt, MESSAGE_LOGLEVEL_DEFAULT);

	va_start(ap, fmt);
	smmusim_host_vlog(level, NULL, fmt, ap);
	va_end(ap);
	return 0;
}

const char *dev_driver_string(const struct device *dev)
{
	struct device_driver *drv = READ_ONCE(dev->driver);

	if (drv)
		return drv->name;
	if (dev->bus)
		return dev->bus->name;
	return "";
}

static void dev_vlog(int level, const struct device *dev, const char *fmt, va_list ap)
{
	char prefix[128];

	if (dev)
		snprintf(prefix, sizeof(prefix), "%s %s: ", dev_driver_string(dev), dev_name(dev));
	else
		snprintf(prefix, sizeof(prefix), "(NULL device *): ");
	smmusim_host_vlog(level, prefix, fmt, ap);
}

void _dev_printk(const char *level, const struct device *dev, const char *fmt, ...)
{
	va_list ap;
	const char *l = level;
	int lv = shim_level(&l, LOGLEVEL_INFO);

	va_start(ap, fmt);
	dev_vlog(lv, dev, fmt, ap);
	va_end(ap);
}

#define SHIM_DEV_LOG(fn, lv)						\
void fn(const struct device *dev, const char *fmt, ...)			\
{									\
	va_list ap;							\
									\
	va_start(ap, fmt);						\
	dev_vlog(lv, dev, fmt, ap);					\
	va_end(ap);							\
}

SHIM_DEV_LOG(_dev_emerg, LOGLEVEL_EMERG)
SHIM_DEV_LOG(_dev_alert, LOGLEVEL_ALERT)
SHIM_DEV_LOG(_dev_crit, LOGLEVEL_CRIT)
SHIM_DEV_LOG(_dev_err, LOGLEVEL_ERR)
SHIM_DEV_LOG(_dev_warn, LOGLEVEL_WARNING)
SHIM_DEV_LOG(_dev_notice, LOGLEVEL_NOTICE)
SHIM_DEV_LOG(_dev_info, LOGLEVEL_INFO)

/* WARN(), WARN_ON() (asm/bug.h shadow -> asm-generic -> here). */
void warn_slowpath_fmt(const char *file, const int line, unsigned int taint, const char *fmt, ...)
{
	char msg[512], where[160];
	int n;

	/* As the kernel's __warn(): the tree-relative file, the function. */
	smmusim_host_symbol(__builtin_return_address(0), where, sizeof(where));
	n = snprintf(msg, sizeof(msg), "WARNING: %s:%d at %s", smmusim_host_tree_path(file), line, where);
	if (fmt && n >= 0 && n < (int)sizeof(msg) - 2) {
		msg[n++] = ':';
		msg[n++] = ' ';
		smmusim_format(msg + n, sizeof(msg) - n, fmt);
	}
	smmusim_host_log(LOGLEVEL_WARNING, NULL, "%s\n", msg);
	smmusim_host_failure("WARN", msg);
}

/* The kernel's stack dump, as far as the shim knows the stack: the caller
 * (fault injection's verbose report calls it). */
void dump_stack(void)
{
	char where[160];

	smmusim_host_symbol(__builtin_return_address(0), where, sizeof(where));
	smmusim_host_log(LOGLEVEL_DEFAULT, NULL, "Call Trace:\n %s\n", where);
}

void __warn_printk(const char *fmt, ...)
{
	char msg[512];

	smmusim_format(msg, sizeof(msg), fmt);
	smmusim_host_log(LOGLEVEL_WARNING, NULL, "%s", msg);
	smmusim_host_failure("WARN", msg);
}

/* BUG() prints "BUG: failure at ..." and calls panic(). */
void panic(const char *fmt, ...)
{
	char msg[512];

	smmusim_format(msg, sizeof(msg), fmt);
	smmusim_host_log(LOGLEVEL_EMERG, NULL, "Kernel panic - not syncing: %s\n", msg);
	smmusim_host_panic(msg);
}

/* STUB: every message is printed. */
int ___ratelimit(struct ratelimit_state *rs, const char *func)
{
	return 1;
}
