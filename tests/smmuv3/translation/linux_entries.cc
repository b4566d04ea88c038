// SPDX-License-Identifier: GPL-2.0-only
// STEs and CDs as Linux writes them (linux_entries.h).
#include "linux_entries.h"

namespace smmusim::test {

namespace ste = smmuv3::ste;
namespace cd = smmuv3::cd;

Entry arm_smmu_make_abort_ste()
{
    Entry e;
    ste::V.set(e.d, 1);
    ste::Config.set(e.d, ste::CONFIG_ABORT);
    return e;
}

Entry arm_smmu_make_bypass_ste(const LinuxSmmu& smmu)
{
    Entry e;
    ste::V.set(e.d, 1);
    ste::Config.set(e.d, ste::CONFIG_BYPASS);
    if (smmu.attr_types_ovr)
        ste::SHCFG.set(e.d, 1);  // STRTAB_STE_1_SHCFG_INCOMING
    return e;
}

Entry arm_smmu_make_cdtable_ste(const LinuxSmmu& smmu, uint64_t cdtab_dma, unsigned s1fmt, unsigned s1cdmax,
                                bool ats_enabled, unsigned s1dss)
{
    Entry e;
    ste::V.set(e.d, 1);
    ste::Config.set(e.d, ste::CONFIG_S1_TRANS);
    ste::S1Fmt.set(e.d, s1fmt);
    e.d[0] |= cdtab_dma & ste::S1ContextPtr.mask();
    ste::S1CDMax.set(e.d, s1cdmax);
    ste::S1DSS.set(e.d, s1dss);
    ste::S1CIR.set(e.d, 1);  // STRTAB_STE_1_S1C_CACHE_WBRA
    ste::S1COR.set(e.d, 1);
    ste::S1CSH.set(e.d, 3);  // ARM_SMMU_SH_ISH
    ste::EATS.set(e.d, ats_enabled ? ste::EATS_TRANS : 0);
    // S1STALLD only with ARM_SMMU_FEAT_STALLS, which the model (STALL_MODEL 0b01) lacks.
    if (smmu.attr_types_ovr && s1dss == ste::S1DSS_BYPASS)
        ste::SHCFG.set(e.d, 1);
    ste::STRW.set(e.d, smmu.e2h ? ste::STRW_EL2 : ste::STRW_NSEL1);  // NSEL1: S2VMID = 0
    return e;
}

Entry arm_smmu_make_s2_domain_ste(const LinuxSmmu& smmu, uint16_t vmid, const Vtcr& vtcr, uint64_t vttbr,
                                  bool ats_enabled, bool s2fwb)
{
    Entry e;
    ste::V.set(e.d, 1);
    ste::Config.set(e.d, ste::CONFIG_S2_TRANS);
    ste::EATS.set(e.d, ats_enabled ? ste::EATS_TRANS : 0);
    ste::S2FWB.set(e.d, s2fwb);
    if (smmu.attr_types_ovr)
        ste::SHCFG.set(e.d, 1);
    ste::S2VMID.set(e.d, vmid);
    ste::S2T0SZ.set(e.d, vtcr.tsz), ste::S2SL0.set(e.d, vtcr.sl), ste::S2IR0.set(e.d, vtcr.irgn);
    ste::S2OR0.set(e.d, vtcr.orgn), ste::S2SH0.set(e.d, vtcr.sh), ste::S2TG.set(e.d, vtcr.tg);
    ste::S2PS.set(e.d, vtcr.ps);
    ste::S2AA64.set(e.d, 1), ste::S2PTW.set(e.d, 1), ste::S2R.set(e.d, 1);  // little-endian kernel: no S2ENDI
    ste::S2S.set(e.d, smmu.stall_enabled);
    e.d[3] = vttbr & ste::S2TTB.mask();
    return e;
}

Entry arm_smmu_make_nested_cd_table_ste(const LinuxSmmu& smmu, uint16_t vmid, const Vtcr& vtcr, uint64_t vttbr,
                                        uint64_t vste0, uint64_t vste1, bool ats_enabled)
{
    Entry e = arm_smmu_make_s2_domain_ste(smmu, vmid, vtcr, vttbr, ats_enabled);
    e.d[0] = ste::V.mask() | ste::Config.bits.put(ste::CONFIG_NESTED);
    e.d[0] |= vste0 & ~ste::Config.mask();
    e.d[1] |= vste1;
    ste::MEV.set(e.d, 1);  // "Merge events for DoS mitigations on eventq"
    return e;
}

Entry arm_smmu_make_s1_cd(const LinuxSmmu& smmu, const Tcr& tcr, uint64_t ttbr, uint16_t asid, uint64_t mair)
{
    Entry e;
    cd::T0SZ.set(e.d, tcr.tsz), cd::TG0.set(e.d, tcr.tg), cd::IR0.set(e.d, tcr.irgn);
    cd::OR0.set(e.d, tcr.orgn), cd::SH0.set(e.d, tcr.sh);
    cd::EPD1.set(e.d, 1), cd::V.set(e.d, 1), cd::IPS.set(e.d, tcr.ips), cd::AA64.set(e.d, 1);
    cd::S.set(e.d, smmu.stall_enabled);
    cd::R.set(e.d, 1), cd::A.set(e.d, 1), cd::ASET.set(e.d, 1), cd::ASID.set(e.d, asid);
    e.d[1] = ttbr & cd::TTB0.mask();
    e.d[3] = mair;
    return e;
}

}  // namespace smmusim::test
