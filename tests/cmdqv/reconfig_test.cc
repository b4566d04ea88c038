// SPDX-License-Identifier: GPL-2.0-only
// The guest filter's security invariant while the host reconfigures a
// VINTF under guest traffic: no guest command ever executes unfiltered,
// under another VMID, or with a StreamID that no enabled SID pair maps,
// whatever order software writes the registers in (models/cmdqv/README.md,
// "Admission").
//
// A seeded guest keeps two LVCMDQs busy while a seeded host disables and
// re-enables the VINTF (CONFIG = 0, or HYP_OWN / another VMID with EN = 0),
// writes another VMID while it is enabled, aborts a disable before its
// handshake, rewrites SID pairs in either register order, moves LVCMDQ1 to
// another VCMDQ (disable, unmap, map, enable) and resets the whole CMDQV.
// Every command a VCMDQ admits is checked against the registers in force at
// that moment (CMDQV and VINTF enabled, the queue mapped to the VINTF, the
// VINTF's CONFIG.VMID / HYP_OWN, SID_MATCH / SID_REPLACE), and every command
// the shared engine executes must be one that was admitted, unchanged.
#include <cstdio>
#include <map>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "cmdqv/cmdqv.h"
#include "cmdqv_helpers.h"

using namespace smmusim;
using namespace smmusim::cmdqv;
using namespace smmusim::smmuv3;
using namespace smmusim::test;

namespace {

constexpr unsigned kV = 1;         // the guest's VINTF
constexpr unsigned kLog2 = 4;      // 16-entry LVCMDQs
constexpr unsigned kPairs = 4;     // SID pairs the host programs
constexpr uint32_t kVsidBase = 0x10;

// Checks admissions and executions against the registers in force.
class Checker {
public:
    explicit Checker(TestBench& b) : b_(b), c_(b.soc().cmdqv())
    {
        for (unsigned q = 0; q < c_.num_vcmdqs(); q++)
            src_to_q_[c_.vcmdq(q).source()] = q;
        c_.add_admit_observer([this](unsigned q, const Command& cmd) { on_admit(q, cmd); });
        b.smmu().engine().add_observer([this](unsigned src, const Command& cmd) { on_exec(src, cmd); });
    }

    // The guest's ATC_INVs carry a unique address: the vSID it wrote.
    void note_atc(uint64_t addr, uint32_t vsid) { vsid_of_atc_[addr] = vsid; }

    std::vector<std::string> violations;
    uint64_t admitted = 0, executed = 0, atc_executed = 0;
    std::set<uint16_t> vmids_executed;

private:
    uint64_t reg(uint32_t off) const { return c_.bank().get(off); }

    void fail(const std::string& what)
    {
        if (violations.size() < 20)
            violations.push_back(fmt::format("@{} cycles: {}", b_.now(), what));
    }

    void on_admit(unsigned q, const Command& cmd)
    {
        admitted++;
        const uint64_t alloc = reg(cmdq_alloc(q));
        if (!config::EN.get(reg(CONFIG)) || !status::ENABLED.get(reg(STATUS)))
            fail(fmt::format("vcmdq{} admitted {} while the CMDQV is disabled", q, opcode_name(cmd.op)));
        if (!alloc::ALLOCATED.get(alloc) || alloc::VINTF.get(alloc) != kV)
            fail(fmt::format("vcmdq{} admitted {} while not mapped to VINTF{}", q, opcode_name(cmd.op), kV));
        const uint64_t cfg = reg(vintf(kV) + VINTF_CONFIG);
        if (!vintf_config::EN.get(cfg) || !vintf_status::ENABLED.get(reg(vintf(kV) + VINTF_STATUS)))
            fail(fmt::format("vcmdq{} admitted {} while VINTF CONFIG = {:#x} (not enabled)", q, opcode_name(cmd.op),
                             cfg));
        if (!vintf_config::HYP_OWN.get(cfg))
            check_guest(q, cmd, static_cast<uint16_t>(vintf_config::VMID.get(cfg)));
        pending_[{q, cmd.dw0, cmd.dw1}]++;
    }

    void check_guest(unsigned q, const Command& cmd, uint16_t vmid)
    {
        switch (cmd.op) {
        case OP_TLBI_NH_ASID:
        case OP_TLBI_NH_VA:
            if (cmd.vmid != vmid || cmdf::TLBI_VMID.get(cmd.dw0) != vmid)
                fail(fmt::format("vcmdq{} admitted {} with VMID {} while CONFIG.VMID = {}", q, opcode_name(cmd.op),
                                 cmd.vmid, vmid));
            return;
        case OP_ATC_INV: {
            const auto it = vsid_of_atc_.find(cmd.addr);
            if (it == vsid_of_atc_.end()) {
                fail(fmt::format("vcmdq{} admitted an ATC_INV the guest never wrote", q));
                return;
            }
            for (unsigned s = 0; s < c_.sids_per_vintf(); s++) {
                const uint64_t m = reg(vintf(kV) + vintf_sid_match(s));
                if (sid_match::ENABLE.get(m) && sid_match::VIRT_SID.get(m) == it->second) {
                    const uint64_t psid = reg(vintf(kV) + vintf_sid_replace(s));
                    if (cmd.sid != psid || cmdf::ATC_SID.get(cmd.dw0) != psid)
                        fail(fmt::format("ATC_INV vSID {:#x} admitted as SID {:#x}, pair {} maps it to {:#x}",
                                         it->second, cmd.sid, s, psid));
                    return;
                }
            }
            fail(fmt::format("ATC_INV vSID {:#x} admitted with no enabled SID pair (SID {:#x})", it->second, cmd.sid));
            return;
        }
        case OP_CMD_SYNC:
            if (cmd.cs != cmdf::CS_NONE || cmd.msi_addr)
                fail(fmt::format("guest CMD_SYNC admitted with CS = {}", cmd.cs));
            return;
        default: fail(fmt::format("vcmdq{} admitted {} from a guest-owned VINTF", q, opcode_name(cmd.op)));
        }
    }

    void on_exec(unsigned src, const Command& cmd)
    {
        const auto q = src_to_q_.find(src);
        if (q == src_to_q_.end())
            return;  // the SMMU's own queue
        executed++;
        auto it = pending_.find({q->second, cmd.dw0, cmd.dw1});
        if (it == pending_.end() || it->second == 0) {
            fail(fmt::format("vcmdq{} executed {} ({:#x} {:#x}) that it never admitted", q->second,
                             opcode_name(cmd.op), cmd.dw0, cmd.dw1));
            return;
        }
        it->second--;
        if (cmd.op == OP_TLBI_NH_ASID || cmd.op == OP_TLBI_NH_VA)
            vmids_executed.insert(cmd.vmid);
        atc_executed += cmd.op == OP_ATC_INV;
    }

    TestBench& b_;
    Cmdqv& c_;
    std::map<unsigned, unsigned> src_to_q_;
    std::map<uint64_t, uint32_t> vsid_of_atc_;
    std::map<std::tuple<unsigned, uint64_t, uint64_t>, int> pending_;
};

// The guest: keeps both of its LVCMDQs busy with commands it may send
// (TLBI_NH_ASID/VA under any VMID, ATC_INV by vSID, CMD_SYNC with any CS)
// and some it may not, and skips an erroring command as Linux does
// (replaces it with CMD_SYNC, acknowledges GERROR).
class Guest {
public:
    Guest(TestBench& b, Checker& chk, uint64_t seed, const uint64_t* bases) : b_(b), chk_(chk), rng_(seed), bases_(bases) {}

    void run(const bool& stop)
    {
        while (!stop) {
            const unsigned l = static_cast<unsigned>(rng_() % 2);
            step(l);
            b_.wait_cycles(1 + rng_() % 40);
        }
    }
    uint64_t submitted = 0, skipped = 0;

private:
    std::pair<uint64_t, uint64_t> next()
    {
        const unsigned k = static_cast<unsigned>(rng_() % 20);
        const uint64_t any_vmid = cmdf::TLBI_VMID.put(rng_() % 0x10000);
        tag_++;
        if (k < 7)
            return cmd(OP_TLBI_NH_ASID, any_vmid | cmdf::TLBI_ASID.put(tag_ & 0xffff));
        if (k < 10)
            return cmd(OP_TLBI_NH_VA, any_vmid | cmdf::TLBI_ASID.put(tag_ & 0xffff) | cmdf::TLBI_NUM.put(1),
                       cmdf::TLBI_TG.put(1) | cmdf::TLBI_VA.put(tag_));
        if (k < 15) {
            const uint32_t vsid = kVsidBase + static_cast<uint32_t>(rng_() % (kPairs + 1));
            chk_.note_atc(tag_ << 12, vsid);
            return cmd(OP_ATC_INV, cmdf::ATC_SID.put(vsid), cmdf::ATC_ADDR.put(tag_));
        }
        if (k < 18)
            return cmd_sync(rng_() % 3, b_.dram(0x7000), 1);
        return k == 18 ? cmd(OP_TLBI_S12_VMALL, cmdf::TLBI_VMID.put(9)) : cmd(OP_CFGI_STE_RANGE, 0, 31);
    }

    void step(unsigned l)
    {
        const QueueGeometry g{kLog2};
        const uint32_t cons = static_cast<uint32_t>(b_.cmdqv_rd(lvq0(kV, l, VCMDQ_CONS)));
        const uint32_t gerror = static_cast<uint32_t>(b_.cmdqv_rd(lvq0(kV, l, VCMDQ_GERROR)));
        const uint32_t gerrorn = static_cast<uint32_t>(b_.cmdqv_rd(lvq0(kV, l, VCMDQ_GERRORN)));
        if ((gerror ^ gerrorn) & vcmdq_gerror::kMask) {
            if (q::CONS_ERR.get(cons)) {  // skip the bad command: a CMD_SYNC in its place
                const auto s = cmd_sync();
                b_.put_cmd(bases_[l], g.idx(cons & g.ptr_mask()), s.first, s.second);
                skipped++;
            }
            b_.cmdqv_wr(lvq0(kV, l, VCMDQ_GERRORN), gerror);
            return;
        }
        uint32_t prod = static_cast<uint32_t>(b_.cmdqv_rd(lvq0(kV, l, VCMDQ_PROD))) & g.ptr_mask();
        const unsigned n = 1 + static_cast<unsigned>(rng_() % 4);
        unsigned put = 0;
        for (; put < n && !g.full(prod, cons & g.ptr_mask()); put++) {
            const auto c = next();
            b_.put_cmd(bases_[l], g.idx(prod), c.first, c.second);
            prod = g.inc(prod);
        }
        if (put) {
            b_.cmdqv_wr(lvq0(kV, l, VCMDQ_PROD), prod);
            submitted += put;
        }
    }

    TestBench& b_;
    Checker& chk_;
    std::mt19937_64 rng_;
    const uint64_t* bases_;
    uint64_t tag_ = 0;
};

// The host: reconfigures VINTF kV under the guest's traffic.
class Host {
public:
    Host(TestBench& b, uint64_t seed, const uint64_t* bases) : b_(b), rng_(seed ^ 0x9e3779b97f4a7c15ull), bases_(bases) {}

    void bring_up()
    {
        enable_cmdqv(b_);
        vmid_ = 5;
        for (unsigned s = 0; s < kPairs; s++)
            set_pair(s, true, kVsidBase + s, 0x1000 + s);
        enable_vintf(b_, kV, false, vmid_);
        map_lvcmdq(b_, 2, kV, 0);
        map_lvcmdq(b_, lv1_q_, kV, 1);
        enable_lvcmdq(b_, kV, 0, bases_[0], kLog2);
        enable_lvcmdq(b_, kV, 1, bases_[1], kLog2);
    }

    void step()
    {
        switch (rng_() % 9) {
        case 0:
        case 1: b_.wait_cycles(1 + rng_() % 200); break;
        case 8: cmdqv_off_and_on(); break;
        case 2: disable_and_reenable(); break;
        case 3: change_vmid_while_enabled(); break;
        case 4:
        case 5: change_sid_pair(); break;
        case 6: remap_lvcmdq1(); break;
        default: abort_a_disable(); break;
        }
        actions++;
    }
    uint64_t actions = 0, disables = 0, remaps = 0, cmdqv_resets = 0;

private:
    uint32_t cfg_reg() const { return vintf(kV) + VINTF_CONFIG; }

    void set_pair(unsigned s, bool en, uint32_t vsid, uint32_t psid)
    {
        b_.cmdqv_wr(vintf(kV) + vintf_sid_replace(s), psid);
        b_.cmdqv_wr(vintf(kV) + vintf_sid_match(s), sid_match::VIRT_SID.put(vsid) | sid_match::ENABLE.put(en));
    }

    // CONFIG = 0 (Linux), or with HYP_OWN / another VMID while clearing EN;
    // then a new configuration and EN; then the LVCMDQs again.
    void disable_and_reenable()
    {
        const unsigned how = static_cast<unsigned>(rng_() % 3);
        const uint32_t off = how == 0 ? 0 : how == 1 ? static_cast<uint32_t>(vintf_config::HYP_OWN.mask())
                                                     : static_cast<uint32_t>(vintf_config::VMID.put(rng_() % 64));
        b_.cmdqv_wr(cfg_reg(), off);
        b_.wait_cycles(rng_() % 64);
        EXPECT_TRUE(b_.wait_until([&] { return (b_.cmdqv_rd(vintf(kV) + VINTF_STATUS) & 1) == 0; }, 10000));
        vmid_ = static_cast<uint16_t>(1 + rng_() % 100);
        enable_vintf(b_, kV, false, vmid_);
        for (unsigned l = 0; l < 2; l++)
            write_config(b_, lvq0(kV, l, VCMDQ_CONFIG), lvq0(kV, l, VCMDQ_STATUS), 1);
        disables++;
    }

    // The whole CMDQV off (which releases every mapping) and on again, as
    // the driver's reset does: VINTF, mappings and LVCMDQs again.
    void cmdqv_off_and_on()
    {
        b_.cmdqv_wr(CONFIG, 0);
        b_.wait_cycles(rng_() % 64);
        EXPECT_TRUE(b_.wait_until([&] { return (b_.cmdqv_rd(STATUS) & 1) == 0; }, 10000));
        enable_cmdqv(b_);
        vmid_ = static_cast<uint16_t>(1 + rng_() % 100);
        enable_vintf(b_, kV, false, vmid_);
        map_lvcmdq(b_, 2, kV, 0);
        map_lvcmdq(b_, lv1_q_, kV, 1);
        enable_lvcmdq(b_, kV, 0, bases_[0], kLog2);
        enable_lvcmdq(b_, kV, 1, bases_[1], kLog2);
        cmdqv_resets++;
    }

    // EN stays 1, the VMID changes: ignored by the hardware.
    void change_vmid_while_enabled()
    {
        b_.cmdqv_wr(cfg_reg(), vintf_config::VMID.put(vmid_ + 1 + rng_() % 7) | 1);
        EXPECT_EQ(vintf_config::VMID.get(b_.cmdqv_rd(cfg_reg())), vmid_);
    }

    // A disable written and undone before its handshake completes.
    void abort_a_disable()
    {
        b_.cmdqv_wr(cfg_reg(), 0);
        b_.wait_cycles(rng_() % 8);
        b_.cmdqv_wr(cfg_reg(), vintf_config::VMID.put(vmid_) | 1);
        b_.wait_cycles(b_.cfg().get<uint64_t>("cmdqv.enable_cycles") + 2);
        if (!(b_.cmdqv_rd(vintf(kV) + VINTF_STATUS) & 1)) {  // the disable won: bring it back
            enable_vintf(b_, kV, false, vmid_);
            for (unsigned l = 0; l < 2; l++)
                write_config(b_, lvq0(kV, l, VCMDQ_CONFIG), lvq0(kV, l, VCMDQ_STATUS), 1);
        } else {
            for (unsigned l = 0; l < 2; l++)  // queues stopped by the handshake come back
                if (!(b_.cmdqv_rd(lvq0(kV, l, VCMDQ_STATUS)) & 1))
                    write_config(b_, lvq0(kV, l, VCMDQ_CONFIG), lvq0(kV, l, VCMDQ_STATUS), 1);
        }
    }

    // One SID pair rewritten (in either register order) or disabled.
    void change_sid_pair()
    {
        const unsigned s = static_cast<unsigned>(rng_() % kPairs);
        const uint32_t vsid = kVsidBase + static_cast<uint32_t>(rng_() % (kPairs + 1));
        const uint32_t psid = 0x1000 + static_cast<uint32_t>(rng_() % 0x100);
        const bool en = rng_() % 4 != 0;
        if (rng_() % 2) {
            set_pair(s, en, vsid, psid);
        } else {
            b_.cmdqv_wr(vintf(kV) + vintf_sid_match(s), sid_match::VIRT_SID.put(vsid) | sid_match::ENABLE.put(en));
            b_.wait_cycles(rng_() % 8);
            b_.cmdqv_wr(vintf(kV) + vintf_sid_replace(s), psid);
        }
    }

    // LVCMDQ1 moves between global VCMDQs 3 and 4: disable, unmap, map the
    // other, program it (same guest base, empty) and enable. Unmapping a
    // live LVCMDQ0 first is refused.
    void remap_lvcmdq1()
    {
        b_.cmdqv_wr(cmdq_alloc(2), 0);
        EXPECT_TRUE(alloc::ALLOCATED.get(b_.cmdqv_rd(cmdq_alloc(2)))) << "a live LVCMDQ was unmapped";
        write_config(b_, vq0(lv1_q_, VCMDQ_CONFIG), vq0(lv1_q_, VCMDQ_STATUS), 0);
        b_.cmdqv_wr(cmdq_alloc(lv1_q_), 0);
        lv1_q_ = lv1_q_ == 3 ? 4 : 3;
        map_lvcmdq(b_, lv1_q_, kV, 1);
        enable_lvcmdq(b_, kV, 1, bases_[1], kLog2);
        remaps++;
    }

    TestBench& b_;
    std::mt19937_64 rng_;
    const uint64_t* bases_;
    uint16_t vmid_ = 5;
    unsigned lv1_q_ = 3;
};

void run_seed(uint64_t seed, const std::vector<std::string>& sets, unsigned steps)
{
    TestBench b(sets);
    Checker chk(b);
    const uint64_t bases[2] = {b.dram(0x400000), b.dram(0x401000)};
    Guest guest(b, chk, seed, bases);
    Host host(b, seed, bases);
    bool stop = false, guest_done = false;
    b.run(
        [&] {
            host.bring_up();
            sc_core::sc_spawn_options opts;
            opts.set_stack_size(TestBench::kStackBytes);
            sc_core::sc_spawn(
                [&] {
                    guest.run(stop);
                    guest_done = true;
                },
                "guest", &opts);
            for (unsigned i = 0; i < steps; i++)
                host.step();
            stop = true;
            b.wait_until([&] { return guest_done; }, 100000);
            b.wait_cycles(20000);
        },
        sc_core::sc_time(10, sc_core::SC_SEC));
    ASSERT_TRUE(b.finished());
    for (const std::string& v : chk.violations)
        ADD_FAILURE() << v;
    EXPECT_TRUE(chk.violations.empty());
    // The run exercised what it claims to.
    EXPECT_EQ(host.actions, steps);
    EXPECT_GT(host.disables, steps / 16);
    EXPECT_GT(host.remaps, steps / 16);
    EXPECT_GT(host.cmdqv_resets, steps / 16);
    EXPECT_GT(chk.admitted, steps / 2);
    EXPECT_GT(chk.executed, steps / 2);
    EXPECT_GT(chk.atc_executed, 0u);
    EXPECT_GT(chk.vmids_executed.size(), 10u);
    EXPECT_GT(guest.skipped, 0u);
    std::printf("seed %llu: %llu guest commands, %llu admitted, %llu executed, %zu VMIDs, %llu host actions\n",
                static_cast<unsigned long long>(seed), static_cast<unsigned long long>(guest.submitted),
                static_cast<unsigned long long>(chk.admitted), static_cast<unsigned long long>(chk.executed),
                chk.vmids_executed.size(), static_cast<unsigned long long>(host.actions));
}

}  // namespace

// One process per seed (SystemC cannot restart a simulation in a process).
TEST(CmdqvReconfig, Seed1) { run_seed(1, {}, 5000); }
TEST(CmdqvReconfig, Seed2) { run_seed(2, {}, 5000); }
TEST(CmdqvReconfig, Seed3SlowHandshake) { run_seed(3, {"cmdqv.enable_cycles=300"}, 5000); }
TEST(CmdqvReconfig, Seed4SlowHandshake) { run_seed(4, {"cmdqv.enable_cycles=300", "cmdqv.filter_cycles=20"}, 5000); }
TEST(CmdqvReconfig, Seed5SlowEngine) { run_seed(5, {"cmdqv.enable_cycles=100", "smmu.exec.tlbi_asid_cycles=200"}, 5000); }

// R04a/R04b as a unit test: the host disables the guest's VINTF (Linux
// writes 0; here also with HYP_OWN or another VMID) while its queue holds
// commands. Nothing is admitted after the write; what was admitted before
// executes under the old VMID; the guest's TLBI_S12_VMALL never executes.
namespace {
void disable_under_traffic(uint32_t write)
{
    // The handshake takes long enough for the queue to fetch and decode its
    // next batch in between (the window R04a/R04b found).
    TestBench b({"smmu.exec.tlbi_asid_cycles=100", "cmdqv.enable_cycles=1000"});
    std::vector<std::pair<Command, uint64_t>> admitted, executed;
    b.soc().cmdqv().add_admit_observer([&](unsigned, const Command& c) { admitted.push_back({c, b.now()}); });
    b.smmu().engine().add_observer([&](unsigned, const Command& c) { executed.push_back({c, b.now()}); });
    uint64_t written_at = 0;
    b.run([&] {
        const uint64_t base = b.dram(0x300000);
        enable_cmdqv(b);
        enable_vintf(b, 1, false, 5);
        map_lvcmdq(b, 2, 1, 0);
        enable_lvcmdq(b, 1, 0, base, 8);
        std::vector<std::pair<uint64_t, uint64_t>> cmds;
        for (uint64_t a = 0; a < 8; a++)
            cmds.push_back(cmd(OP_TLBI_NH_ASID, cmdf::TLBI_ASID.put(a) | cmdf::TLBI_VMID.put(9)));
        cmds.insert(cmds.begin() + 4, cmd(OP_TLBI_S12_VMALL, cmdf::TLBI_VMID.put(9)));
        submit_lvcmdq(b, 1, 0, base, 8, cmds);
        b.wait_cycles(300);
        b.cmdqv_wr(vintf(1) + VINTF_CONFIG, write);
        written_at = b.now();
        b.wait_cycles(3000);
        // The queue stopped with no error, CONS past what executed: the
        // rest (the TLBI_S12_VMALL included) waits in the queue.
        EXPECT_EQ(b.cmdqv_rd(vq0(2, VCMDQ_GERROR)), 0u);
        EXPECT_EQ(b.cmdqv_rd(vq0(2, VCMDQ_STATUS)), 0u);
        EXPECT_EQ(b.cmdqv_rd(vq0(2, VCMDQ_CONS)), executed.size());
    });
    ASSERT_TRUE(b.finished());
    ASSERT_FALSE(executed.empty());
    ASSERT_LE(admitted.size(), 4u) << "the write should come while the queue still holds TLBIs";
    // Admitted before the write; the handshake may stop the queue before
    // the last of them runs (a disabled queue starts no new command).
    EXPECT_LE(executed.size(), admitted.size());
    for (const auto& [c, t] : admitted)
        EXPECT_LT(t, written_at) << opcode_name(c.op) << " admitted after the CONFIG write";
    for (const auto& [c, t] : executed) {
        EXPECT_EQ(c.op, OP_TLBI_NH_ASID);
        EXPECT_EQ(c.vmid, 5) << "a guest TLBI ran under another VMID";
    }
}
}  // namespace

TEST(CmdqvReconfig, DisableWriteOfZeroStopsAdmissionAtOnce) { disable_under_traffic(0); }
TEST(CmdqvReconfig, DisableWriteWithHypOwnAdmitsNothingUnfiltered)
{
    disable_under_traffic(static_cast<uint32_t>(vintf_config::HYP_OWN.mask()));
}
TEST(CmdqvReconfig, DisableWriteWithAnotherVmidAdmitsNothingUnderIt)
{
    disable_under_traffic(static_cast<uint32_t>(vintf_config::VMID.put(9)));
}
