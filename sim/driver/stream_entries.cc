// SPDX-License-Identifier: GPL-2.0-only
#include "stream_entries.h"

#include "smmuv3/translation/cd.h"
#include "smmuv3/translation/ste.h"

namespace smmusim::driver {

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

// The stage-1 half: a linear CD table, write-back cacheable, EL1 streams.
void s1_fields(uint64_t (&e)[8], uint64_t cd_table)
{
    ste::S1Fmt.set(e, ste::S1FMT_LINEAR);
    ste::S1ContextPtr.set(e, cd_table >> 6);
    ste::S1CIR.set(e, 1);
    ste::S1COR.set(e, 1);
    ste::S1CSH.set(e, 3);
    ste::STRW.set(e, ste::STRW_NSEL1);
}

}  // namespace

void make_s1_ste(uint64_t (&e)[8], uint64_t cd_table, unsigned cdmax, uint64_t s1dss)
{
    e[0] = e[1] = e[2] = e[3] = e[4] = e[5] = e[6] = e[7] = 0;
    ste::V.set(e, 1);
    ste::Config.set(e, ste::CONFIG_S1_TRANS);
    s1_fields(e, cd_table);
    ste::S1CDMax.set(e, cdmax);
    ste::S1DSS.set(e, s1dss);
}

void make_s2_ste(uint64_t (&e)[8], const StageConfig& s2, uint16_t vmid)
{
    e[0] = e[1] = e[2] = e[3] = e[4] = e[5] = e[6] = e[7] = 0;
    ste::V.set(e, 1);
    ste::Config.set(e, ste::CONFIG_S2_TRANS);
    ste::SHCFG.set(e, 1);  // incoming
    s2_fields(e, s2, vmid);
}

void make_nested_ste(uint64_t (&e)[8], uint64_t cd_table_ipa, const StageConfig& s2, uint16_t vmid)
{
    e[0] = e[1] = e[2] = e[3] = e[4] = e[5] = e[6] = e[7] = 0;
    ste::V.set(e, 1);
    ste::Config.set(e, ste::CONFIG_NESTED);
    s1_fields(e, cd_table_ipa);
    s2_fields(e, s2, vmid);
}

void make_cd(uint64_t (&c)[8], const StageConfig& s1, uint16_t asid)
{
    c[0] = c[1] = c[2] = c[3] = c[4] = c[5] = c[6] = c[7] = 0;
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
}

}  // namespace smmusim::driver
