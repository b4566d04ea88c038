// SPDX-License-Identifier: GPL-2.0-only
// Test bench: the platform (sim/soc.h) plus one CPU thread that runs the
// test's body in simulated time, with register and memory helpers. It is the
// bus of the driver sequences (sim/driver/sequences.h) the tests use.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <systemc>

#include "driver/mmio_bus.h"
#include "platform/bus_access.h"
#include "platform/stream_id.h"
#include "soc.h"
#include "smmuv3/queue.h"

namespace smmusim::test {

// A client transaction's stream attributes beyond its StreamID.
struct DmaAttrs {
    bool ssv = false;
    uint32_t ssid = 0;
    bool priv = false;   // PnU
    bool instr = false;  // InD
    StreamIdExtension::At at = StreamIdExtension::At::Untranslated;  // PCIe AT (ATS)
};

// What the SMMU answered a client transaction (StreamIdExtension's fields).
struct DmaResult {
    tlm::tlm_response_status status = tlm::TLM_INCOMPLETE_RESPONSE;
    StreamIdExtension::Outcome outcome = StreamIdExtension::Outcome::Pending;
    uint64_t pa = 0;
    uint8_t fault = 0;       // event type, 0 = none
    bool recorded = false;
    StreamIdExtension::AtsCompletion ats;  // a Translation Request's completion
    bool ok() const { return status == tlm::TLM_OK_RESPONSE; }
};

class TestBench : public driver::MmioBus {
public:
    // `sets` are --set style "key=value" overrides.
    explicit TestBench(const std::vector<std::string>& sets = {});
    ~TestBench() override;

    Soc& soc() { return *soc_; }
    Smmuv3& smmu() { return soc_->smmu(); }
    Memory& mem() { return soc_->memory(); }
    IrqController& irqc() { return soc_->irqc(); }
    const Config& cfg() const { return cfg_; }

    // Runs `body` in a CPU thread; returns when it finishes or after `limit`
    // of simulated time (then `finished()` is false).
    void run(std::function<void()> body, sc_core::sc_time limit = sc_core::sc_time(1, sc_core::SC_SEC));
    bool finished() const { return done_; }
    // SystemC's default thread stack (64 KiB) is too small for gtest's
    // assertion machinery; threads a test spawns itself should use this too.
    static constexpr int kStackBytes = 1 << 20;

    // CPU-side register access relative to the SMMU base (in simulated time).
    uint32_t rd32(uint32_t off);
    uint64_t rd64(uint32_t off);
    void wr32(uint32_t off, uint32_t v);
    void wr64(uint32_t off, uint64_t v);
    bool access(uint32_t off, unsigned size, bool write, uint64_t& v);  // raw, false on bus error

    // The same for the CMDQV, relative to its base.
    uint64_t cmdqv_rd(uint32_t off, unsigned size = 4);
    void cmdqv_wr(uint32_t off, uint64_t v, unsigned size = 4);
    bool cmdqv_access(uint32_t off, unsigned size, bool write, uint64_t& v);
    uint64_t smmu_base() const { return soc_->params().smmu_base; }
    uint64_t cmdqv_base() const { return soc_->params().cmdqv_base; }

    // driver::MmioBus, by physical address: a bus error fails the test;
    // polls read every cycle for at most 10^6 cycles; stores go to DRAM.
    uint64_t read(uint64_t addr, unsigned size) override;
    void write(uint64_t addr, unsigned size, uint64_t value) override;
    bool poll(uint64_t addr, uint64_t mask, uint64_t want) override;
    bool store(uint64_t pa, const void* src, size_t len) override;

    // Simulated time in SMMU cycles, and waiting.
    uint64_t now() const;
    void wait_cycles(uint64_t n);
    // Waits until pred() holds, checking every cycle; false after `max` cycles.
    bool wait_until(const std::function<bool()>& pred, uint64_t max = 1000000);

    // DRAM helpers (backdoor, zero time).
    uint64_t dram(uint64_t offset = 0) const;  // PA of DRAM + offset
    void put_cmd(uint64_t q_pa, uint32_t idx, uint64_t dw0, uint64_t dw1);
    uint64_t get64(uint64_t pa);

    // Brings the SMMU's command queue up as the Linux driver does
    // (base, PROD/CONS = 0, CR0.CMDQEN with its ACK); returns the queue PA.
    uint64_t enable_cmdq(unsigned log2size = 8);
    // Writes commands at PROD and rings the doorbell.
    void submit(uint64_t q_pa, unsigned log2size, const std::vector<std::pair<uint64_t, uint64_t>>& cmds);
    // The same with a CMD_SYNC after them; returns once CONS has passed
    // them all (false after 10^6 cycles).
    bool submit_and_sync(uint64_t q_pa, unsigned log2size, std::vector<std::pair<uint64_t, uint64_t>> cmds);

    // A client transaction through the SMMU's upstream socket, from the
    // calling thread in simulated time, as an endpoint with StreamID `sid`
    // issues it (the socket's b_transport is called directly, so no master
    // is bound to it). `data`: `size` bytes to write or read into (nullptr:
    // a scratch buffer).
    DmaResult dma(uint32_t sid, uint64_t iova, uint32_t size, bool write, const DmaAttrs& a = {},
                  void* data = nullptr);

private:
    Config cfg_;
    std::unique_ptr<Soc> soc_;
    bool done_ = false;
    PayloadPool dma_pool_;
    std::vector<uint8_t> dma_scratch_;
};

// Lets every process scheduled for the current simulated time run, so a
// test can observe state exactly at a cycle boundary.
inline void settle()
{
    sc_core::wait(sc_core::SC_ZERO_TIME);
    sc_core::wait(sc_core::SC_ZERO_TIME);
}

// Command builders (fields per the architecture).
std::pair<uint64_t, uint64_t> cmd_sync(uint64_t cs = 0, uint64_t msi_addr = 0, uint32_t msi_data = 0);
std::pair<uint64_t, uint64_t> cmd(uint8_t op, uint64_t dw0 = 0, uint64_t dw1 = 0);

}  // namespace smmusim::test
