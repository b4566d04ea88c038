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
 * CUSTOMISED: "user" pointers are host pointers of the simulated process;
 * there is no fault handling (README.md, Known limitations).  The bytes
 * copied count for the CPU cost model (smmusim/cpu_cost.h).
 */
#include <linux/uaccess.h>
#include <linux/string.h>

#include "shim.h"
#include "smmusim/cpu_cost.h"

unsigned long _copy_from_user(void *to, const void __user *from, unsigned long n)
{
	memcpy(to, (const void __force *)from, n);
	smmusim_cpu_event(SMMUSIM_CPU_COPY_BYTE, n);
	return 0;
}

unsigned long _copy_to_user(void __user *to, const void *from, unsigned long n)
{
	memcpy((void __force *)to, from, n);
	smmusim_cpu_event(SMMUSIM_CPU_COPY_BYTE, n);
	return 0;
}

int check_zeroed_user(const void __user *from, size_t size)
{
	const u8 *p = (const u8 __force *)from;
	size_t i;

	for (i = 0; i < size; i++)
		if (p[i])
			return 0;
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
