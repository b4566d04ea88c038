// SPDX-License-Identifier: GPL-2.0-only
// The ATS endpoint (models/endpoint/ats_endpoint.h) against a stand-in SMMU
// that answers Translation Requests from a table of its own and performs
// translated accesses in its RAM: a miss sends a Translation Request and
// fills the ATC, a hit goes out translated at once; ATC_INV of the range
// makes the next access miss; every refusing completion (PCIe ATS: UR, CA,
// Success with R or W clear) and a malformed one fail the access without
// an untranslated retry; ATS disabled is untranslated; exact cycles. The
// real SMMU's answers to the same requests are the SMMU's tests
// (tests/smmuv3/translation/) and the real driver's path is
// tests/kernel_shim/dma_op_test.cc (KernelShimAtsDma).
#include <algorithm>
#include <cstring>
#include <functional>
#include <map>
#include <vector>

#include <gtest/gtest.h>
#define SC_INCLUDE_DYNAMIC_PROCESSES
#include <systemc>
#include <tlm_utils/simple_target_socket.h>

#include "endpoint/ats_endpoint.h"
#include "platform/params.h"
#include "smmuv3/commands.h"
#include "smmuv3/invalidation.h"

using namespace smmusim;
using namespace smmusim::endpoint;
using At = StreamIdExtension::At;
using Status = StreamIdExtension::AtsCompletion::Status;

namespace {

constexpr uint64_t kPage = 4096;
constexpr uint64_t kTrNs = 20;      // the stand-in's cost of a Translation Request
constexpr uint64_t kAccessNs = 7;   // ... and of an access
constexpr uint64_t kLookup = 2;     // endpoint.atc.lookup_cycles (default), 1 ns cycles

// A stand-in SMMU: Translation Requests answered from `completions` (by
// the request's page; absent: UR), translated and untranslated accesses
// performed in its RAM at their address (untranslated ones flagged).
class StandInSmmu : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<StandInSmmu> socket;
    std::map<uint64_t, StreamIdExtension::AtsCompletion> completions;
    std::vector<uint8_t> ram = std::vector<uint8_t>(64 * kPage);
    struct Seen {
        At at;
        uint64_t addr;
        unsigned len;
        bool write;
        uint32_t sid;
    };
    std::vector<Seen> seen;

    explicit StandInSmmu(sc_core::sc_module_name name) : sc_module(name), socket("socket")
    {
        socket.register_b_transport(this, &StandInSmmu::b_transport);
    }

private:
    void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay)
    {
        auto* ext = gp.get_extension<StreamIdExtension>();
        ASSERT_NE(ext, nullptr);
        seen.push_back({ext->at, gp.get_address(), gp.get_data_length(), gp.is_write(), ext->sid});
        gp.set_response_status(tlm::TLM_OK_RESPONSE);
        if (ext->at == At::TranslationRequest) {
            delay += sc_core::sc_time(static_cast<double>(kTrNs), sc_core::SC_NS);
            auto it = completions.upper_bound(gp.get_address());  // the range holding the page
            if (it != completions.begin() && gp.get_address() - (--it)->first < std::max<uint64_t>(it->second.size, 1))
                ext->ats = it->second;
            return;
        }
        delay += sc_core::sc_time(static_cast<double>(kAccessNs), sc_core::SC_NS);
        ext->outcome = StreamIdExtension::Outcome::Translated;
        ext->pa = gp.get_address();
        uint8_t* mem = &ram.at(gp.get_address());
        if (gp.is_write())
            memcpy(mem, gp.get_data_ptr(), gp.get_data_length());
        else
            memcpy(gp.get_data_ptr(), mem, gp.get_data_length());
    }
};

StreamIdExtension::AtsCompletion success(uint64_t translated, uint64_t size, bool r = true, bool w = true)
{
    StreamIdExtension::AtsCompletion c;
    c.status = Status::Success;
    c.translated = translated;
    c.size = size;
    c.read = r;
    c.write = w;
    return c;
}

struct Rig {
    ClockDomain clk{"smmu", 1000};  // 1 ns cycles
    DmaRequester req{"dma", clk};
    StandInSmmu smmu{"smmu"};
    PciConfigSpace cfg;
    AtsEndpoint ep;
    explicit Rig(const EndpointParams& p = {}, bool enable = true)
        : cfg({}, true, p), ep(::testing::UnitTest::GetInstance()->current_test_info()->name(), clk, p, cfg, nullptr)
    {
        req.socket.bind(smmu.socket);
        if (enable)
            cfg.write(pcicfg::EXT_CAP_START + pcicfg::ATS_CTRL, 2, pcicfg::ATS_CTRL_ENABLE);
    }
    DmaTransfer dma(uint64_t iova, uint64_t size, bool write = false) { return ep.dma(req, {.sid = 8}, iova, size, write); }
    uint64_t stat(const char* n) const { return ep.stats().value(n); }
    uint64_t slot_stat(const char* n) const { return ep.request_stats().value(n); }
    uint64_t atc(const char* n) const { return ep.atc().stats().value(n); }
};

// Runs `fn` in an SC_THREAD to the end of the simulation.
void run(const std::function<void()>& fn)
{
    sc_core::sc_spawn(fn);
    sc_core::sc_start();
}

smmuv3::InvalidationScope atc_inv(uint32_t sid, uint64_t addr, unsigned size)
{
    const auto enc = smmuv3::encode_command("ATC_INV", {{"sid", sid}, {"addr", addr}, {"size", size}});
    const smmuv3::Decoded d = smmuv3::decode_command(enc.dw0, enc.dw1, smmuv3::CommandFeatures{});
    smmuv3::InvalidationScope s;
    EXPECT_TRUE(d.ok && smmuv3::invalidation_scope(d.cmd, s));
    return s;
}

}  // namespace

TEST(AtsEndpoint, AMissSendsATranslationRequestThenTheAccessGoesOutTranslated)
{
    Rig r;
    r.smmu.completions[0x5000] = success(0x20000, kPage);
    r.smmu.ram[0x20123] = 0xab;
    DmaTransfer first, second;
    run([&] {
        first = r.dma(0x5100, 0x100);
        second = r.dma(0x5120, 0x10);
    });
    // PCIe ATS: the request for the page (Page Aligned Request), then the
    // access at the translated address.
    ASSERT_EQ(r.smmu.seen.size(), 3u);
    EXPECT_EQ(r.smmu.seen[0].at, At::TranslationRequest);
    EXPECT_EQ(r.smmu.seen[0].addr, 0x5000u);
    EXPECT_EQ(r.smmu.seen[0].len, 8u);
    EXPECT_FALSE(r.smmu.seen[0].write);  // No Write: a read's request
    EXPECT_EQ(r.smmu.seen[0].sid, 8u);
    EXPECT_EQ(r.smmu.seen[1].at, At::Translated);
    EXPECT_EQ(r.smmu.seen[1].addr, 0x20100u);
    EXPECT_EQ(r.smmu.seen[2].at, At::Translated);  // the hit: no request
    EXPECT_EQ(r.smmu.seen[2].addr, 0x20120u);
    ASSERT_TRUE(first.ok() && second.ok());
    EXPECT_EQ(first.accesses[0].pa, 0x20100u);
    EXPECT_FALSE(first.accesses[0].bypassed);
    EXPECT_EQ(first.data[0x23], 0xab);
    EXPECT_EQ(first.cycles, kLookup + kTrNs + kAccessNs);
    EXPECT_EQ(second.cycles, kLookup + kAccessNs);
    EXPECT_EQ(r.stat("translation_requests"), 1u);
    EXPECT_EQ(r.stat("completions_success"), 1u);
    EXPECT_EQ(r.stat("translated_accesses"), 2u);
    EXPECT_EQ(r.atc("lookups"), 2u);
    EXPECT_EQ(r.atc("misses"), 1u);
    EXPECT_EQ(r.atc("hits"), 1u);
    EXPECT_EQ(r.atc("fills"), 1u);
    EXPECT_EQ(r.req.stats().value("accesses"), 2u);  // the request is not a DMA transaction
}

TEST(AtsEndpoint, ALargeTranslationServesEveryPageOfItsRange)
{
    Rig r;
    r.smmu.completions[0x10000] = success(0x20000, 0x10000);  // 64 KiB
    DmaTransfer t;
    run([&] { t = r.dma(0x13ff0, 0x1020, true); });  // three pages of the range
    ASSERT_EQ(t.accesses.size(), 3u);
    EXPECT_TRUE(t.ok());
    EXPECT_EQ(t.accesses[1].pa, 0x24000u);
    EXPECT_EQ(r.stat("translation_requests"), 1u);
    EXPECT_EQ(r.atc("hits"), 2u);
    EXPECT_EQ(r.smmu.ram[0x23ff0], DmaRequester::pattern(0x13ff0));
    EXPECT_EQ(t.cycles, 3 * (kLookup + kAccessNs) + kTrNs);
}

TEST(AtsEndpoint, AtcInvOfTheRangeMakesTheNextAccessMiss)
{
    Rig r;
    r.smmu.completions[0x5000] = success(0x20000, kPage);
    r.smmu.completions[0x9000] = success(0x30000, kPage);
    run([&] {
        r.dma(0x5000, 4);
        r.dma(0x9000, 4);
        // IHI 0070 4.5.1 CMD_ATC_INV: Size 0 at 0x5000 names that page only.
        r.ep.atc().invalidate(atc_inv(8, 0x5000, 0));
        r.dma(0x5000, 4);
        r.dma(0x9000, 4);
    });
    EXPECT_EQ(r.stat("translation_requests"), 3u);  // 0x5000 twice, 0x9000 once
    EXPECT_EQ(r.atc("invalidated"), 1u);
    EXPECT_EQ(r.atc("hits"), 1u);
}

TEST(AtsEndpoint, RefusingCompletionsFailTheAccessWithoutAnUntranslatedRetry)
{
    Rig r;
    r.smmu.completions[0x1000] = success(0x20000, kPage, false, false);  // "no access"
    StreamIdExtension::AtsCompletion ca;
    ca.status = Status::CompleterAbort;
    r.smmu.completions[0x2000] = ca;  // 0x3000: absent, so UR
    r.smmu.completions[0x4000] = success(0x21000, 0x3000);  // malformed size
    r.smmu.completions[0x5000] = success(0x22000, kPage, true, false);  // read-only
    r.smmu.ram[0x22000] = 0x5a;
    std::vector<DmaTransfer> t;
    run([&] {
        for (uint64_t a : {0x1000, 0x2000, 0x3000, 0x4000})
            t.push_back(r.dma(a, 4));
        t.push_back(r.dma(0x5000, 4, true));  // a write to a read-only page
        t.push_back(r.dma(0x5000, 4));        // a read of it hits
    });
    const AtsRefusal why[] = {AtsRefusal::NoPermission, AtsRefusal::CompleterAbort, AtsRefusal::UnsupportedRequest,
                              AtsRefusal::Malformed, AtsRefusal::NoPermission};
    for (size_t i = 0; i < 5; i++) {
        SCOPED_TRACE(i);
        ASSERT_EQ(t[i].accesses.size(), 1u);
        EXPECT_FALSE(t[i].accesses[0].ok);
        EXPECT_EQ(t[i].accesses[0].ats_refused, why[i]);
        EXPECT_EQ(t[i].accesses[0].fault, 0u);
    }
    EXPECT_TRUE(t[5].ok());
    EXPECT_EQ(t[5].data[0], 0x5a);
    // The write's request asked for write permission (No Write clear).
    ASSERT_EQ(r.smmu.seen.size(), 6u);
    EXPECT_EQ(r.smmu.seen[4].at, At::TranslationRequest);
    EXPECT_TRUE(r.smmu.seen[4].write);
    // Only requests went out, and the one read: nothing untranslated.
    unsigned accesses = 0;
    for (const auto& s : r.smmu.seen) {
        EXPECT_NE(s.at, At::Untranslated);
        accesses += s.at == At::Translated;
    }
    EXPECT_EQ(accesses, 1u);
    EXPECT_EQ(r.stat("refused_accesses"), 5u);
    EXPECT_EQ(r.stat("completions_ur"), 1u);
    EXPECT_EQ(r.stat("completions_ca"), 1u);
    EXPECT_EQ(r.stat("completions_success"), 3u);
    EXPECT_EQ(r.stat("completions_malformed"), 1u);
    EXPECT_EQ(r.atc("fills"), 1u);  // only the read-only page
    EXPECT_EQ(r.req.stats().value("faults"), 5u);
}

TEST(AtsEndpoint, AtsDisabledIsUntranslatedAndDisablingEmptiesTheAtc)
{
    Rig r({}, false);
    r.smmu.completions[0x5000] = success(0x20000, kPage);
    DmaTransfer off, on;
    run([&] {
        off = r.dma(0x5000, 4);
        r.cfg.write(pcicfg::EXT_CAP_START + pcicfg::ATS_CTRL, 2, pcicfg::ATS_CTRL_ENABLE);
        on = r.dma(0x5000, 4);
        r.cfg.write(pcicfg::EXT_CAP_START + pcicfg::ATS_CTRL, 2, 0);
    });
    ASSERT_EQ(r.smmu.seen.size(), 3u);
    EXPECT_EQ(r.smmu.seen[0].at, At::Untranslated);
    EXPECT_EQ(r.smmu.seen[0].addr, 0x5000u);
    EXPECT_EQ(off.cycles, kAccessNs);  // no ATC lookup
    EXPECT_EQ(on.accesses[0].pa, 0x20000u);
    EXPECT_EQ(r.ep.atc().valid(), 0u);
    EXPECT_EQ(r.atc("lookups"), 1u);
}

// Two DMA engines (SystemC processes) missing at once, with `slots`
// outstanding requests allowed: with one, the second request waits for
// the first's completion; with two they overlap.
static void two_engines_miss_at_once(uint64_t slots)
{
    EndpointParams p;
    p.ats_outstanding = slots;
    Rig r(p);
    r.smmu.completions[0x5000] = success(0x20000, kPage);
    r.smmu.completions[0x9000] = success(0x30000, kPage);
    DmaTransfer a, b;
    sc_core::sc_spawn([&] { a = r.dma(0x5000, 4); });
    sc_core::sc_spawn([&] { b = r.dma(0x9000, 4); });
    sc_core::sc_start();
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(a.cycles, kLookup + kTrNs + kAccessNs);
    EXPECT_EQ(b.cycles, kLookup + kTrNs + kAccessNs + (slots == 1 ? kTrNs : 0));
    EXPECT_EQ(r.slot_stat("grants.dma_engine0"), 1u);
    EXPECT_EQ(r.slot_stat("grants.dma_engine1"), 1u);
    EXPECT_EQ(r.slot_stat("waits"), slots == 1 ? 1u : 0u);
}

TEST(AtsEndpoint, OneOutstandingRequestMakesTheSecondWait) { two_engines_miss_at_once(1); }
TEST(AtsEndpoint, TwoOutstandingRequestsOverlap) { two_engines_miss_at_once(2); }

TEST(AtsEndpoint, BadFiguresAreConfigErrors)
{
    ClockDomain clk{"smmu", 1000};
    EndpointParams p;
    PciConfigSpace cfg({}, true, p);
    p.ats_outstanding = 0;
    EXPECT_THROW(AtsEndpoint("bad_outstanding", clk, p, cfg, nullptr), ConfigError);
    p = {};
    p.atc_ways = 3;
    EXPECT_THROW(AtsEndpoint("bad_ways", clk, p, cfg, nullptr), ConfigError);
}
