// SPDX-License-Identifier: GPL-2.0-only
// KernelShim: the kernel shim as tests, the trace player's kernel
// operations and the VMM use it. A thin facade over the host side
// (kernel_shim/host/, private): it binds the kernel code to a Board (the
// narrow platform view, models/platform/board.h) and offers the kernel's
// entry points (driver probe and removal, the iommu API, the simulated
// process's system calls) each run on a simulated CPU, plus what a test
// inspects (log, failures, allocations).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <systemc>

#include "klog.h"
#include "options.h"
#include "platform/board.h"
#include "user_memory.h"

namespace smmusim::endpoint {
class PciConfigSpace;
}

namespace smmusim::kshim {

struct Host;

class KernelShim {
public:
    using Options = ShimOptions;

    explicit KernelShim(Board& board);
    KernelShim(Board& board, const Options& opts);
    ~KernelShim();
    KernelShim(const KernelShim&) = delete;
    KernelShim& operator=(const KernelShim&) = delete;

    static KernelShim* instance();
    Board& board();
    const Options& options() const;

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

    // Builds the arm,smmu-v3 node and platform device from the board's
    // firmware facts and registers it, so the registered driver probes it.
    // With a CMDQV on the board (and ShimOptions::cmdqv_node), its
    // nvidia,tegra264-cmdqv node and platform device are registered first
    // and the SMMU node becomes a Tegra264 one pointing at it.
    // Boots first if needed. Returns the probe's result (0 = bound, a
    // negative errno), or 1 when the probing context was stopped before the
    // probe returned (the soft-lockup detector, the end of simulated time).
    int probe_smmu();
    // Unbinds the device (driver remove + devres release), frees it and the
    // CMDQV device, then unregisters the drivers.
    void remove_smmu();
    bool cmdqv_in_dt() const;

    // Sets a built-in module parameter ("arm_smmu_v3.bypass_vcmdq") through
    // the kernel's __param table; 0 or a negative errno.
    int set_module_param(const std::string& name, const std::string& value);
    // The names set_module_param() knows (the __param table: static data,
    // read without a shim or a boot).
    static std::vector<std::string> module_param_names();
    // "" if `value` is one the parameter `name` takes (checked by its type
    // without setting it: static data, before a boot; a type the shim
    // cannot check passes, and its setter decides at run time), else why
    // not, e.g. "arm_smmu_v3.bypass_vcmdq is a bool: ...".
    static std::string check_module_param(const std::string& name, const std::string& value);

    // ---- endpoints and paging domains (the iommu core's API) ------------
    // An endpoint: a DMA master with these stream IDs behind the SMMU
    // ("iommus" = <&smmu sid>...). Added on a simulated CPU, so the iommu
    // core probes it with the SMMU (group, default domain, STE). Returns
    // its index, or a negative errno. Needs probe_smmu() first.
    int add_endpoint(const std::string& name, const std::vector<uint32_t>& sids);
    // A PCI endpoint function on the root bus of a host bridge whose
    // "iommu-map" maps RID -> StreamID one to one (so its StreamID is `rid`,
    // 0..0xff) and which says "ats-supported"; with an ATS Extended
    // Capability if `ats`. The iommu core probes it as add_endpoint()'s;
    // the SMMU driver then prepares (and, attached to a paging domain,
    // enables) ATS on it. Index or negative errno.
    int add_pci_endpoint(const std::string& name, uint32_t rid, bool ats);
    // A PCI endpoint's configuration space (null for a platform endpoint):
    // what the driver wrote there (ATS Control's Enable and STU). Readable
    // after remove_endpoint() and remove_smmu().
    const endpoint::PciConfigSpace* endpoint_pci_config(int ep) const;
    // The same, for the function's own model (its ATS endpoint observes it).
    endpoint::PciConfigSpace* endpoint_pci_config(int ep);
    // Removes an endpoint (device_del: the iommu core releases it, the
    // driver attaches its release domain); 0 or -EINVAL. Detach it from
    // domains first.
    int remove_endpoint(int ep);
    // The endpoint was taken by the IOMMU (it has an iommu_group).
    bool endpoint_has_group(int ep) const;
    // How many stream IDs the bound driver's stream table reaches (0: none
    // bound): a master with a stream ID beyond fails to probe with ERANGE.
    uint64_t smmu_stream_ids() const;
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
    UserMemory& user_memory();
    void* user_alloc(uint64_t bytes, UserMemory::Layout layout = UserMemory::Layout::Contiguous);
    // System calls, on the simulated CPU, with the kernel's return values
    // (negative errno). sys_open("iommu") opens /dev/iommu; ioctl arguments
    // are the real uAPI structures (include/uapi/linux/iommufd.h).
    int sys_open(const std::string& misc_device = "iommu");
    long sys_ioctl(int fd, unsigned long cmd, void* arg);
    long sys_read(int fd, void* buf, size_t count);
    long sys_write(int fd, const void* buf, size_t count);
    int sys_close(int fd);
    // mmap(length, MAP_SHARED or not, fd, offset): a mapping index, or
    // -errno. Of a device region (iommufd's mmap of a vIOMMU's MMIO page),
    // accesses through it are MMIO in simulated time, as a guest's would
    // be; of memory (a shmem file's pages, user memory that iommufd can
    // pin; a DRAM or kernel page iommufd remaps) they are plain accesses.
    int sys_mmap(int fd, uint64_t length, uint64_t offset, bool shared = true, bool writable = true);
    int sys_munmap(int map);
    // memfd_create(name, MFD_* flags): a shmem file (fd or -errno), its
    // size set by ftruncate(); poll() on the process's files (struct
    // pollfd array, timeout in ms of simulated time, < 0: none).
    int sys_memfd_create(const std::string& name, unsigned flags = 0);
    int sys_ftruncate(int fd, int64_t length);
    int sys_poll(void* fds, unsigned nfds, int timeout_ms);
    uint64_t map_read(int map, uint64_t offset, unsigned size = 4);
    // Where a live mapping starts in the host's address space (0 if none;
    // a direct access to a device region faults: use map_read/map_write;
    // memory is read and written there directly), and the live
    // mapping that starts at `where` (-1 if none), for a munmap() by address.
    uint64_t map_address(int map) const;
    int map_at(uint64_t where) const;
    void map_write(int map, uint64_t offset, uint64_t value, unsigned size = 4);
    // VFIO's iommufd calls for an endpoint: bind to the context of an open
    // /dev/iommu (out: the device object ID), attach to a page-table object
    // (IOAS or HWPT; in/out: its ID; an attached endpoint is moved to it
    // with iommufd_device_replace(), as VFIO does), detach, unbind. 0 or -errno.
    int vfio_bind(int fd, int ep, uint32_t* dev_id);
    int vfio_attach(int ep, uint32_t* pt_id);
    void vfio_detach(int ep);
    void vfio_unbind(int ep);

    // Each call above and below runs on a simulated CPU; last_cycles() is
    // the SMMU cycles the last one took.
    // One raw command through arm_smmu_cmdq_issue_cmdlist() on the queue the
    // driver routes it to; *secondary: it went to a VCMDQ.
    int issue_cmd(uint64_t dw0, uint64_t dw1, bool sync, bool* secondary = nullptr);
    uint64_t last_cycles() const;
    // Lets `t` of simulated time pass with the CPU asleep (interrupt
    // threads run); false when simulated time ran out (time_ran_out()).
    bool idle(sc_core::sc_time t);
    // Interrupt line `irq` is quiet: every assertion was taken by its
    // handler (hard and threaded) and none of them runs now.
    bool irq_idle(unsigned irq) const;
    // A wait of kernel code could not fit before the end of simulated time
    // (2^64 - 1 ps): the waiting code was stopped as a panic stops it, and
    // nothing more can run in simulated time. time_out_message() says where.
    bool time_ran_out() const;
    const std::string& time_out_message() const;
    // Simulated time left before its end (sc_max_time()).
    static sc_core::sc_time time_left();
    bool smmu_bound() const;
    int smmu_devres_count() const;
    int iommus_registered() const;
    // SMMU clock cycles the last probe_smmu() took, from device
    // registration until probe returned.
    uint64_t probe_cycles() const;

    // The soft-lockup threshold (Options::softlockup_ns), in ns; 0: off.
    void set_softlockup_ns(uint64_t ns);

    // ---- waits, for tests of the watchdog (from kernel code: run()) -------
    uint64_t now_ns() const;
    // A busy-wait of `t` (as udelay) by the code at `caller`.
    void spin_from(sc_core::sc_time t, const void* caller);
    // A sleep of `t` (as msleep); `what` names it in a failure.
    void sleep(sc_core::sc_time t, const char* what);

    // ---- kernel log -----------------------------------------------------
    const std::vector<LogRecord>& log() const;
    // As `dmesg` prints it: "[    0.000123] message" (seconds.microseconds
    // of simulated time).
    std::string dmesg() const;
    static std::string dmesg_line(const LogRecord& r) { return Klog::dmesg_line(r); }
    bool log_contains(std::string_view text) const;
    // Messages at KERN_WARNING or more severe.
    unsigned warnings() const;

    // ---- failures ---------------------------------------------------------
    const std::vector<Failure>& failures() const;
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
    void fail_kmalloc_after(int64_t n);

private:
    std::unique_ptr<Host> h_;
};

}  // namespace smmusim::kshim
