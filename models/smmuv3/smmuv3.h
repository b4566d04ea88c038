// SPDX-License-Identifier: GPL-2.0-only
// SMMUv3 model, top level: the 128 KiB programming interface (page 0 + page
// 1), CR0/IRQ_CTRL handshakes, GERROR, interrupts and MSIs. It owns the
// command queue consumer (cmdq.h), the event queue producer (evtq.h) and the
// command-execution engine (cmd_engine.h) that the CMDQV model also feeds.
//
// Sockets: `regs` (MMIO target, offsets relative to the SMMU base; its debug
// transport reads registers with no side effects), `dma` (bus master:
// queue reads and writes, MSIs, table walks, and the client transactions it
// has translated) and `upstream` (the client side: endpoints' DMA enters
// here, each payload carrying a StreamIdExtension; upstream.cc); interrupt
// outputs: irqs(). See README.md in this folder for what the model can and
// cannot do.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "../platform/bus_access.h"
#include "../platform/clock.h"
#include "../platform/irq.h"
#include "../platform/irq_out.h"
#include "../platform/regbank.h"
#include "../platform/stats.h"
#include "../platform/stream_id.h"
#include "cmd_engine.h"
#include "commands.h"
#include "smmuv3_params.h"
#include "smmuv3_regs.h"

namespace smmusim {

class SmmuCommandQueue;
class SmmuEventQueue;
namespace smmuv3 {
class TranslationUnit;
}

class Smmuv3 : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<Smmuv3> regs;
    tlm_utils::simple_initiator_socket<Smmuv3> dma;
    // Client transactions (blocking transport only; no DMI, no debug
    // transport). Optional: a platform with no DMA master leaves it unbound.
    // Each access must stay within one 4 KiB page and carry a
    // StreamIdExtension (stream_id.h); upstream.cc says what answers what.
    tlm_utils::simple_target_socket_optional<Smmuv3> upstream;

    // Wired interrupt outputs (device-tree names): connect_irqs() ties them
    // to IrqController lines (unconnected lines drop), and each binds to an
    // sc_signal<bool> as an sc_out<bool> does: smmu.irqs().gerror.bind(sig)
    // (irq_out.h).
    struct Irqs {
        IrqLine eventq, priq, gerror, cmdq_sync, combined;
    };
    struct IrqOutputs {
        explicit IrqOutputs(const ClockDomain& clk);
        IrqOut eventq, priq, gerror, cmdq_sync, combined;
    };

    SC_HAS_PROCESS(Smmuv3);
    Smmuv3(sc_core::sc_module_name name, const ClockDomain& clk, const Smmuv3Params& p);
    ~Smmuv3() override;

    void connect_irqs(const Irqs& irqs);
    // Throws ConfigError for parameter combinations the model cannot be.
    static void validate(const Smmuv3Params& p);

    const Smmuv3Params& params() const { return p_; }
    const ClockDomain& clock() const { return clk_; }
    const smmuv3::CommandFeatures& features() const { return features_; }
    // The decode rules these features leave (the command queues' decoder).
    const smmuv3::DecodeRuleTable& decode_rules() const { return *decode_rules_; }
    CommandEngine& engine() { return *engine_; }
    RegisterBank& bank() { return bank_; }
    StatGroup& stats() { return stats_; }
    SmmuCommandQueue& cmdq() { return *cmdq_; }
    SmmuEventQueue& evtq() { return *evtq_; }
    smmuv3::TranslationUnit& translation() { return *xlat_; }

    // The last ID-register values, computed from the parameters.
    uint32_t idr(unsigned n) const;

    // Register state as the hardware acts on it.
    uint32_t cr0ack() const { return static_cast<uint32_t>(bank_.get(smmuv3::CR0ACK)); }
    bool cmdq_enabled() const { return smmuv3::cr0::CMDQEN.get(cr0ack()); }
    // CR0.CMDQEN was cleared while a command executed: the queue takes no
    // new command, and CR0ACK.CMDQEN clears when that one completes.
    bool cmdq_stopping() const { return cmdq_stopping_; }
    void cmdq_quiesced();
    bool evtq_enabled() const { return smmuv3::cr0::EVTQEN.get(cr0ack()); }
    bool smmu_enabled() const { return smmuv3::cr0::SMMUEN.get(cr0ack()); }

    // GERROR: an error is active while its GERROR bit differs from GERRORN.
    // Raising an active error does nothing; raising an inactive one toggles
    // GERROR and signals the gerror interrupt (wired and/or MSI).
    void raise_gerror(const Field& bit);
    bool gerror_active(const Field& bit) const;
    // Fires when software acknowledges (writes GERRORN).
    const sc_core::sc_event& gerrorn_written() const { return gerrorn_ev_; }

    // SEV: a WFE wake-up event (IDR0.SEV): CMD_SYNC with CS=SEV, and the
    // command queue going from full to non-full.
    // Whoever asks for the event may wait on it from then on: until someone
    // has, an SEV wakes nobody and is not notified (a command queue may
    // then retire commands in a quiet window, cmdq_consumer.h).
    const sc_core::sc_event& sev() const
    {
        sev_watched_ = true;
        return sev_ev_;
    }
    bool sev_watched() const { return sev_watched_; }
    void send_sev();

    // Bus-master accesses in simulated time (SC_THREAD context only).
    // Return false on a bus error.
    bool dma_read(uint64_t pa, void* dst, size_t len) { return dma_.read(pa, dst, len); }
    // Issued `delay` ahead of now; leaves what the caller owes (bus_access.h).
    bool dma_read(uint64_t pa, void* dst, size_t len, sc_core::sc_time& delay)
    {
        return dma_.read(pa, dst, len, delay);
    }
    bool dma_write(uint64_t pa, const void* src, size_t len) { return dma_.write(pa, src, len); }
    // Queues an MSI write of `data` to `addr`; an abort raises `abort_bit`
    // in GERROR (unless it is the GERROR MSI itself that aborted).
    void post_msi(uint64_t addr, uint32_t data, const Field& abort_bit);
    // Writes an MSI now, in the calling thread (CMD_SYNC completion).
    bool msi_write_now(uint64_t addr, uint32_t data);

    // Interrupt helpers: `irq` is the wired line, `cfg0` the *_IRQ_CFG0
    // offset for the MSI (addr), CFG1 (data) follows it.
    void signal_irq(IrqOut& irq, uint32_t cfg0, const Field& abort_bit);
    IrqOutputs& irqs() { return irqs_; }

private:
    void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
    void upstream_b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);  // upstream.cc
    unsigned transport_dbg(tlm::tlm_generic_payload& gp);
    void build_registers();
    void cr0_apply();        // SC_METHOD: CR0ACK follows CR0
    void irq_ctrl_apply();   // SC_METHOD
    void gbpa_apply();       // SC_METHOD
    void msi_sender();       // SC_THREAD

    const ClockDomain& clk_;
    Smmuv3Params p_;
    smmuv3::CommandFeatures features_;
    std::unique_ptr<smmuv3::DecodeRuleTable> decode_rules_;
    RegisterBank bank_;
    IrqOutputs irqs_;
    StatGroup stats_;
    Counter& reg_reads_;
    Counter& reg_writes_;
    Counter& bad_accesses_;
    Counter& ignored_writes_;
    Counter& gerrors_;
    Counter& msis_;
    Counter& upstream_refused_;

    sc_core::sc_event cr0_ev_, irq_ctrl_ev_, gbpa_ev_, gerrorn_ev_, sev_ev_, msi_ev_;
    mutable bool sev_watched_ = false;
    bool cmdq_stopping_ = false;
    struct PendingMsi {
        uint64_t addr;
        uint32_t data;
        Field abort_bit;
    };
    std::deque<PendingMsi> msi_fifo_;
    DmaMaster<tlm_utils::simple_initiator_socket<Smmuv3>> dma_{dma};

    std::unique_ptr<CommandEngine> engine_;
    std::unique_ptr<SmmuCommandQueue> cmdq_;
    std::unique_ptr<SmmuEventQueue> evtq_;
    std::unique_ptr<smmuv3::TranslationUnit> xlat_;
};

}  // namespace smmusim
