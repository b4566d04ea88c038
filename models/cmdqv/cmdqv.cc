// SPDX-License-Identifier: GPL-2.0-only
#include "cmdqv.h"

#include <cstring>

#include <fmt/format.h>

#include "../platform/reg_target.h"

namespace smmusim {

using namespace cmdqv;

Cmdqv::Cmdqv(sc_core::sc_module_name name, const ClockDomain& clk, const CmdqvParams& p, Smmuv3& smmu)
    : sc_module(name), regs("regs"), dma("dma"), clk_(clk), p_(p), smmu_(smmu), bank_(std::string(this->name()), kPageSize),
      deferred_("handshakes"), irq_("irq", clk), stats_(this->name()),
      reg_reads_(stats_.counter("reg_reads", "register reads")),
      reg_writes_(stats_.counter("reg_writes", "register writes")),
      bad_accesses_(stats_.counter("bad_accesses", "accesses of an illegal size/alignment (bus error)")),
      ignored_writes_(stats_.counter("ignored_writes", "writes the hardware ignores in the current state")),
      alloc_violations_(stats_.counter("alloc_violations",
                                       "CMDQ_ALLOC writes ignored: mapping order, double mapping, unmapping a live queue")),
      errors_(stats_.counter("errors", "VCMDQ errors reported (new active errors)")),
      irqs_(stats_.counter("irqs", "error interrupts signalled"))
{
    validate(p_);
    regs.register_b_transport(this, &Cmdqv::b_transport);
    regs.register_transport_dbg(this, &Cmdqv::transport_dbg);
    lvcmdq_map_.resize(num_vintfs());
    for (auto& m : lvcmdq_map_)
        m.fill(-1);
    vintf_live_.assign(num_vintfs(), 0);
    sid_cache_.resize(num_vintfs());
    for (auto& s : sid_cache_)
        s.fill(SidPair{false, 0, 0});
    admission_.resize(num_vintfs());
    for (unsigned q = 0; q < num_vcmdqs(); q++)
        vcmdqs_.push_back(std::make_unique<Vcmdq>(fmt::format("vcmdq{}", q).c_str(), *this, q));
    build_registers();
    refresh_admission();
}

Cmdqv::~Cmdqv() = default;

void Cmdqv::validate(const CmdqvParams& p)
{
    p.check_ranges();  // a platform may set them in C++, not through a Config
    if (p.vintfs_log2 > p.vcmdqs_log2)
        throw ConfigError(fmt::format("cmdqv.vintfs_log2 = {} exceeds cmdqv.vcmdqs_log2 = {}: a VINTF needs a VCMDQ",
                                      p.vintfs_log2, p.vcmdqs_log2));
}

namespace {

// "<stem><i>", a register's name with its index.
std::string indexed(std::string stem, unsigned i)
{
    return stem.append(std::to_string(i));
}

}  // namespace

void Cmdqv::build_registers()
{
    auto ro = [&](uint32_t off, const char* name, uint64_t reset) { bank_.add({off, 4, name, reset, 0}); };
    bank_.add({CONFIG, 4, "CONFIG", 0, config::EN.mask()}, [this](uint64_t, uint64_t) {
        // Admission follows CONFIG.EN at once (a disable stops it now, a
        // write back to 1 before the handshake resumes it).
        refresh_admission();
        for (unsigned v = 0; v < num_vintfs(); v++)
            kick_vintf(v);
        deferred_.at(clk_.cycles(p_.enable_cycles), [this] { apply_enable(); });
    });
    ro(PARAM, "PARAM",
       param::VER.put(p_.version) | param::NUM_VCMDQ_LOG2.put(p_.vcmdqs_log2) |
           param::NUM_VINTF_LOG2.put(p_.vintfs_log2) | param::NUM_SID_PER_VM_LOG2.put(p_.sids_log2));
    ro(STATUS, "STATUS", 0);
    ro(VINTF_ERR_MAP, "VINTF_ERR_MAP0", 0);
    ro(VINTF_ERR_MAP + 4, "VINTF_ERR_MAP1", 0);
    const uint64_t nv = num_vintfs();
    const uint64_t vmask_lo = nv >= 32 ? 0xffffffffull : (1ull << nv) - 1;
    const uint64_t vmask_hi = nv > 32 ? (nv >= 64 ? 0xffffffffull : (1ull << (nv - 32)) - 1) : 0;
    bank_.add({VINTF_INT_MASK, 4, "VINTF_INT_MASK0", 0, vmask_lo});
    bank_.add({VINTF_INT_MASK + 4, 4, "VINTF_INT_MASK1", 0, vmask_hi});
    static const char* err_map_names[] = {"CMDQ_ERR_MAP0", "CMDQ_ERR_MAP1", "CMDQ_ERR_MAP2", "CMDQ_ERR_MAP3"};
    for (unsigned m = 0; m < 4; m++)
        ro(cmdq_err_map(m), err_map_names[m], 0);
    // The registers below, per VCMDQ and per VINTF; their names are the
    // register's with the index (concatenated: thousands at start-up).
    bank_.reserve(13 + num_vcmdqs() + num_vintfs() * (4 + 2 * size_t(sids_per_vintf())));
    for (unsigned q = 0; q < num_vcmdqs(); q++)
        bank_.add({cmdq_alloc(q), 4, indexed("CMDQ_ALLOC", q), 0, alloc::kMask},
                  [this, q](uint64_t old, uint64_t val) { alloc_written(q, old, val); });
    for (unsigned v = 0; v < num_vintfs(); v++) {
        const uint32_t b = vintf(v);
        const std::string vn = indexed("VINTF", v);
        bank_.add({b + VINTF_CONFIG, 4, vn + "_CONFIG", 0, vintf_config::kMask},
                  [this, v](uint64_t, uint64_t val) { vintf_config_written(v, val); });
        bank_.add({b + VINTF_STATUS, 4, vn + "_STATUS", 0, 0});
        for (unsigned s = 0; s < sids_per_vintf(); s++) {
            auto refresh = [this, v, s, b](uint64_t, uint64_t) {
                const uint64_t m = bank_.get(b + vintf_sid_match(s));
                sid_cache_[v][s] = SidPair{sid_match::ENABLE.get(m) != 0,
                                           static_cast<uint32_t>(sid_match::VIRT_SID.get(m)),
                                           static_cast<uint32_t>(bank_.get(b + vintf_sid_replace(s)))};
            };
            bank_.add({b + vintf_sid_match(s), 4, indexed(vn + "_SID_MATCH", s), 0, sid_match::kMask}, refresh);
            bank_.add({b + vintf_sid_replace(s), 4, indexed(vn + "_SID_REPLACE", s), 0, 0xffffffffull}, refresh);
        }
        for (unsigned m = 0; m < 2; m++)
            bank_.add({b + vintf_lvcmdq_err_map(m), 8, indexed(vn + "_LVCMDQ_ERR_MAP", m), 0, 0});
    }
}

bool Cmdqv::vintf_enabled(unsigned v) const
{
    return vintf_status::ENABLED.get(bank_.get(vintf(v) + VINTF_STATUS)) != 0;
}

void Cmdqv::vintf_config_written(unsigned v, uint64_t val)
{
    // VMID and HYP_OWN are fixed while the VINTF is enabled and stays so
    // (they keep the values it was enabled with); a write that clears EN
    // takes effect whole (Linux disables a VINTF by writing 0). Any write
    // that changes the configuration stops admission at once; the enable
    // handshake follows enable_cycles later.
    const uint32_t reg = vintf(v) + VINTF_CONFIG;
    const uint64_t fixed = vintf_config::VMID.mask() | vintf_config::HYP_OWN.mask();
    if (vintf_enabled(v) && vintf_config::EN.get(val) && ((vintf_live_[v] ^ val) & fixed)) {
        bank_.set(reg, (val & ~fixed) | (vintf_live_[v] & fixed));
        ignored_writes_++;
    }
    refresh_admission(v);
    kick_vintf(v);
    deferred_.at(clk_.cycles(p_.enable_cycles), [this, v] { apply_vintf_enable(v); });
}

void Cmdqv::kick_vintf(unsigned v)
{
    for (unsigned l = 0; l < lvcmdqs_per_vintf(); l++)
        if (lvcmdq_map_[v][l] >= 0)
            vcmdqs_[lvcmdq_map_[v][l]]->kick();
}

bool Cmdqv::admitting_by_registers(unsigned v) const
{
    return config::EN.get(bank_.get(CONFIG)) && enabled() && vintf_enabled(v) &&
           bank_.get(vintf(v) + VINTF_CONFIG) == vintf_live_[v];
}

// Called after every change of what admitting_by_registers() or
// vintf_view() read: the CMDQV's CONFIG (its hook) and STATUS
// (apply_enable), a VINTF's CONFIG (vintf_config_written), its STATUS and
// live configuration (apply_enable, apply_vintf_enable).
void Cmdqv::refresh_admission(unsigned v)
{
    Admission& a = admission_[v];
    a.open = admitting_by_registers(v);
    a.view = vintf_view(v);
}

void Cmdqv::refresh_admission()
{
    for (unsigned v = 0; v < num_vintfs(); v++)
        refresh_admission(v);
}

bool Cmdqv::admission_is_current()
{
    for (unsigned v = 0; v < num_vintfs(); v++) {
        const Admission& a = admission_[v];
        const VintfView now = vintf_view(v);
        if (a.open != admitting_by_registers(v) || a.view.hyp_own != now.hyp_own || a.view.vmid != now.vmid ||
            a.view.sids != now.sids || a.view.num_sids != now.num_sids)
            return false;
    }
    return true;
}

VintfView Cmdqv::vintf_view(unsigned v)
{
    const uint64_t c = vintf_live_[v];
    return VintfView{vintf_config::HYP_OWN.get(c) != 0, static_cast<uint16_t>(vintf_config::VMID.get(c)),
                     sid_cache_[v].data(), sids_per_vintf()};
}

void Cmdqv::admitted(unsigned q, const smmuv3::Command& cmd)
{
    for (const AdmitObserver& o : admit_observers_)
        o(q, cmd);
}

int Cmdqv::lvcmdq(unsigned v, unsigned l) const
{
    if (v >= num_vintfs() || l >= lvcmdqs_per_vintf())
        return -1;
    return lvcmdq_map_[v][l];
}

void Cmdqv::update_vintf_status(unsigned v)
{
    unsigned n = 0;
    for (unsigned l = 0; l < lvcmdqs_per_vintf(); l++)
        n += lvcmdq_map_[v][l] >= 0;
    const uint32_t st = vintf(v) + VINTF_STATUS;
    bank_.set(st, vintf_status::VI_NUM_LVCMDQ.set(bank_.get(st), n));
}

void Cmdqv::apply_enable()
{
    const bool en = config::EN.get(bank_.get(CONFIG));
    if (en == enabled())
        return;
    bank_.set(STATUS, status::ENABLED.put(en));
    if (en) {
        refresh_admission();
        return;
    }
    // Disabling the CMDQV stops every VINTF and VCMDQ and releases every
    // LVCMDQ mapping (ALLOCATED clears; the other fields and all error
    // state are kept).
    for (unsigned q = 0; q < num_vcmdqs(); q++) {
        vcmdqs_[q]->stop();
        vcmdqs_[q]->set_mapping(false, 0, 0);
        bank_.set(cmdq_alloc(q), alloc::ALLOCATED.set(bank_.get(cmdq_alloc(q)), 0));
    }
    for (unsigned v = 0; v < num_vintfs(); v++) {
        lvcmdq_map_[v].fill(-1);
        bank_.set(vintf(v) + VINTF_STATUS, 0);
        vintf_live_[v] = 0;
    }
    refresh_admission();
}

void Cmdqv::apply_vintf_enable(unsigned v)
{
    const bool en = vintf_config::EN.get(bank_.get(vintf(v) + VINTF_CONFIG));
    if (en == vintf_enabled(v))
        return;
    const uint32_t st = vintf(v) + VINTF_STATUS;
    if (en && !enabled()) {
        ignored_writes_++;  // a VINTF cannot come up while the CMDQV is off
        return;
    }
    bank_.set(st, vintf_status::ENABLED.set(bank_.get(st), en));
    vintf_live_[v] = en ? bank_.get(vintf(v) + VINTF_CONFIG) : 0;
    refresh_admission(v);
    kick_vintf(v);
    if (!en)
        for (unsigned l = 0; l < lvcmdqs_per_vintf(); l++)
            if (lvcmdq_map_[v][l] >= 0)
                vcmdqs_[lvcmdq_map_[v][l]]->stop();
}

void Cmdqv::alloc_written(unsigned q, uint64_t old, uint64_t val)
{
    const bool was = alloc::ALLOCATED.get(old), now = alloc::ALLOCATED.get(val);
    const uint32_t reg = cmdq_alloc(q);
    auto refuse = [&] {
        bank_.set(reg, old);
        alloc_violations_++;
    };
    if (was && now) {
        if (old != val)
            refuse();  // the mapping cannot change while it is in place
        return;
    }
    if (!was && !now)
        return;  // fields stored for a later mapping
    if (now) {
        const unsigned v = static_cast<unsigned>(alloc::VINTF.get(val));
        const unsigned l = static_cast<unsigned>(alloc::LVCMDQ.get(val));
        // Map in ascending order: LVCMDQ l needs l-1 mapped; one VCMDQ per slot.
        if (v >= num_vintfs() || l >= lvcmdqs_per_vintf() || lvcmdq_map_[v][l] >= 0 ||
            (l > 0 && lvcmdq_map_[v][l - 1] < 0))
            return refuse();
        lvcmdq_map_[v][l] = static_cast<int>(q);
        vcmdqs_[q]->set_mapping(true, v, l);
        update_vintf_status(v);
        return;
    }
    const unsigned v = static_cast<unsigned>(alloc::VINTF.get(old));
    const unsigned l = static_cast<unsigned>(alloc::LVCMDQ.get(old));
    // Unmap in descending order, and never a queue that is still enabled.
    if ((l + 1 < lvcmdqs_per_vintf() && lvcmdq_map_[v][l + 1] >= 0) || vcmdqs_[q]->hw_enabled())
        return refuse();
    // Its error bits leave the VINTF's maps with it.
    const uint32_t lm = vintf(v) + vintf_lvcmdq_err_map(l / 64);
    bank_.set(lm, bank_.get(lm) & ~(1ull << (l % 64)));
    lvcmdq_map_[v][l] = -1;
    vcmdqs_[q]->set_mapping(false, 0, 0);
    update_vintf_status(v);
}

void Cmdqv::vcmdq_error(unsigned q)
{
    errors_++;
    const uint32_t cm = cmdq_err_map(q / 32);
    bank_.set(cm, bank_.get(cm) | (1ull << (q % 32)));
    bool masked = false;
    if (vcmdqs_[q]->mapped()) {
        const unsigned v = vcmdqs_[q]->vintf(), l = vcmdqs_[q]->lidx();
        const uint32_t lm = vintf(v) + vintf_lvcmdq_err_map(l / 64);
        bank_.set(lm, bank_.get(lm) | (1ull << (l % 64)));
        const uint32_t vm = VINTF_ERR_MAP + 4 * (v / 32);
        bank_.set(vm, bank_.get(vm) | (1ull << (v % 32)));
        masked = (bank_.get(VINTF_INT_MASK + 4 * (v / 32)) >> (v % 32)) & 1;
    }
    // Edge-triggered: every new error signals, whatever the maps held.
    if (!masked) {
        irqs_++;
        irq_.pulse();
    }
}

void Cmdqv::vcmdq_errors_cleared(unsigned q)
{
    const uint32_t cm = cmdq_err_map(q / 32);
    bank_.set(cm, bank_.get(cm) & ~(1ull << (q % 32)));
    if (!vcmdqs_[q]->mapped())
        return;
    const unsigned v = vcmdqs_[q]->vintf(), l = vcmdqs_[q]->lidx();
    const uint32_t lm = vintf(v) + vintf_lvcmdq_err_map(l / 64);
    bank_.set(lm, bank_.get(lm) & ~(1ull << (l % 64)));
    if (!bank_.get(vintf(v) + vintf_lvcmdq_err_map(0)) && !bank_.get(vintf(v) + vintf_lvcmdq_err_map(1))) {
        const uint32_t vm = VINTF_ERR_MAP + 4 * (v / 32);
        bank_.set(vm, bank_.get(vm) & ~(1ull << (v % 32)));
    }
}

RegisterBank::Status Cmdqv::access(uint32_t off, unsigned size, bool write, uint64_t& v)
{
    if (off < kVcmdqPage0)
        return write ? bank_.write(off, size, v) : bank_.read(off, size, v);
    const VcmdqPlace at = vcmdq_place(off);
    const int q = at.logical ? lvcmdq(at.vintf, at.index)  // -1: no VCMDQ mapped there
                             : (at.index < num_vcmdqs() ? static_cast<int>(at.index) : -1);
    if (q < 0) {
        if ((size != 4 && size != 8) || off % size)
            return RegisterBank::Status::BadAccess;
        v = 0;
        return RegisterBank::Status::Reserved;  // RAZ/WI
    }
    return write ? vcmdqs_[q]->write(at.page, at.reg, size, v) : vcmdqs_[q]->read(at.page, at.reg, size, v);
}

void Cmdqv::b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay)
{
    // The access takes effect when it arrives plus the register latency.
    delay += clk_.cycles(p_.reg_cycles);
    wait(delay);
    delay = sc_core::SC_ZERO_TIME;
    serve_register_access(
        gp, size(), [this](uint32_t off, unsigned len, bool write, uint64_t& v) { return access(off, len, write, v); },
        {reg_reads_, reg_writes_, bad_accesses_});
}

unsigned Cmdqv::transport_dbg(tlm::tlm_generic_payload& gp)
{
    return serve_register_debug(gp, size(),
                                [this](uint32_t off, unsigned len, uint64_t& v) { return access(off, len, false, v); });
}

}  // namespace smmusim
