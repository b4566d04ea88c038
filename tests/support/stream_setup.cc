// SPDX-License-Identifier: GPL-2.0-only
#include "stream_setup.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "driver/stream_entries.h"
#include "smmuv3/smmuv3_regs.h"
#include "smmuv3/translation/cd.h"
#include "smmuv3/translation/ste.h"
#include "smmuv3/translation/vmsa_params.h"
#include "smmuv3/translation/walk.h"

namespace smmusim::test {

using namespace smmuv3;

StreamSetup::StreamSetup(TestBench& b, unsigned log2_sids)
    : b_(b), log2_sids_(log2_sids), strtab_(b.dram(kStrtab)), evtq_(b.dram(kEvtq)),
      writer_(b.mem(), b.dram(kPool), kPoolSize)
{
    const std::vector<uint8_t> zero((64ull << log2_sids), 0);
    b.mem().write(strtab_, zero.data(), zero.size());
}

void StreamSetup::write_ste(uint32_t sid, const uint64_t (&ste)[8])
{
    ASSERT_TRUE(b_.mem().write(strtab_ + uint64_t(sid) * 64, ste, 64));
}

void StreamSetup::read_ste(uint32_t sid, uint64_t (&ste)[8])
{
    ASSERT_TRUE(b_.mem().read(strtab_ + uint64_t(sid) * 64, ste, 64));
}

void StreamSetup::ste_abort(uint32_t sid)
{
    uint64_t e[8] = {};
    ste::V.set(e, 1);
    ste::Config.set(e, ste::CONFIG_ABORT);
    write_ste(sid, e);
}

void StreamSetup::ste_bypass(uint32_t sid)
{
    uint64_t e[8] = {};
    ste::V.set(e, 1);
    ste::Config.set(e, ste::CONFIG_BYPASS);
    ste::SHCFG.set(e, 1);  // incoming
    write_ste(sid, e);
}

void StreamSetup::ste_s1(uint32_t sid, uint64_t cd_table, unsigned cdmax, uint64_t s1dss)
{
    uint64_t e[8];
    driver::make_s1_ste(e, cd_table, cdmax, s1dss);
    write_ste(sid, e);
}

void StreamSetup::ste_s2(uint32_t sid, const StageConfig& s2, uint16_t vmid)
{
    uint64_t e[8];
    driver::make_s2_ste(e, s2, vmid);
    write_ste(sid, e);
}

void StreamSetup::ste_nested(uint32_t sid, uint64_t cd_table_ipa, const StageConfig& s2, uint16_t vmid)
{
    uint64_t e[8];
    driver::make_nested_ste(e, cd_table_ipa, s2, vmid);
    write_ste(sid, e);
}

uint64_t StreamSetup::cd_table(unsigned log2_cds)
{
    return writer_.alloc_table(std::max<uint64_t>(64ull << log2_cds, 64));
}

void StreamSetup::cd(uint64_t cd_pa, const StageConfig& s1, uint16_t asid)
{
    uint64_t c[8];
    driver::make_cd(c, s1, asid);
    ASSERT_TRUE(b_.mem().write(cd_pa, c, 64));
}

StageConfig StreamSetup::stage(Granule g, unsigned ia_bits)
{
    StageConfig c;
    c.enabled = true;
    c.granule = g;
    c.ia_bits = ia_bits;
    c.oa_bits = 48;
    c.start_level = vmsa::s1_start_level(ia_bits, g);
    return c;
}

MapAttrs StreamSetup::s1_attrs()
{
    MapAttrs a;
    a.global = false;
    return a;
}

MapAttrs StreamSetup::s2_attrs()
{
    MapAttrs a;
    a.attr = 0xf;
    return a;
}

std::unique_ptr<PgtableBuilder> StreamSetup::tables(const StageConfig& cfg, Stage stage)
{
    return std::make_unique<PgtableBuilder>(cfg, stage, writer_);
}

void StreamSetup::enable(uint64_t strtab)
{
    b_.wr64(STRTAB_BASE, strtab ? strtab : strtab_);
    b_.wr32(STRTAB_BASE_CFG, static_cast<uint32_t>(strtab::LOG2SIZE.put(log2_sids_) |
                                                   strtab::FMT.put(strtab::FMT_LINEAR)));
    b_.wr32(CR2, static_cast<uint32_t>(cr2::RECINVSID.mask() | cr2::PTM.mask()));
    b_.wr64(EVTQ_BASE, evtq_ | kEvtqLog2);
    b_.wr32(EVTQ_PROD, 0);
    b_.wr32(EVTQ_CONS, 0);
    b_.wr32(IRQ_CTRL, static_cast<uint32_t>(irq_ctrl::EVTQ_IRQEN.mask() | irq_ctrl::GERROR_IRQEN.mask()));
    const uint32_t want = b_.rd32(CR0) | static_cast<uint32_t>(cr0::EVTQEN.mask() | cr0::SMMUEN.mask());
    b_.wr32(CR0, want);
    EXPECT_TRUE(b_.wait_until([&] { return b_.rd32(CR0ACK) == want; }));
}

unsigned StreamSetup::events()
{
    return b_.rd32(EVTQ_PROD) & ((1u << kEvtqLog2) - 1);
}

EventRecord StreamSetup::event(unsigned n)
{
    EventRecord r{};
    b_.mem().read(evtq_ + uint64_t(n) * 32, r.data(), 32);
    return r;
}

}  // namespace smmusim::test
