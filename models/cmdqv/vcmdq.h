// SPDX-License-Identifier: GPL-2.0-only
// One virtual command queue of the CMDQV. Its registers (page 0: CONS, PROD,
// CONFIG, STATUS, GERROR, GERRORN; page 1: BASE, CONS_INDX_BASE) are reached
// through the global VCMDQ pages and, while it is mapped to a VINTF as a
// logical VCMDQ, through that VINTF's pages.
//
// It consumes commands with the shared pipeline (models/smmuv3/
// cmdq_consumer.h), reading them by physical address from BASE. Each
// command is admitted only while its VINTF's configuration is settled
// (otherwise it waits in the queue); for a guest-owned VINTF (HYP_OWN = 0)
// admission passes it through the guest filter (guest_filter.h). Errors set CONS.ERR, toggle GERROR.CMDQ_ERR and
// are reported to the CMDQV (error maps, interrupt); the queue halts until
// GERRORN acknowledges.
#pragma once

#include <cstdint>
#include <vector>

#include "../platform/regbank.h"
#include "../smmuv3/cmdq_consumer.h"
#include "guest_filter.h"

namespace smmusim {
class Cmdqv;

class Vcmdq : public CommandQueueConsumer {
public:
    SC_HAS_PROCESS(Vcmdq);
    Vcmdq(sc_core::sc_module_name name, Cmdqv& cmdqv, unsigned index);

    // Register access; `page` is 0 or 1, `off` within the queue's 0x80 bytes.
    RegisterBank::Status read(unsigned page, uint32_t off, unsigned size, uint64_t& v) const;
    RegisterBank::Status write(unsigned page, uint32_t off, unsigned size, uint64_t v);
    uint64_t reg(unsigned page, uint32_t off) const { return bank_.get(bank_offset(page, off)); }
    // The queue's registers, for observers: one bank holding page 0 at 0x00
    // and page 1 at kBankPage1 (its offsets are not bus addresses; the
    // helpers below and cmdqv_regs.h's vcmdq_page()/lvcmdq_page() give those).
    RegisterBank& bank() { return bank_; }
    static constexpr uint32_t kBankPage1 = 0x40;
    static constexpr uint32_t bank_offset(unsigned page, uint32_t off) { return page * kBankPage1 + off; }
    static constexpr unsigned bank_page(uint32_t bank_off) { return bank_off / kBankPage1; }
    static constexpr uint32_t bank_reg(uint32_t bank_off) { return bank_off % kBankPage1; }

    unsigned index() const { return index_; }
    bool hw_enabled() const { return enabled_; }
    // The VINTF it is mapped to (valid while mapped).
    void set_mapping(bool mapped, unsigned vintf, unsigned lidx);
    bool mapped() const { return mapped_; }
    unsigned vintf() const { return vintf_; }
    unsigned lidx() const { return lidx_; }
    // Every (VINTF, LVCMDQ) the queue was mapped as during the run, each
    // once, in the order first mapped (who used it; for statistics).
    struct Mapping {
        unsigned vintf, lidx;
    };
    const std::vector<Mapping>& mappings() const { return mappings_; }

    // Stops the queue: CONFIG.EN cleared by software, or forced off by the
    // CMDQV or its VINTF being disabled (CONFIG.EN then keeps what software
    // wrote). Whichever way a queue is disabled, STATUS drops once the
    // command executing at that moment (if any) has completed.
    void stop();
    bool error_active(const Field& f) const;

    smmuv3::QueueGeometry geometry() const override;
    uint64_t base_pa() const override;

protected:
    uint32_t prod() const override;
    uint32_t cons() const override;
    void set_cons(uint32_t value) override;
    bool enabled() const override { return enabled_; }
    bool halted() const override;
    uint32_t batch() const override;
    bool fetch(uint64_t pa, void* dst, size_t len, sc_core::sc_time& delay) override;
    uint8_t admit(smmuv3::Command& cmd) override;
    uint8_t admit_now(smmuv3::Command& cmd, uint64_t& cycles) override;
    uint32_t admit_now_burst(smmuv3::Command* cmds, uint32_t n, uint64_t& cycles, uint8_t& error) override;
    uint64_t admit_cycles() override;
    bool admission_observed() const override;
    bool cons_observed() const override { return bank_.observed(); }
    unsigned consumes_quietly() const override;
    bool admitting() const override;
    void report_error(uint8_t code) override;
    void consumed(uint32_t new_cons, bool was_full, bool sync) override;
    void quiesced() override;

private:
    void build_registers();
    void apply_config();  // STATUS follows CONFIG.EN
    void raise(const Field& f);
    uint8_t pass(smmuv3::Command& cmd, const cmdqv::VintfView& v);

    Cmdqv& cmdqv_;
    unsigned index_;
    RegisterBank bank_;  // page 0 at 0x00, page 1 at kBankPage1
    bool enabled_ = false;
    bool mapped_ = false;
    unsigned vintf_ = 0;
    unsigned lidx_ = 0;
    std::vector<Mapping> mappings_;
    Counter& filtered_;
    Counter& ignored_writes_;
};

}  // namespace smmusim
