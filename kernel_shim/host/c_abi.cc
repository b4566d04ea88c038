// SPDX-License-Identifier: GPL-2.0-only
// The C ABI the shim's kernel-side C code calls (smmusim/host.h,
// smmusim/mmio.h, the capability query of smmusim/arm64-compat.h): each
// function hands the call to the part of the host side that serves it
// (MMIO accesses and allocations also count for the CPU cost model,
// smmusim/cpu_cost.h).
#include <linux/capability.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cstdarg>
#include <cstring>
#include <string>

#include <fmt/format.h>

#include "endpoint/pci_config.h"
#include "host.h"
#include "smmusim/cpu_cost.h"
#include "smmusim/host.h"
#include "smmusim/kernel_facts.h"
#include "smmusim/mmio.h"

using smmusim::kshim::host;
using smmusim::kshim::KernelPanic;

namespace {
sc_core::sc_time ns_time(unsigned long long ns) { return sc_core::sc_time(static_cast<double>(ns), sc_core::SC_NS); }
}  // namespace

extern "C" {

// ---- memory -------------------------------------------------------------------
int smmusim_host_pci_cfg_read(void* cfg, int where, int size, unsigned int* val)
{
    uint32_t v = ~0u;
    const bool ok = where >= 0 && size > 0 &&
                    static_cast<smmusim::endpoint::PciConfigSpace*>(cfg)->read(static_cast<unsigned>(where),
                                                                              static_cast<unsigned>(size), v);
    *val = v;
    return ok;
}

int smmusim_host_pci_cfg_write(void* cfg, int where, int size, unsigned int val)
{
    return where >= 0 && size > 0 &&
           static_cast<smmusim::endpoint::PciConfigSpace*>(cfg)->write(static_cast<unsigned>(where),
                                                                      static_cast<unsigned>(size), val);
}

void* smmusim_host_kmalloc(unsigned long size, int zero)
{
    smmusim_cpu_event(SMMUSIM_CPU_ALLOC, 1);
    return host().kmem.kmalloc(size, zero != 0, smmusim::kshim::AllocSite::capture());
}
void smmusim_host_kfree(const void* p)
{
    if (p)
        smmusim_cpu_event(SMMUSIM_CPU_ALLOC, 1);
    host().kmem.kfree(p);
}
unsigned long smmusim_host_ksize(const void* p) { return host().kmem.ksize(p); }

void* smmusim_host_dma_alloc(unsigned long size, unsigned long long* pa)
{
    uint64_t a = 0;
    void* p = host().kmem.dma_alloc(size, &a);
    *pa = a;
    return p;
}

void smmusim_host_dma_free(void* cpu) { host().kmem.dma_free(cpu); }
unsigned long long smmusim_host_dram_pa(const void* cpu) { return host().kmem.dram_pa(cpu); }

void smmusim_host_dram_window(void** host_ptr, unsigned long long* pa, unsigned long long* size)
{
    const auto& r = host().board.memory().regions().front();
    *host_ptr = r.host;
    *pa = r.base;
    *size = r.size;
}

void* smmusim_host_map_zero(unsigned long long bytes) { return host().kmem.map_zero(bytes); }

unsigned long long smmusim_host_user_pa(unsigned long uva) { return host().user.pa(uva); }
unsigned long long smmusim_host_user_pa_in(int mm_id, unsigned long uva)
{
    return host().process.forks().pa(mm_id, uva);
}
void smmusim_host_user_exit_mmap(int mm_id) { host().process.forks().exit_mmap(mm_id); }

int smmusim_host_capable(int cap)
{
    // capget(2) of the host process the simulated one stands for: a
    // capability in its permitted set but not in its effective one was
    // dropped (a process without it permitted is taken as root).
    __user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, host().process.forks().user_pid()};
    __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
    if (cap < 0 || cap >= 32 * _LINUX_CAPABILITY_U32S_3 || syscall(SYS_capget, &hdr, data) != 0)
        return 1;
    const uint32_t bit = 1u << (cap % 32);
    const auto& d = data[cap / 32];
    return !((d.permitted & bit) && !(d.effective & bit));
}

unsigned long smmusim_host_user_copy(void* dst, const void* src, unsigned long n, int to_user)
{
    // The kernel's own process-memory copy checks each page and reports how
    // far it got (EFAULT past the first unmapped byte) instead of faulting.
    // The memory is that of the host process the running simulated process
    // stands for (this one, or a forked child's: process_fork.h).
    iovec local{to_user ? const_cast<void*>(src) : dst, n};
    iovec remote{to_user ? dst : const_cast<void*>(src), n};
    const pid_t pid = host().process.forks().user_pid();
    unsigned long done = 0;
    while (done < n) {
        const ssize_t r = to_user ? process_vm_writev(pid, &local, 1, &remote, 1, 0)
                                  : process_vm_readv(pid, &local, 1, &remote, 1, 0);
        if (r <= 0)
            break;
        done += static_cast<unsigned long>(r);
        local.iov_base = static_cast<char*>(local.iov_base) + r;
        remote.iov_base = static_cast<char*>(remote.iov_base) + r;
        local.iov_len = remote.iov_len = n - done;
    }
    return n - done;
}

unsigned long long smmusim_host_user_frame_alloc(void) { return host().user.file_frame_alloc(); }
void smmusim_host_user_frame_free(unsigned long long pa) { host().user.file_frame_free(pa); }

void smmusim_host_user_pin(unsigned long long pfn, int delta)
{
    auto& um = host().user;
    if (delta < 0 && um.pins_of(pfn) < -delta) {
        host().log.fail("BUG", fmt::format("unpin of PFN {:#x}, which has {} pins", pfn, um.pins_of(pfn)));
        return;
    }
    um.pin(pfn, delta);
}

// ---- MMIO -----------------------------------------------------------------------
void* smmusim_host_ioremap(unsigned long long pa, unsigned long long size) { return host().mmio.ioremap(pa, size); }
void smmusim_host_iounmap(const volatile void* cookie) { host().mmio.iounmap(cookie); }

unsigned long long smmusim_mmio_read(const volatile void* addr, unsigned int size)
{
    smmusim_cpu_event(SMMUSIM_CPU_MMIO, 1);
    return host().mmio.read(addr, size, __builtin_return_address(0));
}

void smmusim_mmio_write(volatile void* addr, unsigned long long val, unsigned int size)
{
    smmusim_cpu_event(SMMUSIM_CPU_MMIO, 1);
    host().mmio.write(addr, val, size, __builtin_return_address(0));
}

// ---- time and scheduling ------------------------------------------------------------
unsigned long long smmusim_host_now_ns(void) { return smmusim::kshim::now_ns(); }

void smmusim_host_spin_ns(unsigned long long ns) { host().sched.spin_from(ns_time(ns), __builtin_return_address(0)); }
void smmusim_host_spin_ns_from(unsigned long long ns, const void* caller) { host().sched.spin_from(ns_time(ns), caller); }
void smmusim_host_sleep_ns(unsigned long long ns, const char* what) { host().sched.sleep(ns_time(ns), what); }
void* smmusim_host_current(void) { return host().sched.current(); }
void smmusim_host_block(const char* what) { host().sched.block(what); }
unsigned long long smmusim_host_block_timeout_ns(unsigned long long ns, const char* what)
{
    return host().sched.block_timeout(ns, what);
}
void smmusim_host_wake_all(void) { host().sched.wake_all(); }
void smmusim_cpu_relax(void) { host().sched.cpu_relax(__builtin_return_address(0)); }
void smmusim_cpu_wfe(void) { host().sched.wfe(__builtin_return_address(0)); }

bool smmusim_cpus_have_cap(unsigned int num) { return num == smmusim_kernel_cap_vhe && host().opts.vhe; }

// ---- kernel threads ----------------------------------------------------------------
void* smmusim_host_kthread_start(void (*run)(void*), void (*finish)(void*), void* arg, const char* name)
{
    return host().kthreads.start(run, finish, arg, name ? name : "kthread");
}
void smmusim_host_kthread_exit(void) { host().kthreads.exit_current(); }

// ---- interrupts ------------------------------------------------------------------
int smmusim_host_request_irq(unsigned int irq, smmusim_irq_fn handler, smmusim_irq_fn thread_fn, void* dev_id,
                             const char* name)
{
    return host().irqs.request(irq, handler, thread_fn, dev_id, name);
}

void smmusim_host_free_irq(unsigned int irq, void* dev_id) { host().irqs.free(irq, dev_id); }
void smmusim_host_synchronize_irq(unsigned int irq) { host().irqs.synchronize(irq); }

// ---- log and failures ---------------------------------------------------------------
void smmusim_host_vlog(int level, const char* prefix, const char* fmt, va_list ap)
{
    char buf[1024];
    smmusim_host_vformat(buf, sizeof(buf), fmt, ap);
    host().log.add(level, std::string(prefix ? prefix : "") + buf);
}

void smmusim_host_log(int level, const char* prefix, const char* fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    smmusim_host_vlog(level, prefix, fmt, ap);
    va_end(ap);
}

// A source path as the kernel prints it, relative to its tree
// ("drivers/iommu/..."): compilers (and ccache) record absolute or
// build-relative paths, so the longest suffix that names a file of the
// kernel tree, or of the simulator's own tree (kernel_shim/src/...), is it.
const char* smmusim_host_tree_path(const char* file)
{
    static const std::string roots[] = {SMMUSIM_KERNEL_TREE "/", SMMUSIM_KERNEL_SHIM_DIR "/../"};
    if (!file)
        return "?";
    for (const char* p = file; p; p = strchr(p, '/')) {
        p += *p == '/';
        struct stat st {};
        for (const auto& root : roots)
            if (*p && stat((root + p).c_str(), &st) == 0 && S_ISREG(st.st_mode))
                return p;
    }
    return file;
}

void smmusim_host_failure(const char* kind, const char* msg)
{
    if (std::string(kind) == "trap")
        host().log.add(3, std::string("smmusim: ") + msg + "\n");
    host().log.fail(kind, msg);
}

void smmusim_host_panic(const char* msg)
{
    host().log.fail("panic", msg);
    throw KernelPanic{msg};
}

}  // extern "C"
