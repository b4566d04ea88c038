// SPDX-License-Identifier: GPL-2.0-only
// An STE read back from simulated DRAM (stream_table.h).
#include "support/stream_table.h"

#include "smmuv3/smmuv3_regs.h"
#include "smmuv3/translation/stream_table.h"

namespace smmusim::test {

namespace r = smmuv3;

uint64_t strtab_base(TestBench& b) { return b.smmu().bank().get(r::STRTAB_BASE); }
uint64_t strtab_base_cfg(TestBench& b) { return b.smmu().bank().get(r::STRTAB_BASE_CFG); }

smmuv3::SteContext smmu_context(TestBench& b)
{
    auto reg = [&](uint32_t off) { return static_cast<uint32_t>(b.smmu().bank().get(off)); };
    return smmuv3::SteContext::from_registers(reg(r::IDR0), reg(r::IDR1), reg(r::IDR3), reg(r::IDR5), reg(r::CR0),
                                              reg(r::CR2));
}

uint64_t ste_word(TestBench& b, uint32_t sid, unsigned w)
{
    smmuv3::MemoryTableReader mem(b.soc().memory());
    const smmuv3::TableLocation loc =
        smmuv3::ste_address(strtab_base(b), strtab_base_cfg(b), sid, smmu_context(b), mem);
    uint64_t v = 0;
    if (!loc.fault)
        b.soc().memory().read(loc.addr + 8 * w, &v, 8);
    return v;
}

}  // namespace smmusim::test
