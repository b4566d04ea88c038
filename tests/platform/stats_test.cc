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

TEST(Histogram, LogLinearAboveWithin1Percent)
{
    Histogram h;
    for (uint64_t v = 1000; v < 101000; v += 1000)
        h.add(v);
    const uint64_t p50 = h.percentile(50);  // exact answer 50000
    EXPECT_LE(p50, 50000u);
    EXPECT_GE(p50, 50000u * 99 / 100);
    for (uint64_t v : {256ull, 257ull, 1000ull, 123456789ull, 1ull << 40}) {
        uint64_t f = Histogram::bucket_floor(Histogram::bucket_of(v));
        EXPECT_LE(f, v);
        EXPECT_GE(static_cast<double>(f), static_cast<double>(v) * (1 - 1.0 / 128)) << v;
    }
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
