// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: module parameters (kernel/params.c).
 *
 * Provides param_ops_bool for the module_param()s of arm-smmu-v3.c and
 * tegra241-cmdqv.c (arm_smmu_v3.disable_msipolling, .disable_cmdqv,
 * .bypass_vcmdq) and iommufd, and to the host side smmusim_kernel_param_set()
 * (KernelShim::set_module_param) and smmusim_kernel_param_check() (the
 * value checked before the run, KernelShim::check_module_param).
 *
 * CUSTOMISED: parameters keep their defaults unless a test sets one.
 */
#include <linux/moduleparam.h>
#include <linux/string.h>

#include <smmusim/kernel.h>
#include "shim.h"

/*
 * Parameters keep their defaults unless a test sets one with
 * smmusim_kernel_param_set(), which walks the __param table the kernel
 * objects emit (module_param() puts a struct kernel_param there, named
 * "<KBUILD_MODNAME>.<name>" for built-in code) and calls its ops->set, as
 * the kernel's parse_args() does for the command line.  The linker provides
 * __start___param/__stop___param for the orphan section.
 */
extern const struct kernel_param __start___param[] __attribute__((weak));
extern const struct kernel_param __stop___param[] __attribute__((weak));

int smmusim_kernel_param_set(const char *name, const char *val)
{
	const struct kernel_param *kp;

	for (kp = __start___param; kp && kp < __stop___param; kp++) {
		if (strcmp(kp->name, name))
			continue;
		if (!kp->ops || !kp->ops->set)
			return -EPERM;
		return kp->ops->set(val, kp);
	}
	return -ENOENT;
}

const char *smmusim_kernel_param_name(unsigned int i)
{
	if (!__start___param || i >= (unsigned int)(__stop___param - __start___param))
		return NULL;
	return __start___param[i].name;
}

/*
 * The values kstrtobool() takes (lib/kstrtox.c, by its first one or two
 * characters: y, Y, t, T, 1, "on" are true; n, N, f, F, 0, "off" false), in
 * the shim's own uncounted code, so that the trace reader can check a value
 * before the run without running counted kernel code.
 */
static int shim_strtobool(const char *s, bool *res)
{
	if (!s)
		return -EINVAL;
	if (s[0] && strchr("yYtT1", s[0])) {
		*res = true;
		return 0;
	}
	if (s[0] && strchr("nNfF0", s[0])) {
		*res = false;
		return 0;
	}
	if ((s[0] == 'o' || s[0] == 'O') && s[1] && strchr("nNfF", s[1])) {
		*res = s[1] == 'n' || s[1] == 'N';
		return 0;
	}
	return -EINVAL;
}

int smmusim_kernel_param_check(const char *name, const char *val, const char **type)
{
	const struct kernel_param *kp;
	bool scratch;

	*type = NULL;
	for (kp = __start___param; kp && kp < __stop___param; kp++) {
		if (strcmp(kp->name, name))
			continue;
		if (kp->ops != &param_ops_bool)
			return 0;
		*type = "bool";
		return shim_strtobool(val, &scratch);
	}
	return -ENOENT;
}

/* param_set_bool(): no value (a bare "name" on the command line) is true. */
static int shim_param_set_bool(const char *val, const struct kernel_param *kp)
{
	return shim_strtobool(val ? val : "1", kp->arg);
}

static int shim_param_get_bool(char *buffer, const struct kernel_param *kp)
{
	buffer[0] = *(bool *)kp->arg ? 'Y' : 'N';
	buffer[1] = '\n';
	buffer[2] = '\0';
	return 2;
}

const struct kernel_param_ops param_ops_bool = {
	.set = shim_param_set_bool,
	.get = shim_param_get_bool,
};

