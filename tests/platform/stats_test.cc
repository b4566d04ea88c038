// SPDX-License-Identifier: GPL-2.0-only
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "platform/stats.h"

using namespace smmusim;

TEST(Histogram, ExactBelow256)
{
    Histogram h;
    for (uint64_t v = 1; v <= 100; v++)
        h.add(v);
    EXPECT_EQ(h.count(), 100u);
    EXPECT_EQ(h.min(), 1u);
    EXPECT_EQ(h.max(), 100u);
    EXPECT_EQ(h.percentile(50), 50u);
    EXPECT_EQ(h.percentile(99), 99u);
    EXPECT_EQ(h.percentile(100), 100u);
    EXPECT_DOUBLE_EQ(h.mean(), 50.5);
}

TEST(Histogram, NearestRankDefinition)
{
    // The p-th percentile of n samples is the ceil(p/100 * n)-th smallest.
    Histogram h;
    for (uint64_t v : {40ull, 10ull, 30ull, 20ull})
        h.add(v);
    EXPECT_EQ(h.percentile(25), 10u);    // rank 1
    EXPECT_EQ(h.percentile(25.1), 20u);  // rank 2
    EXPECT_EQ(h.percentile(50), 20u);    // rank 2
    EXPECT_EQ(h.percentile(51), 30u);    // rank 3
    EXPECT_EQ(h.percentile(75), 30u);    // rank 3
    EXPECT_EQ(h.percentile(99), 40u);    // rank 4
    EXPECT_EQ(h.percentile(0.001), 10u);  // at least the first
}

TEST(Histogram, FewSamplesGiveExactOrderStatistics)
{
    // Issue #10: 4 latencies read p99 1080 with max 1086 (1080 is the floor
    // of 1086's bucket). Kept samples make every percentile exact.
    Histogram h;
    for (uint64_t v : {1086ull, 1003ull, 1040ull, 1081ull})
        h.add(v);
    EXPECT_TRUE(h.exact());
    EXPECT_EQ(h.percentile(99), 1086u);
    EXPECT_EQ(h.percentile(50), 1040u);
    EXPECT_EQ(h.percentile(75), 1081u);
    EXPECT_EQ(h.percentile(25), 1003u);
    const nlohmann::json j = h.summary_json();
    EXPECT_EQ(j["p99"], 1086);
    EXPECT_EQ(j["p90"], 1086);
    EXPECT_EQ(j["p50"], 1040);
    EXPECT_EQ(j["percentiles"], "exact");
}

TEST(Histogram, ManySamplesAreBucketedWithinMinMax)
{
    Histogram h;
    // kExactSamples + 1 samples: past the bound, percentiles come from buckets.
    for (size_t i = 0; i < Histogram::kExactSamples; i++)
        h.add(1086);
    h.add(1003);
    EXPECT_FALSE(h.exact());
    EXPECT_EQ(h.summary_json()["percentiles"], "bucketed");
    // 1086 lies in the bucket [1080, 1087]: its floor, 1080, is reported...
    EXPECT_EQ(h.percentile(50), 1080u);
    // ...the first and last ranks are min and max, exactly.
    EXPECT_EQ(h.percentile(0.01), 1003u);
    EXPECT_EQ(h.percentile(100), 1086u);

    // A bucket floor below every sample is clamped to min.
    Histogram same;
    for (size_t i = 0; i < 2 * Histogram::kExactSamples; i++)
        same.add(1086);
    EXPECT_EQ(same.percentile(50), 1086u);
    EXPECT_EQ(same.percentile(99), 1086u);
}

TEST(Histogram, LogLinearAboveWithin1Percent)
{
    Histogram h;
    for (uint64_t v = 1000; v < 1000 + 1000 * 2 * Histogram::kExactSamples; v += 1000)
        h.add(v);
    ASSERT_FALSE(h.exact());
    const uint64_t p50 = h.percentile(50);  // exact answer 1024000
    EXPECT_LE(p50, 1024000u);
    EXPECT_GE(p50, 1024000u * 99 / 100);
    for (uint64_t v : {256ull, 257ull, 1000ull, 123456789ull, 1ull << 40}) {
        uint64_t f = Histogram::bucket_floor(Histogram::bucket_of(v));
        EXPECT_LE(f, v);
        EXPECT_GE(static_cast<double>(f), static_cast<double>(v) * (1 - 1.0 / 128)) << v;
        EXPECT_GE(Histogram::bucket_ceiling(Histogram::bucket_of(v)), v) << v;
    }
}

TEST(Histogram, BucketsHaveBoundsAndCounts)
{
    Histogram h;
    for (uint64_t v : std::initializer_list<uint64_t>{5, 5, 300, 301, 1000, UINT64_MAX})
        h.add(v);
    const auto b = h.buckets();
    ASSERT_EQ(b.size(), 4u);
    EXPECT_EQ(b[0].lo, 5u);
    EXPECT_EQ(b[0].hi, 5u);
    EXPECT_EQ(b[0].count, 2u);
    EXPECT_EQ(b[1].lo, 300u);  // 2^8 .. 2^9: buckets 2 wide
    EXPECT_EQ(b[1].hi, 301u);
    EXPECT_EQ(b[1].count, 2u);
    EXPECT_EQ(b[2].lo, 1000u);  // 2^9 .. 2^10: 4 wide
    EXPECT_EQ(b[2].hi, 1003u);
    EXPECT_EQ(b[2].count, 1u);
    EXPECT_EQ(b[3].lo, 0xff00000000000000ull);  // the last bucket ends at 2^64 - 1
    EXPECT_EQ(b[3].hi, UINT64_MAX);
    const nlohmann::json j = h.to_json();
    EXPECT_EQ(j["buckets"][1], nlohmann::json::parse(R"({"lo": 300, "hi": 301, "count": 2})"));
    EXPECT_EQ(j["count"], 6);
    // Buckets are contiguous: each begins after the previous one's end.
    for (unsigned k = 0; k < 1000; k++)
        EXPECT_EQ(Histogram::bucket_ceiling(k) + 1, Histogram::bucket_floor(k + 1)) << k;
}

TEST(Histogram, EmptyReadsZero)
{
    Histogram h;
    EXPECT_EQ(h.percentile(99), 0u);
    EXPECT_EQ(h.summary_json(), nlohmann::json::parse(R"({"count": 0, "min": 0, "max": 0, "mean": 0.0,
        "p50": 0, "p90": 0, "p99": 0, "percentiles": "exact"})"));
    EXPECT_TRUE(h.to_json()["buckets"].empty());
}

TEST(StatGroup, CountersAndJson)
{
    StatGroup g("x");
    g.counter("a", "first")++;
    g.counter("a", "first") += 2;
    g.histogram("h", "lat").add(5);
    EXPECT_EQ(g.value("a"), 3u);
    auto j = g.to_json();
    EXPECT_EQ(j["a"], 3);
    EXPECT_EQ(j["h"]["max"], 5);
    EXPECT_THROW(g.histogram("a", ""), std::logic_error);
}

TEST(StatGroup, UnitsAreGivenOrTakenFromTheName)
{
    StatGroup g("u");
    g.counter("busy_cycles", "d");
    g.counter("bytes", "d");
    g.counter("reads", "d");
    g.counter("consumed", "d", "commands");
    g.histogram("latency_cycles", "d");
    std::map<std::string, std::string> unit;
    g.for_each([&](const StatInfo& i) { unit[i.name] = i.unit; });
    EXPECT_EQ(unit, (std::map<std::string, std::string>{{"u.busy_cycles", "cycles"},
                                                         {"u.bytes", "bytes"},
                                                         {"u.consumed", "commands"},
                                                         {"u.latency_cycles", "cycles"},
                                                         {"u.reads", "count"}}));
}

TEST(StatRegistry, GroupsRegisterThemselvesAndLeaveWhenDestroyed)
{
    auto g = std::make_unique<StatGroup>("reg.a");
    g->counter("n", "things seen", "things") += 7;
    g->histogram("lat", "latency").add(12);
    ASSERT_EQ(StatRegistry::global().find("reg.a"), g.get());
    // A second group of the same name would hide the first: refused.
    EXPECT_THROW(StatGroup("reg.a"), std::logic_error);

    const nlohmann::json j = StatRegistry::global().to_json();
    EXPECT_EQ(j["reg.a.n"], nlohmann::json::parse(R"({"kind": "counter", "unit": "things",
        "description": "things seen", "value": 7})"));
    EXPECT_EQ(j["reg.a.lat"]["kind"], "histogram");
    EXPECT_EQ(j["reg.a.lat"]["description"], "latency");
    EXPECT_EQ(j["reg.a.lat"]["buckets"], nlohmann::json::parse(R"([{"lo": 12, "hi": 12, "count": 1}])"));

    std::vector<std::string> names;
    StatRegistry::global().for_each([&](const StatInfo& i) { names.push_back(i.name); });
    EXPECT_EQ(names, (std::vector<std::string>{"reg.a.lat", "reg.a.n"}));

    g.reset();
    EXPECT_EQ(StatRegistry::global().find("reg.a"), nullptr);
    EXPECT_TRUE(StatRegistry::global().to_json().empty());
}

namespace {

// Every figure of a histogram, percentiles and buckets included.
nlohmann::json all_figures(const Histogram& h) { return h.to_json(); }

}  // namespace

// A histogram reset in the middle and given back what it had before holds,
// figure for figure, what the unbroken one holds: below kExactSamples (exact
// percentiles from the kept samples) and past it (the first 1024 kept).
TEST(Histogram, MergingTheEarlierSamplesBackGivesTheUnbrokenHistogram)
{
    for (uint64_t split : {0ull, 1ull, 300ull, 1023ull, 1024ull, 1500ull}) {
        for (uint64_t n : {600ull, 2000ull}) {
            if (split > n)
                continue;
            Histogram whole, before, after;
            for (uint64_t i = 0; i < n; i++) {
                const uint64_t v = (i * 7919) % 5003 + (i % 3) * 100000;  // spread over many buckets
                whole.add(v);
                (i < split ? before : after).add(v);
            }
            after.merge_earlier(before);
            EXPECT_EQ(all_figures(after), all_figures(whole)) << "split " << split << " of " << n;
            EXPECT_EQ(after.exact(), whole.exact());
        }
    }
}

TEST(Histogram, ResetLeavesNoSamples)
{
    Histogram h;
    h.add(5);
    h.add(700);
    h.reset();
    EXPECT_EQ(all_figures(h), all_figures(Histogram()));
}

// The region of interest (StatRegistry::begin_region/end_region): figures
// counted inside it are the region's, and afterwards every statistic holds
// the whole run's, as if there had been no region.
TEST(StatRegion, CountsOnlyInsideAndRestoresTheWholeRun)
{
    StatGroup g("test.region");
    Counter& c = g.counter("events", "d");
    Histogram& h = g.histogram("latency_cycles", "d");
    c += 3;
    h.add(10);
    h.add(20);
    StatRegistry& r = StatRegistry::global();
    r.begin_region();
    EXPECT_TRUE(r.in_region());
    EXPECT_EQ(c.value(), 0u);
    c += 2;
    h.add(5);
    StatGroup late("test.region.late");  // made inside the region
    late.counter("made", "d") += 4;
    const nlohmann::json roi = r.end_region();
    EXPECT_FALSE(r.in_region());
    EXPECT_EQ(roi["test.region.events"]["value"], 2);
    EXPECT_EQ(roi["test.region.latency_cycles"]["count"], 1);
    EXPECT_EQ(roi["test.region.latency_cycles"]["min"], 5);
    EXPECT_EQ(roi["test.region.late.made"]["value"], 4);
    // The whole run again, and counting on.
    EXPECT_EQ(c.value(), 5u);
    EXPECT_EQ(h.count(), 3u);
    EXPECT_EQ(h.min(), 5u);
    EXPECT_EQ(h.max(), 20u);
    EXPECT_EQ(late.value("made"), 4u);
    c++;
    EXPECT_EQ(c.value(), 6u);
}

TEST(StatRegion, OneAtATime)
{
    StatRegistry& r = StatRegistry::global();
    EXPECT_THROW(r.end_region(), std::logic_error);
    r.begin_region();
    EXPECT_THROW(r.begin_region(), std::logic_error);
    r.end_region();
}
