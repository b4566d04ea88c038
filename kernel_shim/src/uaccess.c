// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: user-space access (lib/usercopy.c and the x86
 * out-of-line helpers of arch/x86/lib).
 *
 * Provides copy_from_user/copy_to_user, check_zeroed_user
 * (copy_struct_from_user()), get_user/put_user and clear_user for
 * iommufd's ioctls and the CMDQV's iommufd paths, called by the simulated
 * process (process.c).
 *
 * CUSTOMISED: "user" pointers are host pointers of the simulated process.
 * copy_{from,to}_user and check_zeroed_user copy through the host
 * (smmusim_host_user_copy), so an unmapped or inaccessible user range gives
 * -EFAULT / the bytes not copied, as the kernel's fault fixup does; the
 * get_user/put_user/clear_user helpers below have no fault handling.
 */
#include <linux/uaccess.h>
#include <linux/string.h>

#include "shim.h"

/* As lib/usercopy.c: the bytes not copied; what could not be read is
 * zeroed in the kernel's buffer. */
unsigned long _copy_from_user(void *to, const void __user *from, unsigned long n)
{
	unsigned long left = smmusim_host_user_copy(to, (const void __force *)from, n, 0);

	if (left)
		memset(to + (n - left), 0, left);
	return left;
}

unsigned long _copy_to_user(void __user *to, const void *from, unsigned long n)
{
	return smmusim_host_user_copy((void __force *)to, from, n, 1);
}

/* 1 if all zero, 0 if not, -EFAULT if the range cannot be read. */
int check_zeroed_user(const void __user *from, size_t size)
{
	const u8 __user *p = from;
	u8 buf[64];

	while (size) {
		size_t n = min(size, sizeof(buf)), i;

		if (smmusim_host_user_copy(buf, (const void __force *)p, n, 0))
			return -EFAULT;
		for (i = 0; i < n; i++)
			if (buf[i])
				return 0;
		p += n;
		size -= n;
	}
	return 1;
}

/*
 * The x86 out-of-line user-access helpers, with their register
 * conventions (arch/x86/include/asm/uaccess.h):
 *   __get_user_4: address in %rax; error in %eax, value in %edx
 *   __put_user_4: value in %eax, address in %rcx; error in %ecx
 *   rep_stos_alternative: clear %rcx bytes at %rdi (%al = 0), %rcx = 0 left
 * "User" pointers are host pointers of the simulated process.
 */
asm(".pushsection .text\n"
    ".globl __get_user_4\n.type __get_user_4, @function\n"
    "__get_user_4:\n\tmovl (%rax), %edx\n\txorl %eax, %eax\n\tret\n"
    ".size __get_user_4, . - __get_user_4\n"
    ".globl __put_user_4\n.type __put_user_4, @function\n"
    "__put_user_4:\n\tmovl %eax, (%rcx)\n\txorl %ecx, %ecx\n\tret\n"
    ".size __put_user_4, . - __put_user_4\n"
    ".globl rep_stos_alternative\n.type rep_stos_alternative, @function\n"
    "rep_stos_alternative:\n\trep stosb\n\tret\n"
    ".size rep_stos_alternative, . - rep_stos_alternative\n"
    ".popsection\n");
