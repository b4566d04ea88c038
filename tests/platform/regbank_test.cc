// SPDX-License-Identifier: GPL-2.0-only
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "platform/regbank.h"

using namespace smmusim;
using St = RegisterBank::Status;

TEST(RegisterBank, ResetValuesMasksAndHooks)
{
    RegisterBank b("t", 0x100);
    int hooks = 0;
    b.add({0x00, 4, "RO", 0x1234, 0});
    b.add({0x04, 4, "RW", 0, 0x0000ff0f}, [&](uint64_t old, uint64_t val) {
        hooks++;
        EXPECT_EQ(old, 0u);
        EXPECT_EQ(val, 0x0000ab0fu);
    });
    b.add({0x08, 8, "Q", 0, ~0ull});
    uint64_t v;
    EXPECT_EQ(b.read(0x00, 4, v), St::Ok);
    EXPECT_EQ(v, 0x1234u);
    EXPECT_EQ(b.write(0x00, 4, 0xffff), St::Ok);  // read-only bits keep their value
    EXPECT_EQ(b.get(0x00), 0x1234u);
    EXPECT_EQ(b.write(0x04, 4, 0xffffabff), St::Ok);
    EXPECT_EQ(b.get(0x04), 0xab0fu);
    EXPECT_EQ(hooks, 1);
    b.reset();
    EXPECT_EQ(b.get(0x04), 0u);
}

TEST(RegisterBank, SixtyFourBitRegistersTakeWholeOrHalfAccesses)
{
    RegisterBank b("t", 0x100);
    b.add({0x08, 8, "Q", 0, ~0ull});
    b.add({0x10, 4, "W", 0, ~0ull});
    uint64_t v;
    EXPECT_EQ(b.write(0x08, 8, 0x1122334455667788ull), St::Ok);
    EXPECT_EQ(b.read(0x08, 4, v), St::Ok);
    EXPECT_EQ(v, 0x55667788u);
    EXPECT_EQ(b.read(0x0c, 4, v), St::Ok);
    EXPECT_EQ(v, 0x11223344u);
    EXPECT_EQ(b.write(0x0c, 4, 0xaabbccdd), St::Ok);
    EXPECT_EQ(b.get(0x08), 0xaabbccdd55667788ull);
    // 64-bit access to a 32-bit register, odd sizes and misalignment: refused.
    EXPECT_EQ(b.read(0x10, 8, v), St::BadAccess);
    EXPECT_EQ(b.read(0x08, 2, v), St::BadAccess);
    EXPECT_EQ(b.read(0x0a, 4, v), St::BadAccess);
    EXPECT_EQ(b.write(0x0c, 8, 0), St::BadAccess);
    // Reserved space is RAZ/WI.
    EXPECT_EQ(b.read(0x20, 4, v), St::Reserved);
    EXPECT_EQ(v, 0u);
    EXPECT_EQ(b.write(0x20, 4, 5), St::Reserved);
    EXPECT_EQ(b.read(0x1000, 4, v), St::BadAccess);  // outside the bank
}

TEST(RegisterBank, OverlappingDefinitionsAreRejected)
{
    RegisterBank b("t", 0x100);
    b.add({0x08, 8, "Q", 0, ~0ull});
    EXPECT_THROW(b.add({0x0c, 4, "W", 0, 0}), std::logic_error);
    EXPECT_THROW(b.add({0x14, 8, "X", 0, 0}), std::logic_error);  // misaligned 64-bit
}

TEST(RegisterBank, ChangeObserversSeeOutcomesOfWritesAndModelUpdates)
{
    RegisterBank b("t", 0x100);
    b.add({0x00, 4, "RO", 0x1234, 0});
    b.add({0x04, 4, "RW", 0, ~0ull});
    // A register whose hook refuses odd values (as "ignored while enabled" does).
    b.add({0x08, 4, "EVEN", 0, ~0ull}, [&](uint64_t old, uint64_t val) {
        if (val & 1)
            b.set(0x08, old);
    });
    std::vector<std::pair<uint32_t, uint64_t>> seen;
    b.add_change_observer([&](uint32_t off, uint64_t v) { seen.emplace_back(off, v); });
    b.write(0x00, 4, 0xffff);  // read-only: no change
    b.write(0x04, 4, 7);
    b.write(0x04, 4, 7);       // same value: no change
    b.write(0x08, 4, 3);       // refused by its hook: no change
    b.write(0x08, 4, 4);
    b.set(0x00, 0x99);         // the model updates a read-only register
    b.reset();
    const std::vector<std::pair<uint32_t, uint64_t>> want{
        {0x04, 7}, {0x08, 4}, {0x00, 0x99}, {0x00, 0x1234}, {0x04, 0}, {0x08, 0}};
    EXPECT_EQ(seen, want);
}
