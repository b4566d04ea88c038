// SPDX-License-Identifier: GPL-2.0-only
// The facade (kernel_shim.h): each call forwards to the part of the host
// side that does it (host.h).
#include "kernel_shim.h"

#include <cstdlib>
#include <stdexcept>

#include "host.h"

namespace smmusim::kshim {

namespace {
KernelShim* g_shim = nullptr;

KernelShim::Options with_environment(KernelShim::Options o)
{
    if (getenv("SMMUSIM_DMESG"))
        o.echo_log = true;
    return o;
}
}  // namespace

KernelShim::KernelShim(Board& board) : KernelShim(board, Options{}) {}

KernelShim::KernelShim(Board& board, const Options& opts)
{
    if (g_shim)
        throw std::logic_error("only one KernelShim per process");
    h_ = std::make_unique<Host>(board, with_environment(opts));
    g_shim = this;
}

KernelShim::~KernelShim() { g_shim = nullptr; }

KernelShim* KernelShim::instance() { return g_shim; }
Board& KernelShim::board() { return h_->board; }
const KernelShim::Options& KernelShim::options() const { return h_->opts; }

bool KernelShim::run(std::function<void()> body, sc_core::sc_time limit) { return h_->run(body, limit); }

// ---- devices and drivers --------------------------------------------------
void KernelShim::boot() { h_->devices.boot(); }
void KernelShim::shutdown_drivers() { h_->devices.shutdown_drivers(); }
int KernelShim::probe_smmu() { return h_->devices.probe_smmu(); }
void KernelShim::remove_smmu() { h_->devices.remove_smmu(); }
bool KernelShim::cmdqv_in_dt() const { return h_->devices.cmdqv_in_dt(); }
int KernelShim::set_module_param(const std::string& name, const std::string& value)
{
    return h_->devices.set_module_param(name, value);
}
std::vector<std::string> KernelShim::module_param_names() { return Devices::module_param_names(); }
std::string KernelShim::check_module_param(const std::string& name, const std::string& value)
{
    return Devices::check_module_param(name, value);
}
int KernelShim::add_endpoint(const std::string& name, const std::vector<uint32_t>& sids)
{
    return h_->devices.add_endpoint(name, sids);
}
int KernelShim::add_pci_endpoint(const std::string& name, uint32_t rid, bool ats)
{
    return h_->devices.add_pci_endpoint(name, rid, ats);
}
const endpoint::PciConfigSpace* KernelShim::endpoint_pci_config(int ep) const { return h_->devices.pci_config(ep); }
endpoint::PciConfigSpace* KernelShim::endpoint_pci_config(int ep) { return h_->devices.pci_config(ep); }
int KernelShim::remove_endpoint(int ep) { return h_->devices.remove_endpoint(ep); }
bool KernelShim::endpoint_has_group(int ep) const { return h_->devices.endpoint_has_group(ep); }
uint64_t KernelShim::smmu_stream_ids() const { return h_->devices.smmu_stream_ids(); }
void* KernelShim::endpoint_device(int ep) const { return h_->devices.endpoint_device(ep); }
bool KernelShim::smmu_bound() const { return h_->devices.smmu_bound(); }
int KernelShim::smmu_devres_count() const { return h_->devices.smmu_devres_count(); }
int KernelShim::iommus_registered() const { return h_->devices.iommus_registered(); }
uint64_t KernelShim::probe_cycles() const { return h_->devices.probe_cycles(); }

// ---- the iommu API ----------------------------------------------------------
int KernelShim::domain_alloc(int ep) { return h_->iommu.domain_alloc(ep); }
int KernelShim::domain_attach(int dom, int ep) { return h_->iommu.domain_attach(dom, ep); }
void KernelShim::domain_detach(int dom, int ep) { h_->iommu.domain_detach(dom, ep); }
int KernelShim::domain_map(int dom, uint64_t iova, uint64_t pa, uint64_t size, bool write)
{
    return h_->iommu.domain_map(dom, iova, pa, size, write);
}
uint64_t KernelShim::domain_unmap(int dom, uint64_t iova, uint64_t size)
{
    return h_->iommu.domain_unmap(dom, iova, size);
}
uint64_t KernelShim::domain_iova_to_phys(int dom, uint64_t iova) { return h_->iommu.domain_iova_to_phys(dom, iova); }
unsigned KernelShim::domain_asid(int dom) const { return h_->iommu.domain_asid(dom); }
void KernelShim::domain_free(int dom) { h_->iommu.domain_free(dom); }
int KernelShim::issue_cmd(uint64_t dw0, uint64_t dw1, bool sync, bool* secondary)
{
    return h_->iommu.issue_cmd(dw0, dw1, sync, secondary);
}
uint64_t KernelShim::last_cycles() const { return h_->last_cycles; }

// ---- the simulated process ----------------------------------------------------
UserMemory& KernelShim::user_memory() { return h_->user; }
void* KernelShim::user_alloc(uint64_t bytes, UserMemory::Layout layout) { return h_->user.alloc(bytes, layout); }
int KernelShim::sys_open(const std::string& misc_device) { return h_->process.sys_open(misc_device); }
long KernelShim::sys_ioctl(int fd, unsigned long cmd, void* arg) { return h_->process.sys_ioctl(fd, cmd, arg); }
long KernelShim::sys_read(int fd, void* buf, size_t count) { return h_->process.sys_read(fd, buf, count); }
long KernelShim::sys_write(int fd, const void* buf, size_t count)
{
    return h_->process.sys_write(fd, buf, count);
}
int KernelShim::sys_close(int fd) { return h_->process.sys_close(fd); }
int KernelShim::sys_mmap(int fd, uint64_t length, uint64_t offset, bool shared, bool writable)
{
    return h_->process.sys_mmap(fd, length, offset, shared, writable);
}
int KernelShim::sys_munmap(int map) { return h_->process.sys_munmap(map); }
int KernelShim::sys_memfd_create(const std::string& name, unsigned flags)
{
    return h_->process.sys_memfd_create(name, flags);
}
int KernelShim::sys_ftruncate(int fd, int64_t length) { return h_->process.sys_ftruncate(fd, length); }
int KernelShim::sys_poll(void* fds, unsigned nfds, int timeout_ms)
{
    return h_->process.sys_poll(fds, nfds, timeout_ms);
}
uint64_t KernelShim::map_address(int map) const { return h_->process.map_address(map); }
int KernelShim::map_at(uint64_t where) const { return h_->process.map_at(where); }
uint64_t KernelShim::map_read(int map, uint64_t offset, unsigned size) { return h_->process.map_read(map, offset, size); }
void KernelShim::map_write(int map, uint64_t offset, uint64_t value, unsigned size)
{
    h_->process.map_write(map, offset, value, size);
}
int KernelShim::vfio_bind(int fd, int ep, uint32_t* dev_id) { return h_->process.vfio_bind(fd, ep, dev_id); }
int KernelShim::vfio_attach(int ep, uint32_t* pt_id) { return h_->process.vfio_attach(ep, pt_id); }
void KernelShim::vfio_detach(int ep) { h_->process.vfio_detach(ep); }
void KernelShim::vfio_unbind(int ep) { h_->process.vfio_unbind(ep); }

// ---- time and waits -----------------------------------------------------------
bool KernelShim::idle(sc_core::sc_time t)
{
    h_->run([&] { h_->sched.sleep(t, "idle"); });
    return !h_->sched.time_ran_out();
}
bool KernelShim::irq_idle(unsigned irq) const { return h_->irqs.idle(irq); }
bool KernelShim::time_ran_out() const { return h_->sched.time_ran_out(); }
const std::string& KernelShim::time_out_message() const { return h_->sched.time_out_message(); }
sc_core::sc_time KernelShim::time_left() { return Scheduler::time_left(); }
void KernelShim::set_softlockup_ns(uint64_t ns) { h_->opts.softlockup_ns = ns; }
uint64_t KernelShim::now_ns() const { return kshim::now_ns(); }
void KernelShim::spin_from(sc_core::sc_time t, const void* caller) { h_->sched.spin_from(t, caller); }
void KernelShim::sleep(sc_core::sc_time t, const char* what) { h_->sched.sleep(t, what); }

// ---- log, failures, allocations -------------------------------------------------
const std::vector<LogRecord>& KernelShim::log() const { return h_->log.records(); }
std::string KernelShim::dmesg() const { return h_->log.dmesg(); }
bool KernelShim::log_contains(std::string_view text) const { return h_->log.contains(text); }
unsigned KernelShim::warnings() const { return h_->log.warnings(); }
const std::vector<Failure>& KernelShim::failures() const { return h_->log.failures(); }
std::string KernelShim::failures_text() const { return h_->log.failures_text(); }
std::string KernelShim::live_kmallocs() const { return h_->kmem.live_kmallocs(); }
void KernelShim::fail_kmalloc_after(int64_t n) { h_->kmem.fail_kmalloc_after(n); }

KernelShim::AllocStats KernelShim::alloc_stats() const
{
    const Kmem::Stats m = h_->kmem.stats();
    AllocStats s;
    s.kmalloc_calls = m.kmalloc_calls;
    s.kmalloc_failed = m.kmalloc_failed;
    s.kmalloc_live = m.kmalloc_live;
    s.kmalloc_live_bytes = m.kmalloc_live_bytes;
    s.kmalloc_largest = m.kmalloc_largest;
    s.kmalloc_boot_live = m.kmalloc_boot_live;
    s.dma_allocs = m.dma_allocs;
    s.dma_live = m.dma_live;
    s.dma_live_bytes = m.dma_live_bytes;
    s.ioremaps = h_->mmio.ioremaps();
    s.ioremap_live = h_->mmio.live();
    s.irqs_requested = h_->irqs.requested();
    s.irqs_live = h_->irqs.live();
    return s;
}

}  // namespace smmusim::kshim
