// SPDX-License-Identifier: GPL-2.0-only
#include "res0_fields.h"

#include "smmuv3_regs.h"

namespace smmusim::smmuv3 {

namespace {
// PRI is not implemented: IDR0.PRI reads 0 whatever the configuration.
bool no_pri(const Smmuv3Params&) { return true; }
bool no_ats(const Smmuv3Params& p) { return !p.ats; }
bool no_hyp(const Smmuv3Params& p) { return !p.hyp; }
bool no_msi(const Smmuv3Params& p) { return !p.msi; }
constexpr uint64_t kAll32 = 0xffffffffull, kAll64 = ~0ull;
}  // namespace

const std::vector<Res0Field>& res0_fields()
{
    static const std::vector<Res0Field> fields = {
        {"CR0.PRIQEN", CR0, cr0::PRIQEN.mask(), "IHI 0070 §6.3 SMMU_CR0: PRIQEN is RES0 if IDR0.PRI = 0", no_pri},
        {"CR0.ATSCHK", CR0, cr0::ATSCHK.mask(), "IHI 0070 §6.3 SMMU_CR0: ATSCHK is RES0 if IDR0.ATS = 0", no_ats},
        {"CR2.E2H", CR2, cr2::E2H.mask(), "IHI 0070 §6.3 SMMU_CR2: E2H is RES0 if IDR0.HYP = 0", no_hyp},
        {"IRQ_CTRL.PRIQ_IRQEN", IRQ_CTRL, irq_ctrl::PRIQ_IRQEN.mask(),
         "IHI 0070 §6.3 SMMU_IRQ_CTRL: PRIQ_IRQEN is RES0 if IDR0.PRI = 0", no_pri},
        {"GERRORN.PRIQ_ABT_ERR", GERRORN, gerror::PRIQ_ABT_ERR.mask() | gerror::MSI_PRIQ_ABT_ERR.mask(),
         "IHI 0070 §6.3 SMMU_GERROR(N): PRIQ_ABT_ERR, MSI_PRIQ_ABT_ERR are RES0 if IDR0.PRI = 0", no_pri},
        {"GERRORN.MSI_*_ABT_ERR", GERRORN,
         gerror::MSI_CMDQ_ABT_ERR.mask() | gerror::MSI_EVTQ_ABT_ERR.mask() | gerror::MSI_GERROR_ABT_ERR.mask(),
         "IHI 0070 §6.3 SMMU_GERROR(N): MSI_*_ABT_ERR are RES0 if IDR0.MSI = 0", no_msi},
        {"GERROR_IRQ_CFG0", GERROR_IRQ_CFG0, kAll64, "IHI 0070 §6.3 SMMU_GERROR_IRQ_CFG0: RES0 if IDR0.MSI = 0",
         no_msi},
        {"GERROR_IRQ_CFG1", GERROR_IRQ_CFG1, kAll32, "IHI 0070 §6.3 SMMU_GERROR_IRQ_CFG1: RES0 if IDR0.MSI = 0",
         no_msi},
        {"GERROR_IRQ_CFG2", GERROR_IRQ_CFG2, kAll32, "IHI 0070 §6.3 SMMU_GERROR_IRQ_CFG2: RES0 if IDR0.MSI = 0",
         no_msi},
        {"EVTQ_IRQ_CFG0", EVTQ_IRQ_CFG0, kAll64, "IHI 0070 §6.3 SMMU_EVENTQ_IRQ_CFG0: RES0 if IDR0.MSI = 0", no_msi},
        {"EVTQ_IRQ_CFG1", EVTQ_IRQ_CFG1, kAll32, "IHI 0070 §6.3 SMMU_EVENTQ_IRQ_CFG1: RES0 if IDR0.MSI = 0", no_msi},
        {"EVTQ_IRQ_CFG2", EVTQ_IRQ_CFG2, kAll32, "IHI 0070 §6.3 SMMU_EVENTQ_IRQ_CFG2: RES0 if IDR0.MSI = 0", no_msi},
        {"PRIQ_BASE", PRIQ_BASE, kAll64, "IHI 0070 §6.3 SMMU_PRIQ_BASE: RES0 if IDR0.PRI = 0", no_pri},
        {"PRIQ_PROD", PRIQ_PROD, kAll32, "IHI 0070 §6.3 SMMU_PRIQ_PROD: RES0 if IDR0.PRI = 0", no_pri},
        {"PRIQ_CONS", PRIQ_CONS, kAll32, "IHI 0070 §6.3 SMMU_PRIQ_CONS: RES0 if IDR0.PRI = 0", no_pri},
        {"PRIQ_IRQ_CFG0", PRIQ_IRQ_CFG0, kAll64, "IHI 0070 §6.3 SMMU_PRIQ_IRQ_CFG0: RES0 if IDR0.PRI = 0", no_pri},
        {"PRIQ_IRQ_CFG1", PRIQ_IRQ_CFG1, kAll32, "IHI 0070 §6.3 SMMU_PRIQ_IRQ_CFG1: RES0 if IDR0.PRI = 0", no_pri},
        {"PRIQ_IRQ_CFG2", PRIQ_IRQ_CFG2, kAll32, "IHI 0070 §6.3 SMMU_PRIQ_IRQ_CFG2: RES0 if IDR0.PRI = 0", no_pri},
    };
    return fields;
}

uint64_t res0_bits(uint32_t offset, const Smmuv3Params& p)
{
    uint64_t bits = 0;
    for (const Res0Field& f : res0_fields())
        if (f.offset == offset && f.absent(p))
            bits |= f.mask;
    return bits;
}

}  // namespace smmusim::smmuv3
