// SPDX-License-Identifier: GPL-2.0-only
#include "vcmdq.h"

#include <algorithm>

#include "../smmuv3/gerror.h"
#include "cmdqv.h"

namespace smmusim {

using namespace cmdqv;
using namespace smmuv3;

namespace {
constexpr uint64_t kPtrMask = (2ull << 19) - 1;  // index + wrap bits of the largest queue
}  // namespace

Vcmdq::Vcmdq(sc_core::sc_module_name name, Cmdqv& cmdqv, unsigned index)
    : CommandQueueConsumer(name, cmdqv.smmu(), Thread::OnFirstRestart), cmdqv_(cmdqv), index_(index), bank_(std::string(this->name()), 0x80),
      filtered_(stats().counter("sync_signal_suppressed",
                                "guest CMD_SYNCs whose IRQ/SEV signalling was dropped (completed as CS=NONE)")),
      ignored_writes_(stats().counter("ignored_writes", "writes the hardware ignores in the current state"))
{
    build_registers();
}

void Vcmdq::build_registers()
{
    auto while_disabled = [this](uint32_t off) {
        return bank_.ignored_while(off, [this] { return enabled_; }, ignored_writes_);
    };
    bank_.add({VCMDQ_CONS, 4, "CONS", 0, kPtrMask}, while_disabled(VCMDQ_CONS));
    bank_.add({VCMDQ_PROD, 4, "PROD", 0, kPtrMask}, [this](uint64_t old, uint64_t val) {
        if (enabled_)
            prod_written(static_cast<uint32_t>(old), static_cast<uint32_t>(val));
    });
    bank_.add({VCMDQ_CONFIG, 4, "CONFIG", 0, vcmdq_config::kMask}, [this](uint64_t, uint64_t) {
        cmdqv_.deferred().at(cmdqv_.clock().cycles(cmdqv_.params().enable_cycles), [this] { apply_config(); });
    });
    bank_.add({VCMDQ_STATUS, 4, "STATUS", 0, 0});
    bank_.add({VCMDQ_GERROR, 4, "GERROR", 0, 0});
    bank_.add({VCMDQ_GERRORN, 4, "GERRORN", 0, vcmdq_gerror::kMask}, [this](uint64_t, uint64_t) {
        if (!gerror_active(bank_, VCMDQ_GERROR, VCMDQ_GERRORN, vcmdq_gerror::kMask))
            cmdqv_.vcmdq_errors_cleared(index_);
        kick();
    });
    bank_.add({kBankPage1 + VCMDQ_BASE, 8, "BASE", 0, vcmdq_base::kMask}, while_disabled(kBankPage1 + VCMDQ_BASE));
    bank_.add({kBankPage1 + VCMDQ_CONS_INDX_BASE, 8, "CONS_INDX_BASE", 0, cons_indx_base::kMask},
              while_disabled(kBankPage1 + VCMDQ_CONS_INDX_BASE));
}

RegisterBank::Status Vcmdq::read(unsigned page, uint32_t off, unsigned size, uint64_t& v) const
{
    if (off >= kBankPage1)
        return (size == 4 || size == 8) && off % size == 0 ? (v = 0, RegisterBank::Status::Reserved)
                                                           : RegisterBank::Status::BadAccess;
    return bank_.read(bank_offset(page, off), size, v);
}

RegisterBank::Status Vcmdq::write(unsigned page, uint32_t off, unsigned size, uint64_t v)
{
    if (off >= kBankPage1)
        return (size == 4 || size == 8) && off % size == 0 ? RegisterBank::Status::Reserved
                                                           : RegisterBank::Status::BadAccess;
    return bank_.write(bank_offset(page, off), size, v);
}

void Vcmdq::set_mapping(bool mapped, unsigned vintf, unsigned lidx)
{
    mapped_ = mapped;
    vintf_ = vintf;
    lidx_ = lidx;
    auto same = [&](const Mapping& m) { return m.vintf == vintf && m.lidx == lidx; };
    if (mapped && std::none_of(mappings_.begin(), mappings_.end(), same))
        mappings_.push_back({vintf, lidx});
}

void Vcmdq::stop()
{
    enabled_ = false;
    if (!executing())
        bank_.set(VCMDQ_STATUS, 0);
    kick();
}

void Vcmdq::quiesced() { bank_.set(VCMDQ_STATUS, 0); }

bool Vcmdq::error_active(const Field& f) const { return gerror_active(bank_, VCMDQ_GERROR, VCMDQ_GERRORN, f.mask()); }

void Vcmdq::raise(const Field& f)
{
    if (!raise_gerror(bank_, VCMDQ_GERROR, VCMDQ_GERRORN, f.mask()))
        return;
    cmdqv_.vcmdq_error(index_);
}

void Vcmdq::apply_config()
{
    const bool en = vcmdq_config::EN.get(bank_.get(VCMDQ_CONFIG));
    if (en == enabled_)
        return;
    if (!en) {
        stop();
        return;
    }
    // A VCMDQ comes up only on an enabled CMDQV, mapped to an enabled VINTF,
    // with a queue size the SMMU supports; otherwise CMDQ_INIT_ERR.
    const uint64_t log2 = vcmdq_base::LOG2SIZE.get(bank_.get(kBankPage1 + VCMDQ_BASE));
    if (!cmdqv_.enabled() || !mapped_ || !cmdqv_.vintf_enabled(vintf_) || log2 > smmu_.params().cmdqs) {
        raise(vcmdq_gerror::CMDQ_INIT_ERR);
        return;
    }
    enabled_ = true;
    bank_.set(VCMDQ_STATUS, vcmdq_status::ENABLED.mask());
    restart();
}

QueueGeometry Vcmdq::geometry() const
{
    // A VCMDQ takes what its SMMU's command queue takes (IDR1.CMDQS).
    return QueueGeometry::capped(vcmdq_base::LOG2SIZE.get(bank_.get(kBankPage1 + VCMDQ_BASE)), smmu_.params().cmdqs);
}

uint64_t Vcmdq::base_pa() const { return bank_.get(kBankPage1 + VCMDQ_BASE) & vcmdq_base::ADDR.mask(); }
uint32_t Vcmdq::prod() const { return static_cast<uint32_t>(bank_.get(VCMDQ_PROD)); }
uint32_t Vcmdq::cons() const { return static_cast<uint32_t>(bank_.get(VCMDQ_CONS)); }
void Vcmdq::set_cons(uint32_t value) { bank_.set(VCMDQ_CONS, value); }
bool Vcmdq::halted() const  // error_active(CMDQ_ERR), asked per burst: inline
{
    return gerror_active(bank_, VCMDQ_GERROR, VCMDQ_GERRORN, vcmdq_gerror::CMDQ_ERR.mask());
}

uint32_t Vcmdq::batch() const
{
    const uint64_t b = vcmdq_config::MAX_CMD_BATCH.get(bank_.get(VCMDQ_CONFIG));
    return static_cast<uint32_t>(b ? b : cmdqv_.params().batch);
}

bool Vcmdq::fetch(uint64_t pa, void* dst, size_t len, sc_core::sc_time& delay)
{
    return cmdqv_.dma_read(pa, dst, len, delay);
}

bool Vcmdq::admitting() const { return mapped_ && cmdqv_.vintf_admitting(vintf_); }

// The filter decision and the VMID/SID substitution are made here, with the
// configuration in force at this moment; a command decoded while its
// VINTF's configuration is changing waits in the queue (kHold).
uint8_t Vcmdq::admit(Command& cmd)
{
    VintfView v;
    if (!mapped_ || !cmdqv_.vintf_admission(vintf_, v))
        return kHold;
    if (!v.hyp_own) {
        admission_step(cmdqv_.clock().cycles(cmdqv_.params().filter_cycles));
        if (!mapped_ || !cmdqv_.vintf_admission(vintf_, v))
            return kHold;
    }
    return pass(cmd, v);
}

// admit() in a quiet window: nothing changes during the filter's cycles.
uint8_t Vcmdq::admit_now(Command& cmd, uint64_t& cycles)
{
    VintfView v;
    cycles = 0;
    if (!mapped_ || !cmdqv_.vintf_admission(vintf_, v))
        return kHold;
    if (!v.hyp_own)
        cycles = cmdqv_.params().filter_cycles;
    return pass(cmd, v);
}

// A quiet burst's admissions: the VINTF's admission read once (nothing
// changes it in the burst) and its commands filtered at once.
uint32_t Vcmdq::admit_now_burst(Command* cmds, uint32_t n, uint64_t& cycles, uint8_t& error)
{
    if (cmdqv_.admission_observed())  // each command told as admitted, in order
        return CommandQueueConsumer::admit_now_burst(cmds, n, cycles, error);
    VintfView v;
    cycles = 0;
    error = 0;
    if (!mapped_ || !cmdqv_.vintf_admission(vintf_, v)) {
        error = kHold;
        return 0;
    }
    if (v.hyp_own)
        return n;
    const BurstFilterResult r = guest_filter_burst(cmds, n, v);
    filtered_ += r.syncs_suppressed;
    error = r.error;
    cycles = (r.admitted + (r.error ? 1 : 0)) * cmdqv_.params().filter_cycles;
    return r.admitted;
}

// The filter's cycles whether or not this command will go through it (a
// bound: a quiet window too short for it takes the step one wait at a
// time, with the same result), so that a command asks for its VINTF's
// admission once, not twice.
uint64_t Vcmdq::admit_cycles() { return cmdqv_.params().filter_cycles; }

// The command passes the guest filter (a guest-owned VINTF) and is admitted.
uint8_t Vcmdq::pass(Command& cmd, const VintfView& v)
{
    if (!v.hyp_own) {
        const FilterResult r = guest_filter(cmd, v);
        if (r.sync_suppressed)
            filtered_++;
        if (r.error)
            return r.error;
    }
    if (cmdqv_.admission_observed())  // asked inline: usually nobody
        cmdqv_.admitted(index_, cmd);
    return 0;
}

bool Vcmdq::admission_observed() const { return cmdqv_.admission_observed(); }

// With CONS mirrored into memory every retirement writes it; else only
// those that send SEV while someone watches it do something (consumed()).
unsigned Vcmdq::consumes_quietly() const
{
    if (vcmdq_config::CONS_DRAM_EN.get(bank_.get(VCMDQ_CONFIG)))
        return 0;
    if (!smmu_.sev_watched())
        return kQuietPlain | kQuietSync | kQuietFromFull;
    switch (cmdqv_.params().vcmdq_sev) {
    case VcmdqSev::Sync: return kQuietPlain;
    case VcmdqSev::None: return kQuietPlain | kQuietSync;
    default: return 0;
    }
}

void Vcmdq::report_error(uint8_t) { raise(vcmdq_gerror::CMDQ_ERR); }

// SEV (cmdqv.vcmdq.sev; README.md, "Wake-up events"): when the queue
// leaves full, as the SMMU's own queue (IHI 0070 4.1.2), and on every CONS
// advance (cons) or a CMD_SYNC's completion whatever its CS (sync; the
// SMMU CMDQ's CMD_SYNC with CS=SIG_SEV, 4.7.3), or on nothing else (none).
// It moves with CONS, as the CMD_SYNC's own signals (cmd_engine.cc).
void Vcmdq::consumed(uint32_t new_cons, bool was_full, bool sync)
{
    const VcmdqSev mode = cmdqv_.params().vcmdq_sev;
    const bool sev = was_full || mode == VcmdqSev::Cons || (sync && mode == VcmdqSev::Sync);
    // send_sev() signals only while someone watches SEV: asked inline first.
    if (sev && smmu_.sev_watched())
        smmu_.send_sev();
    if (!vcmdq_config::CONS_DRAM_EN.get(bank_.get(VCMDQ_CONFIG)))
        return;
    // Mirror CONS into memory at CONS_INDX_BASE.
    const uint64_t addr = bank_.get(kBankPage1 + VCMDQ_CONS_INDX_BASE) & cons_indx_base::kMask;
    const uint32_t value = new_cons;
    if (!cmdqv_.dma_write(addr, &value, sizeof(value)))
        raise(vcmdq_gerror::CONS_DRAM_WR_ABT_ERR);
}

}  // namespace smmusim
