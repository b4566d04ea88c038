// SPDX-License-Identifier: GPL-2.0-only
// A VMM's iommufd flow and its guest's HW queue (vmm.h).
#include "vmm.h"

#include <cerrno>
#include <cstring>

#include SMMUSIM_UAPI_IOMMUFD_H

#include "cmdqv/cmdqv_regs.h"
#include "driver/sequences.h"
#include "guest_bus.h"
#include "iommufd_args.h"
#include "smmuv3/commands.h"
#include "smmuv3/queue.h"

namespace smmusim::kshim {

template <class T> long Vm::ioctl(unsigned long cmd, T& arg)
{
    arg.size = sizeof(T);
    return ks_.sys_ioctl(fd_, cmd, &arg);
}

Vm::~Vm() { destroy(); }

int Vm::create(const Config& c)
{
    cfg_ = c;
    auto fail = [&](const char* what, long ret) {
        step_ = what;
        return static_cast<int>(ret);
    };
    fd_ = ks_.sys_open("iommu");
    if (fd_ < 0)
        return fail("open /dev/iommu", fd_);
    iommu_ioas_alloc ioas{};
    if (long r = ioctl(IOMMU_IOAS_ALLOC, ioas))
        return fail("IOMMU_IOAS_ALLOC", r);
    ioas_id_ = ioas.out_ioas_id;
    ram_ = ks_.user_alloc(c.ram_bytes, c.layout);
    if (!ram_)
        return fail("guest RAM (user memory pool exhausted)", -ENOMEM);
    iommu_ioas_map map = iommufd::ioas_map_fixed(ioas_id_, ram_, c.ram_bytes, c.gpa);
    if (long r = ioctl(IOMMU_IOAS_MAP, map))
        return fail("IOMMU_IOAS_MAP", r);
    if (int r = ks_.vfio_bind(fd_, c.endpoint, &dev_id_))
        return fail("bind (VFIO_DEVICE_BIND_IOMMUFD)", r);
    bound_ = true;
    iommu_hwpt_alloc hwpt = iommufd::hwpt_nest_parent(dev_id_, ioas_id_);
    if (long r = ioctl(IOMMU_HWPT_ALLOC, hwpt))
        return fail("IOMMU_HWPT_ALLOC (nest parent)", r);
    hwpt_id_ = hwpt.out_hwpt_id;
    uint32_t pt = hwpt_id_;
    if (int r = ks_.vfio_attach(c.endpoint, &pt))
        return fail("attach (VFIO_DEVICE_ATTACH_IOMMUFD_PT)", r);
    attached_ = true;
    iommu_viommu_tegra241_cmdqv data{};
    iommu_viommu_alloc viommu = trapped() ? iommufd::viommu_arm_smmuv3(dev_id_, hwpt_id_)
                                          : iommufd::viommu_tegra241(dev_id_, hwpt_id_, data);
    if (long r = ioctl(IOMMU_VIOMMU_ALLOC, viommu))
        return fail(trapped() ? "IOMMU_VIOMMU_ALLOC (ARM_SMMUV3)" : "IOMMU_VIOMMU_ALLOC (TEGRA241_CMDQV)", r);
    viommu_id_ = viommu.out_viommu_id;
    iommu_vdevice_alloc vdev = iommufd::vdevice(viommu_id_, dev_id_, c.vsid);
    if (long r = ioctl(IOMMU_VDEVICE_ALLOC, vdev))
        return fail("IOMMU_VDEVICE_ALLOC", r);
    vdev_id_ = vdev.out_vdevice_id;
    if (trapped())
        return 0;  // no VINTF page: the guest's SMMU is the VMM's emulation
    map_ = ks_.sys_mmap(fd_, data.out_vintf_mmap_length, data.out_vintf_mmap_offset);
    if (map_ < 0)
        return fail("mmap of the VINTF page", map_);
    return 0;
}

int Vm::invalidate(const std::vector<std::array<uint64_t, 2>>& cmds, uint32_t* done)
{
    std::vector<iommu_viommu_arm_smmuv3_invalidate> array(cmds.size());
    for (size_t i = 0; i < cmds.size(); i++)
        array[i] = iommu_viommu_arm_smmuv3_invalidate{{cmds[i][0], cmds[i][1]}};  // little-endian: so is the host
    iommu_hwpt_invalidate inv = iommufd::viommu_invalidate(viommu_id_, array.data(), array.size());
    const long r = ioctl(IOMMU_HWPT_INVALIDATE, inv);
    if (done)
        *done = inv.entry_num;
    return static_cast<int>(r);
}

bool Vm::guest_read(uint64_t gpa, void* dst, size_t len) const
{
    if (!ram_ || gpa < cfg_.gpa || gpa - cfg_.gpa > cfg_.ram_bytes || len > cfg_.ram_bytes - (gpa - cfg_.gpa))
        return false;
    std::memcpy(dst, static_cast<const char*>(ram_) + (gpa - cfg_.gpa), len);
    return true;
}

uint64_t Vm::ram_pa(uint64_t gpa) const
{
    if (!ram_ || gpa < cfg_.gpa || gpa - cfg_.gpa >= cfg_.ram_bytes)
        return ~0ull;
    return ks_.user_memory().pa(reinterpret_cast<uint64_t>(ram_) + (gpa - cfg_.gpa));
}

int Vm::hw_queue_alloc(uint32_t index, uint64_t gpa, uint64_t bytes)
{
    if (!created())
        return -ENODEV;
    iommu_hw_queue_alloc q = iommufd::hw_queue(viommu_id_, index, gpa, bytes);
    if (long r = ioctl(IOMMU_HW_QUEUE_ALLOC, q))
        return static_cast<int>(r);
    if (queues_.size() <= index)
        queues_.resize(index + 1);
    queues_[index] = Queue{q.out_hw_queue_id, gpa, bytes, 0};
    return 0;
}

int Vm::destroy_id(uint32_t id)
{
    iommu_destroy d{};
    d.id = id;
    return static_cast<int>(ioctl(IOMMU_DESTROY, d));
}

void Vm::release_id(uint32_t& id)
{
    if (id)
        destroy_id(id);
    id = 0;
}

int Vm::hw_queue_destroy(uint32_t index)
{
    if (index >= queues_.size() || !queues_[index].id)
        return -ENOENT;
    const int r = destroy_id(queues_[index].id);
    if (r == 0)
        queues_[index] = Queue{};
    return r;
}

static_assert(Vm::kVeventqTegra241 == IOMMU_VEVENTQ_TYPE_TEGRA241_CMDQV);
static_assert(Vm::kVeventqArmSmmuv3 == IOMMU_VEVENTQ_TYPE_ARM_SMMUV3);

int Vm::veventq_alloc(uint32_t depth, uint32_t type)
{
    if (!created())
        return -ENODEV;
    if (type >= veventqs_.size())
        return -EINVAL;  // the VMM reads two types (DEFAULT: the kernel's EOPNOTSUPP)
    iommu_veventq_alloc v = iommufd::veventq(viommu_id_, type, depth);
    if (long r = ioctl(IOMMU_VEVENTQ_ALLOC, v))
        return static_cast<int>(r);
    veventqs_[type] = Veventq{v.out_veventq_id, static_cast<int>(v.out_veventq_fd)};
    return 0;
}

int Vm::veventq_read_wait(std::array<uint64_t, 2>& map, uint64_t timeout_ns, bool* lost)
{
    return wait_for_vevent([&] { return veventq_read(map, nullptr, lost); }, timeout_ns);
}

int Vm::veventq_read_smmu_wait(std::array<uint64_t, 4>& evt, uint64_t timeout_ns, bool* lost)
{
    return wait_for_vevent([&] { return veventq_read_smmu(evt, nullptr, lost); }, timeout_ns);
}

template <class Read> int Vm::wait_for_vevent(Read read, uint64_t timeout_ns)
{
    for (uint64_t waited = 0;; waited += 100) {
        const int r = read();
        if (r != -EAGAIN || waited >= timeout_ns)
            return r;
        if (!ks_.idle(sc_core::sc_time(100, sc_core::SC_NS)))
            return -ETIME;  // simulated time ran out
    }
}

int Vm::veventq_read(std::array<uint64_t, 2>& map, uint32_t* sequence, bool* lost)
{
    iommu_vevent_tegra241_cmdqv ev{};
    const int r = read_vevent(IOMMU_VEVENTQ_TYPE_TEGRA241_CMDQV, &ev, sizeof(ev), sequence, lost);
    if (r == 0 && !(lost && *lost))
        map = {ev.lvcmdq_err_map[0], ev.lvcmdq_err_map[1]};
    return r;
}

int Vm::veventq_read_smmu(std::array<uint64_t, 4>& evt, uint32_t* sequence, bool* lost)
{
    iommu_vevent_arm_smmuv3 ev{};
    const int r = read_vevent(IOMMU_VEVENTQ_TYPE_ARM_SMMUV3, &ev, sizeof(ev), sequence, lost);
    if (r == 0 && !(lost && *lost))
        evt = {ev.evt[0], ev.evt[1], ev.evt[2], ev.evt[3]};
    return r;
}

int Vm::read_vevent(uint32_t type, void* data, size_t len, uint32_t* sequence, bool* lost)
{
    if (lost)
        *lost = false;
    const int fd = type < veventqs_.size() ? veventqs_[type].fd : -1;
    if (fd < 0)
        return -ENODEV;
    struct {
        iommufd_vevent_header hdr;
        uint64_t data[4];  // the largest vEVENT: iommu_vevent_arm_smmuv3
    } rec{};
    const size_t want = sizeof(rec.hdr) + len;
    const long n = ks_.sys_read(fd, &rec, want);
    if (n < 0)
        return static_cast<int>(n);
    if (n == 0)
        return -EAGAIN;
    if (sequence)
        *sequence = rec.hdr.sequence;
    if (n == static_cast<long>(sizeof(rec.hdr)) && (rec.hdr.flags & IOMMU_VEVENTQ_FLAG_LOST_EVENTS)) {
        if (!lost)
            return -EIO;
        *lost = true;
        return 0;
    }
    if (n != static_cast<long>(want))
        return -EIO;
    std::memcpy(data, rec.data, len);
    return 0;
}

// ---- the guest's own stage 1 ---------------------------------------------------

int Vm::nest(const std::array<uint64_t, 2>& vste)
{
    if (!created())
        return -ENODEV;
    iommu_hwpt_arm_smmuv3 data{};
    data.ste[0] = vste[0];  // little-endian, as the uAPI says: the host is too
    data.ste[1] = vste[1];
    iommu_hwpt_alloc hwpt = iommufd::hwpt_nested(dev_id_, viommu_id_, data);
    if (long r = ioctl(IOMMU_HWPT_ALLOC, hwpt))
        return static_cast<int>(r);
    uint32_t pt = hwpt.out_hwpt_id;
    if (int r = ks_.vfio_attach(cfg_.endpoint, &pt)) {
        destroy_id(hwpt.out_hwpt_id);
        return r;
    }
    release_id(nested_hwpt_id_);  // the one it replaced, if any
    nested_hwpt_id_ = hwpt.out_hwpt_id;
    return 0;
}

int Vm::guest_stage1(GuestStage1::Config c, std::string* why)
{
    if (!created())
        return -ENODEV;
    if (stage1_)
        return -EEXIST;
    if (!c.tables)
        c.tables = cfg_.gpa + ((cfg_.ram_bytes / 2) & ~uint64_t{0xfff});
    auto s1 = std::make_unique<GuestStage1>(ram_, cfg_.gpa, cfg_.ram_bytes);
    if (int r = s1->build(c)) {
        if (why)
            *why = s1->error();
        return r;
    }
    stage1_ = std::move(s1);
    return 0;
}

int Vm::unnest()
{
    if (!nested_hwpt_id_)
        return 0;
    uint32_t pt = hwpt_id_;
    if (int r = ks_.vfio_attach(cfg_.endpoint, &pt))
        return r;
    release_id(nested_hwpt_id_);
    return 0;
}

void Vm::destroy()
{
    if (attached_)
        unnest();
    for (Veventq& q : veventqs_)
        if (q.fd >= 0) {
            ks_.sys_close(q.fd);
            q.fd = -1;
        }
    if (map_ >= 0) {
        ks_.sys_munmap(map_);
        map_ = -1;
    }
    for (size_t i = queues_.size(); i-- > 0;)
        if (queues_[i].id)
            hw_queue_destroy(static_cast<uint32_t>(i));
    queues_.clear();
    for (Veventq& q : veventqs_)
        release_id(q.id);
    for (uint32_t* id : {&vdev_id_, &viommu_id_})
        release_id(*id);
    if (attached_)
        ks_.vfio_detach(cfg_.endpoint);
    attached_ = false;
    release_id(hwpt_id_);
    if (bound_)
        ks_.vfio_unbind(cfg_.endpoint);
    bound_ = false;
    release_id(ioas_id_);
    if (fd_ >= 0)
        ks_.sys_close(fd_);
    fd_ = -1;
    stage1_.reset();
    if (ram_)
        ks_.user_memory().free(ram_);
    ram_ = nullptr;
}

// ---- the guest ------------------------------------------------------------

bool Vm::guest_error(uint32_t index)
{
    if (map_ < 0)
        return false;
    const uint64_t page = cmdqv::lvcmdq_in_page(index);
    return ((ks_.map_read(map_, page + cmdqv::VCMDQ_GERROR) ^ ks_.map_read(map_, page + cmdqv::VCMDQ_GERRORN)) &
            1) != 0;
}

int Vm::guest_skip_error(uint32_t index)
{
    if (index >= queues_.size() || !queues_[index].id)
        return -ENOENT;
    if (!guest_error(index))
        return 0;
    // What the guest's arm-smmu-v3 does (arm_smmu_cmdq_skip_err): the bad
    // command becomes a CMD_SYNC, then GERRORN acknowledges the error.
    const Queue& q = queues_[index];
    GuestBus bus = guest_bus();
    driver::write_commands(bus, q.gpa, geometry(index).log2size, guest_cons(index),
                           {{smmuv3::cmdf::OPCODE.put(smmuv3::OP_CMD_SYNC), 0}});  // CS = NONE
    const uint64_t page = cmdqv::lvcmdq_in_page(index);
    ks_.map_write(map_, page + cmdqv::VCMDQ_GERRORN, ks_.map_read(map_, page + cmdqv::VCMDQ_GERROR));
    return 1;
}

GuestBus Vm::guest_bus() { return GuestBus(ks_, map_, ram_, cfg_.gpa, cfg_.ram_bytes); }

// The queue's geometry: a guest queue holds bytes / 16 commands.
smmuv3::QueueGeometry Vm::geometry(uint32_t index) const
{
    const uint64_t entries = queues_[index].bytes / 16;
    unsigned log2 = 0;
    while ((uint64_t{1} << log2) < entries)
        log2++;
    return smmuv3::QueueGeometry{log2};
}

// As the host's `cmd` waits for room (traces/FORMAT.md): a full queue that
// the hardware is consuming gets up to kPutWaitNs to make room; one that
// stopped at an error, or whose commands were never rung, fails at once.
int Vm::guest_put(uint32_t index, uint64_t dw0, uint64_t dw1)
{
    if (index >= queues_.size() || !queues_[index].id)
        return -ENOENT;
    Queue& q = queues_[index];
    const smmuv3::QueueGeometry g = geometry(index);
    // CONS carries CONS.ERR above the pointer: compare the pointer bits only.
    for (uint64_t waited = 0; g.full(q.prod, guest_cons(index) & g.ptr_mask()); waited += 100) {
        if (guest_error(index))
            return -ENOSPC;  // stopped at a command error: it makes no room
        if (g.empty(q.rung, guest_cons(index) & g.ptr_mask()) || waited >= kPutWaitNs)
            return -ENOSPC;  // nothing rung left to consume, or no room in time
        if (!ks_.idle(sc_core::sc_time(100, sc_core::SC_NS)))
            return -ETIME;  // simulated time ran out
    }
    GuestBus bus = guest_bus();
    bool in_ram = false;
    const uint32_t prod = driver::write_commands(bus, q.gpa, g.log2size, q.prod, {{dw0, dw1}}, &in_ram);
    if (!in_ram)
        return -EFAULT;  // the queue is not in guest RAM
    q.prod = prod;
    return 0;
}

int Vm::guest_enable(uint32_t index)
{
    if (map_ < 0 || index >= queues_.size() || !queues_[index].id)
        return -ENOENT;
    // The guest driver's vcmdq_write_config: CONFIG.EN, then STATUS following.
    GuestBus bus = guest_bus();
    const uint64_t page = cmdqv::lvcmdq_in_page(index);
    if (driver::write_config(bus, page + cmdqv::VCMDQ_CONFIG, page + cmdqv::VCMDQ_STATUS,
                             static_cast<uint32_t>(cmdqv::vcmdq_config::EN.mask())))
        return 0;
    return bus.time_ran_out() ? -ETIME : -ETIMEDOUT;  // simulated time ran out, or no STATUS
}

int Vm::guest_doorbell(uint32_t index)
{
    if (map_ < 0 || index >= queues_.size() || !queues_[index].id)
        return -ENOENT;
    ks_.map_write(map_, cmdqv::lvcmdq_in_page(index) + cmdqv::VCMDQ_PROD, queues_[index].prod);
    queues_[index].rung = queues_[index].prod;
    return 0;
}

uint32_t Vm::guest_cons(uint32_t index)
{
    if (map_ < 0)
        return 0;
    return static_cast<uint32_t>(ks_.map_read(map_, cmdqv::lvcmdq_in_page(index) + cmdqv::VCMDQ_CONS));
}

// The queue consumed every command rung (CONS at the PROD last written,
// which the hardware's PROD confirms: a trace may write it itself) while
// the guest has put more: nothing will consume them, however long one waits.
// The register is read only then, so a wait that ends as before costs the
// same simulated time.
bool Vm::never_rung(uint32_t index, uint32_t cons)
{
    const Queue& q = queues_[index];
    const smmuv3::QueueGeometry g = geometry(index);
    if (map_ < 0 || !g.empty(q.rung, cons))
        return false;
    const uint64_t prod = ks_.map_read(map_, cmdqv::lvcmdq_in_page(index) + cmdqv::VCMDQ_PROD);
    return g.empty(static_cast<uint32_t>(prod), cons);
}

int Vm::guest_wait_consumed(uint32_t index, uint64_t timeout_ns)
{
    if (index >= queues_.size() || !queues_[index].id)
        return -ENOENT;
    const smmuv3::QueueGeometry g = geometry(index);
    for (uint64_t waited = 0;; waited += 100) {
        const uint32_t cons = guest_cons(index);
        if (guest_error(index)) {
            queues_[index].stopped_cons = cons;
            return -EIO;  // the queue stopped at a bad command (or GERRORN was toggled)
        }
        if (g.empty(queues_[index].prod, cons))
            return 0;
        if (waited < timeout_ns && never_rung(index, cons)) {
            // Nothing can end the wait: the rest of it in one stretch of
            // simulated time (not a poll every 100 ns), as the trapped
            // queue's wait (TrappedCmdq::wait_consumed).
            if (!ks_.idle(sc_core::sc_time(static_cast<double>(timeout_ns - waited), sc_core::SC_NS)))
                return -ETIME;
            return -ENODATA;
        }
        if (waited >= timeout_ns)
            return -ETIMEDOUT;
        if (!ks_.idle(sc_core::sc_time(100, sc_core::SC_NS)))
            return -ETIME;  // simulated time ran out
    }
}

}  // namespace smmusim::kshim
