// SPDX-License-Identifier: GPL-2.0-only
#include "stream_setup.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "smmuv3/smmuv3_regs.h"
#include "smmuv3/translation/cd.h"
#include "smmuv3/translation/ste.h"
#include "smmuv3/translation/vmsa_params.h"
#include "smmuv3/translation/walk.h"

namespace smmusim::test {

using namespace smmuv3;

namespace {

// TG0 / S2TG encodings (5.4 TG0, 5.2 S2TG: 0b00 4K, 0b01 64K, 0b10 16K).
uint64_t tg_of(Granule g) { return g == Granule::k4K ? 0 : g == Granule::k64K ? 1 : 2; }

// IPS / S2PS for an output size (the PS encoding of IDR5.OAS).
uint64_t ps_of(unsigned bits)
{
    switch (bits) {
    case 32: return 0;
    case 36: return 1;
    case 40: return 2;
    case 42: return 3;
    case 44: return 4;
    case 52: return 6;
    default: return 5;  // 48
    }
}

// S2SL0 for a start level (the inverse of vmsa::s2_start_level, vmsa_params.h).
uint64_t sl0_of(const StageConfig& s2)
{
    return s2.granule == Granule::k4K ? 2 - s2.start_level : 3 - s2.start_level;
}

void s2_fields(uint64_t (&e)[8], const StageConfig& s2, uint16_t vmid)
{
    ste::S2VMID.set(e, vmid);
    ste::S2T0SZ.set(e, 64 - s2.ia_bits);
    ste::S2SL0.set(e, sl0_of(s2));
    ste::S2IR0.set(e, 1);
    ste::S2OR0.set(e, 1);
    ste::S2SH0.set(e, 3);
    ste::S2TG.set(e, tg_of(s2.granule));
    ste::S2PS.set(e, ps_of(s2.oa_bits));
    ste::S2AA64.set(e, 1);
    ste::S2PTW.set(e, 1);
    ste::S2R.set(e, 1);
    ste::S2TTB.set(e, s2.ttb >> 4);
}

}  // namespace

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
    uint64_t e[8] = {};
    ste::V.set(e, 1);
    ste::Config.set(e, ste::CONFIG_S1_TRANS);
    ste::S1Fmt.set(e, ste::S1FMT_LINEAR);
    ste::S1ContextPtr.set(e, cd_table >> 6);
    ste::S1CDMax.set(e, cdmax);
    ste::S1DSS.set(e, s1dss);
    ste::S1CIR.set(e, 1);
    ste::S1COR.set(e, 1);
    ste::S1CSH.set(e, 3);
    ste::STRW.set(e, ste::STRW_NSEL1);
    write_ste(sid, e);
}

void StreamSetup::ste_s2(uint32_t sid, const StageConfig& s2, uint16_t vmid)
{
    uint64_t e[8] = {};
    ste::V.set(e, 1);
    ste::Config.set(e, ste::CONFIG_S2_TRANS);
    ste::SHCFG.set(e, 1);
    s2_fields(e, s2, vmid);
    write_ste(sid, e);
}

void StreamSetup::ste_nested(uint32_t sid, uint64_t cd_table_ipa, const StageConfig& s2, uint16_t vmid)
{
    uint64_t e[8] = {};
    ste::V.set(e, 1);
    ste::Config.set(e, ste::CONFIG_NESTED);
    ste::S1Fmt.set(e, ste::S1FMT_LINEAR);
    ste::S1ContextPtr.set(e, cd_table_ipa >> 6);
    ste::S1CIR.set(e, 1);
    ste::S1COR.set(e, 1);
    ste::S1CSH.set(e, 3);
    ste::STRW.set(e, ste::STRW_NSEL1);
    s2_fields(e, s2, vmid);
    write_ste(sid, e);
}

uint64_t StreamSetup::cd_table(unsigned log2_cds)
{
    return writer_.alloc_table(std::max<uint64_t>(64ull << log2_cds, 64));
}

void StreamSetup::cd(uint64_t cd_pa, const StageConfig& s1, uint16_t asid)
{
    uint64_t c[8] = {};
    cd::T0SZ.set(c, 64 - s1.ia_bits);
    cd::TG0.set(c, tg_of(s1.granule));
    cd::IR0.set(c, 1);
    cd::OR0.set(c, 1);
    cd::SH0.set(c, 3);
    cd::EPD1.set(c, 1);
    cd::V.set(c, 1);
    cd::IPS.set(c, ps_of(s1.oa_bits));
    cd::AA64.set(c, 1);
    cd::R.set(c, 1);
    cd::A.set(c, 1);
    cd::ASET.set(c, 1);
    cd::ASID.set(c, asid);
    cd::TTB0.set(c, s1.ttb >> 4);
    cd::MAIR0.set(c, 0x0004ff44);  // io-pgtable's MAIR: NC, WBWA, Device-nGnRE
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
