// SPDX-License-Identifier: GPL-2.0-only
// Event records of translation faults (IHI 0070 7.3): which fields each
// event carries, where, and that nothing else is set.
#include <stdexcept>

#include <gtest/gtest.h>

#include "smmuv3/translation/event_record.h"

using namespace smmusim;
using namespace smmusim::smmuv3;

namespace {

Transaction txn()
{
    Transaction t;
    t.sid = 0x12345;
    t.ssv = true;
    t.ssid = 0xabcde;
    t.addr = 0xffff000012345678ull;
    t.size = 8;
    t.write = false;  // RnW = 1
    t.instr = true;
    t.priv = true;
    return t;
}

Fault fault(uint8_t type, bool s2 = true, Fault::Class cls = Fault::Class::Tt)
{
    Fault f;
    f.type = type;
    f.cls = cls;
    f.s2 = s2;
    f.input_addr = txn().addr;
    f.ipa = 0x0008123456789abcull;
    f.fetch_addr = 0x000fedcba9876548ull;
    return f;
}

}  // namespace

TEST(EventRecord, TranslationFaultsCarryTheAccessTheInputAndTheIpa)
{
    for (uint8_t type : {evt::F_TRANSLATION, evt::F_ADDR_SIZE, evt::F_ACCESS, evt::F_PERMISSION}) {
        const EventRecord r = event_record(fault(type), txn());
        EXPECT_EQ(r[0], uint64_t(type) | (1ull << 11) | (0xabcdeull << 12) | (0x12345ull << 32)) << int(type);
        // PnU 33, InD 34, RnW 35, S2 39, CLASS = TT (1) at 41:40, TTRnW 44
        EXPECT_EQ(r[1], (1ull << 33) | (1ull << 34) | (1ull << 35) | (1ull << 39) | (1ull << 40) | (1ull << 44))
            << int(type);
        EXPECT_EQ(r[2], 0xffff000012345678ull);
        EXPECT_EQ(r[3], 0x0008123456789000ull);  // IPA[51:12] in place
    }
}

TEST(EventRecord, AStageOneFaultHasNoIpaAndTtrnwOnlyForTableFetches)
{
    Transaction t = txn();
    t.write = true;
    t.ssv = false;
    const EventRecord r = event_record(fault(evt::F_TRANSLATION, false, Fault::Class::In), t);
    EXPECT_EQ(r[0], uint64_t(evt::F_TRANSLATION) | (0x12345ull << 32));  // no SubstreamID without SSV
    EXPECT_EQ(r[1], (1ull << 33) | (1ull << 34) | (2ull << 40));         // RnW = 0, S2 = 0, CLASS = IN
    EXPECT_EQ(r[3], 0u);
}

TEST(EventRecord, WalkAbortCarriesTheAccessAndTheFetchAddress)
{
    const EventRecord r = event_record(fault(evt::F_WALK_EABT, false), txn());
    EXPECT_EQ(evtrec::TYPE.get(r[0]), evt::F_WALK_EABT);
    EXPECT_EQ(evtrec::CLASS.get(r[1]), 1u);
    EXPECT_EQ(r[2], txn().addr);
    EXPECT_EQ(r[3], 0x000fedcba9876548ull);  // FetchAddr[51:3] in place
}

TEST(EventRecord, FetchFaultsCarryTheStreamAndTheFetchAddress)
{
    for (uint8_t type : {evt::F_STE_FETCH, evt::F_CD_FETCH}) {
        const EventRecord r = event_record(fault(type), txn());
        EXPECT_EQ(r[0], uint64_t(type) | (1ull << 11) | (0xabcdeull << 12) | (0x12345ull << 32));
        EXPECT_EQ(r[1], 0u);
        EXPECT_EQ(r[2], 0u);
        EXPECT_EQ(r[3], 0x000fedcba9876548ull);
    }
}

TEST(EventRecord, ConfigurationErrorsCarryTheStreamOnly)
{
    for (uint8_t type : {evt::C_BAD_STREAMID, evt::C_BAD_STE, evt::F_STREAM_DISABLED, evt::C_BAD_SUBSTREAMID,
                         evt::C_BAD_CD}) {
        const EventRecord r = event_record(fault(type), txn());
        EXPECT_EQ(r[0], uint64_t(type) | (1ull << 11) | (0xabcdeull << 12) | (0x12345ull << 32));
        EXPECT_EQ(r[1], 0u);
        EXPECT_EQ(r[2], 0u);
        EXPECT_EQ(r[3], 0u);
    }
}

TEST(EventRecord, EventsTheModelDoesNotRaiseAreRefused)
{
    EXPECT_THROW(event_record(fault(evt::F_UUT), txn()), std::invalid_argument);
    EXPECT_THROW(event_record(fault(evt::E_PAGE_REQUEST), txn()), std::invalid_argument);
    EXPECT_THROW(event_record(fault(0), txn()), std::invalid_argument);
}

TEST(EventRecord, EveryRaisedEventHasANameAndALayout)
{
    for (uint8_t type : kTranslationEvents) {
        ASSERT_NE(evt::name(type), nullptr) << int(type);
        EXPECT_NO_THROW(event_record(fault(type), txn())) << evt::name(type);
    }
}
