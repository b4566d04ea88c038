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
    std::array<uint64_t, 8> d{};
    d[0] = cd::T0SZ.put(64 - c.ias) | cd::TG0.put(tg0_of(c.granule)) | cd::IRGN0.put(cd::RGN_WBWA) |
           cd::ORGN0.put(cd::RGN_WBWA) | cd::SH0.put(cd::SH_IS) | cd::EPD1.mask() | cd::V.mask() |
           cd::IPS.put(ips_of(c.oas)) | cd::AA64.mask() | cd::R.mask() | cd::A.mask() | cd::ASET.mask() |
           cd::ASID.put(c.asid);
    d[1] = c.ttb0 & cd::TTB0.mask();
    d[3] = cd::kLinuxMair;
    return d;
}

std::array<uint64_t, 2> make_vste(uint64_t cd_table, unsigned s1cdmax, uint64_t s1dss, uint64_t eats)
{
    return {ste::V.mask() | ste::CONFIG.put(ste::CONFIG_S1_TRANS) | ste::S1FMT.put(0) |
                (cd_table & ste::S1CONTEXTPTR.mask()) | ste::S1CDMAX.put(s1cdmax),
            ste::S1DSS.put(s1dss) | ste::S1CIR.put(ste::S1C_CACHE_WBRA) | ste::S1COR.put(ste::S1C_CACHE_WBRA) |
                ste::S1CSH.put(ste::SH_ISH) | ste::EATS.put(eats)};
}

}  // namespace smmusim::kshim::guest
