// SPDX-License-Identifier: GPL-2.0-only
#define SC_INCLUDE_DYNAMIC_PROCESSES  // sc_spawn
#include "rig.h"

#include <algorithm>
#include <vector>

#include "cmdqv/cmdqv.h"
#include "smmuv3/cmdq.h"
#include "smmuv3/queue.h"
#include "smmuv3/translation/translation_unit.h"

namespace smmusim::bench {

using namespace smmuv3;

namespace {

constexpr unsigned kLog2Size = 8;  // 256-entry queues
// Four times the TLB's entries, each page with tables of its own: each
// visit misses and walks (the walks are counted, so the claim is checked).
constexpr unsigned kMissPages = 8176;

// The benchmark CPU's bus for the driver sequences: polls read every cycle.
class RigBus : public driver::MmioBus {
public:
    explicit RigBus(Soc& soc) : soc_(soc) {}
    uint64_t read(uint64_t addr, unsigned size) override
    {
        uint64_t v = 0;
        soc_.mmio_read(addr, size, v);
        return v;
    }
    void write(uint64_t addr, unsigned size, uint64_t value) override { soc_.mmio_write(addr, size, value); }
    bool poll(uint64_t addr, uint64_t mask, uint64_t want) override
    {
        while ((read(addr, 4) & mask) != want)
            sc_core::wait(soc_.smmu_clock().cycles(1));
        return true;
    }
    bool store(uint64_t pa, const void* src, size_t len) override { return soc_.memory().write(pa, src, len); }

private:
    Soc& soc_;
};

// The benchmark's guest queue: VINTF 1's LVCMDQ 0 (global VCMDQ 2).
driver::VcmdqPages guest_vcmdq(Soc& soc) { return driver::logical_vcmdq(soc.params().cmdqv_base, 1, 0); }

}  // namespace

Rig::Rig()
{
    declare_all_params(cfg_);
    soc_ = std::make_unique<Soc>("soc", cfg_);
    streams_ = std::make_unique<TranslationStreams>(soc_->memory(), cfg_.u64("mem.dram_base"), kMissPages);
    sc_core::sc_spawn_options opts;
    opts.set_stack_size(1 << 20);
    sc_core::sc_spawn(
        [this] {
            for (;;) {
                if (!job_) {
                    sc_core::wait(job_ev_);
                    continue;
                }
                auto job = std::move(job_);
                job_ = nullptr;
                job();
                sc_core::sc_pause();
            }
        },
        "bench_cpu", &opts);
}

Rig::~Rig() = default;

void Rig::run_job(std::function<void()> fn)
{
    job_ = std::move(fn);
    job_ev_.notify(sc_core::SC_ZERO_TIME);
    sc_core::sc_start();
}

void Rig::setup()
{
    run_job([this] {
        const uint64_t s = soc_->params().smmu_base, c = soc_->params().cmdqv_base;
        const uint64_t dram = cfg_.u64("mem.dram_base");
        smmu_q_ = dram + 0x100000;
        guest_q_ = dram + 0x200000;
        RigBus bus(*soc_);
        driver::smmu_cmdq_enable(bus, s, smmu_q_, kLog2Size);
        // VINTF1, guest-owned, VMID 5; VCMDQ 2 as its LVCMDQ0.
        driver::cmdqv_enable(bus, c);
        driver::vintf_enable(bus, c, 1, false, 5);
        driver::map_lvcmdq(bus, c, 2, 1, 0);
        driver::vcmdq_enable(bus, guest_vcmdq(*soc_), guest_q_, kLog2Size);
        streams_->enable(bus, s);
    });
}

void Rig::burst(Queue q, int n)
{
    RigBus bus(*soc_);
    const bool smmu = q == Queue::SmmuCmdq;
    const uint64_t base = smmu ? smmu_q_ : guest_q_;
    uint32_t& prod = smmu ? smmu_prod_ : guest_prod_;
    const driver::QueueRegs regs = smmu ? driver::smmu_cmdq_regs(soc_->params().smmu_base)
                                        : driver::vcmdq_regs(guest_vcmdq(*soc_));
    const QueueGeometry g{kLog2Size};
    for (int i = 0; i < n;) {
        std::vector<driver::CmdWords> cmds(static_cast<size_t>(std::min(n - i, 128)));
        for (size_t k = 0; k < cmds.size(); k++, i++)
            cmds[k] = {(k % 8 == 7) ? uint64_t(OP_CMD_SYNC) : OP_TLBI_NH_VA | cmdf::TLBI_ASID.put(1),
                       cmdf::TLBI_VA.put(uint64_t(i))};
        prod = driver::write_commands(bus, base, kLog2Size, prod, cmds);
        bus.write(regs.prod, 4, prod);
        while ((bus.read(regs.cons, 4) & g.ptr_mask()) != prod)
            sc_core::wait(soc_->smmu_clock().cycles(64));
    }
}

bool Rig::translate(int n, bool hit, bool nested)
{
    const std::vector<uint64_t>& pages = streams_->pages();
    const DmaStream stream{nested ? TranslationStreams::kNestedSid : TranslationStreams::kStage1Sid};
    bool ok = true;
    // A DMA engine streaming its reads, each issued when the one before
    // completed: what it owes the clock is carried from one to the next
    // and waited once (dma_requester.h), at the end or when a read cannot
    // be taken ahead of the clock.
    // One result reused for every read (no allocation per DMA).
    sc_core::sc_time owed = sc_core::SC_ZERO_TIME;
    DmaTransfer r;
    for (int i = 0; i < n; i++) {
        soc_->dma_requester().dma(stream, pages[hit ? 0 : next_page_], 8, false, nullptr, owed, r);
        ok &= r.ok();
        if (!hit)
            next_page_ = (next_page_ + 1) % pages.size();
    }
    if (owed != sc_core::SC_ZERO_TIME)
        sc_core::wait(owed);
    return ok;
}

WalkCount Rig::walk_count()
{
    auto& s = soc_->smmu().translation().stats();
    return {s.value("translated"), s.value("walks"), s.value("walk_reads")};
}

}  // namespace smmusim::bench
