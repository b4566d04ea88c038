// SPDX-License-Identifier: GPL-2.0-only
// An STE read back from simulated DRAM (stream_table.h).
#include "support/stream_table.h"

#include "platform/bits.h"
#include "smmuv3/smmuv3_regs.h"

namespace smmusim::test {

uint64_t ste_word(TestBench& b, uint32_t sid, unsigned w)
{
    namespace r = smmuv3;
    const uint64_t base = r::strtab::ADDR.get(b.smmu().bank().get(r::STRTAB_BASE)) << 6;
    const uint64_t cfg = b.smmu().bank().get(r::STRTAB_BASE_CFG);
    uint64_t ste_pa = base + uint64_t(sid) * 64;
    if (r::strtab::FMT.get(cfg) == r::strtab::FMT_2LVL) {
        const unsigned split = static_cast<unsigned>(r::strtab::SPLIT.get(cfg));
        uint64_t l1 = 0;
        b.soc().memory().read(base + uint64_t(sid >> split) * 8, &l1, 8);
        if ((l1 & 0x1f) == 0)  // SPAN 0: no level-2 table
            return 0;
        ste_pa = (l1 & genmask(51, 6)) + uint64_t(sid & ((1u << split) - 1)) * 64;
    }
    uint64_t v = 0;
    b.soc().memory().read(ste_pa + 8 * w, &v, 8);
    return v;
}

}  // namespace smmusim::test
