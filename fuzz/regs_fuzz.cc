// SPDX-License-Identifier: GPL-2.0-only
// Fuzz target: the SMMU's and the CMDQV's register interfaces. The input is a
// program for a CPU: MMIO reads and writes of any width, offset and value to
// both register spaces (by register or by raw offset, VCMDQs through their
// global and their VINTF pages), commands placed in queue memory with a PROD
// doorbell, queue bring-ups, memory writes and waits. The models must not
// crash, hang, throw or trip a sanitizer, and these architectural invariants
// must hold:
//
//   - the ID registers (SMMU IDR0-5, IIDR, AIDR, CMDQV PARAM) read their
//     reset values whatever was written;
//   - a command queue never consumes past PROD: each CONS update moves CONS
//     forward by at most PROD - CONS, whenever software kept the queue
//     consistent (since the queue was last enabled, PROD only moved forward
//     and never more than the queue size ahead of CONS);
//   - once a queue's disable is acknowledged (CR0ACK.CMDQEN, VCMDQ STATUS),
//     the hardware leaves its CONS alone: it is software's to initialise
//     (the SMMU CMDQ has one known exception, see QueueCheck);
//   - every enable handshake completes when software disables: CR0ACK,
//     IRQ_CTRLACK, the CMDQV STATUS, every VINTF and VCMDQ STATUS read 0
//     within a bounded time, and the bits software can write read back the
//     reset value once written with it.
//
// One simulation for the whole process: SystemC cannot elaborate a second
// platform nor restart after sc_stop, so one Soc is built on the first input
// and each input runs, in simulated time, on a CPU thread that lives as long
// as the process. Every input ends with what a driver does to reset the
// hardware (disable everything, wait for the acknowledgements, acknowledge
// errors, write every register back to its reset value, zero DRAM), checked
// as above, so each input starts from the architected reset state. State
// that no register shows (statistics, the engine's round-robin position)
// carries over; if a crash does not reproduce from its input alone, replay
// the inputs run before it in the same process.
#include <sys/mman.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <systemc>

#include "cmdqv/cmdqv.h"
#include "driver/sequences.h"
#include "smmuv3/cmdq.h"
#include "smmuv3/queue.h"
#include "soc.h"

namespace {

using namespace smmusim;
namespace sm = smmusim::smmuv3;
namespace cq = smmusim::cmdqv;

[[noreturn]] void violated(const std::string& what)
{
    fmt::print(stderr, "regs_fuzz: invariant violated at {}: {}\n", sc_core::sc_time_stamp().to_string(), what);
    fflush(stderr);
    abort();
}

// The input, read front to back; zeros once exhausted.
class Input {
public:
    Input(const uint8_t* p, size_t n) : p_(p), n_(n) {}
    bool empty() const { return n_ == 0; }
    uint64_t take(unsigned bytes)
    {
        uint64_t v = 0;
        for (unsigned i = 0; i < bytes && n_; i++, n_--)
            v |= uint64_t(*p_++) << (8 * i);
        return v;
    }
    uint8_t u8() { return static_cast<uint8_t>(take(1)); }
    uint16_t u16() { return static_cast<uint16_t>(take(2)); }
    uint32_t u32() { return static_cast<uint32_t>(take(4)); }
    uint64_t u64() { return take(8); }

private:
    const uint8_t* p_;
    size_t n_;
};

// A register as the CPU reaches it.
struct Target {
    uint64_t addr;
    unsigned width;
};

// What the "CONS never passes PROD" check knows of one command queue.
struct QueueCheck {
    std::string name;
    CommandQueueConsumer* consumer;
    uint32_t prod = 0, cons = 0;
    bool enabled = false;
    bool consistent = true;
};

constexpr unsigned kMaxOps = 1024;
constexpr uint64_t kPollReads = 20000;       // the reset's handshakes: 1.28 M cycles
constexpr uint64_t kBringUpReads = 32;       // a bring-up's (which may be refused)
constexpr uint64_t kQueueArena = 0x100000;   // DRAM + 1 MiB: queues brought up by the fuzzer
constexpr uint64_t kQueueStride = 0x20000;   // 128 KiB each (up to 2^13 commands)
constexpr uint64_t kDataArena = 0x800000;    // DRAM + 8 MiB: memory writes
constexpr uint64_t kDramBytes = 16ull << 20;

class RegsFuzzer {
public:
    RegsFuzzer()
    {
        declare_all_params(cfg_);
        // Few VINTFs and VCMDQs, so mappings and errors meet often; 16 MiB DRAM.
        for (const char* s : {"cmdqv.vintfs_log2=2", "cmdqv.vcmdqs_log2=3", "mem.dram_size=0x1000000"})
            cfg_.set_assignment(s, "regs_fuzz");
        validate_config(cfg_);
        soc_ = std::make_unique<Soc>("soc", cfg_);
        smmu_base_ = soc_->params().smmu_base;
        cmdqv_base_ = soc_->params().cmdqv_base;
        dram_ = cfg_.u64("mem.dram_base");
        build_targets();
        watch_queues();
        sc_core::sc_spawn_options opts;
        opts.set_stack_size(1 << 20);
        cpu_ = sc_core::sc_spawn([this] { cpu(); }, "fuzz_cpu", &opts);
        // Read the ID registers' values and put the hardware in its reset
        // state once, as every input leaves it.
        run(nullptr, 0);
    }

    void run(const uint8_t* data, size_t size)
    {
        input_ = Input(data, size);
        done_ = false;
        work_ = true;
        go_.notify(sc_core::SC_ZERO_TIME);
        const sc_core::sc_time start = sc_core::sc_time_stamp();
        const sc_core::sc_time step = soc_->smmu_clock().cycles(1 << 20);
        // Every op waits at most 2^17 cycles and the reset polls a bounded
        // number of times: far below this, unless something never completes.
        const sc_core::sc_time limit = soc_->smmu_clock().cycles(uint64_t(1) << 36);
        while (!done_) {
            sc_core::sc_start(step);
            if (!done_ && !sc_core::sc_pending_activity())
                violated("the CPU thread waits for something that will never happen");
            if (!done_ && sc_core::sc_time_stamp() - start > limit)
                violated("an input ran for 2^36 cycles");
        }
    }

private:
    bool on_cpu() const { return sc_core::sc_get_current_process_handle() == cpu_; }

    // --- the register map as the fuzzer picks from it ------------------------
    void build_targets()
    {
        for (const RegSpec& r : soc_->smmu().bank().specs())
            targets_.push_back({smmu_base_ + r.offset, r.width});
        Cmdqv& c = soc_->cmdqv();
        for (const RegSpec& r : c.bank().specs())
            targets_.push_back({cmdqv_base_ + r.offset, r.width});
        for (unsigned q = 0; q < c.num_vcmdqs(); q++)
            for (const RegSpec& r : c.vcmdq(q).bank().specs())
                targets_.push_back({vcmdq_reg(q, r.offset), r.width});
        for (unsigned v = 0; v < c.num_vintfs(); v++)
            for (unsigned l = 0; l < c.lvcmdqs_per_vintf(); l++)
                for (const RegSpec& r : c.vcmdq(0).bank().specs())
                    targets_.push_back({lvcmdq_reg(v, l, r.offset), r.width});
        for (uint32_t off : {sm::IDR0, sm::IDR1, sm::IDR2, sm::IDR3, sm::IDR4, sm::IDR5, sm::IIDR, sm::AIDR})
            id_regs_.push_back({smmu_base_ + off, soc_->smmu().bank().get(off)});
        id_regs_.push_back({cmdqv_base_ + cq::PARAM, c.bank().get(cq::PARAM)});
    }
    // A VCMDQ register by its offset in the queue's bank (Vcmdq::bank()).
    uint64_t vcmdq_reg(unsigned q, uint32_t bank_off) const
    {
        return cmdqv_base_ + cq::vcmdq_page(Vcmdq::bank_page(bank_off), q) + Vcmdq::bank_reg(bank_off);
    }
    uint64_t lvcmdq_reg(unsigned v, unsigned l, uint32_t bank_off) const
    {
        return cmdqv_base_ + cq::lvcmdq_page(Vcmdq::bank_page(bank_off), v, l) + Vcmdq::bank_reg(bank_off);
    }

    // --- invariant: CONS never passes PROD ---------------------------------
    void watch_queues()
    {
        checks_.push_back(std::make_unique<QueueCheck>(QueueCheck{"smmu.cmdq", &soc_->smmu().cmdq(), true}));
        QueueCheck* s = checks_.back().get();
        soc_->smmu().bank().add_change_observer([this, s](uint32_t off, uint64_t v) {
            if (off == sm::CMDQ_PROD)
                prod_changed(*s, static_cast<uint32_t>(v));
            else if (off == sm::CMDQ_CONS)
                cons_changed(*s, static_cast<uint32_t>(v));
            else if (off == sm::CMDQ_BASE)
                s->consistent = false;  // a new geometry: judged again at the next enable
            else if (off == sm::CR0ACK)
                enable_changed(*s, sm::cr0::CMDQEN.get(v));
        });
        Cmdqv& c = soc_->cmdqv();
        for (unsigned q = 0; q < c.num_vcmdqs(); q++) {
            checks_.push_back(std::make_unique<QueueCheck>(QueueCheck{fmt::format("vcmdq{}", q), &c.vcmdq(q)}));
            QueueCheck* k = checks_.back().get();
            c.vcmdq(q).bank().add_change_observer([this, k](uint32_t off, uint64_t v) {
                if (off == cq::VCMDQ_PROD)
                    prod_changed(*k, static_cast<uint32_t>(v));
                else if (off == cq::VCMDQ_CONS)
                    cons_changed(*k, static_cast<uint32_t>(v));
                else if (off == Vcmdq::bank_offset(1, cq::VCMDQ_BASE))
                    k->consistent = false;
                else if (off == cq::VCMDQ_STATUS)
                    enable_changed(*k, cq::vcmdq_status::ENABLED.get(v));
            });
        }
    }
    static uint32_t occupancy(const sm::QueueGeometry& g, uint32_t prod, uint32_t cons)
    {
        return (prod - cons) & g.ptr_mask();
    }
    void prod_changed(QueueCheck& q, uint32_t v)
    {
        const sm::QueueGeometry g = q.consumer->geometry();
        const uint32_t before = occupancy(g, q.prod, q.cons), after = occupancy(g, v, q.cons);
        if (after < before || after > g.entries())
            q.consistent = false;  // PROD moved back, or more than a queue ahead of CONS
        q.prod = v;
    }
    void cons_changed(QueueCheck& q, uint32_t v)
    {
        const sm::QueueGeometry g = q.consumer->geometry();
        if (on_cpu()) {
            q.consistent = false;  // software initialising a disabled queue
        } else if (!q.enabled) {
            violated(fmt::format("{}: CONS moved from {:#x} to {:#x} after the queue's disable was acknowledged",
                                 q.name, q.cons, v));
        } else if (q.consistent) {
            const uint32_t avail = occupancy(g, q.prod, q.cons), moved = occupancy(g, v, q.cons);
            if (moved > avail)
                violated(fmt::format("{}: CONS moved from {:#x} to {:#x}, past PROD {:#x} (log2size {})", q.name,
                                     q.cons, v, q.prod, g.log2size));
        }
        q.cons = v;
    }
    void enable_changed(QueueCheck& q, bool en)
    {
        if (en == q.enabled)
            return;  // another bit of CR0ACK changed
        if (en) {
            const sm::QueueGeometry g = q.consumer->geometry();
            q.consistent = occupancy(g, q.prod, q.cons) <= g.entries();
        }
        q.enabled = en;
    }

    // --- the CPU ----------------------------------------------------------
    uint64_t rd(uint64_t addr, unsigned size)
    {
        uint64_t v = 0;
        const bool ok = soc_->mmio_read(addr, size, v);
        if (verbose_)
            fmt::print(stderr, "{:>12} read{} {:#x} -> {:#x}{}\n", soc_->smmu_clock().now(), size * 8, addr, v,
                       ok ? "" : " (bus error)");
        if (ok && size == 4)
            for (const auto& [a, want] : id_regs_)
                if (a == addr && v != want)
                    violated(fmt::format("ID register at {:#x} reads {:#x}, not {:#x}", addr, v, want));
        return v;
    }
    void wr(uint64_t addr, unsigned size, uint64_t v)
    {
        const bool ok = soc_->mmio_write(addr, size, v);
        if (verbose_)
            fmt::print(stderr, "{:>12} write{} {:#x} {:#x}{}\n", soc_->smmu_clock().now(), size * 8, addr, v,
                       ok ? "" : " (bus error)");
    }
    bool poll(uint64_t addr, uint64_t mask, uint64_t want, uint64_t reads = kPollReads)
    {
        for (uint64_t i = 0; i < reads; i++) {
            if ((rd(addr, 4) & mask) == want)
                return true;
            sc_core::wait(soc_->smmu_clock().cycles(64));
        }
        return false;
    }
    void wait_cycles(uint64_t n) { sc_core::wait(soc_->smmu_clock().cycles(n)); }
    // The bus the driver sequences (bring-ups, enqueues) use: the CPU's accesses
    // above, polls of at most kBringUpReads reads (a bring-up may be refused).
    class SequenceBus : public driver::MmioBus {
    public:
        explicit SequenceBus(RegsFuzzer& f) : f_(f) {}
        uint64_t read(uint64_t addr, unsigned size) override { return f_.rd(addr, size); }
        void write(uint64_t addr, unsigned size, uint64_t value) override { f_.wr(addr, size, value); }
        bool poll(uint64_t addr, uint64_t mask, uint64_t want) override
        {
            return f_.poll(addr, mask, want, kBringUpReads);
        }
        bool store(uint64_t pa, const void* src, size_t len) override
        {
            return f_.soc_->memory().write(pa, src, len);
        }

    private:
        RegsFuzzer& f_;
    };

    void cpu()
    {
        for (;;) {
            while (!work_)
                sc_core::wait(go_);
            work_ = false;
            if (verbose_)
                fmt::print(stderr, "--- the input's program\n");
            program();
            if (verbose_)
                fmt::print(stderr, "--- the reset\n");
            reset_hardware();
            done_ = true;
        }
    }

    void program()
    {
        Cmdqv& c = soc_->cmdqv();
        for (unsigned n = 0; n < kMaxOps && !input_.empty(); n++) {
            const uint8_t op = input_.u8();
            switch (op % 12) {
            case 0:    // write a register
            case 1: {  // read a register
                const Target& t = targets_[input_.u16() % targets_.size()];
                const bool half = t.width == 8 && (input_.u8() & 1);
                const uint64_t addr = t.addr + (half ? 4 * (input_.u8() & 1) : 0);
                const unsigned size = half ? 4 : t.width;
                if (op % 12 == 0)
                    wr(addr, size, input_.u64());
                else
                    rd(addr, size);
                break;
            }
            case 2:    // raw write anywhere in either space, any size
            case 3: {  // raw read
                const bool smmu = input_.u8() & 1;
                const uint64_t space = smmu ? sm::kRegSpaceSize : c.size();
                const uint64_t addr = (smmu ? smmu_base_ : cmdqv_base_) + input_.u32() % space;
                const unsigned size = 1 + input_.u8() % 8;
                if (op % 12 == 2)
                    wr(addr, size, input_.u64());
                else
                    rd(addr, size);
                break;
            }
            case 4: wait_cycles(1 + (uint64_t(1) << (input_.u8() % 18)) + input_.u8()); break;
            case 5: enqueue(); break;
            case 6: bring_up(); break;
            case 7: {  // memory: queue contents, CONS_INDX_BASE and MSI targets
                const uint64_t pa = dram_ + kQueueArena + (input_.u32() % (kDataArena + 0x10000 - kQueueArena) & ~7u);
                const uint64_t v = input_.u64();
                soc_->memory().write(pa, &v, 8);
                break;
            }
            case 8: {  // acknowledge errors, as an error handler does
                if (input_.u8() & 1) {
                    wr(smmu_base_ + sm::GERRORN, 4, rd(smmu_base_ + sm::GERROR, 4));
                } else {
                    const unsigned q = input_.u8() % c.num_vcmdqs();
                    wr(vcmdq_reg(q, cq::VCMDQ_GERRORN), 4, rd(vcmdq_reg(q, cq::VCMDQ_GERROR), 4));
                }
                break;
            }
            case 9: {  // map a VCMDQ to a VINTF
                const unsigned q = input_.u8() % c.num_vcmdqs();
                wr(cmdqv_base_ + cq::cmdq_alloc(q), 4,
                   cq::alloc::VINTF.put(input_.u8() % c.num_vintfs()) |
                       cq::alloc::LVCMDQ.put(input_.u8() % c.lvcmdqs_per_vintf()) | (input_.u8() & 1));
                break;
            }
            case 10: {  // a VINTF's or the CMDQV's enable
                const uint8_t b = input_.u8();
                if (b & 0x80)
                    wr(cmdqv_base_ + cq::CONFIG, 4, b & 1);
                else
                    wr(cmdqv_base_ + cq::vintf(b % c.num_vintfs()) + cq::VINTF_CONFIG, 4,
                       cq::vintf_config::HYP_OWN.put(b >> 6) | cq::vintf_config::VMID.put(input_.u16()) | (b >> 5 & 1));
                break;
            }
            case 11: {  // CR0 / IRQ_CTRL
                const uint8_t b = input_.u8();
                wr(smmu_base_ + (b & 0x80 ? sm::IRQ_CTRL : sm::CR0), 4, b & 0x1f);
                break;
            }
            }
        }
    }

    // The queue's register addresses: 0 is the SMMU CMDQ, 1.. VCMDQ q-1.
    struct QueueRegs {
        uint64_t prod, cons, base;
    };
    QueueRegs queue_regs(unsigned which) const
    {
        if (which == 0)
            return {smmu_base_ + sm::CMDQ_PROD, smmu_base_ + sm::CMDQ_CONS, smmu_base_ + sm::CMDQ_BASE};
        const unsigned q = which - 1;
        return {vcmdq_reg(q, cq::VCMDQ_PROD), vcmdq_reg(q, cq::VCMDQ_CONS), vcmdq_reg(q, Vcmdq::bank_offset(1, cq::VCMDQ_BASE))};
    }

    // Writes N commands at the queue's PROD (in the memory its BASE names)
    // and rings the doorbell, as a driver does, without checking for room.
    void enqueue()
    {
        static const uint8_t ops[] = {sm::OP_PREFETCH_CONFIG, sm::OP_CFGI_STE, sm::OP_CFGI_STE_RANGE, sm::OP_CFGI_CD,
                                      sm::OP_CFGI_CD_ALL, sm::OP_TLBI_NH_ALL, sm::OP_TLBI_NH_ASID, sm::OP_TLBI_NH_VA,
                                      sm::OP_TLBI_EL2_ALL, sm::OP_TLBI_S12_VMALL, sm::OP_TLBI_S2_IPA,
                                      sm::OP_TLBI_NSNH_ALL, sm::OP_ATC_INV, sm::OP_CMD_SYNC};
        const unsigned which = input_.u8() % (1 + soc_->cmdqv().num_vcmdqs());
        const QueueRegs r = queue_regs(which);
        const uint64_t base_reg = rd(r.base, 8);
        const unsigned log2 = static_cast<unsigned>(std::min<uint64_t>(base_reg & 0x1f, soc_->smmu().params().cmdqs));
        const sm::QueueGeometry g{log2};
        const uint64_t base = base_reg & sm::q::ADDR.mask();
        const uint32_t prod = static_cast<uint32_t>(rd(r.prod, 4)) & g.ptr_mask();
        std::vector<driver::CmdWords> cmds(1 + input_.u8() % 16);
        for (driver::CmdWords& cmd : cmds) {
            const uint8_t sel = input_.u8();
            cmd.first = input_.u64();
            cmd.second = input_.u64();
            if (sel < 224) {  // mostly valid opcodes, sometimes anything
                cmd.first = (cmd.first & ~0xffull) | ops[sel % sizeof(ops)];
                cmd.first &= ~(sel & 1 ? 0ull : 0xffffffff00000000ull);  // some with quiet upper halves
            }
        }
        SequenceBus bus(*this);
        wr(r.prod, 4, driver::write_commands(bus, base, log2, prod, cmds));
    }

    // Brings a queue up at a sane base: the SMMU CMDQ, or a VCMDQ mapped to
    // a VINTF with the CMDQV and the VINTF enabled first.
    void bring_up()
    {
        Cmdqv& c = soc_->cmdqv();
        const unsigned which = input_.u8() % (1 + c.num_vcmdqs());
        const unsigned log2 = input_.u8() % 14;
        const uint64_t base = dram_ + kQueueArena + kQueueStride * which;
        SequenceBus bus(*this);
        if (which == 0) {
            driver::smmu_cmdq_enable(bus, smmu_base_, base, log2);
            return;
        }
        const unsigned q = which - 1;
        const uint8_t b = input_.u8();
        const unsigned v = b % c.num_vintfs();
        driver::cmdqv_enable(bus, cmdqv_base_);
        driver::vintf_enable(bus, cmdqv_base_, v, b >> 7, b >> 2 & 0xf);
        if (!cq::alloc::ALLOCATED.get(rd(cmdqv_base_ + cq::cmdq_alloc(q), 4))) {
            unsigned l = 0;
            while (l < c.lvcmdqs_per_vintf() && c.lvcmdq(v, l) >= 0)
                l++;
            driver::map_lvcmdq(bus, cmdqv_base_, q, v, l);
        }
        driver::vcmdq_enable(bus, driver::global_vcmdq(cmdqv_base_, q), base, log2,
                             static_cast<uint32_t>(cq::vcmdq_config::MAX_CMD_BATCH.put(input_.u8())));
    }

    // --- the reset every input ends with -----------------------------------
    void expect_reads(uint64_t addr, uint64_t mask, uint64_t want, const char* what)
    {
        if (!poll(addr, mask, want))
            violated(fmt::format("{} (register {:#x}) never read {:#x} (reads {:#x})", what, addr, want,
                                 rd(addr, 4) & mask));
    }

    void reset_hardware()
    {
        Cmdqv& c = soc_->cmdqv();
        Smmuv3& s = soc_->smmu();
        // Disable: the CMDQV (which stops every VINTF and VCMDQ and releases
        // the mappings), the SMMU's queues and interrupts.
        wr(cmdqv_base_ + cq::CONFIG, 4, 0);
        expect_reads(cmdqv_base_ + cq::STATUS, 1, 0, "CMDQV STATUS.ENABLED after CONFIG.EN = 0");
        for (unsigned q = 0; q < c.num_vcmdqs(); q++) {
            wr(vcmdq_reg(q, cq::VCMDQ_CONFIG), 4, 0);
            expect_reads(vcmdq_reg(q, cq::VCMDQ_STATUS), 1, 0, "VCMDQ STATUS.ENABLED after the CMDQV is off");
        }
        wr(smmu_base_ + sm::CR0, 4, 0);
        expect_reads(smmu_base_ + sm::CR0ACK, ~0ull, 0, "CR0ACK after CR0 = 0");
        wr(smmu_base_ + sm::IRQ_CTRL, 4, 0);
        expect_reads(smmu_base_ + sm::IRQ_CTRLACK, ~0ull, 0, "IRQ_CTRLACK after IRQ_CTRL = 0");
        // Let what is in flight finish (a command, MSIs): then nothing runs.
        wait_cycles(1 << 14);
        // GBPA takes an update handshake.
        expect_reads(smmu_base_ + sm::GBPA, sm::gbpa::UPDATE.mask(), 0, "GBPA.UPDATE");
        const uint64_t gbpa_reset = s.bank().find(sm::GBPA)->reset;
        wr(smmu_base_ + sm::GBPA, 4, gbpa_reset | sm::gbpa::UPDATE.mask());
        expect_reads(smmu_base_ + sm::GBPA, sm::gbpa::UPDATE.mask(), 0, "GBPA.UPDATE");
        // Mappings made while the CMDQV was off survive its disable: unmap
        // them as a driver does, highest LVCMDQ first.
        std::vector<std::pair<unsigned, unsigned>> mapped;  // LVCMDQ, VCMDQ
        for (unsigned q = 0; q < c.num_vcmdqs(); q++) {
            const uint64_t a = rd(cmdqv_base_ + cq::cmdq_alloc(q), 4);
            if (cq::alloc::ALLOCATED.get(a))
                mapped.emplace_back(static_cast<unsigned>(cq::alloc::LVCMDQ.get(a)), q);
        }
        std::sort(mapped.rbegin(), mapped.rend());
        for (const auto& [l, q] : mapped)
            wr(cmdqv_base_ + cq::cmdq_alloc(q), 4, 0);
        // Every other register software can write, back to its reset value;
        // error acknowledgements last.
        auto restore = [&](uint64_t addr, const RegSpec& r) {
            if (r.wmask && r.offset != sm::GBPA)
                wr(addr, r.width, r.reset);
        };
        for (const RegSpec& r : s.bank().specs())
            if (r.offset != sm::GERRORN)
                restore(smmu_base_ + r.offset, r);
        for (const RegSpec& r : c.bank().specs())
            restore(cmdqv_base_ + r.offset, r);
        for (unsigned q = 0; q < c.num_vcmdqs(); q++)
            for (const RegSpec& r : c.vcmdq(q).bank().specs())
                if (r.offset != cq::VCMDQ_GERRORN)
                    restore(vcmdq_reg(q, r.offset), r);
        wait_cycles(2 * (c.params().enable_cycles + s.params().cr0ack_cycles) + 64);
        wr(smmu_base_ + sm::GERRORN, 4, rd(smmu_base_ + sm::GERROR, 4));
        for (unsigned q = 0; q < c.num_vcmdqs(); q++)
            wr(vcmdq_reg(q, cq::VCMDQ_GERRORN), 4, rd(vcmdq_reg(q, cq::VCMDQ_GERROR), 4));

        // Check: nothing enabled, every writable register at its reset value.
        for (unsigned v = 0; v < c.num_vintfs(); v++)
            expect_reads(cmdqv_base_ + cq::vintf(v) + cq::VINTF_STATUS, ~0ull, 0, "VINTF STATUS after the reset");
        auto check = [&](uint64_t addr, const RegSpec& r, const char* bank) {
            if (!r.wmask || r.offset == sm::GERRORN)
                return;
            const uint64_t v = rd(addr, r.width);
            if ((v ^ r.reset) & r.wmask)
                violated(fmt::format("{} {} reads {:#x} after being written with its reset value {:#x} (writable "
                                     "bits {:#x})", bank, r.name, v, r.reset, r.wmask));
        };
        for (const RegSpec& r : s.bank().specs())
            check(smmu_base_ + r.offset, r, "SMMU");
        for (const RegSpec& r : c.bank().specs())
            check(cmdqv_base_ + r.offset, r, "CMDQV");
        for (unsigned q = 0; q < c.num_vcmdqs(); q++)
            for (const RegSpec& r : c.vcmdq(q).bank().specs())
                if (r.offset != cq::VCMDQ_GERRORN)
                    check(vcmdq_reg(q, r.offset), r, "VCMDQ");
        for (const auto& [a, want] : id_regs_)
            rd(a, 4);
        // DRAM back to zeros (the host pages are dropped, not written).
        if (uint8_t* host = soc_->memory().host_ptr(dram_, kDramBytes))
            madvise(host, kDramBytes, MADV_DONTNEED);
    }

    Config cfg_;
    std::unique_ptr<Soc> soc_;
    uint64_t smmu_base_ = 0, cmdqv_base_ = 0, dram_ = 0;
    std::vector<Target> targets_;
    std::vector<std::pair<uint64_t, uint64_t>> id_regs_;  // address, value
    std::vector<std::unique_ptr<QueueCheck>> checks_;
    sc_core::sc_process_handle cpu_;
    sc_core::sc_event go_;
    Input input_{nullptr, 0};
    // REGS_FUZZ_VERBOSE=1: every MMIO access on stderr (to triage a crasher).
    const bool verbose_ = getenv("REGS_FUZZ_VERBOSE") != nullptr;
    bool work_ = false;  // an input is waiting for the CPU
    bool done_ = true;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static RegsFuzzer* fuzzer = new RegsFuzzer;  // lives as long as the simulation
    try {
        fuzzer->run(data, size);
    } catch (const std::exception& e) {
        fmt::print(stderr, "regs_fuzz: the simulation threw: {}\n", e.what());
        abort();
    }
    return 0;
}
