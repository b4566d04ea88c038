// SPDX-License-Identifier: GPL-2.0-only
// The kernel shim's C++ side: binds the kernel-side services (kernel_shim/src,
// compiled against the kernel headers) to one SystemC platform (sim/soc.h),
// runs kernel code on simulated CPUs (SystemC threads with large stacks), and
// keeps what tests look at: the kernel log, recorded failures (WARN, BUG,
// traps, bus errors, sleeping in atomic context) and allocation counters.
//
// One KernelShim per process (the kernel code has global state, and a
// SystemC simulation cannot be restarted anyway).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <systemc>

#include "soc.h"
#include "user_memory.h"

namespace smmusim::kshim {

struct LogRecord {
    int level;         // 0 (KERN_EMERG) .. 7 (KERN_DEBUG)
    uint64_t time_ns;  // simulated
    std::string text;  // without the trailing newline
};

struct Failure {
    std::string kind;  // WARN, BUG, panic, trap, bus-error, atomic-sleep, hang, ...
    std::string message;
    uint64_t time_ns;
};

// Thrown by panic() to leave kernel code; caught by the CPU thread.
struct KernelPanic {
    std::string message;
};

class KernelShim {
public:
    struct Options {
        // DMA pool (dma_alloc_coherent, page tables) inside DRAM.
        uint64_t dma_offset = 512ull << 20;  // from mem.dram_base
        uint64_t dma_size = 256ull << 20;
        // What a cpu_relax() costs, and how long a WFE waits for an event.
        uint64_t cpu_relax_ns = 10;
        uint64_t wfe_timeout_ns = 1000;
        // arm64 CPU capability ARM64_HAS_VIRT_HOST_EXTN (kernel at EL2).
        bool vhe = true;
        // Stack of every kernel thread (CPU and interrupt threads).
        size_t stack_bytes = 8u << 20;
        // Also print the kernel log on stderr as it is written (default:
        // when the environment variable SMMUSIM_DMESG is set).
        bool echo_log = false;
        // Frames for the simulated process's user memory (user_alloc):
        // DRAM offset and size (default: right after the DMA pool, 256 MiB).
        uint64_t user_offset = 768ull << 20;
        uint64_t user_size = 256ull << 20;
        // The soft-lockup detector: a CPU context that busy-waits (cpu_relax,
        // WFE, udelay) without sleeping for this long of simulated time is
        // reported as the kernel's watchdog reports it, and stopped. Default
        // 20 s: Linux's soft-lockup threshold, 2 x watchdog_thresh (10 s,
        // kernel/watchdog.c). 0 turns it off. A trace sets it with
        // `kernel param watchdog_thresh=S` (seconds, as the kernel's).
        uint64_t softlockup_ns = 20000000000ull;
        // Put the CMDQV in the device tree (its node, and the SMMU node's
        // "nvidia,cmdqv" phandle) when the platform has one.
        bool cmdqv_node = true;
    };

    explicit KernelShim(Soc& soc);
    KernelShim(Soc& soc, const Options& opts);
    ~KernelShim();
    KernelShim(const KernelShim&) = delete;
    KernelShim& operator=(const KernelShim&) = delete;

    static KernelShim* instance();
    Soc& soc() { return soc_; }
    const Options& options() const { return opts_; }

    // Runs `body` on a simulated CPU (a new SystemC thread) and simulates
    // until it returns, or for at most `limit` of simulated time. Returns
    // false (and records a "hang" failure) if it did not finish.
    // Called while the simulation runs (from a SystemC thread, such as the
    // trace player's CPU, with a stack of at least Options::stack_bytes),
    // `body` runs right there instead, in simulated time, and `limit` does
    // not apply. Every other call below goes through here, so it works
    // both ways.
    bool run(std::function<void()> body, sc_core::sc_time limit = sc_core::sc_time(10, sc_core::SC_SEC));

    // Driver registration: the initcalls of the linked kernel objects (run
    // once, on a simulated CPU); unregistration: their exitcalls, then
    // platform_driver_unregister() of every driver still registered.
    void boot();
    void shutdown_drivers();

    // Builds the arm,smmu-v3 node and platform device from the platform
    // configuration and registers it, so the registered driver probes it.
    // With a CMDQV on the platform (and Options::cmdqv_node), its
    // nvidia,tegra264-cmdqv node and platform device are registered first
    // and the SMMU node becomes a Tegra264 one pointing at it.
    // Boots first if needed. Returns the probe's result (0 = bound).
    int probe_smmu();
    // Unbinds the device (driver remove + devres release), frees it and the
    // CMDQV device, then unregisters the drivers.
    void remove_smmu();
    bool cmdqv_in_dt() const { return cmdqv_pdev_ != nullptr; }

    // Sets a built-in module parameter ("arm_smmu_v3.bypass_vcmdq") through
    // the kernel's __param table; 0 or a negative errno.
    int set_module_param(const std::string& name, const std::string& value);

    // ---- endpoints and paging domains (the iommu core's API) ------------
    // An endpoint: a DMA master with these stream IDs behind the SMMU
    // ("iommus" = <&smmu sid>...). Added on a simulated CPU, so the iommu
    // core probes it with the SMMU (group, default domain, STE). Returns
    // its index, or a negative errno. Needs probe_smmu() first.
    int add_endpoint(const std::string& name, const std::vector<uint32_t>& sids);
    // The endpoint was taken by the IOMMU (it has an iommu_group).
    bool endpoint_has_group(int ep) const;
    // The device behind an endpoint (struct device *), for the iommufd layer.
    void* endpoint_device(int ep) const;
    // iommu_paging_domain_alloc() for the endpoint: an index, or -errno.
    int domain_alloc(int ep);
    int domain_attach(int dom, int ep);
    void domain_detach(int dom, int ep);
    int domain_map(int dom, uint64_t iova, uint64_t pa, uint64_t size, bool write = true);
    // Bytes unmapped. The driver invalidates the TLBs on the queue it picks.
    uint64_t domain_unmap(int dom, uint64_t iova, uint64_t size);
    uint64_t domain_iova_to_phys(int dom, uint64_t iova);
    unsigned domain_asid(int dom) const;
    void domain_free(int dom);

    // ---- the simulated process (a VMM): user memory, /dev/iommu ---------
    // User memory the IOMMU may reach: a host pointer whose pages are
    // simulated DRAM frames laid out as asked (see user_memory.h).
    UserMemory& user_memory() { return *user_; }
    void* user_alloc(uint64_t bytes, UserMemory::Layout layout = UserMemory::Layout::Contiguous)
    {
        return user_->alloc(bytes, layout);
    }
    // System calls, on the simulated CPU, with the kernel's return values
    // (negative errno). sys_open("iommu") opens /dev/iommu; ioctl arguments
    // are the real uAPI structures (include/uapi/linux/iommufd.h).
    int sys_open(const std::string& misc_device = "iommu");
    long sys_ioctl(int fd, unsigned long cmd, void* arg);
    long sys_read(int fd, void* buf, size_t count);
    int sys_close(int fd);
    // mmap(length, MAP_SHARED or not, fd, offset) of a device region
    // (iommufd's mmap of a vIOMMU's MMIO page): a mapping index, or -errno.
    // Accesses through it are MMIO in simulated time, as a guest's would be.
    int sys_mmap(int fd, uint64_t length, uint64_t offset, bool shared = true, bool writable = true);
    int sys_munmap(int map);
    uint64_t map_read(int map, uint64_t offset, unsigned size = 4);
    void map_write(int map, uint64_t offset, uint64_t value, unsigned size = 4);
    // VFIO's iommufd calls for an endpoint: bind to the context of an open
    // /dev/iommu (out: the device object ID), attach to a page-table object
    // (IOAS or HWPT; in/out: its ID), detach, unbind. 0 or -errno.
    int vfio_bind(int fd, int ep, uint32_t* dev_id);
    int vfio_attach(int ep, uint32_t* pt_id);
    void vfio_detach(int ep);
    void vfio_unbind(int ep);

    // Each call above and below runs on a simulated CPU; last_cycles() is
    // the SMMU cycles the last one took.
    // One raw command through arm_smmu_cmdq_issue_cmdlist() on the queue the
    // driver routes it to; *secondary: it went to a VCMDQ.
    int issue_cmd(uint64_t dw0, uint64_t dw1, bool sync, bool* secondary = nullptr);
    uint64_t last_cycles() const { return last_cycles_; }
    // Lets `t` of simulated time pass with the CPU asleep (interrupt
    // threads run); false when simulated time ran out (time_ran_out()).
    bool idle(sc_core::sc_time t);
    // A wait of kernel code could not fit before the end of simulated time
    // (2^64 - 1 ps): the waiting code was stopped as a panic stops it, and
    // nothing more can run in simulated time. time_out_message() says where.
    bool time_ran_out() const { return !time_out_msg_.empty(); }
    const std::string& time_out_message() const { return time_out_msg_; }
    // Simulated time left before its end (sc_max_time()).
    static sc_core::sc_time time_left();
    bool smmu_bound() const;
    int smmu_devres_count() const;
    int iommus_registered() const;
    // SMMU clock cycles the last probe_smmu() took, from device
    // registration until probe returned.
    uint64_t probe_cycles() const { return probe_cycles_; }

    // The soft-lockup threshold (Options::softlockup_ns), in ns; 0: off.
    void set_softlockup_ns(uint64_t ns) { opts_.softlockup_ns = ns; }

    // ---- kernel log -----------------------------------------------------
    const std::vector<LogRecord>& log() const { return log_; }
    // As `dmesg` prints it: "[    0.000123] message" (seconds.microseconds
    // of simulated time).
    std::string dmesg() const;
    static std::string dmesg_line(const LogRecord& r);
    bool log_contains(std::string_view text) const;
    // Messages at KERN_WARNING or more severe.
    unsigned warnings() const { return warnings_; }

    // ---- failures ---------------------------------------------------------
    const std::vector<Failure>& failures() const { return failures_; }
    std::string failures_text() const;

    // ---- allocations --------------------------------------------------------
    struct AllocStats {
        uint64_t kmalloc_calls = 0, kmalloc_failed = 0, kmalloc_live = 0, kmalloc_live_bytes = 0;
        // The largest block the host heap was asked for (the kernel's size
        // limits refuse bigger ones before they get there).
        uint64_t kmalloc_largest = 0;
        // Allocated by built-in code while it initialised (boot()): lives
        // as long as the kernel, so not in kmalloc_live.
        uint64_t kmalloc_boot_live = 0;
        uint64_t dma_allocs = 0, dma_live = 0, dma_live_bytes = 0;
        uint64_t ioremaps = 0, ioremap_live = 0;
        uint64_t irqs_requested = 0, irqs_live = 0;
    };
    AllocStats alloc_stats() const;
    // Live kmalloc blocks, each with the kernel function that allocated it
    // (a leak report).
    std::string live_kmallocs() const;
    // The n-th kmalloc from now (0 = the next one) returns NULL; -1 = off.
    void fail_kmalloc_after(int64_t n) { kmalloc_fail_after_ = n; }

    // ---- used by the C services (extern "C" glue in bridge.cc) ----------
    struct Ctx;
    struct IrqAction;
    void* kmalloc(size_t size, bool zero, std::string site = {});
    void kfree(const void* p);
    size_t ksize(const void* p) const;
    void* dma_alloc(size_t size, uint64_t* pa);
    void dma_free(void* cpu);
    uint64_t dram_pa(const void* cpu) const;
    void* ioremap(uint64_t pa, uint64_t size);
    void iounmap(const volatile void* cookie);
    uint64_t mmio_read(const volatile void* addr, unsigned size, const void* caller = nullptr);
    void mmio_write(volatile void* addr, uint64_t v, unsigned size, const void* caller = nullptr);
    uint64_t now_ns() const;
    void spin(sc_core::sc_time t);
    void sleep(sc_core::sc_time t, const char* what);
    void block(const char* what);
    uint64_t block_timeout(uint64_t ns, const char* what);
    void rcu_quiescent();
    void wake_all() { wake_ev_.notify(sc_core::SC_ZERO_TIME); }
    // `caller`: the kernel code that busy-waits (the watchdog names it).
    void cpu_relax(const void* caller = nullptr);
    void wfe(const void* caller = nullptr);
    void spin_from(sc_core::sc_time t, const void* caller);
    Ctx* current() const { return cur_; }
    int request_irq(unsigned irq, int (*handler)(int, void*), int (*thread_fn)(int, void*), void* dev_id,
                    const char* name);
    void free_irq(unsigned irq, void* dev_id);
    void synchronize_irq(unsigned irq);
    void add_log(int level, std::string text);
    void fail(std::string kind, std::string msg);
    void* map_zero(uint64_t bytes);

private:
    template <class F>
    void kwait(bool on_cpu, sc_core::sc_time need, F&& wait_fn, const void* caller = nullptr);
    void soft_lockup(Ctx& c);
    [[noreturn]] void out_of_time(Ctx& c, sc_core::sc_time need, const void* caller);
    void unpoison_unwound_frames();
    Ctx* new_cpu_ctx();
    void run_on(Ctx& c, const std::function<void()>& body);
    void enter(Ctx& c);
    void leave(Ctx& c);
    void irq_thread(IrqAction* a);
    bool cpu_irqs_masked() const;

    Soc& soc_;
    Options opts_;
    std::vector<LogRecord> log_;
    unsigned warnings_ = 0;
    std::vector<Failure> failures_;

    struct Block {
        size_t size;
        std::string site;
        bool boot = false;
    };
    std::map<const void*, Block> kmallocs_;
    uint64_t kmalloc_calls_ = 0, kmalloc_failed_ = 0, kmalloc_largest_ = 0;
    int64_t kmalloc_fail_after_ = -1;

    uint64_t dma_base_ = 0, dma_end_ = 0;
    std::map<uint64_t, uint64_t> dma_free_;  // pa -> length
    std::map<uint64_t, uint64_t> dma_live_;  // pa -> length
    uint64_t dma_allocs_ = 0;

    struct IoMap {
        uint64_t pa, size;
        size_t map_len;
    };
    std::map<uintptr_t, IoMap> iomaps_;  // cookie -> mapping
    uint64_t ioremaps_ = 0;
    std::vector<std::pair<void*, size_t>> zero_maps_;

    Ctx* cur_ = nullptr;
    Ctx* inline_cpu_ = nullptr;  // the context of run() from a SystemC thread
    Ctx* on_cpu_ = nullptr;  // context busy-waiting on the CPU (not sleeping)
    std::vector<std::unique_ptr<Ctx>> ctxs_;
    std::vector<std::unique_ptr<IrqAction>> irqs_;
    uint64_t irqs_requested_ = 0;
    sc_core::sc_event wake_ev_, wfe_ev_;
    bool sev_pending_ = false;

    bool booted_ = false;
    bool booting_ = false;
    bool initcalls_done_ = false;
    void* smmu_pdev_ = nullptr;
    void* cmdqv_pdev_ = nullptr;
    const void* smmu_fwnode_ = nullptr;  // a key only, never dereferenced
    std::vector<void*> endpoints_;        // platform devices (null: removed)
    std::vector<void*> domains_;          // iommu_domain (null: freed)
    std::unique_ptr<UserMemory> user_;
    struct Map {
        void* vma = nullptr;
        uintptr_t where = 0;
        uint64_t length = 0;
    };
    std::vector<Map> maps_;                // sys_mmap() (vma null: unmapped)
    std::map<int, void*> idevs_;           // endpoint -> iommufd_device
    void* map_window_ = nullptr;           // PROT_NONE host range for maps_
    uint64_t map_window_next_ = 0;
    template <class F> auto timed(F&& fn);
    uint64_t probe_cycles_ = 0;
    uint64_t last_cycles_ = 0;
    bool done_ = false;
    std::string time_out_msg_;  // see time_ran_out()
};

}  // namespace smmusim::kshim
