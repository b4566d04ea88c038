// SPDX-License-Identifier: GPL-2.0-only
// A virtual machine monitor's use of iommufd with a Tegra241 CMDQV, on the
// in-process /dev/iommu of a KernelShim: what QEMU does to give a VM an
// accelerated vIOMMU, step by step through the real uAPI, plus the guest's
// side of a HW queue (writing commands into guest RAM, enabling the queue
// and ringing PROD through the mmapped VINTF page; the enable and the
// stores are sim/driver's sequences over a GuestBus), and the guest's own
// stage 1 (its CD table and page tables in guest RAM, guest_stage1.h) with
// the nested HWPT the VMM makes from the guest's vSTE. A VM whose vIOMMU is
// of type ARM_SMMUV3 instead has no VINTF and no HW queue: its guest's
// invalidations trap to the VMM (trapped_cmdq.h), which passes them on with
// invalidate().
//
// Used by the trace player (sim/) and by tests; every call returns the
// kernel's result (0 or a negative errno) so bad requests are reported as
// the kernel reports them.
#pragma once

#include <array>
#include <memory>
#include <cstdint>
#include <string>
#include <vector>

#include "guest_bus.h"
#include "guest_stage1.h"
#include "kernel_shim.h"
#include "smmuv3/queue.h"

namespace smmusim::kshim {

class Vm {
public:
    struct Config {
        int endpoint = -1;          // KernelShim::add_endpoint() index
        uint64_t ram_bytes = 2ull << 20;
        uint64_t gpa = 1ull << 30;  // guest RAM's guest-physical (= stage-2 IOVA) base
        UserMemory::Layout layout = UserMemory::Layout::Contiguous;
        uint32_t vsid = 0;          // the endpoint's virtual SID in the guest
        // The vIOMMU's type: TEGRA241_CMDQV (a VINTF, the guest's HW queues,
        // accelerated) or ARM_SMMUV3 (the guest's SMMU emulated by the VMM:
        // its invalidations trap).
        enum class Viommu { Tegra241Cmdqv, ArmSmmuv3 } viommu = Viommu::Tegra241Cmdqv;
    };

    explicit Vm(KernelShim& ks) : ks_(ks) {}
    ~Vm();
    Vm(const Vm&) = delete;
    Vm& operator=(const Vm&) = delete;

    // open /dev/iommu, IOAS_ALLOC, IOAS_MAP guest RAM, bind the endpoint,
    // HWPT_ALLOC (nest parent), attach, VIOMMU_ALLOC (TEGRA241_CMDQV, or
    // ARM_SMMUV3 without user data), VDEVICE_ALLOC, mmap the VINTF page
    // (TEGRA241_CMDQV only). Stops at the first failure.
    int create(const Config& c);
    // HW_QUEUE_ALLOC of logical queue `index` at guest PA `gpa`, `bytes`
    // long (a power of two, 32 bytes or more).
    int hw_queue_alloc(uint32_t index, uint64_t gpa, uint64_t bytes);
    int hw_queue_destroy(uint32_t index);
    // VEVENTQ_ALLOC of `type` (enum iommu_veventq_type): TEGRA241_CMDQV (the
    // VINTF's queue errors) or ARM_SMMUV3 (the SMMU's event records about
    // the guest's device, vSID in place of the SID); one of each per VM, as
    // iommufd allows (a second: -EEXIST).
    static constexpr uint32_t kVeventqTegra241 = 2, kVeventqArmSmmuv3 = 1;  // IOMMU_VEVENTQ_TYPE_*
    int veventq_alloc(uint32_t depth, uint32_t type = kVeventqTegra241);
    // read() of the TEGRA241_CMDQV vEVENTQ: one event's lvcmdq_err_map; 0
    // when one was read, -EAGAIN when the queue is empty. The lost-events
    // mark (a header with IOMMU_VEVENTQ_FLAG_LOST_EVENTS and no data, queued
    // when the vEVENTQ overflowed) sets *lost when `lost` is given, else is -EIO.
    int veventq_read(std::array<uint64_t, 2>& lvcmdq_err_map, uint32_t* sequence = nullptr, bool* lost = nullptr);
    // As a blocking read() (poll() then read()) would: waits for an event
    // up to `timeout_ns` of simulated time, polling every 100 ns; -EAGAIN
    // if none came.
    int veventq_read_wait(std::array<uint64_t, 2>& lvcmdq_err_map, uint64_t timeout_ns, bool* lost);
    // The same for the ARM_SMMUV3 vEVENTQ: one event record (struct
    // iommu_vevent_arm_smmuv3, four dwords as the SMMU wrote them, the SID
    // field holding the vSID: arm_vmaster_report_event).
    int veventq_read_smmu(std::array<uint64_t, 4>& evt, uint32_t* sequence = nullptr, bool* lost = nullptr);
    int veventq_read_smmu_wait(std::array<uint64_t, 4>& evt, uint64_t timeout_ns, bool* lost);

    // ---- the guest's own stage 1 (nesting) ------------------------------
    // What a VMM does when its guest installs an STE for the device: an
    // IOMMU_HWPT_ALLOC on the vIOMMU with data type ARM_SMMUV3 carrying the
    // guest's vSTE (its first two dwords, as the guest wrote them:
    // arm_smmu_validate_vste() takes V, Cfg, S1Fmt, S1ContextPtr, S1CDMax,
    // S1DSS, S1CIR/COR/CSH, S1STALLD and EATS, else -EIO), then the device
    // moved onto it (VFIO's attach replaces the nesting parent). A second
    // call replaces the first nested HWPT (the guest rewrote its STE).
    int nest(const std::array<uint64_t, 2>& vste);
    // Back to the nesting parent, the nested HWPT destroyed (no-op if not nested).
    int unnest();
    bool nested() const { return nested_hwpt_id_ != 0; }
    // The guest writes its CD table and stage-1 root tables into its RAM
    // (guest_stage1.h; `c.tables` none: the upper half of guest RAM). Once per
    // VM: -EEXIST after the first success. `why` (when given): the reason
    // of a failed build (GuestStage1::error()).
    int guest_stage1(GuestStage1::Config c, std::string* why = nullptr);
    // The guest's stage-1 tables (null before guest_stage1()).
    GuestStage1* stage1() { return stage1_.get(); }
    uint32_t parent_hwpt_id() const { return hwpt_id_; }
    // Tears down in reverse order (queues from the highest index down).
    void destroy();

    // ---- the guest -----------------------------------------------------
    // Writes one command (two dwords) at the guest's PROD of queue `index`
    // (in guest RAM) and advances its software PROD. A full queue: waits
    // up to kPutWaitNs for the hardware to make room; -ENOSPC at once when
    // it is stopped at an error or has nothing rung to consume, or when no
    // room came in time; -ETIME when simulated time ran out.
    int guest_put(uint32_t index, uint64_t dw0, uint64_t dw1);
    static constexpr uint64_t kPutWaitNs = 1000000;
    // LVCMDQ CONFIG.EN through the VINTF page, then waits for STATUS.
    int guest_enable(uint32_t index);
    // Writes PROD through the VINTF page; -ENOENT without that queue.
    int guest_doorbell(uint32_t index);
    // Polls CONS through the VINTF page until it reaches PROD; -EIO if the
    // queue has an active error, -ENODATA when it consumed all that was rung
    // and the rest was never rung (no doorbell since the commands): then
    // the rest of the timeout passes in one wait, not in polls;
    // -ETIMEDOUT after `timeout_ns`.
    int guest_wait_consumed(uint32_t index, uint64_t timeout_ns = 1000000);
    uint32_t guest_cons(uint32_t index);
    // The queue has an unacknowledged error (GERROR.CMDQ_ERR != GERRORN).
    bool guest_error(uint32_t index);
    // CONS when guest_wait_consumed() last returned -EIO: CONS.ERR 0 (no
    // command failed) means GERRORN was toggled with no error to acknowledge.
    uint32_t guest_stopped_cons(uint32_t index) const
    {
        return index < queues_.size() ? queues_[index].stopped_cons : 0;
    }
    // The guest's recovery (as arm_smmu_cmdq_skip_err): the command at CONS
    // becomes a CMD_SYNC and GERRORN acknowledges; 1 if there was an error.
    int guest_skip_error(uint32_t index);

    // ---- a trapped vIOMMU (ARM_SMMUV3) -----------------------------------
    bool trapped() const { return cfg_.viommu == Config::Viommu::ArmSmmuv3; }
    // IOMMU_HWPT_INVALIDATE on the vIOMMU with data type
    // IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3: `cmds` (two little-endian
    // dwords each, as the guest wrote them). The kernel's result; *done is
    // the ioctl's entry_num on return (the entries it processed).
    int invalidate(const std::vector<std::array<uint64_t, 2>>& cmds, uint32_t* done);
    // Copies `len` bytes of guest RAM at guest PA `gpa`; false outside it.
    bool guest_read(uint64_t gpa, void* dst, size_t len) const;
    // The guest's MMIO (the VINTF page, none for a trapped VM) and guest
    // RAM, for sim/driver's sequences.
    GuestBus guest_bus();

    bool created() const { return viommu_id_ != 0; }
    uint32_t dev_id() const { return dev_id_; }
    uint64_t ram_pa(uint64_t gpa) const;  // simulated PA of a guest-physical address
    uint64_t ram_base() const { return cfg_.gpa; }  // guest RAM's guest-physical base
    const std::string& failed_step() const { return step_; }

private:
    template <class T> long ioctl(unsigned long cmd, T& arg);
    int destroy_id(uint32_t id);
    // IOMMU_DESTROY of `id` if it is set; then it is not.
    void release_id(uint32_t& id);

    struct Queue {
        uint32_t id = 0;
        uint64_t gpa = 0, bytes = 0;
        uint32_t prod = 0;  // software PROD (index | wrap)
        uint32_t rung = 0;  // the PROD last written to the VINTF page
        uint32_t stopped_cons = 0;  // CONS when guest_wait_consumed() found an error
    };
    smmuv3::QueueGeometry geometry(uint32_t index) const;
    // Queue `index` (CONS `cons`) consumed all that was rung (wait_consumed()).
    bool never_rung(uint32_t index, uint32_t cons);
    KernelShim& ks_;
    Config cfg_;
    int fd_ = -1, map_ = -1;
    void* ram_ = nullptr;
    uint32_t ioas_id_ = 0, dev_id_ = 0, hwpt_id_ = 0, viommu_id_ = 0, vdev_id_ = 0;
    uint32_t nested_hwpt_id_ = 0;
    std::unique_ptr<GuestStage1> stage1_;
    // One vEVENTQ per type, indexed by IOMMU_VEVENTQ_TYPE_*.
    struct Veventq {
        uint32_t id = 0;
        int fd = -1;
    };
    std::array<Veventq, 3> veventqs_;
    // read() of one vEVENT of `type` with `len` bytes of data into `data`.
    int read_vevent(uint32_t type, void* data, size_t len, uint32_t* sequence, bool* lost);
    // Calls `read` until it finds an event or `timeout_ns` passed (polling every 100 ns).
    template <class Read> int wait_for_vevent(Read read, uint64_t timeout_ns);
    bool bound_ = false, attached_ = false;
    std::vector<Queue> queues_;
    std::string step_;
};

}  // namespace smmusim::kshim
