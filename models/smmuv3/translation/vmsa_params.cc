// SPDX-License-Identifier: GPL-2.0-only
// VMSAv8-64 translation-control rules (vmsa_params.h).
#include "vmsa_params.h"

#include <algorithm>

namespace smmusim::smmuv3::vmsa {

std::optional<Granule> tg0_granule(uint64_t tg)
{
    switch (tg) {
    case 0: return Granule::k4K;
    case 1: return Granule::k64K;
    case 2: return Granule::k16K;
    default: return std::nullopt;
    }
}

unsigned ps_bits(uint64_t ps)
{
    static constexpr unsigned kBits[8] = {32, 36, 40, 42, 44, 48, 52, 52};
    return kBits[ps & 7];
}

unsigned s1_start_level(unsigned ia_bits, Granule g)
{
    const unsigned s = stride(g), page = granule_shift(g);
    const unsigned levels = ia_bits > page ? (ia_bits - page + s - 1) / s : 1;
    return levels >= 4 ? 0 : 4 - levels;
}

std::optional<unsigned> s2_start_level(uint64_t sl0, Granule g, unsigned pa_bits)
{
    if (g == Granule::k4K) {
        switch (sl0) {
        case 0: return 2u;
        case 1: return 1u;
        case 2: return pa_bits < 44 ? std::nullopt : std::optional<unsigned>(0u);
        default: return std::nullopt;  // level 3: FEAT_TTST (IDR3.STT), not advertised
        }
    }
    switch (sl0) {
    case 0: return 3u;
    case 1: return 2u;
    case 2: return pa_bits < (g == Granule::k16K ? 42u : 44u) ? std::nullopt : std::optional<unsigned>(1u);
    default: return std::nullopt;  // 16K level 0 needs DS; 64K reserved
    }
}

int initial_level_bits(unsigned ia_bits, Granule g, unsigned level)
{
    return int(ia_bits) - int(granule_shift(g) + (3 - level) * stride(g));
}

unsigned table_align_log2(int initial_bits, unsigned oa_bits)
{
    const unsigned size_log2 = unsigned(std::max(initial_bits, 0)) + 3;
    return oa_bits >= 52 ? std::max(size_log2, 6u) : size_log2;
}

}  // namespace smmusim::smmuv3::vmsa
