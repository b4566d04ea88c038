/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The interface between the shim's kernel-side C services (compiled against
 * the kernel headers, in kernel_shim/src/) and the C++ host side
 * (kernel_shim/host/, whose c_abi.cc implements it), which runs on the
 * SystemC platform.  Only plain C types appear here, so this
 * header can be included both by kernel-side code (-nostdinc) and by C++.
 *
 * Everything named smmusim_host_* is implemented by the host side.  Functions
 * that "wait" must be called from a simulated CPU (a SystemC thread started
 * by the host side); they advance simulated time, never host time.
 */
#ifndef SMMUSIM_HOST_H
#define SMMUSIM_HOST_H

#ifdef __cplusplus
extern "C" {
#endif

/* ---- PCI configuration space (the host's endpoint model) ---------------- */
/* A naturally aligned 1-, 2- or 4-byte access at `where` in the config
 * space `cfg` (the handle smmusim_pci_device_create() was given): 1, or 0
 * for an access the space refuses (reads then give all ones). */
int smmusim_host_pci_cfg_read(void *cfg, int where, int size, unsigned int *val);
int smmusim_host_pci_cfg_write(void *cfg, int where, int size, unsigned int val);

/* ---- memory -------------------------------------------------------------- */
/* Host heap for kmalloc & co., counted.  Returns NULL when a failure is
 * injected.  zero: clear the block; otherwise it is poisoned (0x5a). */
void *smmusim_host_kmalloc(unsigned long size, int zero);
void smmusim_host_kfree(const void *p);
/* Size of a live kmalloc block (0 if p is not one). */
unsigned long smmusim_host_ksize(const void *p);

/* Simulated DRAM for DMA-visible memory (coherent DMA buffers, page-table
 * pages): zeroed, aligned to the smallest power of two >= size (at least
 * 4 KiB), as the kernel's page allocator guarantees.  *pa receives the
 * physical (= DMA) address; the return value is the CPU (host) pointer. */
void *smmusim_host_dma_alloc(unsigned long size, unsigned long long *pa);
void smmusim_host_dma_free(void *cpu);
/* PA of a host pointer into simulated DRAM, or ~0ULL. */
unsigned long long smmusim_host_dram_pa(const void *cpu);
/* Host view of DRAM: base pointer, base PA, size (for __va/__pa). */
void smmusim_host_dram_window(void **host, unsigned long long *pa, unsigned long long *size);
/* The kernel address phys_to_virt() gives a PA outside simulated DRAM: inside
 * a PROT_NONE host range (the linear map's hole), so dereferencing it faults
 * (an oops) instead of touching host memory. */
void *smmusim_host_linear_hole(unsigned long long pa);
/* Zero-filled host memory that is never freed (the struct page array). */
void *smmusim_host_map_zero(unsigned long long bytes);

/* Simulated user memory (gup.c): the simulated PA behind a user address,
 * or ~0ULL when it is not user memory; pin counts per PFN (delta +n/-n). */
unsigned long long smmusim_host_user_pa(unsigned long uva);
void smmusim_host_user_pin(unsigned long long pfn, int delta);
/* The same lookup in the address space of mm number `mm_id` (process.c's
 * smmusim_mm_id(); 0 is the first process's, whose lookup is
 * smmusim_host_user_pa's), ~0ULL when it has none there or is gone; and
 * exit_mmap() of a forked process's address space. */
unsigned long long smmusim_host_user_pa_in(int mm_id, unsigned long uva);
void smmusim_host_user_exit_mmap(int mm_id);
/* capable(): whether the running simulated process has capability `cap`
 * (1/0). It is root, as a VMM and the tests are, but for a capability its
 * host process dropped from its effective set (the iommufd selftest's
 * drop_cap_ipc_lock()). */
int smmusim_host_capable(int cap);
/* Copies n bytes between a "user" address and kernel memory as the CPU
 * would, but a range that is not mapped (or not readable / writable) stops
 * the copy instead of faulting the host: the bytes not copied (0 = all),
 * copy_{from,to}_user()'s contract. */
unsigned long smmusim_host_user_copy(void *dst, const void *src, unsigned long n, int to_user);
/* The page cache of the simulated kernel's shmem files (shmem.c): a zeroed
 * frame of user memory's pool (its PA; ~0ULL when the pool is full), and
 * its release, which takes the page out of every mapping of it (a frame
 * still pinned is freed by its last unpin). */
unsigned long long smmusim_host_user_frame_alloc(void);
void smmusim_host_user_frame_free(unsigned long long pa);

/* MMIO: ioremap returns a cookie inside a PROT_NONE host range, so a stray
 * dereference faults instead of touching anything. */
void *smmusim_host_ioremap(unsigned long long pa, unsigned long long size);
void smmusim_host_iounmap(const volatile void *cookie);

/* ---- time and scheduling ----------------------------------------------- */
unsigned long long smmusim_host_now_ns(void);
/* Busy-wait (udelay/ndelay): time passes, the CPU stays in its context. */
void smmusim_host_spin_ns(unsigned long long ns);
/* The same, naming the kernel code that waits (for the soft-lockup report). */
void smmusim_host_spin_ns_from(unsigned long long ns, const void *caller);
/* Sleep (usleep_range, msleep): may not be called in atomic context. */
void smmusim_host_sleep_ns(unsigned long long ns, const char *what);
/* The simulated CPU context running now (opaque, never NULL in a CPU). */
void *smmusim_host_current(void);
/* Block until smmusim_host_wake_all() (a contended mutex). */
void smmusim_host_block(const char *what);
/* Block until a wake-up or until ns of simulated time passed; returns the
 * ns that were left (0 if the time ran out). */
unsigned long long smmusim_host_block_timeout_ns(unsigned long long ns, const char *what);
void smmusim_host_wake_all(void);

/* ---- kernel threads ------------------------------------------------------ */
/* Starts a kernel thread: a context of its own that runs run(arg) and then
 * finish(arg) as kernel code (finish also runs when run calls
 * smmusim_host_kthread_exit() or a panic stops it).  Returns the context
 * (what smmusim_host_current() gives while it runs). */
void *smmusim_host_kthread_start(void (*run)(void *), void (*finish)(void *), void *arg,
				 const char *name);
/* Leaves the running kernel thread's run() (kthread_exit()). */
__attribute__((noreturn)) void smmusim_host_kthread_exit(void);

/* ---- interrupts ---------------------------------------------------------- */
typedef int (*smmusim_irq_fn)(int irq, void *dev_id);
/* Installs handler/thread_fn for a line of the interrupt controller. */
int smmusim_host_request_irq(unsigned int irq, smmusim_irq_fn handler, smmusim_irq_fn thread_fn,
			     void *dev_id, const char *name);
void smmusim_host_free_irq(unsigned int irq, void *dev_id);
void smmusim_host_synchronize_irq(unsigned int irq);

/* ---- log and failures --------------------------------------------------- */
/* level: 0..7 as KERN_EMERG..KERN_DEBUG; prefix may be NULL. */
void smmusim_host_vlog(int level, const char *prefix, const char *fmt, __builtin_va_list ap);
void smmusim_host_log(int level, const char *prefix, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Formats like the kernel's vsnprintf (with the %p extensions the drivers
 * use); returns the length the full output would have. */
int smmusim_host_vformat(char *buf, unsigned long size, const char *fmt, __builtin_va_list ap);
/* A WARN, a BUG, a call of an unimplemented service, ...: recorded; the
 * test fails on it.  kind is a short tag ("WARN", "BUG", "trap", ...). */
void smmusim_host_failure(const char *kind, const char *msg);
/* A source path relative to its tree, as the kernel prints __FILE__
 * ("drivers/iommu/..."): a suffix of `file`. */
const char *smmusim_host_tree_path(const char *file);
/* A code address as "function+0xoff/0xsize" (%pS); returns the length. */
int smmusim_host_symbol(const void *addr, char *buf, unsigned long size);
/* panic(): records, then unwinds the simulated CPU out of kernel code. */
__attribute__((noreturn)) void smmusim_host_panic(const char *msg);

/* ---- services the kernel-side C code provides to the host side ----------- */
/* Name of a struct device_node for %pOF (kernel side). */
const char *smmusim_of_node_name(const void *np);
/* Preemption/IRQ state of the running context, saved across every wait. */
void smmusim_ctx_save(unsigned long *preempt_count, unsigned long *irq_flags);
void smmusim_ctx_restore(unsigned long preempt_count, unsigned long irq_flags);
/* State of a fresh context: preemption enabled, interrupts enabled. */
void smmusim_ctx_init(unsigned long *preempt_count, unsigned long *irq_flags);
/* Nonzero when the running context may not sleep (preemption or
 * interrupts disabled). */
int smmusim_ctx_atomic(void);
/* Same, for a saved state (another context's). */
int smmusim_ctx_is_atomic(unsigned long preempt_count, unsigned long irq_flags);
/* Runs the queued call_rcu() callbacks (a grace period has passed);
 * returns how many. */
int smmusim_rcu_flush(void);
/* Enter/leave hard-IRQ context around a handler. */
void smmusim_irq_enter(void);
void smmusim_irq_exit(void);

#ifdef __cplusplus
}
#endif

#endif /* SMMUSIM_HOST_H */
