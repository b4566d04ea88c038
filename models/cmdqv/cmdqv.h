// SPDX-License-Identifier: GPL-2.0-only
// NVIDIA Tegra241 CMDQV model, top level: the config page (CONFIG, PARAM,
// STATUS, error maps, CMDQ_ALLOC, the VINTF registers), the VCMDQ pages and
// the per-VINTF logical pages, the enable handshakes, the LVCMDQ mapping
// rules and error reporting. Each VCMDQ is a Vcmdq (vcmdq.h) that feeds the
// SMMU's shared command-execution engine. See README.md in this folder.
//
// Sockets: `regs` (MMIO target, offsets from the CMDQV base; its debug
// transport reads registers with no side effects) and `dma` (bus master:
// command reads by physical address, CONS_INDX_BASE writes); interrupt
// output: irq().
#pragma once

#include <array>
#include <functional>
#include <cstdint>
#include <memory>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "../platform/bus_access.h"
#include "../platform/clock.h"
#include "../platform/deferred.h"
#include "../platform/irq.h"
#include "../platform/irq_out.h"
#include "../platform/regbank.h"
#include "../platform/stats.h"
#include "../smmuv3/smmuv3.h"
#include "cmdqv_params.h"
#include "cmdqv_regs.h"
#include "guest_filter.h"
#include "vcmdq.h"

namespace smmusim {

class Cmdqv : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<Cmdqv> regs;
    tlm_utils::simple_initiator_socket<Cmdqv> dma;

    Cmdqv(sc_core::sc_module_name name, const ClockDomain& clk, const CmdqvParams& p, Smmuv3& smmu);
    ~Cmdqv() override;

    // The interrupt output: connect_irq() ties it to an IrqController line,
    // and irq() binds to an sc_signal<bool> as an sc_out<bool> does.
    void connect_irq(const IrqLine& line) { irq_.connect(line); }
    IrqOut& irq() { return irq_; }
    static void validate(const CmdqvParams& p);

    unsigned num_vintfs() const { return 1u << p_.vintfs_log2; }
    unsigned num_vcmdqs() const { return 1u << p_.vcmdqs_log2; }
    unsigned lvcmdqs_per_vintf() const { return num_vcmdqs() / num_vintfs(); }
    unsigned sids_per_vintf() const { return 1u << p_.sids_log2; }
    uint32_t size() const { return cmdqv::space_size(num_vintfs()); }

    const CmdqvParams& params() const { return p_; }
    const ClockDomain& clock() const { return clk_; }
    Smmuv3& smmu() { return smmu_; }
    RegisterBank& bank() { return bank_; }
    Vcmdq& vcmdq(unsigned q) { return *vcmdqs_[q]; }
    Deferred& deferred() { return deferred_; }
    StatGroup& stats() { return stats_; }

    bool enabled() const { return cmdqv::status::ENABLED.get(bank_.get(cmdqv::STATUS)); }
    bool vintf_enabled(unsigned v) const;
    // Whether VINTF v's queues may admit commands now, and with which
    // configuration (see README.md, "Admission"): only while the CMDQV and
    // the VINTF are enabled and no write to the CMDQV's or the VINTF's
    // CONFIG is pending; the VMID and HYP_OWN are those the VINTF was
    // enabled with, the SID pairs those in the registers now.
    // Both are read per command: they answer from a per-VINTF table that
    // every write which can change the answer rebuilds (refresh_admission()).
    bool vintf_admitting(unsigned v) const { return admission_[v].open; }
    bool vintf_admission(unsigned v, cmdqv::VintfView& view) const
    {
        const Admission& a = admission_[v];
        view = a.view;
        return a.open;
    }
    // What the guest filter needs about VINTF v (the enabled configuration).
    cmdqv::VintfView vintf_view(unsigned v);
    // The table says what the registers say now, for every VINTF (tests).
    bool admission_is_current();

    // Observers of every command a VCMDQ admitted, as it will execute (after
    // the guest filter's rewriting), at the moment of admission (tests).
    using AdmitObserver = std::function<void(unsigned q, const smmuv3::Command& cmd)>;
    void add_admit_observer(AdmitObserver o) { admit_observers_.push_back(std::move(o)); }
    void admitted(unsigned q, const smmuv3::Command& cmd);
    bool admission_observed() const { return !admit_observers_.empty(); }
    // The global VCMDQ mapped to (v, l), or -1.
    int lvcmdq(unsigned v, unsigned l) const;

    // Called by a Vcmdq when a new error becomes active / all its errors
    // were acknowledged.
    void vcmdq_error(unsigned q);
    void vcmdq_errors_cleared(unsigned q);

    bool dma_read(uint64_t pa, void* dst, size_t len) { return dma_.read(pa, dst, len); }
    // Issued `delay` ahead of now; leaves what the caller owes (bus_access.h).
    bool dma_read(uint64_t pa, void* dst, size_t len, sc_core::sc_time& delay)
    {
        return dma_.read(pa, dst, len, delay);
    }
    bool dma_write(uint64_t pa, const void* src, size_t len) { return dma_.write(pa, src, len); }

private:
    void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
    unsigned transport_dbg(tlm::tlm_generic_payload& gp);
    void build_registers();
    void apply_enable();
    void apply_vintf_enable(unsigned v);
    void alloc_written(unsigned q, uint64_t old, uint64_t val);
    void update_vintf_status(unsigned v);
    void vintf_config_written(unsigned v, uint64_t val);
    void kick_vintf(unsigned v);
    // What vintf_admitting() / vintf_admission() answer, from the registers.
    bool admitting_by_registers(unsigned v) const;
    void refresh_admission(unsigned v);
    void refresh_admission();  // every VINTF
    RegisterBank::Status access(uint32_t off, unsigned size, bool write, uint64_t& v);

    const ClockDomain& clk_;
    CmdqvParams p_;
    Smmuv3& smmu_;
    RegisterBank bank_;  // the config page
    std::vector<std::unique_ptr<Vcmdq>> vcmdqs_;
    std::vector<std::array<int, 128>> lvcmdq_map_;  // [vintf][lidx] -> global VCMDQ or -1
    std::vector<std::array<cmdqv::SidPair, cmdqv::kMaxSidsPerVintf>> sid_cache_;
    // VINTF CONFIG as of the last enable handshake (EN, VMID, HYP_OWN): what
    // its queues admit commands with.
    std::vector<uint64_t> vintf_live_;
    // Per VINTF: whether its queues admit now, and with which view (the SID
    // pairs by pointer into sid_cache_, so their writes need no refresh).
    struct Admission {
        bool open = false;
        cmdqv::VintfView view{};
    };
    std::vector<Admission> admission_;
    std::vector<AdmitObserver> admit_observers_;
    Deferred deferred_;
    IrqOut irq_;
    DmaMaster<tlm_utils::simple_initiator_socket<Cmdqv>> dma_{dma};

    StatGroup stats_;
    Counter& reg_reads_;
    Counter& reg_writes_;
    Counter& bad_accesses_;
    Counter& ignored_writes_;
    Counter& alloc_violations_;
    Counter& errors_;
    Counter& irqs_;
};

}  // namespace smmusim
