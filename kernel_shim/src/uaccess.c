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
 * get_user/put_user/clear_user helpers below have no fault handling.  The
 * bytes copied count for the CPU cost model (smmusim/cpu_cost.h).
 */
#include <linux/uaccess.h>
#include <linux/string.h>

#include "shim.h"
#include "smmusim/cpu_cost.h"

/* As lib/usercopy.c: the bytes not copied; what could not be read is
 * zeroed in the kernel's buffer. */
unsigned long _copy_from_user(void *to, const void __user *from, unsigned long n)
{
	unsigned long left = smmusim_host_user_copy(to, (const void __force *)from, n, 0);

	if (left)
		memset(to + (n - left), 0, left);
	smmusim_cpu_event(SMMUSIM_CPU_COPY_BYTE, n - left);
	return left;
}

unsigned long _copy_to_user(void __user *to, const void *from, unsigned long n)
{
	unsigned long left = smmusim_host_user_copy((void __force *)to, from, n, 1);

	smmusim_cpu_event(SMMUSIM_CPU_COPY_BYTE, n - left);
	return left;
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

/* get_user()/put_user() of 4 bytes, with the copy's fault handling: 0 or
 * -EFAULT (the value read is 0 then, as the kernel's fixup gives). */
int smmusim_get_user_4(const void __user *p, u32 *val)
{
	*val = 0;
	return smmusim_host_user_copy(val, (const void __force *)p, 4, 0) ? -EFAULT : 0;
}

int smmusim_put_user_4(void __user *p, u32 val)
{
	return smmusim_host_user_copy((void __force *)p, &val, 4, 1) ? -EFAULT : 0;
}

/*
 * The x86 out-of-line user-access helpers, with their register
 * conventions (arch/x86/include/asm/uaccess.h):
 *   __get_user_4: address in %rax; error in %eax, value in %edx
 *   __put_user_4: value in %eax, address in %rcx; error in %ecx (%ebx may
 *                 be clobbered)
 *   rep_stos_alternative: clear %rcx bytes at %rdi (%al = 0), %rcx = 0 left
 * The callers' inline assembly says nothing else changes, so the two calls
 * into C above save every other caller-saved register, SSE ones included
 * (kernel code here is ordinary userspace code that may keep values in
 * them), and keep the stack 16-byte aligned at the call.
 */
#define SHIM_XMM(op, a, b, c, d) \
	op " %xmm" #a ", " #a "*16(%rsp)\n\t" op " %xmm" #b ", " #b "*16(%rsp)\n\t" \
	op " %xmm" #c ", " #c "*16(%rsp)\n\t" op " %xmm" #d ", " #d "*16(%rsp)\n\t"
#define SHIM_XMM_SAVE \
	SHIM_XMM("movdqu", 0, 1, 2, 3) SHIM_XMM("movdqu", 4, 5, 6, 7) \
	SHIM_XMM("movdqu", 8, 9, 10, 11) SHIM_XMM("movdqu", 12, 13, 14, 15)
#define SHIM_XMM_LOAD1(a) "movdqu " #a "*16(%rsp), %xmm" #a "\n\t"
#define SHIM_XMM_LOAD4(a, b, c, d) SHIM_XMM_LOAD1(a) SHIM_XMM_LOAD1(b) SHIM_XMM_LOAD1(c) SHIM_XMM_LOAD1(d)
#define SHIM_XMM_RESTORE \
	SHIM_XMM_LOAD4(0, 1, 2, 3) SHIM_XMM_LOAD4(4, 5, 6, 7) \
	SHIM_XMM_LOAD4(8, 9, 10, 11) SHIM_XMM_LOAD4(12, 13, 14, 15)

asm(".pushsection .text\n"
    ".globl __get_user_4\n.type __get_user_4, @function\n"
    "__get_user_4:\n\t"
    "push %rbp\n\tmov %rsp, %rbp\n\t"
    "push %rcx\n\tpush %rsi\n\tpush %rdi\n\tpush %r8\n\tpush %r9\n\tpush %r10\n\tpush %r11\n\t"
    "sub $280, %rsp\n\t"
    SHIM_XMM_SAVE
    "mov %rax, %rdi\n\tlea 256(%rsp), %rsi\n\t"
    "call smmusim_get_user_4@PLT\n\t"
    "mov 256(%rsp), %edx\n\t"
    SHIM_XMM_RESTORE
    "add $280, %rsp\n\t"
    "pop %r11\n\tpop %r10\n\tpop %r9\n\tpop %r8\n\tpop %rdi\n\tpop %rsi\n\tpop %rcx\n\t"
    "pop %rbp\n\tret\n"
    ".size __get_user_4, . - __get_user_4\n"
    ".globl __put_user_4\n.type __put_user_4, @function\n"
    "__put_user_4:\n\t"
    "push %rbp\n\tmov %rsp, %rbp\n\t"
    "push %rax\n\tpush %rdx\n\tpush %rsi\n\tpush %rdi\n\tpush %r8\n\tpush %r9\n\tpush %r10\n\tpush %r11\n\t"
    "sub $272, %rsp\n\t"
    SHIM_XMM_SAVE
    "mov %rcx, %rdi\n\tmov %eax, %esi\n\t"
    "call smmusim_put_user_4@PLT\n\t"
    "mov %eax, %ecx\n\t"
    SHIM_XMM_RESTORE
    "add $272, %rsp\n\t"
    "pop %r11\n\tpop %r10\n\tpop %r9\n\tpop %r8\n\tpop %rdi\n\tpop %rsi\n\tpop %rdx\n\tpop %rax\n\t"
    "pop %rbp\n\tret\n"
    ".size __put_user_4, . - __put_user_4\n"
    ".globl rep_stos_alternative\n.type rep_stos_alternative, @function\n"
    "rep_stos_alternative:\n\trep stosb\n\tret\n"
    ".size rep_stos_alternative, . - rep_stos_alternative\n"
    ".popsection\n");
