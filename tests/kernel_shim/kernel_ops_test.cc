// SPDX-License-Identifier: GPL-2.0-only
// The kernel-level grammar's checks before the run (sizes, addresses and
// field widths, waits, stream-ID lists, expect-log, vEVENTQ reads), and
// the kernel's own limits where the grammar leaves the answer to it.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/testbench.h"
#include "support/trace_text.h"
#include "trace.h"
#include "vmm/vmm.h"

namespace smmusim::kshim {
namespace {

using smmusim::test::TestBench;

using smmusim::test::parse_error;

// A line after a trace's head, and where and what its error is.
struct ErrorRow {
    std::string line, where, what;
};

// Each row's line after `head` fails with the row's place and message.
void expect_errors(const std::string& head, const std::vector<ErrorRow>& rows)
{
    for (const auto& r : rows) {
        const std::string err = parse_error(head + r.line + "\n");
        EXPECT_NE(err.find(r.where + " " + r.what), std::string::npos) << r.line << "\n -> " << err;
    }
}

TEST(KernelOpParse, RegionsFieldWidthsAndWaitsAreCheckedBeforeTheRun)
{
    const std::string head = "kernel boot\nendpoint e sid=0x10\ndomain d endpoint=e\n";
    expect_errors(head, {
        {"vm v endpoint=e vsid=1 ram=0xffffffffffffffff", ":4:28:",
         "guest RAM at gpa: 0x40000000 + size 0xffffffffffffffff passes the end of the 64-bit address space"},
        {"vm v endpoint=e vsid=1 gpa=0xfffffffffff00000", ":4:28:",
         "guest RAM at gpa: 0xfffffffffff00000 + size 0x200000 passes"},
        {"vm v endpoint=e vsid=1 ram=0", ":4:28:", "guest RAM at gpa: the size must not be 0"},
        {"vm v endpoint=e vsid=1 ram=0x1800", ":4:28:", "ram must be a multiple of the page size (0x1000)"},
        {"map d iova=0x1000 pa=0xfffffffffffff000 size=0x2000", ":4:46:", "pa: 0xfffffffffffff000 + size 0x2000 passes"},
        // An iova past 2^52 is the word at fault whatever the size (it was
        // named at size=, where the end passes 2^64); one below whose end
        // passes 2^64 is named at size=.
        {"map d iova=0xffffffffffffffff pa=0 size=2", ":4:12:", "map d: iova 0xffffffffffffffff is past 2^52"},
        {"map d iova=0xff000 pa=0 size=0xfffffffffffff000", ":4:30:",
         "iova: 0xff000 + size 0xfffffffffffff000 passes the end of the 64-bit address space"},
        {"unmap d iova=0xfffffffffffff000 size=0x1001", ":4:38:", "iova: 0xfffffffffffff000 + size 0x1001 passes"},
        {"map d iova=0x1000 pa=0x1000 size=0", ":4:34:", "iova: the size must not be 0"},
        {"endpoint f sid=0x100000000", ":4:16:", "'0x100000000' is too large for a stream ID"},
        {"endpoint f sid=1,2,1", ":4:20:", "stream ID 0x1 is listed twice"},
        {"endpoint f sid=1,0x10", ":4:18:", "stream ID 0x10 is already endpoint 'e' (line 2): arm-smmu-v3 takes one"},
        {"endpoint f pci rid=0x10", ":4:20:", "stream ID 0x10 is already endpoint 'e' (line 2): arm-smmu-v3"},
        {"endpoint f sid=1,,2", ":4:18:", "expected a stream ID"},
        {"endpoint f pci rid=0x100", ":4:20:", "requester ID 0x100 is not on the root bus"},
        {"endpoint f pci", ":4:1:", "'endpoint' needs rid="},
        {"endpoint f pci rid=1 ats ats", ":4:26:", "'ats' is given twice"},
        // The first mistake on the line is named, a word before a key (it
        // was the key, the first in name order).
        {"endpoint f PCI rid=0x8", ":4:12:", "unexpected 'PCI' (the trace's words are lowercase: 'pci')"},
        {"endpoint f sid=1 zz=1 ats aa=2", ":4:18:", "unknown argument 'zz' (expected sid)"},
        {"endpoint f ats sid=1 zz=1", ":4:12:", "unexpected 'ats'"},
        {"endpoint f pci rid=1 sid=2", ":4:22:", "unknown argument 'sid' (expected rid)"},
        {"endpoint f pci rid=1 fast", ":4:22:", "unexpected 'fast'"},
        {"endpoint f pci rid=one", ":4:20:", "expected a requester ID (a number), got 'one'"},
        {"endpoint e pci rid=1", ":4:10:", "endpoint 'e' is already defined"},
        {"kernel param watchdog_thresh=61", ":4:30:", "watchdog_thresh is at most 60"},
        // The kernel reads 010 as octal (8), a trace as decimal (10).
        {"kernel param watchdog_thresh=010", ":4:30:", "watchdog_thresh=010: a leading 0 is octal to the kernel"},
        {"kernel param watchdog_thresh=08", ":4:30:", "watchdog_thresh=08: a leading 0 is octal to the kernel"},
        // '-' is '_' in a parameter's name, as Linux's parse_args() takes it:
        // the name is found, and its value judged.
        {"kernel param arm-smmu-v3.bypass_vcmdq=maybe", ":4:39:",
         "arm_smmu_v3.bypass_vcmdq is a bool: expected 1, y, Y, t, T or on (true)"},
        {"kernel param arm_smmu_v3.bypass_vcmdq=maybe", ":4:39:",
         "arm_smmu_v3.bypass_vcmdq is a bool: expected 1, y, Y, t, T or on (true), 0, n, N, f, F or off (false)"},
        {"unmap d iova=0 size=0x1000 expect-log", ":4:38:", "expected a regular expression after 'expect-log'"},
        {"unmap d iova=0 size=0x1000 expect-log (", ":4:39:", "'(' is not a valid regular expression"},
        // Valid POSIX, past smmusim's bounds: not called invalid.
        {"unmap d iova=0 size=0x1000 expect-log a{0,17}", ":4:43:",
         "'a{0,17}' is past smmusim's limits for expect-log (an interval bound of 17 is more than 16, the largest "
         "an expect-log takes)"},
    });
    const std::string vm = "vm v endpoint=e vsid=1\n";
    expect_errors(head + vm, {
        {"veventq v depth=4294967296", ":5:17:", "'4294967296' is too large for a queue depth (32 bits)"},
        {"veventq v read timeout=1000000001 expect empty", ":5:24:", "a timeout of 1000000001 ns is more than the longest wait"},
        {"guest v wait 0 timeout=1000000001", ":5:24:", "a timeout of 1000000001 ns is more than the longest wait"},
        {"veventq v read expect nothing", ":5:23:", "expected 'lvcmdq=MAP', 'event=TYPE', 'empty' or 'lost'"},
        {"vm w endpoint=e vsid=2 expect=ENOPE", ":5:31:", "expected an errno name"},
    });
    // A key given twice past the fields kept inline (the look-up is a set
    // there: it was a scan of all before, quadratic in the line's fields),
    // and a line of 20,000 fields still names its first unknown key.
    std::string many = "endpoint f sid=1";
    for (int i = 0; i < 20000; i++)
        many += " k" + std::to_string(i) + "=1";
    const std::string twice = many + " k12=2";
    EXPECT_EQ(parse_error(head + twice + "\n"), ":4:" + std::to_string(twice.size() - 4) + ": 'k12' is given twice");
    EXPECT_EQ(parse_error(head + many + "\n"), ":4:18: unknown argument 'k0' (expected sid)");
    // Limits themselves are accepted: the last byte of the address space
    // (a map's iova ends at 2^52, the largest input address), the widest
    // depth, the longest wait.
    EXPECT_EQ(parse_error(head + "map d iova=0xffffffffff000 pa=0xfffffffffffff000 size=0x1000\n" +
                          "unmap d iova=0xfffffffffffff000 size=0x1000\n" + vm +
                    "veventq v depth=4294967295\nguest v wait 0 timeout=1000000000\n"),
              "");
}

// `expect=` takes the kernel's own errnos too (include/linux/errno.h), the
// ones a driver returns but user space never sees.
TEST(KernelOpParse, ExpectTakesTheKernelsOwnErrnos)
{
    std::vector<TraceOp> ops;
    ASSERT_EQ(parse_error("kernel boot\nendpoint f sid=3\nvm v endpoint=f vsid=1 expect=ENOTSUPP\n", &ops), "");
    ASSERT_EQ(ops.size(), 3u);
    EXPECT_EQ(ops[2].kop.expect_errno, 524);  // ENOTSUPP
}

// dma EP [ssid=N] iova=A size=N read|write [expect=ok|fault[:TYPE]] [pa=A]
TEST(KernelOpParse, DmaLinesAreCheckedBeforeTheRun)
{
    const std::string head = "kernel boot\nendpoint e sid=0x10\n";
    expect_errors(head, {
        {"dma x iova=0 size=64 read", ":3:5:", "no endpoint named 'x' (define it first)"},
        {"dma e iova=0 size=64", ":3:21:", "'dma' needs 'read' or 'write'"},
        {"dma e iova=0 size=64 rd", ":3:22:", "expected 'read' or 'write', got 'rd'"},
        {"dma e iova=0 size=64 read write", ":3:27:", "unexpected 'write'"},
        {"dma e size=64 read", ":3:1:", "'dma' needs iova="},
        {"dma e iova=0 read", ":3:1:", "'dma' needs size="},
        {"dma e iova=0 size=0 read", ":3:19:", "iova: the size must not be 0"},
        {"dma e iova=0xfffffffffffffff0 size=0x20 read", ":3:36:",
         "iova: 0xfffffffffffffff0 + size 0x20 passes the end of the 64-bit address space"},
        {"dma e iova=0 size=0x1000001 write", ":3:19:", "a DMA is at most 0x1000000 bytes (16 MiB), got 0x1000001"},
        {"dma e ssid=0x100000 iova=0 size=4 read", ":3:12:", "a SubstreamID is at most 0xfffff (20 bits), got 0x100000"},
        {"dma e ssid=0x100000000 iova=0 size=4 read", ":3:12:", "'0x100000000' is too large for a SubstreamID"},
        {"dma e iova=0 size=4 read expect=maybe", ":3:33:", "expected 'ok', 'fault' or 'fault:TYPE', got 'maybe'"},
        {"dma e iova=0 size=4 read expect=faults", ":3:33:", "expected 'ok', 'fault' or 'fault:TYPE', got 'faults'"},
        {"dma e iova=0 size=4 read expect=fault:F_NOPE", ":3:39:",
         "expected an event name (F_TRANSLATION, C_BAD_STE, ...) or ATS, got 'F_NOPE'"},
        {"dma e iova=0 size=4 read expect=fault:", ":3:39:",
         "expected an event name (F_TRANSLATION, C_BAD_STE, ...) or ATS, got ''"},
        {"dma e iova=0 size=4 read expect=fault:ats", ":3:39:",
         "expected an event name (F_TRANSLATION, C_BAD_STE, ...) or ATS, got 'ats'"},
        {"dma e iova=0 size=4 read expect=fault pa=0x1000", ":3:42:",
         "pa= checks where a DMA went: it cannot go with expect=fault"},
        {"dma e iova=0 size=4 read pa=0x1000 pa=0x2000", ":3:36:", "'pa' is given twice"},
        {"dma sid=0x100000000 iova=0 size=4 read", ":3:9:", "'0x100000000' is too large for a stream ID"},
        {"dma sid=0x10 iova=0 size=4 read expect=fault:ATS", ":3:46:",
         "fault:ATS needs an endpoint with ATS (dma EP ...); sid=S has no ATC"},
        {"dma sid= iova=0 size=4 read", ":3:9:", "expected a stream ID"},
        {"dma e iova=0 size=4 read vmid=1", ":3:26:",
         "unknown argument 'vmid' (expected expect, iova, pa, size, ssid)"},
        // Only an ATS endpoint's ATS refuses: refused before the run (it
        // failed only when played).
        {"dma e iova=0 size=4 read expect=fault:ATS", ":3:39:",
         "fault:ATS needs an endpoint with ATS; 'e' has none (endpoint e pci rid=R ats)"},
    });
    expect_errors("kernel boot\nendpoint p pci rid=0x8\n",
                  {{"dma p iova=0 size=4 write expect=fault:ATS", ":3:40:",
                    "fault:ATS needs an endpoint with ATS; 'p' has none (endpoint p pci rid=R ats)"}});
}

TEST(KernelOpParse, DmaLines)
{
    std::vector<TraceOp> ops;
    ASSERT_EQ(parse_error("kernel boot\nendpoint e sid=0x10,0x11\n"
                          "dma e iova=0x10000 size=0x2000 write pa=0x80000000\n"
                          "dma e ssid=5 iova=0x10000 size=4 read expect=ok\n"
                          "dma e iova=0x10000 size=0x1000000 read expect=fault\n"
                          "dma e iova=0xfffffffffffff000 size=0x1000 write expect=fault:F_TRANSLATION\n"
                          "dma e iova=0 size=1 read expect=fault:C_BAD_STE expect-log event\n"
                          "dma sid=0x99 iova=0 size=1 read expect=fault\n"
                          "endpoint n pci rid=0x8 ats\n"
                          "dma n iova=0 size=1 read expect=fault:ATS\n",
                          &ops),
              "");
    ASSERT_EQ(ops.size(), 10u);
    EXPECT_EQ(ops[7].kop.name, "");  // a bare stream ID
    EXPECT_EQ(ops[7].kop.sid, 0x99u);
    const KernelOp& w = ops[2].kop;
    EXPECT_EQ(w.verb, KernelOp::Verb::Dma);
    EXPECT_EQ(w.name, "e");
    EXPECT_EQ(w.iova, 0x10000u);
    EXPECT_EQ(w.size, 0x2000u);
    EXPECT_TRUE(w.write);
    EXPECT_FALSE(w.ssv);
    EXPECT_FALSE(w.expect_fault);
    EXPECT_TRUE(w.check_pa);
    EXPECT_EQ(w.pa, 0x80000000u);
    EXPECT_TRUE(ops[3].kop.ssv);
    EXPECT_EQ(ops[3].kop.ssid, 5u);
    EXPECT_FALSE(ops[3].kop.write);
    EXPECT_FALSE(ops[3].kop.expect_fault);
    EXPECT_FALSE(ops[3].kop.check_pa);
    EXPECT_TRUE(ops[4].kop.expect_fault);
    EXPECT_EQ(ops[4].kop.fault_type, 0u);  // any fault
    EXPECT_EQ(ops[5].kop.fault_type, 0x10u);
    EXPECT_EQ(ops[6].kop.fault_type, 0x04u);
    EXPECT_EQ(ops[6].kop.expect_log, "event");
    EXPECT_FALSE(ops[6].kop.fault_ats);
    EXPECT_TRUE(ops[9].kop.expect_fault);  // refused by the endpoint's ATS: no event type
    EXPECT_TRUE(ops[9].kop.fault_ats);
    EXPECT_EQ(ops[9].kop.fault_type, 0u);
}

// A leading 0 the kernel and a trace read alike (00 and 07 are the same
// number, octal or decimal) is taken (00 was refused as octal: newcomer17).
TEST(KernelOpParse, WatchdogThreshWithZerosBothReadingsAgreeOn)
{
    std::vector<TraceOp> ops;
    ASSERT_EQ(parse_error("kernel param watchdog_thresh=00\nkernel param watchdog_thresh=07\nkernel boot\n", &ops),
              "");
    ASSERT_EQ(ops.size(), 3u);
    EXPECT_EQ(ops[0].kop.value, "0");
    EXPECT_EQ(ops[1].kop.value, "7");
}

TEST(KernelOpParse, SidListsExpectLogAndVeventqReads)
{
    std::vector<TraceOp> ops;
    ASSERT_EQ(parse_error("kernel boot\nendpoint e sid=0x10,0x11,7\n"
                    "endpoint f sid=3\n"
                    "vm v endpoint=f vsid=1 expect=EOPNOTSUPP\n"
                    "veventq v read timeout=5000 expect lost\n"
                    "veventq v read expect lvcmdq=0x2:0x1\n"
                    "veventq v read expect empty\n"
                    "kernel param watchdog_thresh=0x1a expect-log soft   lockup|CPU.0 # a comment\n",
                    &ops),
              "");
    ASSERT_EQ(ops.size(), 8u);
    EXPECT_EQ(ops[1].kop.sids, (std::vector<uint32_t>{0x10, 0x11, 7}));
    EXPECT_EQ(ops[1].kop.sid, 0x10u);
    EXPECT_EQ(ops[2].kop.sids, (std::vector<uint32_t>{3}));
    EXPECT_EQ(ops[3].kop.expect_errno, EOPNOTSUPP);
    EXPECT_TRUE(ops[4].kop.expect_lost);
    EXPECT_EQ(ops[4].kop.read_timeout_ns, 5000u);
    EXPECT_FALSE(ops[5].kop.expect_lost);
    EXPECT_EQ(ops[5].kop.expect_map[1], 2u);
    EXPECT_EQ(ops[5].kop.expect_map[0], 1u);
    EXPECT_EQ(ops[5].kop.read_timeout_ns, 1000000u);  // the default: 1 ms
    EXPECT_TRUE(ops[6].kop.expect_empty);
    // The rest of the line (up to a comment), words joined by one space.
    EXPECT_EQ(ops[7].kop.expect_log, "soft lockup|CPU.0");
    EXPECT_EQ(ops[7].kop.value, "26");  // decimal, for the shim
}

// A guest's own stage 1 (guest VM stage1/map/unmap) and the ARM_SMMUV3
// vEVENTQ (type=, expect event=): accepted forms, then each refusal at its column.
TEST(KernelOpParse, GuestStage1LinesAndSmmuVevents)
{
    const std::string head = "kernel boot\nendpoint e sid=0x10\nvm v endpoint=e vsid=1\n";
    std::vector<TraceOp> ops;
    ASSERT_EQ(parse_error(head + "guest v stage1\n"
                                 "guest v stage1 ssids=8 asid=0x10 granule=64k ias=39 tables=0x40100000 "
                                 "s1dss=bypass eats=1 expect=EIO\n"
                                 "guest v stage1 vste=0x1:0x30000000 expect=EIO\n"
                                 "guest v map ssid=3 iova=0x10000 gpa=0x40000000 size=0x2000 ro\n"
                                 "guest v unmap iova=0x10000 size=0x1000\n"
                                 "veventq v type=arm-smmuv3 depth=4\n"
                                 "veventq v read timeout=500 expect event=F_TRANSLATION vsid=1 iova=0x10000\n"
                                 "veventq v read type=arm-smmuv3 expect empty\n"
                                 "veventq v read expect lvcmdq=1\n",
                          &ops),
              "");
    ASSERT_EQ(ops.size(), 12u);
    const KernelOp& dflt = ops[3].kop;
    EXPECT_EQ(dflt.verb, KernelOp::Verb::GuestStage1);
    EXPECT_EQ(dflt.stage1.ssids, 1u);
    EXPECT_EQ(dflt.stage1.asid, 1u);
    EXPECT_EQ(dflt.stage1.granule_shift, 12u);
    EXPECT_EQ(dflt.stage1.ias, 48u);
    EXPECT_EQ(dflt.stage1.s1dss, 2u);  // SSID0, as Linux writes
    EXPECT_FALSE(dflt.stage1.raw_vste);
    const KernelOp& all = ops[4].kop;
    EXPECT_EQ(all.stage1.ssids, 8u);
    EXPECT_EQ(all.stage1.asid, 0x10u);
    EXPECT_EQ(all.stage1.granule_shift, 16u);
    EXPECT_EQ(all.stage1.ias, 39u);
    EXPECT_EQ(all.stage1.tables, 0x40100000u);
    EXPECT_TRUE(all.stage1.tables_given);
    EXPECT_EQ(all.stage1.s1dss, 1u);
    EXPECT_EQ(all.stage1.eats, 1u);
    EXPECT_EQ(all.expect_errno, EIO);
    EXPECT_TRUE(ops[5].kop.stage1.raw_vste);
    EXPECT_EQ(ops[5].kop.stage1.vste[0], 1u);
    EXPECT_EQ(ops[5].kop.stage1.vste[1], 0x30000000u);
    const KernelOp& map = ops[6].kop;
    EXPECT_EQ(map.verb, KernelOp::Verb::GuestMap);
    EXPECT_EQ(map.ssid, 3u);
    EXPECT_EQ(map.iova, 0x10000u);
    EXPECT_EQ(map.gpa, 0x40000000u);
    EXPECT_EQ(map.size, 0x2000u);
    EXPECT_TRUE(map.readonly);
    EXPECT_EQ(ops[7].kop.verb, KernelOp::Verb::GuestUnmap);
    EXPECT_EQ(ops[8].kop.veventq_type, 1u);
    EXPECT_EQ(ops[8].kop.depth, 4u);
    const KernelOp& ev = ops[9].kop;
    EXPECT_EQ(ev.veventq_type, 1u);  // an event= expectation reads the ARM_SMMUV3 vEVENTQ
    EXPECT_EQ(ev.expect_event, 0x10);
    EXPECT_EQ(ev.expect_vsid, 1u);
    EXPECT_TRUE(ev.expect_has_iova);
    EXPECT_EQ(ev.expect_iova, 0x10000u);
    EXPECT_EQ(ev.read_timeout_ns, 500u);
    EXPECT_EQ(ops[10].kop.veventq_type, 1u);
    EXPECT_TRUE(ops[10].kop.expect_empty);
    EXPECT_EQ(ops[11].kop.veventq_type, 2u);

    expect_errors(head, {
        {"guest v stage1 ssids=3", ":4:22:", "ssids is a power of two from 1 to 1024"},
        {"guest v stage1 ssids=2048", ":4:22:", "ssids is a power of two from 1 to 1024"},
        {"guest v stage1 ssids=4 asid=0xfffe", ":4:29:", "ASIDs 0xfffe..0x10001 do not fit 16 bits"},
        {"guest v stage1 granule=8k", ":4:24:", "expected '4k', '16k' or '64k', got '8k'"},
        {"guest v stage1 ias=52", ":4:20:", "ias is from 25 to 48 bits"},
        {"guest v stage1 tables=0x40000800", ":4:23:", "tables must be a multiple of the page size"},
        {"guest v stage1 s1dss=abort", ":4:22:", "expected 'terminate', 'bypass' or 'ssid0', got 'abort'"},
        {"guest v stage1 eats=4", ":4:21:", "EATS is a 2-bit field"},
        {"guest v stage1 vste=0x1", ":4:21:", "expected DW0:DW1"},
        {"guest v stage1 vste=0x1:zz", ":4:25:", "expected an STE dword"},
        {"guest v stage1 cdmax=1", ":4:16:", "unknown argument 'cdmax'"},
        {"guest v map iova=0x1000 size=0x1000", ":4:9:", "'map' needs gpa="},
        {"guest v map iova=0x1000 gpa=0x1000 size=0", ":4:41:", "iova: the size must not be 0"},
        {"guest v unmap iova=0x1000 gpa=0 size=0x1000", ":4:27:", "unknown argument 'gpa'"},
        {"guest v map ssid=0x100000000 iova=0 gpa=0 size=0x1000", ":4:18:", "'0x100000000' is too large for a SubstreamID"},
        {"guest v", ":4:8:", "expected an action after 'v'"},
        // An action the grammar does not have is named at its column, not
        // as a missing index at the line's end.
        {"guest v STAGE1", ":4:9:", "expected cmd, enable, doorbell, wait, skip, stage1, map or unmap, got 'STAGE1' "
                                    "(the trace's words are lowercase: 'stage1')"},
        {"guest v frob 0", ":4:9:", "expected cmd, enable, doorbell, wait, skip, stage1, map or unmap, got 'frob'"},
        {"guest v wait 0 expect errors", ":4:23:", "expected 'error' after 'expect', got 'errors'"},
        {"guest v wait 0 expect", ":4:22:", "expected 'error' after 'expect'"},
        {"veventq v type=smmu", ":4:16:", "expected 'tegra241-cmdqv' or 'arm-smmuv3', got 'smmu'"},
        {"veventq v read expect event=F_NOPE vsid=1", ":4:29:", "expected an event name (F_TRANSLATION"},
        {"veventq v read expect event=F_TRANSLATION", ":4:23:", "'event=F_TRANSLATION' needs vsid="},
        {"veventq v read expect event=F_ACCESS vsid=1 ssid=2", ":4:45:", "unknown argument 'ssid'"},
        {"veventq v read type=tegra241-cmdqv expect event=C_BAD_CD vsid=1", ":4:43:",
         "'event=C_BAD_CD' is not an event of the vEVENTQ's type (tegra241-cmdqv)"},
    });
}

TEST(KernelShimMm, KvmallocRefusesMoreThanIntMaxWithoutTouchingTheHeap)
{
    TestBench bench;
    KernelShim ks(bench.soc());
    ASSERT_EQ(ks.probe_smmu(), 0) << ks.dmesg() << ks.failures_text();
    const int ep = ks.add_endpoint("gpu0", {0x10});
    ASSERT_GE(ep, 0);
    Vm vm(ks);
    Vm::Config c;
    c.endpoint = ep;
    c.vsid = 1;
    ASSERT_EQ(vm.create(c), 0) << vm.failed_step() << ks.dmesg();
    // A 4 TiB HW queue: iommufd's page array (kvzalloc_objs, __GFP_NOWARN)
    // would be 8 GiB; the kernel's kvmalloc refuses it, silently (NOWARN),
    // so the ioctl answers ENOMEM, before any pin.
    EXPECT_EQ(vm.hw_queue_alloc(0, 1ull << 30, 1ull << 42), -ENOMEM);
    EXPECT_LT(ks.alloc_stats().kmalloc_largest, 1ull << 31);
    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text();
    // Just above INT_MAX for the array (2^28 pages, 2 GiB) is refused too,
    // and a queue the kernel takes still works.
    EXPECT_EQ(vm.hw_queue_alloc(0, 1ull << 30, 1ull << 40), -ENOMEM);
    EXPECT_EQ(vm.hw_queue_alloc(0, 1ull << 30, 0x1000), 0) << ks.dmesg();
    EXPECT_LT(ks.alloc_stats().kmalloc_largest, 1ull << 31);
    vm.destroy();
    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text();
}

}  // namespace
}  // namespace smmusim::kshim
