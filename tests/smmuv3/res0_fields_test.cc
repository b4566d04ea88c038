// SPDX-License-Identifier: GPL-2.0-only
// Register fields of absent features are RES0 (models/smmuv3/res0_fields.h):
// one test row per table row, with the IHI 0070 section it comes from. Each
// row writes all ones to the register and reads the field back: zero while
// the feature is absent, and (where the configuration can add the feature)
// what was written while it is present, so every row can fail.
#include <ostream>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "smmuv3/res0_fields.h"
#include "smmuv3/smmuv3_regs.h"
#include "support/testbench.h"

using namespace smmusim;
using namespace smmusim::smmuv3;
using namespace smmusim::test;

namespace {

struct Row {
    const char* field;    // res0_fields() name
    const char* absent;   // --set that removes the feature ("" = always absent)
    const char* present;  // --set that provides it (nullptr = the model cannot)
};

const Row kRows[] = {
    {"CR0.PRIQEN", "", nullptr},
    {"CR0.ATSCHK", "smmu.idr.ats=0", "smmu.idr.ats=1"},
    {"CR2.E2H", "smmu.idr.hyp=0", "smmu.idr.hyp=1"},
    {"IRQ_CTRL.PRIQ_IRQEN", "", nullptr},
    {"GERRORN.PRIQ_ABT_ERR", "", nullptr},
    {"GERRORN.MSI_*_ABT_ERR", "smmu.idr.msi=0", "smmu.idr.msi=1"},
    {"GERROR_IRQ_CFG0", "smmu.idr.msi=0", "smmu.idr.msi=1"},
    {"GERROR_IRQ_CFG1", "smmu.idr.msi=0", "smmu.idr.msi=1"},
    {"GERROR_IRQ_CFG2", "smmu.idr.msi=0", "smmu.idr.msi=1"},
    {"EVTQ_IRQ_CFG0", "smmu.idr.msi=0", "smmu.idr.msi=1"},
    {"EVTQ_IRQ_CFG1", "smmu.idr.msi=0", "smmu.idr.msi=1"},
    {"EVTQ_IRQ_CFG2", "smmu.idr.msi=0", "smmu.idr.msi=1"},
    {"PRIQ_BASE", "", nullptr},
    {"PRIQ_PROD", "", nullptr},
    {"PRIQ_CONS", "", nullptr},
    {"PRIQ_IRQ_CFG0", "", nullptr},
    {"PRIQ_IRQ_CFG1", "", nullptr},
    {"PRIQ_IRQ_CFG2", "", nullptr},
};

const Res0Field& field(const char* name)
{
    for (const Res0Field& f : res0_fields())
        if (std::string(f.name) == name)
            return f;
    throw std::runtime_error(std::string("no RES0 field ") + name);
}

// All ones written through the bus, the register read back; and the
// register's write mask in that configuration.
struct ReadBack {
    uint64_t value;
    uint64_t wmask;
};

ReadBack write_ones_read_back(const char* set, uint32_t off)
{
    TestBench b(*set ? std::vector<std::string>{set} : std::vector<std::string>{});
    const RegSpec* spec = b.smmu().bank().find(off);
    ReadBack r{0, spec->wmask};
    b.run([&] {
        uint64_t ones = spec->width == 8 ? ~0ull : 0xffffffffull;
        EXPECT_TRUE(b.access(off, spec->width, true, ones));
        EXPECT_TRUE(b.access(off, spec->width, false, r.value));
    });
    EXPECT_TRUE(b.finished());
    return r;
}

// gtest prints parameters in test names and messages.
void PrintTo(const Row& r, std::ostream* os) { *os << r.field; }

std::vector<Row> rows_with_the_feature()
{
    std::vector<Row> v;
    for (const Row& r : kRows)
        if (r.present)
            v.push_back(r);
    return v;
}

std::string row_name(const ::testing::TestParamInfo<Row>& info)
{
    std::string n = info.param.field;
    for (char& c : n)
        if (!isalnum(static_cast<unsigned char>(c)))
            c = '_';
    return n;
}

class Res0Absent : public ::testing::TestWithParam<Row> {};
class Res0Present : public ::testing::TestWithParam<Row> {};

}  // namespace

TEST_P(Res0Absent, FieldReadsZeroAndIgnoresWrites)
{
    const Row& r = GetParam();
    const Res0Field& f = field(r.field);
    const ReadBack rb = write_ones_read_back(r.absent, f.offset);
    EXPECT_EQ(rb.value & f.mask, 0u) << f.section;
    EXPECT_EQ(rb.wmask & f.mask, 0u) << f.section;
}

// Where the configuration can add the feature, the field is writable.
TEST_P(Res0Present, FieldIsWritable)
{
    const Row& r = GetParam();
    const Res0Field& f = field(r.field);
    // Every bit of the field the register implements reads back (GERRORN:
    // writing ones acknowledges; the bits read back as written).
    const ReadBack rb = write_ones_read_back(r.present, f.offset);
    EXPECT_NE(rb.wmask & f.mask, 0u) << f.section;
    EXPECT_EQ(rb.value & f.mask, rb.wmask & f.mask) << f.section;
}

INSTANTIATE_TEST_SUITE_P(Fields, Res0Absent, ::testing::ValuesIn(kRows), row_name);
INSTANTIATE_TEST_SUITE_P(Fields, Res0Present, ::testing::ValuesIn(rows_with_the_feature()), row_name);

TEST(Res0Fields, EveryTableRowHasATestRowAndASection)
{
    std::set<std::string> tested;
    for (const Row& r : kRows)
        tested.insert(r.field);
    for (const Res0Field& f : res0_fields()) {
        EXPECT_TRUE(tested.count(f.name)) << f.name;
        EXPECT_EQ(std::string(f.section).rfind("IHI 0070 §6.3 SMMU_", 0), 0u) << f.section;
    }
    EXPECT_EQ(tested.size(), res0_fields().size());
}
