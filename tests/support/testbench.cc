// SPDX-License-Identifier: GPL-2.0-only
#include "testbench.h"

#include <stdexcept>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "driver/sequences.h"

namespace smmusim::test {

using namespace smmuv3;

TestBench::TestBench(const std::vector<std::string>& sets)
{
    declare_all_params(cfg_);
    for (const auto& s : sets)
        cfg_.set_assignment(s, "test");
    validate_config(cfg_);
    soc_ = std::make_unique<Soc>("soc", cfg_);
}

TestBench::~TestBench() = default;

void TestBench::run(std::function<void()> body, sc_core::sc_time limit)
{
    sc_core::sc_spawn_options opts;
    opts.set_stack_size(kStackBytes);
    sc_core::sc_spawn(
        [this, body] {
            body();
            done_ = true;
            sc_core::sc_stop();
        },
        "cpu0", &opts);
    sc_core::sc_start(limit);
}

bool TestBench::access(uint32_t off, unsigned size, bool write, uint64_t& v)
{
    const uint64_t a = soc_->params().smmu_base + off;
    return write ? soc_->mmio_write(a, size, v) : soc_->mmio_read(a, size, v);
}

bool TestBench::cmdqv_access(uint32_t off, unsigned size, bool write, uint64_t& v)
{
    const uint64_t a = soc_->params().cmdqv_base + off;
    return write ? soc_->mmio_write(a, size, v) : soc_->mmio_read(a, size, v);
}

uint64_t TestBench::cmdqv_rd(uint32_t off, unsigned size)
{
    uint64_t v = 0;
    EXPECT_TRUE(cmdqv_access(off, size, false, v)) << fmt::format("CMDQV read {:#x} got a bus error", off);
    return v;
}

void TestBench::cmdqv_wr(uint32_t off, uint64_t v, unsigned size)
{
    EXPECT_TRUE(cmdqv_access(off, size, true, v)) << fmt::format("CMDQV write {:#x} got a bus error", off);
}

uint32_t TestBench::rd32(uint32_t off)
{
    uint64_t v = 0;
    EXPECT_TRUE(access(off, 4, false, v)) << fmt::format("read32 {:#x} got a bus error", off);
    return static_cast<uint32_t>(v);
}

uint64_t TestBench::rd64(uint32_t off)
{
    uint64_t v = 0;
    EXPECT_TRUE(access(off, 8, false, v)) << fmt::format("read64 {:#x} got a bus error", off);
    return v;
}

void TestBench::wr32(uint32_t off, uint32_t v)
{
    uint64_t x = v;
    EXPECT_TRUE(access(off, 4, true, x)) << fmt::format("write32 {:#x} got a bus error", off);
}

void TestBench::wr64(uint32_t off, uint64_t v)
{
    EXPECT_TRUE(access(off, 8, true, v)) << fmt::format("write64 {:#x} got a bus error", off);
}

uint64_t TestBench::read(uint64_t addr, unsigned size)
{
    uint64_t v = 0;
    EXPECT_TRUE(soc_->mmio_read(addr, size, v)) << fmt::format("read{} {:#x} got a bus error", size * 8, addr);
    return v;
}

void TestBench::write(uint64_t addr, unsigned size, uint64_t value)
{
    EXPECT_TRUE(soc_->mmio_write(addr, size, value)) << fmt::format("write{} {:#x} got a bus error", size * 8, addr);
}

bool TestBench::poll(uint64_t addr, uint64_t mask, uint64_t want)
{
    return wait_until([&] { return (read(addr, 4) & mask) == want; });
}

bool TestBench::store(uint64_t pa, const void* src, size_t len) { return mem().write(pa, src, len); }

uint64_t TestBench::now() const { return soc_->smmu_clock().now(); }

void TestBench::wait_cycles(uint64_t n) { sc_core::wait(soc_->smmu_clock().cycles(n)); }

bool TestBench::wait_until(const std::function<bool()>& pred, uint64_t max)
{
    for (uint64_t i = 0; i < max; i++) {
        if (pred())
            return true;
        wait_cycles(1);
    }
    return pred();
}

uint64_t TestBench::dram(uint64_t offset) const { return cfg_.u64("mem.dram_base") + offset; }

void TestBench::put_cmd(uint64_t q_pa, uint32_t idx, uint64_t dw0, uint64_t dw1)
{
    const uint64_t e[2] = {dw0, dw1};
    if (!store(q_pa + uint64_t(idx) * kCmdBytes, e, sizeof(e)))
        throw std::runtime_error("put_cmd outside DRAM");
}

uint64_t TestBench::get64(uint64_t pa)
{
    uint64_t v = 0;
    if (!mem().read(pa, &v, 8))
        throw std::runtime_error("get64 outside DRAM");
    return v;
}

uint64_t TestBench::enable_cmdq(unsigned log2size)
{
    const uint64_t q = dram(0x100000);
    EXPECT_TRUE(driver::smmu_cmdq_enable(*this, smmu_base(), q, log2size));
    return q;
}

void TestBench::submit(uint64_t q_pa, unsigned log2size, const std::vector<std::pair<uint64_t, uint64_t>>& cmds)
{
    driver::submit(*this, driver::smmu_cmdq_regs(smmu_base()), q_pa, log2size, cmds);
}

bool TestBench::submit_and_sync(uint64_t q_pa, unsigned log2size, std::vector<std::pair<uint64_t, uint64_t>> cmds)
{
    cmds.push_back(cmd_sync());
    const uint32_t mask = (2u << log2size) - 1;  // index and wrap bit
    const uint32_t want = (rd32(CMDQ_PROD) + static_cast<uint32_t>(cmds.size())) & mask;
    submit(q_pa, log2size, cmds);
    return wait_until([&] { return (rd32(CMDQ_CONS) & mask) == want; });
}

DmaResult TestBench::dma(uint32_t sid, uint64_t iova, uint32_t size, bool write, const DmaAttrs& a, void* data)
{
    if (!data) {
        dma_scratch_.assign(size, 0);
        data = dma_scratch_.data();
    }
    StreamIdExtension ext;
    ext.sid = sid;
    ext.ssv = a.ssv;
    ext.ssid = a.ssid;
    ext.priv = a.priv;
    ext.instr = a.instr;
    ext.at = a.at;
    tlm::tlm_generic_payload* gp = dma_pool_.get();
    gp->set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    gp->set_address(iova);
    gp->set_data_ptr(static_cast<unsigned char*>(data));
    gp->set_data_length(size);
    gp->set_streaming_width(size);
    gp->set_byte_enable_ptr(nullptr);
    gp->set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    gp->set_extension(&ext);
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    sc_core::sc_export<tlm::tlm_fw_transport_if<>>& upstream = smmu().upstream;  // its forward interface
    upstream->b_transport(*gp, delay);
    if (delay != sc_core::SC_ZERO_TIME)
        sc_core::wait(delay);
    gp->clear_extension(&ext);
    DmaResult r;
    r.status = gp->get_response_status();
    r.outcome = ext.outcome;
    r.pa = ext.pa;
    r.fault = ext.fault;
    r.recorded = ext.recorded;
    r.ats = ext.ats;
    dma_pool_.put(gp);
    return r;
}

std::pair<uint64_t, uint64_t> cmd_sync(uint64_t cs, uint64_t msi_addr, uint32_t msi_data)
{
    return {cmdf::OPCODE.put(OP_CMD_SYNC) | cmdf::SYNC_CS.put(cs) | cmdf::SYNC_MSIDATA.put(msi_data),
            cmdf::SYNC_MSIADDR.put(msi_addr >> 2)};
}

std::pair<uint64_t, uint64_t> cmd(uint8_t op, uint64_t dw0, uint64_t dw1)
{
    return {cmdf::OPCODE.set(dw0, op), dw1};
}

}  // namespace smmusim::test
