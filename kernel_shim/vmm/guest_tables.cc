// SPDX-License-Identifier: GPL-2.0-only
// The guest's vSTE and CDs as its driver writes them (guest_tables.h).
#include "guest_tables.h"

namespace smmusim::kshim::guest {

uint64_t tg0_of(smmuv3::Granule g)
{
    switch (g) {
    case smmuv3::Granule::k4K:
        return 0;
    case smmuv3::Granule::k64K:
        return 1;
    case smmuv3::Granule::k16K:
        return 2;
    }
    return 0;
}

uint64_t ips_of(unsigned oas)
{
    static constexpr unsigned kSizes[] = {32, 36, 40, 42, 44, 48, 52};
    for (uint64_t i = 0; i < sizeof(kSizes) / sizeof(kSizes[0]); i++)
        if (kSizes[i] == oas)
            return i;
    return ~0ull;
}

std::array<uint64_t, 8> make_s1_cd(const S1Context& c)
{
    namespace cd = smmuv3::cd;
    std::array<uint64_t, 8> d{};
    cd::T0SZ.set(d, 64 - c.ias);
    cd::TG0.set(d, tg0_of(c.granule));
    cd::IR0.set(d, RGN_WBWA);
    cd::OR0.set(d, RGN_WBWA);
    cd::SH0.set(d, SH_IS);
    cd::IPS.set(d, ips_of(c.oas));
    cd::ASID.set(d, c.asid);
    for (const smmuv3::DwordField& one : {cd::EPD1, cd::V, cd::AA64, cd::R, cd::A, cd::ASET})
        one.set(d, 1);
    d[1] = c.ttb0 & cd::TTB0.mask();
    cd::MAIR0.set(d, kLinuxMair & 0xffffffff);
    cd::MAIR1.set(d, kLinuxMair >> 32);
    return d;
}

std::array<uint64_t, 2> make_vste(uint64_t cd_table, unsigned s1cdmax, uint64_t s1dss, uint64_t eats)
{
    namespace ste = smmuv3::ste;
    std::array<uint64_t, 2> s{};
    ste::V.set(s, 1);
    ste::Config.set(s, ste::CONFIG_S1_TRANS);
    ste::S1Fmt.set(s, ste::S1FMT_LINEAR);
    s[0] |= cd_table & ste::S1ContextPtr.mask();
    ste::S1CDMax.set(s, s1cdmax);
    ste::S1DSS.set(s, s1dss);
    ste::S1CIR.set(s, S1C_CACHE_WBRA);
    ste::S1COR.set(s, S1C_CACHE_WBRA);
    ste::S1CSH.set(s, SH_ISH);
    ste::EATS.set(s, eats);
    return s;
}

}  // namespace smmusim::kshim::guest
