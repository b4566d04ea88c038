// SPDX-License-Identifier: GPL-2.0-only
// cmdqv.vcmdq.sev: which CONS advances of a VCMDQ send the SMMU's WFE
// wake-up event (SEV; IHI 0070 §6.3.1 SMMU_IDR0.SEV). `sync` (the
// default) sends it when a CMD_SYNC completes, whatever its CS, where
// §4.7.3 puts the SMMU CMDQ's (CS=SIG_SEV); `cons` on every CONS advance;
// `none` on nothing else. A queue going from full to not full sends one
// whatever the value (§4.1.2, the Command queue becoming non-full).
// models/cmdqv/README.md, "Wake-up events".
#define SC_INCLUDE_DYNAMIC_PROCESSES  // sc_spawn
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "cmdqv/cmdqv.h"
#include "cmdqv/cmdqv_params.h"
#include "cmdqv_helpers.h"
#include "support/in_child.h"

using namespace smmusim;
using namespace smmusim::smmuv3;
using namespace smmusim::test;

namespace {

// Commands as (dw0, dw1), in queue order.
using Cmds = std::vector<std::pair<uint64_t, uint64_t>>;

// sevs() in this process (the log says if the queue did not drain).
std::string sevs_here(const std::string& mode, const Cmds& cmds)
{
    TestBench b({"cmdqv.vcmdq.sev=" + mode});
    std::string log;
    const ClockDomain& clk = b.smmu().clock();
    b.smmu().engine().add_span_observer(
        [&](unsigned, const Command& c, const sc_core::sc_time&, const sc_core::sc_time& e) {
            log += fmt::format("{} done {:#x}\n", clk.to_cycles(e), c.op);
        });
    b.run([&] {
        sc_core::sc_spawn_options opts;
        opts.set_stack_size(TestBench::kStackBytes);
        const sc_core::sc_event& sev = b.smmu().sev();  // watched from now on
        sc_core::sc_spawn(
            [&] {
                for (;;) {
                    sc_core::wait(sev);
                    log += fmt::format("{} sev cons={:#x}\n", b.now(),
                                       b.soc().cmdqv().vcmdq(0).reg(0, VCMDQ_CONS));
                }
            },
            "sev_log", &opts);
        const uint64_t base = enable_host_lvcmdq0(b);
        submit_lvcmdq(b, 0, 0, base, 4, cmds);
        if (!b.wait_until([&] { return b.soc().cmdqv().vcmdq(0).reg(0, VCMDQ_CONS) ==
                                       b.soc().cmdqv().vcmdq(0).reg(0, VCMDQ_PROD); }))
            log += "not drained\n";
        b.wait_cycles(100);
    });
    if (!b.finished())
        log += "unfinished\n";
    return log;
}

// Each SEV as "<cycle> cons=<VCMDQ0's CONS then>", and each command's
// completion on the engine as "<cycle> done <opcode>", in time order: the
// host's VCMDQ0 (VINTF0, a 16-entry queue) given `cmds` in one PROD write,
// with someone waiting for SEVs from the start. In a child process (a
// SystemC simulation cannot restart).
std::string sevs(const std::string& mode, const Cmds& cmds)
{
    return in_child([&] { return sevs_here(mode, cmds); });
}

const auto kTlbi = cmd(OP_TLBI_NH_VA, cmdf::TLBI_ASID.put(1), cmdf::TLBI_VA.put(1));

// A TLBI then a CMD_SYNC (CS=NONE, as Linux issues it on a VCMDQ): the
// TLBI completes at cycle 169, the CMD_SYNC at 171.
const Cmds kBatch = {kTlbi, cmd_sync(cmdf::CS_NONE)};

// Sixteen commands in a 16-entry queue: full until the first completes.
Cmds full_queue()
{
    Cmds c(15, kTlbi);
    c.push_back(cmd_sync(cmdf::CS_NONE));
    return c;
}

}  // namespace

TEST(VcmdqSev, SyncSignalsTheCmdSyncsCompletionNotTheTlbis)
{
    EXPECT_EQ(sevs("sync", kBatch), "169 done 0x12\n171 done 0x46\n171 sev cons=0x2\n");
}

TEST(VcmdqSev, ConsSignalsEveryConsAdvance)
{
    EXPECT_EQ(sevs("cons", kBatch), "169 done 0x12\n169 sev cons=0x1\n171 done 0x46\n171 sev cons=0x2\n");
}

TEST(VcmdqSev, NoneSignalsNeither)
{
    EXPECT_EQ(sevs("none", kBatch), "169 done 0x12\n171 done 0x46\n");
}

TEST(VcmdqSev, TheDefaultIsSync)
{
    EXPECT_EQ(CmdqvParams{}.vcmdq_sev, VcmdqSev::Sync);
    Config cfg;
    CmdqvParams::declare(cfg);
    EXPECT_EQ(CmdqvParams::load(cfg).vcmdq_sev, VcmdqSev::Sync);
    EXPECT_EQ(cfg.str("cmdqv.vcmdq.sev"), "sync");
}

// Leaving full signals whatever the value: the first command's completion
// (CONS 1) in every mode, then sync's CMD_SYNC (CONS 16: 0x10, wrapped).
TEST(VcmdqSev, LeavingFullAlwaysSignals)
{
    for (const char* mode : {"none", "sync", "cons"}) {
        const std::string log = sevs(mode, full_queue());
        std::vector<std::string> seen;
        for (size_t at = log.find("sev cons="); at != std::string::npos; at = log.find("sev cons=", at + 1))
            seen.push_back(log.substr(at + 9, log.find('\n', at) - at - 9));
        const std::vector<std::string> want = std::string(mode) == "none" ? std::vector<std::string>{"0x1"}
                                              : std::string(mode) == "sync"
                                                  ? std::vector<std::string>{"0x1", "0x10"}
                                                  : std::vector<std::string>{"0x1", "0x2", "0x3", "0x4", "0x5", "0x6",
                                                                             "0x7", "0x8", "0x9", "0xa", "0xb", "0xc",
                                                                             "0xd", "0xe", "0xf", "0x10"};
        EXPECT_EQ(seen, want) << mode << "\n" << log;
    }
}

// A value that is none of the three is refused, naming the key, the value
// and where it came from.
TEST(VcmdqSev, BadValuesAreRefusedNamingTheKey)
{
    for (const char* bad : {"Sync", "", "1", "true", "sync "}) {
        Config cfg;
        CmdqvParams::declare(cfg);
        cfg.set("cmdqv.vcmdq.sev", bad, "--set");
        try {
            (void)CmdqvParams::load(cfg);
            ADD_FAILURE() << "'" << bad << "' was accepted";
        } catch (const ConfigError& e) {
            EXPECT_EQ(std::string(e.what()),
                      fmt::format("--set: cmdqv.vcmdq.sev = '{}' is none of cons, sync, none", bad));
        }
    }
    for (const char* good : {"cons", "sync", "none"}) {
        Config cfg;
        CmdqvParams::declare(cfg);
        cfg.set("cmdqv.vcmdq.sev", good, "--set");
        EXPECT_EQ(param_default_text(CmdqvParams::load(cfg).vcmdq_sev), good);
    }
    EXPECT_THROW(TestBench({"cmdqv.vcmdq.sev=all"}), ConfigError);
    // Set in C++ (a platform building the models itself): out of range.
    CmdqvParams p;
    p.vcmdq_sev = static_cast<VcmdqSev>(3);
    EXPECT_THROW(Cmdqv::validate(p), ConfigError);
}
