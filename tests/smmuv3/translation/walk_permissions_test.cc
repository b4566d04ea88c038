// SPDX-License-Identifier: GPL-2.0-only
// Permission checks of walks (walk.h): every stage-1 AP[2:1] value with
// each privilege and access, UXN/PXN, the hierarchical APTable/UXNTable/
// PXNTable, WXN, PAN and "unprivileged-writable is never privileged-
// executable"; stage-2 S2AP and XN. One row per rule, expected results
// from the Arm ARM's permission tables. And check_access() (a TLB hit's
// check) agrees with the walk for every access.
#include <gtest/gtest.h>

#include "smmuv3/evtq.h"
#include "smmuv3/translation/walk.h"
#include "smmuv3/translation/table_memory.h"

namespace smmusim::smmuv3 {
namespace {

using test::TableMemory;

// 64K granule, 42-bit IA, start level 2: one table descriptor (level 2,
// entry 0) above one page (level 3, entry 0).
constexpr uint64_t kL2 = 0x1000'0000, kL3 = 0x1001'0000, kPagePa = 0x8000'0000;

StageConfig two_level()
{
    StageConfig c;
    c.enabled = true;
    c.granule = Granule::k64K;
    c.ia_bits = 42;
    c.start_level = 2;
    c.ttb = kL2;
    return c;
}

// The access kinds a transaction can make: data read, data write, instruction read.
enum Kind { R, W, X };
Access access(bool priv, Kind k) { return Access{k == W, k == X, priv}; }

struct Row {
    const char* rule;
    uint64_t page_bits;   // AP/S2AP, XN bits of the page (valid, page, AF added)
    uint64_t table_bits;  // hierarchical bits of the level-2 table descriptor
    bool wxn, pan;
    bool priv;
    Kind kind;
    bool allowed;
};

constexpr uint64_t AP(unsigned v) { return uint64_t(v) << 6; }
constexpr uint64_t kUxn = 1ull << 54, kPxn = 1ull << 53;
constexpr uint64_t kApTable1 = 1ull << 62, kApTable0 = 1ull << 61, kUxnTable = 1ull << 60, kPxnTable = 1ull << 59;

const Row kStage1Rows[] = {
    // AP[2:1] = 00: privileged read/write, no unprivileged access.
    {"AP=00 priv read", AP(0), 0, false, false, true, R, true},
    {"AP=00 priv write", AP(0), 0, false, false, true, W, true},
    {"AP=00 unpriv read", AP(0), 0, false, false, false, R, false},
    {"AP=00 unpriv write", AP(0), 0, false, false, false, W, false},
    {"AP=00 unpriv exec: execute-only", AP(0), 0, false, false, false, X, true},
    // 01: read/write at both.
    {"AP=01 unpriv read", AP(1), 0, false, false, false, R, true},
    {"AP=01 unpriv write", AP(1), 0, false, false, false, W, true},
    {"AP=01 unpriv exec", AP(1), 0, false, false, false, X, true},
    {"AP=01 priv exec: unpriv-writable is PXN", AP(1), 0, false, false, true, X, false},
    // 10: privileged read-only.
    {"AP=10 priv read", AP(2), 0, false, false, true, R, true},
    {"AP=10 priv write", AP(2), 0, false, false, true, W, false},
    {"AP=10 unpriv read", AP(2), 0, false, false, false, R, false},
    {"AP=10 priv exec", AP(2), 0, false, false, true, X, true},
    // 11: read-only at both.
    {"AP=11 unpriv read", AP(3), 0, false, false, false, R, true},
    {"AP=11 unpriv write", AP(3), 0, false, false, false, W, false},
    {"AP=11 priv write", AP(3), 0, false, false, true, W, false},
    {"AP=11 priv exec", AP(3), 0, false, false, true, X, true},
    // Execute-never.
    {"UXN unpriv exec", AP(3) | kUxn, 0, false, false, false, X, false},
    {"UXN priv exec", AP(3) | kUxn, 0, false, false, true, X, true},
    {"PXN priv exec", AP(3) | kPxn, 0, false, false, true, X, false},
    {"PXN unpriv exec", AP(3) | kPxn, 0, false, false, false, X, true},
    {"PXN priv read", AP(3) | kPxn, 0, false, false, true, R, true},
    // Hierarchical limits from the table descriptor.
    {"APTable[1] write", AP(1), kApTable1, false, false, true, W, false},
    {"APTable[1] read", AP(1), kApTable1, false, false, false, R, true},
    {"APTable[0] unpriv read", AP(1), kApTable0, false, false, false, R, false},
    {"APTable[0] priv write", AP(1), kApTable0, false, false, true, W, true},
    {"UXNTable unpriv exec", AP(3), kUxnTable, false, false, false, X, false},
    {"UXNTable priv exec", AP(3), kUxnTable, false, false, true, X, true},
    {"PXNTable priv exec", AP(3), kPxnTable, false, false, true, X, false},
    {"PXNTable unpriv exec", AP(3), kPxnTable, false, false, false, X, true},
    // WXN: writable is execute-never.
    {"WXN writable priv exec", AP(0), 0, true, false, true, X, false},
    {"WXN writable unpriv exec", AP(0), 0, true, false, false, X, false},
    {"WXN read-only priv exec", AP(2), 0, true, false, true, X, true},
    // PAN: privileged data access to unprivileged-accessible memory.
    {"PAN AP=01 priv read", AP(1), 0, false, true, true, R, false},
    {"PAN AP=11 priv read", AP(3), 0, false, true, true, R, false},
    {"PAN AP=00 priv write", AP(0), 0, false, true, true, W, true},
    {"PAN AP=11 unpriv read", AP(3), 0, false, true, false, R, true},
    {"PAN AP=11 priv exec", AP(3), 0, false, true, true, X, true},
};

constexpr uint64_t S2AP(unsigned v) { return uint64_t(v) << 6; }
constexpr uint64_t kS2Xn = 1ull << 54;

const Row kStage2Rows[] = {
    {"S2AP=00 read", S2AP(0), 0, false, false, false, R, false},
    {"S2AP=00 write", S2AP(0), 0, false, false, false, W, false},
    {"S2AP=01 read", S2AP(1), 0, false, false, false, R, true},
    {"S2AP=01 write", S2AP(1), 0, false, false, true, W, false},
    {"S2AP=10 read", S2AP(2), 0, false, false, true, R, false},
    {"S2AP=10 write", S2AP(2), 0, false, false, false, W, true},
    {"S2AP=11 write", S2AP(3), 0, false, false, false, W, true},
    {"S2 XN exec", S2AP(3) | kS2Xn, 0, false, false, false, X, false},
    {"S2 XN read", S2AP(3) | kS2Xn, 0, false, false, true, R, true},
    {"S2 exec", S2AP(1), 0, false, false, true, X, true},
    // Stage 2 has no hierarchical limits: the table descriptor's bits are ignored.
    {"S2 APTable ignored", S2AP(3), kApTable1 | kApTable0 | kUxnTable, false, false, false, W, true},
};

void build(TableMemory& m, const Row& r)
{
    m.write64(kL2, kL3 | 0x3 | r.table_bits);
    m.write64(kL3, kPagePa | 0x403 | r.page_bits);
}

void check_rows(Stage stage, const Row* rows, size_t n)
{
    for (size_t i = 0; i < n; ++i) {
        const Row& r = rows[i];
        TableMemory m;
        build(m, r);
        StageConfig cfg = two_level();
        cfg.wxn = r.wxn;
        cfg.pan = r.pan;
        const auto o = walk(cfg, stage, 0x1234, access(r.priv, r.kind), m);
        if (r.allowed) {
            EXPECT_TRUE(o.ok()) << r.rule;
            EXPECT_EQ(o.result.oa, kPagePa + 0x1234) << r.rule;
            continue;
        }
        EXPECT_EQ(o.fault.type, evt::F_PERMISSION) << r.rule;
        EXPECT_EQ(o.fault.level, 3u) << r.rule;
        EXPECT_EQ(o.fault.s2, stage == Stage::S2) << r.rule;
        EXPECT_EQ(o.fault.cls, Fault::Class::In) << r.rule;
    }
}

TEST(WalkPermissions, Stage1EveryRule) { check_rows(Stage::S1, kStage1Rows, std::size(kStage1Rows)); }

TEST(WalkPermissions, Stage2EveryRule) { check_rows(Stage::S2, kStage2Rows, std::size(kStage2Rows)); }

// A TLB hit checks a later access with check_access(): for every row's
// descriptor, the result of one successful walk must give, for each of the
// six accesses, the walk's own verdict.
TEST(WalkPermissions, CheckAccessAgreesWithTheWalk)
{
    for (Stage stage : {Stage::S1, Stage::S2}) {
        const Row* rows = stage == Stage::S1 ? kStage1Rows : kStage2Rows;
        const size_t n = stage == Stage::S1 ? std::size(kStage1Rows) : std::size(kStage2Rows);
        for (size_t i = 0; i < n; ++i) {
            TableMemory m;
            build(m, rows[i]);
            StageConfig cfg = two_level();
            cfg.wxn = rows[i].wxn;
            cfg.pan = rows[i].pan;
            cfg.affd = true;
            WalkOutcome any;
            any.fault.type = evt::F_PERMISSION;
            for (int a = 0; a < 6 && !any.ok(); ++a)
                any = walk(cfg, stage, 0x1234, access(a & 1, Kind(a / 2)), m);
            ASSERT_TRUE(any.ok()) << rows[i].rule;
            for (int a = 0; a < 6; ++a) {
                const Access acc = access(a & 1, Kind(a / 2));
                const auto w = walk(cfg, stage, 0x1234, acc, m);
                const Fault f = check_access(any.result, acc);
                EXPECT_EQ(f.type, w.fault.type) << rows[i].rule << " access " << a;
                EXPECT_EQ(f.s2, w.fault.s2) << rows[i].rule << " access " << a;
            }
        }
    }
}

TEST(WalkPermissions, ResultCarriesBothPrivilegesAndGlobal)
{
    TableMemory m;
    m.write64(kL2, kL3 | 0x3);
    m.write64(kL3, kPagePa | 0x403 | AP(2) | (1ull << 11));  // priv RO, nG
    const auto o = walk(two_level(), Stage::S1, 0x1234, access(true, R), m);
    ASSERT_TRUE(o.ok());
    EXPECT_FALSE(o.result.global);
    EXPECT_TRUE(o.result.s1_rights.priv.read);
    EXPECT_FALSE(o.result.s1_rights.priv.write);
    EXPECT_FALSE(o.result.s1_rights.unpriv.read);
    EXPECT_TRUE(o.result.s2_rights.unpriv.write);  // no stage 2: all granted
    EXPECT_TRUE(o.result.perm.read);
    EXPECT_FALSE(o.result.perm.write);
}

}  // namespace
}  // namespace smmusim::smmuv3
