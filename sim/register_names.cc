// SPDX-License-Identifier: GPL-2.0-only
#include "register_names.h"

#include <fmt/format.h>

#include "soc.h"

namespace smmusim {

namespace {

// The register of `bank` at `off`, with "+4" for the upper word of a
// 64-bit one; "" for none.
std::string in_bank(const RegisterBank& bank, uint32_t off)
{
    const RegSpec* r = bank.find(off);
    if (!r)
        return "";
    return off == r->offset ? r->name : fmt::format("{}+{}", r->name, off - r->offset);
}

std::string in_cmdqv(Cmdqv& c, uint32_t off)
{
    if (off < cmdqv::kVcmdqPage0)
        return in_bank(c.bank(), off);
    // Every VCMDQ has the same registers: the first one's names serve.
    const cmdqv::VcmdqPlace at = cmdqv::vcmdq_place(off);
    const bool exists = at.logical ? at.vintf < c.num_vintfs() && at.index < c.lvcmdqs_per_vintf()
                                   : at.index < c.num_vcmdqs();
    if (!exists)
        return "";
    const std::string reg = in_bank(c.vcmdq(0).bank(), Vcmdq::bank_offset(at.page, at.reg));
    if (reg.empty())
        return "";
    return at.logical ? fmt::format("VINTF{}_LVCMDQ{}_{}", at.vintf, at.index, reg)
                      : fmt::format("VCMDQ{}_{}", at.index, reg);
}

}  // namespace

std::string register_name(Soc& soc, uint64_t addr)
{
    const uint64_t smmu = soc.params().smmu_base;
    if (addr >= smmu && addr - smmu < smmuv3::kRegSpaceSize) {
        const std::string r = in_bank(soc.smmu().bank(), static_cast<uint32_t>(addr - smmu));
        return r.empty() ? r : "smmu." + r;
    }
    const uint64_t cmdqv = soc.params().cmdqv_base;
    if (soc.has_cmdqv() && addr >= cmdqv && addr - cmdqv < soc.cmdqv().size()) {
        const std::string r = in_cmdqv(soc.cmdqv(), static_cast<uint32_t>(addr - cmdqv));
        return r.empty() ? r : "cmdqv." + r;
    }
    return "";
}

}  // namespace smmusim
