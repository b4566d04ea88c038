// SPDX-License-Identifier: GPL-2.0-only
// The DMA requester against a stand-in SMMU (a target that answers the
// StreamID sideband from a page map of its own, in front of its own RAM):
// page splitting, the sideband each access carries, results (PA, fault,
// recorded), the write pattern read back through a second mapping,
// statistics and latency. The real SMMU's answers are tested with the
// translation unit (tests/smmuv3/translation/) and end to end
// (tests/kernel_shim/dma_op_test.cc).
#include <cstring>
#include <functional>
#include <map>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>
#include <tlm_utils/simple_target_socket.h>

#include "platform/dma_requester.h"
#include "platform/stream_id.h"

using namespace smmusim;

namespace {

constexpr uint64_t kPage = DmaRequester::kPageBytes;
constexpr uint64_t kLatencyNs = 7;  // the stand-in's cost per access

// Runs a test's steps in an SC_THREAD.
class Steps : public sc_core::sc_module {
public:
    SC_HAS_PROCESS(Steps);
    Steps(sc_core::sc_module_name name, std::function<void()> fn) : sc_module(name), fn_(std::move(fn))
    {
        SC_THREAD(run);
    }

private:
    void run() { fn_(); }
    std::function<void()> fn_;
};

// A stand-in SMMU: input page -> output page, one fault type for the
// rest; records the sideband of every access. `answers` false: it ignores
// the sideband, as a plain memory would.
class StandInSmmu : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<StandInSmmu> socket;
    std::map<uint64_t, uint64_t> pages;  // input page -> output page
    uint8_t fault = 0x10;
    bool record = true;
    bool answers = true;
    std::vector<uint8_t> ram = std::vector<uint8_t>(16 * kPage);
    struct Seen {
        StreamIdExtension ext;
        uint64_t addr;
        unsigned len;
        bool write;
    };
    std::vector<Seen> seen;

    explicit StandInSmmu(sc_core::sc_module_name name) : sc_module(name), socket("socket")
    {
        socket.register_b_transport(this, &StandInSmmu::b_transport);
    }

private:
    void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay)
    {
        delay += sc_core::sc_time(static_cast<double>(kLatencyNs), sc_core::SC_NS);
        auto* ext = gp.get_extension<StreamIdExtension>();
        ASSERT_NE(ext, nullptr);
        const uint64_t in = gp.get_address();
        seen.push_back({*ext, in, gp.get_data_length(), gp.is_write()});
        auto it = pages.find(in & ~(kPage - 1));
        if (it == pages.end()) {
            if (answers) {
                ext->outcome = StreamIdExtension::Outcome::Terminated;
                ext->fault = fault;
                ext->recorded = record;
            }
            gp.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
            return;
        }
        const uint64_t pa = it->second + in % kPage;
        if (answers) {
            ext->outcome = StreamIdExtension::Outcome::Translated;
            ext->pa = pa;
        }
        uint8_t* mem = &ram.at(pa);
        if (gp.is_write())
            memcpy(mem, gp.get_data_ptr(), gp.get_data_length());
        else
            memcpy(gp.get_data_ptr(), mem, gp.get_data_length());
        gp.set_response_status(tlm::TLM_OK_RESPONSE);
    }
};

struct Rig {
    ClockDomain clk{"fabric", 1000};  // 1 ns cycles
    DmaRequester dma{"dma", clk};
    StandInSmmu smmu{"smmu"};
    Rig() { dma.socket.bind(smmu.socket); }
};

}  // namespace

TEST(DmaRequester, SplitsAtPagesAndCarriesTheStream)
{
    Rig r;
    for (uint64_t p = 1; p <= 3; p++)
        r.smmu.pages[p * kPage] = (p + 4) * kPage;
    DmaTransfer res;
    Steps s("steps", [&] {
        res = r.dma.dma({.sid = 0x42, .ssv = true, .ssid = 5, .priv = true}, kPage + 0x800, 0x2000 + 0x800, true);
    });
    sc_core::sc_start();

    ASSERT_EQ(res.accesses.size(), 3u);
    const uint64_t at[] = {kPage + 0x800, 2 * kPage, 3 * kPage};
    const uint32_t len[] = {0x800, 0x1000, 0x1000};
    for (size_t i = 0; i < 3; i++) {
        SCOPED_TRACE(i);
        EXPECT_EQ(res.accesses[i].iova, at[i]);
        EXPECT_EQ(res.accesses[i].size, len[i]);
        EXPECT_TRUE(res.accesses[i].ok);
        EXPECT_FALSE(res.accesses[i].bypassed);
        EXPECT_EQ(res.accesses[i].pa, at[i] + 4 * kPage);
        ASSERT_EQ(r.smmu.seen.size(), 3u);
        EXPECT_EQ(r.smmu.seen[i].addr, at[i]);
        EXPECT_EQ(r.smmu.seen[i].len, len[i]);
        EXPECT_TRUE(r.smmu.seen[i].write);
        EXPECT_EQ(r.smmu.seen[i].ext.sid, 0x42u);
        EXPECT_TRUE(r.smmu.seen[i].ext.ssv);
        EXPECT_EQ(r.smmu.seen[i].ext.ssid, 5u);
        EXPECT_TRUE(r.smmu.seen[i].ext.priv);
        EXPECT_FALSE(r.smmu.seen[i].ext.instr);
    }
    EXPECT_TRUE(res.ok());
    EXPECT_EQ(res.first_failure(), nullptr);
    EXPECT_EQ(res.cycles, 3 * kLatencyNs);
    EXPECT_TRUE(res.data.empty());  // a write returns no data
    EXPECT_EQ(r.dma.stats().value("accesses"), 3u);
    EXPECT_EQ(r.dma.stats().value("write_bytes"), 0x2800u);
    EXPECT_EQ(r.dma.stats().value("read_bytes"), 0u);
    EXPECT_EQ(r.dma.stats().value("faults"), 0u);
    EXPECT_EQ(r.dma.stats().find_histogram("latency_cycles")->max(), kLatencyNs);
}

TEST(DmaRequester, WriteThenReadThroughAnotherMapping)
{
    Rig r;
    r.smmu.pages[0x10 * kPage] = 2 * kPage;  // two input pages, one PA page
    r.smmu.pages[0x30 * kPage] = 2 * kPage;
    DmaTransfer wr, rd;
    Steps s("steps", [&] {
        wr = r.dma.dma({.sid = 1}, 0x10 * kPage + 0x100, 0x40, true);
        rd = r.dma.dma({.sid = 1}, 0x30 * kPage + 0x100, 0x40, false);
    });
    sc_core::sc_start();

    ASSERT_TRUE(wr.ok());
    ASSERT_TRUE(rd.ok());
    EXPECT_EQ(rd.accesses[0].pa, 2 * kPage + 0x100);
    ASSERT_EQ(rd.data.size(), 0x40u);
    for (unsigned i = 0; i < 0x40; i++)
        EXPECT_EQ(rd.data[i], DmaRequester::pattern(0x10 * kPage + 0x100 + i)) << i;
    EXPECT_FALSE(r.smmu.seen[1].ext.ssv);  // no SubstreamID asked
    EXPECT_EQ(r.dma.stats().value("read_bytes"), 0x40u);
    // The pattern is a function of the address alone, and varies.
    EXPECT_EQ(DmaRequester::pattern(0x1234), DmaRequester::pattern(0x1234));
    EXPECT_NE(DmaRequester::pattern(0x1234), DmaRequester::pattern(0x1235));
    EXPECT_NE(DmaRequester::pattern(0x1234), DmaRequester::pattern(0x2234));
}

// One DmaTransfer reused (dma(..., into)) holds, after each DMA, exactly
// what a fresh result of that DMA holds: nothing left of the one before
// (a longer read, a write's empty data, a fault's access).
TEST(DmaRequester, AReusedResultHoldsOnlyTheLastDma)
{
    Rig r;
    r.smmu.pages[0x10 * kPage] = 2 * kPage;
    r.smmu.pages[0x11 * kPage] = 3 * kPage;
    auto same = [](const DmaTransfer& a, const DmaTransfer& b) {
        ASSERT_EQ(a.accesses.size(), b.accesses.size());
        for (size_t i = 0; i < a.accesses.size(); i++) {
            EXPECT_EQ(a.accesses[i].iova, b.accesses[i].iova) << i;
            EXPECT_EQ(a.accesses[i].size, b.accesses[i].size) << i;
            EXPECT_EQ(a.accesses[i].ok, b.accesses[i].ok) << i;
            EXPECT_EQ(a.accesses[i].pa, b.accesses[i].pa) << i;
            EXPECT_EQ(a.accesses[i].status, b.accesses[i].status) << i;
        }
        EXPECT_EQ(a.data, b.data);
        EXPECT_EQ(a.cycles, b.cycles);
    };
    struct Dma {
        uint64_t iova, size;
        bool write;
    };
    const Dma dmas[] = {{0x10 * kPage + 0x800, 0x1000, false},  // two pages
                        {0x10 * kPage + 0x100, 0x40, true},     // a write: no data
                        {0x11 * kPage + 0x10, 0x20, false},     // shorter
                        {0x12 * kPage, 0x10, false}};           // unmapped: a fault
    DmaTransfer reused;
    std::vector<DmaTransfer> fresh, kept;
    Steps s("steps", [&] {
        for (const Dma& d : dmas) {
            fresh.push_back(r.dma.dma({.sid = 1}, d.iova, d.size, d.write));
            sc_core::sc_time owed = sc_core::SC_ZERO_TIME;
            r.dma.dma({.sid = 1}, d.iova, d.size, d.write, nullptr, owed, reused);
            sc_core::wait(owed);
            kept.push_back(reused);
        }
    });
    sc_core::sc_start();

    ASSERT_EQ(kept.size(), 4u);
    for (size_t i = 0; i < kept.size(); i++)
        same(kept[i], fresh[i]);
    EXPECT_TRUE(kept[1].data.empty());
    EXPECT_EQ(kept[2].data.size(), 0x20u);
    EXPECT_FALSE(kept[3].ok());
}

TEST(DmaRequester, FaultsAreReportedPerAccess)
{
    Rig r;
    r.smmu.pages[0] = 0;  // page 0 mapped, page 1 not
    r.smmu.fault = 0x13;
    memset(r.smmu.ram.data(), 0xaa, kPage);
    DmaTransfer part, none;
    Steps s("steps", [&] {
        part = r.dma.dma({.sid = 3}, kPage - 0x10, 0x20, false);
        r.smmu.record = false;
        none = r.dma.dma({.sid = 3}, kPage, 0x10, false);
    });
    sc_core::sc_start();

    ASSERT_EQ(part.accesses.size(), 2u);
    EXPECT_FALSE(part.ok());
    EXPECT_FALSE(part.failed());  // half of it was performed
    EXPECT_TRUE(part.accesses[0].ok);
    EXPECT_FALSE(part.accesses[1].ok);
    EXPECT_EQ(part.first_failure(), &part.accesses[1]);
    EXPECT_EQ(part.accesses[1].fault, 0x13);
    EXPECT_TRUE(part.accesses[1].recorded);
    EXPECT_EQ(part.accesses[1].pa, 0u);
    EXPECT_EQ(part.accesses[1].status, tlm::TLM_GENERIC_ERROR_RESPONSE);
    EXPECT_EQ(part.recorded_events(), 1u);
    for (unsigned i = 0; i < 0x20; i++)
        EXPECT_EQ(part.data[i], i < 0x10 ? 0xaa : 0) << i;  // a failed access reads as 0

    EXPECT_TRUE(none.failed());
    EXPECT_FALSE(none.accesses[0].recorded);  // terminated without an event record
    EXPECT_EQ(none.recorded_events(), 0u);
    EXPECT_EQ(r.dma.stats().value("faults"), 2u);
    EXPECT_EQ(r.dma.stats().value("accesses"), 3u);
}

TEST(DmaRequester, NoSmmuOnThePathIsABypass)
{
    Rig r;
    r.smmu.answers = false;
    r.smmu.pages[2 * kPage] = 2 * kPage;
    DmaTransfer res;
    Steps s("steps", [&] { res = r.dma.dma({.sid = 9}, 2 * kPage + 8, 8, true); });
    sc_core::sc_start();
    ASSERT_TRUE(res.ok());
    EXPECT_TRUE(res.accesses[0].bypassed);
    EXPECT_EQ(res.accesses[0].pa, 2 * kPage + 8);
    EXPECT_EQ(r.dma.stats().value("bypassed"), 1u);
}

TEST(DmaRequester, RefusesAnEmptyOrWrappingRequest)
{
    Rig r;
    // Refused before it issues anything (so outside a thread too).
    EXPECT_THROW(r.dma.dma({}, 0x1000, 0, false), std::invalid_argument);
    EXPECT_THROW(r.dma.dma({}, ~0ull - 0xf, 0x20, false), std::invalid_argument);
    EXPECT_EQ(r.dma.stats().value("accesses"), 0u);
}
