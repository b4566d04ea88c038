// SPDX-License-Identifier: GPL-2.0-only
// The models' register offsets, fields and opcodes, checked against the
// definitions in the kernel tree the shim was built from (arm-smmu-v3.h and
// tegra241-cmdqv.c). The tree's text is read and its simple definitions are
// evaluated (numbers, +, *, <<, BIT, GENMASK and the macro's own
// parameters), so a driver that moves a register makes this test fail.
#include <cctype>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cmdqv/cmdqv_regs.h"
#include "endpoint/pci_config.h"
#include "smmuv3/commands.h"
#include "smmuv3/evtq.h"
#include "smmuv3/smmuv3_regs.h"
#include "smmuv3/translation/descriptors.h"
#include "vmm/guest_tables.h"
#include "smmuv3/translation/event_record.h"
#include "smmuv3/translation/cd.h"
#include "smmuv3/translation/ste.h"
#include "smmuv3/translation/stream_table.h"

using namespace smmusim;

namespace {

class KernelDefs {
public:
    void load(const std::string& path)
    {
        std::ifstream in(path);
        if (!in)
            throw std::runtime_error("cannot read " + path);
        static const std::regex def(R"(^\s*#define\s+(\w+)(\(([\w\s,]*)\))?\s+(.+?)\s*(/\*.*)?$)");
        static const std::regex enumerator(R"(^\s*(\w+)\s*=\s*(0x[0-9a-fA-F]+|\d+)\s*,)");
        std::string line, part;
        while (std::getline(in, part)) {
            line = part;
            while (!line.empty() && line.back() == '\\' && std::getline(in, part))  // continuation
                line = line.substr(0, line.size() - 1) + " " + part;
            std::smatch m;
            if (std::regex_match(line, m, def)) {
                Macro mac;
                mac.body = m[4];
                if (m[2].matched) {
                    std::stringstream ps(m[3].str());
                    std::string p;
                    while (std::getline(ps, p, ','))
                        mac.params.push_back(trim(p));
                }
                macros_[m[1]] = mac;
            } else if (std::regex_search(line, m, enumerator)) {
                macros_[m[1]] = Macro{{}, m[2]};
            }
        }
    }

    // Value of NAME, or of NAME(args...).
    uint64_t operator()(const std::string& name, std::vector<uint64_t> args = {}) const
    {
        auto it = macros_.find(name);
        if (it == macros_.end())
            throw std::runtime_error("the kernel tree does not define " + name);
        if (it->second.params.size() != args.size())
            throw std::runtime_error(name + ": wrong number of arguments");
        std::map<std::string, uint64_t> env;
        for (size_t i = 0; i < args.size(); i++)
            env[it->second.params[i]] = args[i];
        Parser p{*this, it->second.body, 0, env};
        const uint64_t v = p.expr();
        p.skip();
        if (p.pos != p.s.size())
            throw std::runtime_error(name + ": cannot evaluate '" + it->second.body + "'");
        return v;
    }

private:
    struct Macro {
        std::vector<std::string> params;
        std::string body;
    };
    static std::string trim(const std::string& s)
    {
        size_t a = s.find_first_not_of(" \t"), b = s.find_last_not_of(" \t");
        return a == std::string::npos ? "" : s.substr(a, b - a + 1);
    }

    // expr := term { ("+" | "<<") term }, term := atom { "*" atom }
    struct Parser {
        const KernelDefs& defs;
        std::string s;
        size_t pos;
        std::map<std::string, uint64_t> env;

        void skip()
        {
            while (pos < s.size() && isspace(static_cast<unsigned char>(s[pos])))
                pos++;
        }
        bool eat(const char* t)
        {
            skip();
            if (s.compare(pos, strlen(t), t) == 0) {
                pos += strlen(t);
                return true;
            }
            return false;
        }
        uint64_t expr()
        {
            uint64_t v = term();
            for (;;) {
                if (eat("+"))
                    v += term();
                else if (eat("<<"))
                    v <<= term();
                else
                    return v;
            }
        }
        uint64_t term()
        {
            uint64_t v = atom();
            while (eat("*"))
                v *= atom();
            return v;
        }
        uint64_t atom()
        {
            skip();
            if (eat("(")) {
                if (eat("arm_lpae_iopte)"))  // io-pgtable-arm.c's cast to its descriptor type
                    return atom();
                const uint64_t v = expr();
                if (!eat(")"))
                    throw std::runtime_error("missing ) in '" + s + "'");
                return v;
            }
            if (pos < s.size() && isdigit(static_cast<unsigned char>(s[pos]))) {
                size_t used = 0;
                const uint64_t v = std::stoull(s.substr(pos), &used, 0);
                pos += used;
                while (pos < s.size() && (s[pos] == 'U' || s[pos] == 'L'))
                    pos++;
                return v;
            }
            size_t start = pos;
            while (pos < s.size() && (isalnum(static_cast<unsigned char>(s[pos])) || s[pos] == '_'))
                pos++;
            const std::string id = s.substr(start, pos - start);
            if (id.empty())
                throw std::runtime_error("cannot evaluate '" + s + "'");
            std::vector<uint64_t> args;
            if (eat("(")) {
                do
                    args.push_back(expr());
                while (eat(","));
                if (!eat(")"))
                    throw std::runtime_error("missing ) in '" + s + "'");
            }
            if (env.count(id))
                return env.at(id);
            if (id == "BIT" || id == "BIT_ULL")
                return 1ull << args.at(0);
            if (id == "GENMASK" || id == "GENMASK_ULL")
                return genmask(static_cast<unsigned>(args.at(0)), static_cast<unsigned>(args.at(1)));
            if (id == "SZ_64K")
                return 0x10000;
            if (id == "SZ_128K")
                return 0x20000;
            return defs(id, args);
        }
    };

    std::map<std::string, Macro> macros_;
};

class RegsVsKernel : public testing::Test {
protected:
    void SetUp() override
    {
        const std::string dir = std::string(SMMUSIM_KERNEL_TREE) + "/drivers/iommu/arm/arm-smmu-v3/";
        k.load(dir + "arm-smmu-v3.h");
        k.load(dir + "tegra241-cmdqv.c");
    }
    KernelDefs k;
};

}  // namespace

TEST_F(RegsVsKernel, SmmuRegisterOffsets)
{
    using namespace smmuv3;
    const std::pair<const char*, uint32_t> regs[] = {
        {"ARM_SMMU_IDR0", IDR0}, {"ARM_SMMU_IDR1", IDR1}, {"ARM_SMMU_IDR3", IDR3}, {"ARM_SMMU_IDR5", IDR5},
        {"ARM_SMMU_IIDR", IIDR}, {"ARM_SMMU_CR0", CR0}, {"ARM_SMMU_CR0ACK", CR0ACK}, {"ARM_SMMU_CR1", CR1},
        {"ARM_SMMU_CR2", CR2}, {"ARM_SMMU_GBPA", GBPA}, {"ARM_SMMU_IRQ_CTRL", IRQ_CTRL},
        {"ARM_SMMU_IRQ_CTRLACK", IRQ_CTRLACK}, {"ARM_SMMU_GERROR", GERROR}, {"ARM_SMMU_GERRORN", GERRORN},
        {"ARM_SMMU_GERROR_IRQ_CFG0", GERROR_IRQ_CFG0}, {"ARM_SMMU_GERROR_IRQ_CFG1", GERROR_IRQ_CFG1},
        {"ARM_SMMU_GERROR_IRQ_CFG2", GERROR_IRQ_CFG2}, {"ARM_SMMU_STRTAB_BASE", STRTAB_BASE},
        {"ARM_SMMU_STRTAB_BASE_CFG", STRTAB_BASE_CFG}, {"ARM_SMMU_CMDQ_BASE", CMDQ_BASE},
        {"ARM_SMMU_CMDQ_PROD", CMDQ_PROD}, {"ARM_SMMU_CMDQ_CONS", CMDQ_CONS}, {"ARM_SMMU_EVTQ_BASE", EVTQ_BASE},
        {"ARM_SMMU_EVTQ_IRQ_CFG0", EVTQ_IRQ_CFG0}, {"ARM_SMMU_PRIQ_BASE", PRIQ_BASE},
        {"ARM_SMMU_PRIQ_IRQ_CFG0", PRIQ_IRQ_CFG0},
        // The kernel adds page 1's base to these itself.
        {"ARM_SMMU_EVTQ_PROD", EVTQ_PROD - kPageSize}, {"ARM_SMMU_EVTQ_CONS", EVTQ_CONS - kPageSize},
        {"ARM_SMMU_PRIQ_PROD", PRIQ_PROD - kPageSize}, {"ARM_SMMU_PRIQ_CONS", PRIQ_CONS - kPageSize}};
    for (const auto& [name, ours] : regs)
        EXPECT_EQ(k(name), ours) << name;
}

TEST_F(RegsVsKernel, SmmuFields)
{
    using namespace smmuv3;
    const std::pair<const char*, uint64_t> fields[] = {
        {"IDR0_ST_LVL", idr0::ST_LVL.mask()}, {"IDR0_STALL_MODEL", idr0::STALL_MODEL.mask()},
        {"IDR0_CD2L", idr0::CD2L.mask()}, {"IDR0_VMID16", idr0::VMID16.mask()}, {"IDR0_PRI", idr0::PRI.mask()},
        {"IDR0_SEV", idr0::SEV.mask()}, {"IDR0_MSI", idr0::MSI.mask()}, {"IDR0_ASID16", idr0::ASID16.mask()},
        {"IDR0_ATS", idr0::ATS.mask()}, {"IDR0_HYP", idr0::HYP.mask()}, {"IDR0_HTTU", idr0::HTTU.mask()},
        {"IDR0_COHACC", idr0::COHACC.mask()}, {"IDR0_TTF", idr0::TTF.mask()}, {"IDR0_S1P", idr0::S1P.mask()},
        {"IDR0_S2P", idr0::S2P.mask()}, {"IDR1_CMDQS", idr1::CMDQS.mask()}, {"IDR1_EVTQS", idr1::EVTQS.mask()},
        {"IDR1_PRIQS", idr1::PRIQS.mask()}, {"IDR1_SSIDSIZE", idr1::SSIDSIZE.mask()},
        {"IDR1_SIDSIZE", idr1::SIDSIZE.mask()}, {"IDR3_RIL", idr3::RIL.mask()}, {"IDR3_FWB", idr3::FWB.mask()}, {"IDR5_OAS", idr5::OAS.mask()},
        {"CR0_CMDQEN", cr0::CMDQEN.mask()}, {"CR0_EVTQEN", cr0::EVTQEN.mask()}, {"CR0_PRIQEN", cr0::PRIQEN.mask()},
        {"CR0_SMMUEN", cr0::SMMUEN.mask()}, {"CR0_ATSCHK", cr0::ATSCHK.mask()}, {"GBPA_UPDATE", gbpa::UPDATE.mask()},
        {"GBPA_ABORT", gbpa::ABORT.mask()}, {"IRQ_CTRL_EVTQ_IRQEN", irq_ctrl::EVTQ_IRQEN.mask()},
        {"IRQ_CTRL_GERROR_IRQEN", irq_ctrl::GERROR_IRQEN.mask()}, {"GERROR_CMDQ_ERR", gerror::CMDQ_ERR.mask()},
        {"GERROR_EVTQ_ABT_ERR", gerror::EVTQ_ABT_ERR.mask()}, {"GERROR_MSI_CMDQ_ABT_ERR", gerror::MSI_CMDQ_ABT_ERR.mask()},
        {"GERROR_ERR_MASK", gerror::kMask}, {"Q_BASE_ADDR_MASK", q::ADDR.mask()},
        {"CMDQ_CONS_ERR", q::CONS_ERR.mask()}, {"CMDQ_0_OP", cmdf::OPCODE.mask()},
        {"CMDQ_TLBI_0_ASID", cmdf::TLBI_ASID.mask()}, {"CMDQ_TLBI_0_VMID", cmdf::TLBI_VMID.mask()},
        {"CMDQ_TLBI_0_NUM", cmdf::TLBI_NUM.mask()}, {"CMDQ_TLBI_0_SCALE", cmdf::TLBI_SCALE.mask()},
        {"CMDQ_TLBI_1_TG", cmdf::TLBI_TG.mask()}, {"CMDQ_TLBI_1_TTL", cmdf::TLBI_TTL.mask()},
        {"CMDQ_TLBI_1_VA_MASK", cmdf::TLBI_VA.mask()}, {"CMDQ_ATC_0_SID", cmdf::ATC_SID.mask()},
        {"CMDQ_ATC_1_SIZE", cmdf::ATC_SIZE.mask()}, {"CMDQ_CFGI_0_SID", cmdf::CFGI_SID.mask()},
        {"CMDQ_CFGI_1_RANGE", cmdf::CFGI_RANGE.mask()}, {"CMDQ_SYNC_0_CS", cmdf::SYNC_CS.mask()},
        {"CMDQ_SYNC_0_MSIDATA", cmdf::SYNC_MSIDATA.mask()}, {"CMDQ_SYNC_1_MSIADDR_MASK", cmdf::SYNC_MSIADDR.mask()}};
    for (const auto& [name, ours] : fields) {
        // Before 7.3 the kernel declared SCALE as [24:20]; the architecture
        // (and 7.3) have [25:20]. The driver never sets bit 25, so the
        // older header is narrower, not different.
        if (name == std::string("CMDQ_TLBI_0_SCALE") && k(name) == genmask(24, 20))
            continue;
        EXPECT_EQ(k(name), ours) << name;
    }
}

TEST_F(RegsVsKernel, SmmuOpcodes)
{
    using namespace smmuv3;
    const std::pair<const char*, uint8_t> ops[] = {
        {"CMDQ_OP_PREFETCH_CFG", OP_PREFETCH_CONFIG}, {"CMDQ_OP_CFGI_STE", OP_CFGI_STE},
        {"CMDQ_OP_CFGI_ALL", OP_CFGI_STE_RANGE}, {"CMDQ_OP_CFGI_CD", OP_CFGI_CD}, {"CMDQ_OP_CFGI_CD_ALL", OP_CFGI_CD_ALL},
        {"CMDQ_OP_TLBI_NH_ALL", OP_TLBI_NH_ALL}, {"CMDQ_OP_TLBI_NH_ASID", OP_TLBI_NH_ASID},
        {"CMDQ_OP_TLBI_NH_VA", OP_TLBI_NH_VA}, {"CMDQ_OP_TLBI_EL2_ALL", OP_TLBI_EL2_ALL},
        {"CMDQ_OP_TLBI_EL2_ASID", OP_TLBI_EL2_ASID}, {"CMDQ_OP_TLBI_EL2_VA", OP_TLBI_EL2_VA},
        {"CMDQ_OP_TLBI_S12_VMALL", OP_TLBI_S12_VMALL}, {"CMDQ_OP_TLBI_S2_IPA", OP_TLBI_S2_IPA},
        {"CMDQ_OP_TLBI_NSNH_ALL", OP_TLBI_NSNH_ALL}, {"CMDQ_OP_ATC_INV", OP_ATC_INV},
        {"CMDQ_OP_PRI_RESP", OP_PRI_RESP}, {"CMDQ_OP_RESUME", OP_RESUME}, {"CMDQ_OP_CMD_SYNC", OP_CMD_SYNC}};
    for (const auto& [name, ours] : ops)
        EXPECT_EQ(k(name), ours) << name;
}

TEST_F(RegsVsKernel, CommandErrorCodes)
{
    using namespace smmuv3;
    const std::pair<const char*, uint64_t> codes[] = {{"CMDQ_ERR_CERROR_NONE_IDX", CERROR_NONE},
                                                      {"CMDQ_ERR_CERROR_ILL_IDX", CERROR_ILL},
                                                      {"CMDQ_ERR_CERROR_ABT_IDX", CERROR_ABT},
                                                      {"CMDQ_ERR_CERROR_ATC_INV_IDX", CERROR_ATC_INV_SYNC}};
    for (const auto& [name, ours] : codes)
        EXPECT_EQ(k(name), ours) << name;
}

// The event names (evt::name/by_name in evtq.h) are the ones the driver
// prints ("event: F_TRANSLATION client: ..."; its event_str[] in
// arm-smmu-v3.c), so a trace's expect=fault:TYPE names what dmesg shows.
// (The numbers themselves: EventRecordFields.)
TEST_F(RegsVsKernel, EventNames)
{
    using namespace smmuv3;
    const std::string path = std::string(SMMUSIM_KERNEL_TREE) + "/drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c";
    std::ifstream in(path);
    ASSERT_TRUE(in) << path;
    static const std::regex entry(R"re(^\s*\[(EVT_ID_\w+)\]\s*=\s*"(\w+)",)re");
    std::string line;
    unsigned names = 0;
    for (std::smatch m; std::getline(in, line);)
        if (std::regex_search(line, m, entry)) {
            names++;
            const uint64_t id = k(m[1]);
            ASSERT_NE(evt::name(static_cast<uint8_t>(id)), nullptr) << m[1];
            EXPECT_EQ(std::string(evt::name(static_cast<uint8_t>(id))), m[2].str()) << m[1];
            EXPECT_EQ(evt::by_name(m[2].str()), static_cast<int>(id)) << m[2];
        }
    EXPECT_GT(names, 0u);
    EXPECT_EQ(evt::by_name("F_NOSUCH"), -1);
    EXPECT_EQ(evt::name(0x7f), nullptr);
}

TEST_F(RegsVsKernel, CmdqvLayoutAndFields)
{
    using namespace cmdqv;
    EXPECT_EQ(k("TEGRA241_VCMDQ_PAGE0_BASE"), kVcmdqPage0);
    EXPECT_EQ(k("TEGRA241_VCMDQ_PAGE1_BASE"), kVcmdqPage1);
    EXPECT_EQ(k("TEGRA241_VINTF_PAGE_BASE"), kVintfPages);
    const std::pair<const char*, uint64_t> regs[] = {
        {"TEGRA241_CMDQV_CONFIG", CONFIG}, {"TEGRA241_CMDQV_PARAM", PARAM}, {"TEGRA241_CMDQV_STATUS", STATUS},
        {"TEGRA241_CMDQV_VINTF_ERR_MAP", VINTF_ERR_MAP}, {"TEGRA241_CMDQV_VINTF_INT_MASK", VINTF_INT_MASK},
        {"TEGRA241_VINTF_CONFIG", VINTF_CONFIG}, {"TEGRA241_VINTF_STATUS", VINTF_STATUS},
        {"TEGRA241_VCMDQ_CONS", VCMDQ_CONS}, {"TEGRA241_VCMDQ_PROD", VCMDQ_PROD},
        {"TEGRA241_VCMDQ_CONFIG", VCMDQ_CONFIG}, {"TEGRA241_VCMDQ_STATUS", VCMDQ_STATUS},
        {"TEGRA241_VCMDQ_GERROR", VCMDQ_GERROR}, {"TEGRA241_VCMDQ_GERRORN", VCMDQ_GERRORN},
        {"TEGRA241_VCMDQ_BASE", VCMDQ_BASE}, {"TEGRA241_VCMDQ_CONS_INDX_BASE", VCMDQ_CONS_INDX_BASE},
        {"CMDQV_EN", config::EN.mask()}, {"CMDQV_ENABLED", status::ENABLED.mask()},
        {"CMDQV_NUM_SID_PER_VM_LOG2", param::NUM_SID_PER_VM_LOG2.mask()},
        {"CMDQV_NUM_VINTF_LOG2", param::NUM_VINTF_LOG2.mask()}, {"CMDQV_NUM_VCMDQ_LOG2", param::NUM_VCMDQ_LOG2.mask()},
        {"CMDQV_VER", param::VER.mask()}, {"CMDQV_CMDQ_ALLOC_VINTF", alloc::VINTF.mask()},
        {"CMDQV_CMDQ_ALLOC_LVCMDQ", alloc::LVCMDQ.mask()}, {"CMDQV_CMDQ_ALLOCATED", alloc::ALLOCATED.mask()},
        {"VINTF_HYP_OWN", vintf_config::HYP_OWN.mask()}, {"VINTF_VMID", vintf_config::VMID.mask()},
        {"VINTF_EN", vintf_config::EN.mask()}, {"VINTF_ENABLED", vintf_status::ENABLED.mask()},
        {"VINTF_STATUS", vintf_status::STATUS.mask()}, {"VINTF_SID_MATCH_VIRT_SID", sid_match::VIRT_SID.mask()},
        {"VINTF_SID_MATCH_ENABLE", sid_match::ENABLE.mask()}, {"VCMDQ_CONS_ERR", vcmdq_cons::ERR.mask()},
        {"VCMDQ_EN", vcmdq_config::EN.mask()}, {"VCMDQ_ENABLED", vcmdq_status::ENABLED.mask()},
        {"VCMDQ_ADDR", vcmdq_base::ADDR.mask()}, {"VCMDQ_LOG2SIZE", vcmdq_base::LOG2SIZE.mask()}};
    for (const auto& [name, ours] : regs)
        EXPECT_EQ(k(name), ours) << name;
    for (uint64_t i : {0u, 3u, 127u}) {
        EXPECT_EQ(k("TEGRA241_CMDQV_CMDQ_ALLOC", {i}), cmdq_alloc(static_cast<unsigned>(i)));
        EXPECT_EQ(k("TEGRA241_VCMDQ_PAGE0", {i}), vcmdq_page0(static_cast<unsigned>(i)));
        EXPECT_EQ(k("TEGRA241_VCMDQ_PAGE1", {i}), vcmdq_page1(static_cast<unsigned>(i)));
    }
    for (uint64_t i : {0u, 1u, 3u}) {
        EXPECT_EQ(k("TEGRA241_CMDQV_CMDQ_ERR_MAP", {i}), cmdq_err_map(static_cast<unsigned>(i)));
        EXPECT_EQ(k("TEGRA241_VINTF_SID_MATCH", {i}), vintf_sid_match(static_cast<unsigned>(i)));
        EXPECT_EQ(k("TEGRA241_VINTF_SID_REPLACE", {i}), vintf_sid_replace(static_cast<unsigned>(i)));
    }
    for (uint64_t v : {0u, 1u, 63u}) {
        EXPECT_EQ(k("TEGRA241_VINTF", {v}), vintf(static_cast<unsigned>(v)));
        const auto vi = static_cast<unsigned>(v);
        EXPECT_EQ(k("TEGRA241_VINTFi_PAGE0", {v}), vintf_page0(vi));
        EXPECT_EQ(k("TEGRA241_VINTFi_PAGE1", {v}), vintf_page1(vi));
        for (uint64_t l : {0u, 1u}) {
            EXPECT_EQ(k("TEGRA241_VINTFi_LVCMDQ_PAGE0", {v, l}), lvcmdq_page0(vi, static_cast<unsigned>(l)));
            EXPECT_EQ(k("TEGRA241_VINTFi_LVCMDQ_PAGE1", {v, l}), lvcmdq_page1(vi, static_cast<unsigned>(l)));
        }
    }
    EXPECT_EQ(k("TEGRA241_VINTF_LVCMDQ_ERR_MAP_64", {1}), vintf_lvcmdq_err_map(1));
    EXPECT_EQ(k("LVCMDQ_ERR_MAP_NUM_64"), 2u);
}

// The VMSAv8-64 descriptor bits of descriptors.h against the ones Linux's
// io-pgtable-arm.c writes (ARM_LPAE_PTE_*, defined in the .c file).
TEST(DescriptorsVsKernel, IoPgtableArmPteBits)
{
    using namespace smmuv3::desc;
    KernelDefs k;
    k.load(std::string(SMMUSIM_KERNEL_TREE) + "/drivers/iommu/io-pgtable-arm.c");
    const std::pair<const char*, uint64_t> bits[] = {
        {"ARM_LPAE_PTE_VALID", kValid.mask()}, {"ARM_LPAE_PTE_TYPE_MASK", kValid.mask() | kTableOrPage.mask()},
        {"ARM_LPAE_PTE_TYPE_BLOCK", kValid.mask()}, {"ARM_LPAE_PTE_TYPE_TABLE", kValid.mask() | kTableOrPage.mask()},
        {"ARM_LPAE_PTE_TYPE_PAGE", kValid.mask() | kTableOrPage.mask()}, {"ARM_LPAE_PTE_AF", kAf.mask()},
        {"ARM_LPAE_PTE_nG", kNg.mask()}, {"ARM_LPAE_PTE_NS", kNs.mask()}, {"ARM_LPAE_PTE_NSTABLE", kNsTable.mask()},
        {"ARM_LPAE_PTE_XN", kPxn.mask() | kUxn.mask()}, {"ARM_LPAE_PTE_DBM", kDbm.mask()},
        {"ARM_LPAE_PTE_SH_IS", kSh.mask()}, {"ARM_LPAE_PTE_AP_UNPRIV", kApUnpriv.mask()},
        {"ARM_LPAE_PTE_AP_RDONLY", kApRdonly.mask()}, {"ARM_LPAE_PTE_ATTRINDX_SHIFT", kAttrIndx.lo},
        {"ARM_LPAE_PTE_HAP_READ", kS2ApRead.mask()}, {"ARM_LPAE_PTE_HAP_WRITE", kS2ApWrite.mask()},
        {"ARM_LPAE_PTE_MEMATTR_OIWB", kMemAttr.mask()}, {"ARM_LPAE_PTE_ADDR_MASK", encode_address(~0ull, smmuv3::Granule::k4K)},
        {"ARM_LPAE_S2_MAX_CONCAT_PAGES", kMaxConcat}, {"ARM_LPAE_MAX_LEVELS", kLevels}};
    for (const auto& [name, ours] : bits)
        EXPECT_EQ(k(name), ours) << name;
    // Stage 2 XN: io-pgtable sets both XN bits; without FEAT_XNX the model reads bit 54.
    EXPECT_NE(k("ARM_LPAE_PTE_XN") & kS2Xn.mask(), 0u);
}

// What a guest with its own stage 1 chooses (kernel_shim/vmm/guest_tables.h):
// the values its driver writes into the vSTE's and the CD's fields (the
// fields themselves are SteAndCdFields'), the TCR encodings, and
// io-pgtable-arm's MAIR.
TEST_F(RegsVsKernel, GuestVsteAndCdChoices)
{
    namespace guest = kshim::guest;
    const std::pair<const char*, uint64_t> values[] = {
        {"STRTAB_STE_1_S1C_CACHE_WBRA", guest::S1C_CACHE_WBRA}, {"ARM_SMMU_SH_ISH", guest::SH_ISH},
        {"CTXDESC_CD_DWORDS", guest::kCdBytes / 8}};
    for (const auto& [name, ours] : values)
        EXPECT_EQ(k(name), ours) << name;

    KernelDefs pgt;
    pgt.load(std::string(SMMUSIM_KERNEL_TREE) + "/drivers/iommu/io-pgtable-arm.h");
    pgt.load(std::string(SMMUSIM_KERNEL_TREE) + "/drivers/iommu/io-pgtable-arm.c");
    const std::pair<const char*, uint64_t> encodings[] = {
        {"ARM_LPAE_TCR_TG0_4K", guest::tg0_of(smmuv3::Granule::k4K)},
        {"ARM_LPAE_TCR_TG0_16K", guest::tg0_of(smmuv3::Granule::k16K)},
        {"ARM_LPAE_TCR_TG0_64K", guest::tg0_of(smmuv3::Granule::k64K)},
        {"ARM_LPAE_TCR_PS_32_BIT", guest::ips_of(32)}, {"ARM_LPAE_TCR_PS_40_BIT", guest::ips_of(40)},
        {"ARM_LPAE_TCR_PS_48_BIT", guest::ips_of(48)}, {"ARM_LPAE_TCR_PS_52_BIT", guest::ips_of(52)},
        {"ARM_LPAE_TCR_RGN_WBWA", guest::RGN_WBWA}, {"ARM_LPAE_TCR_SH_IS", guest::SH_IS}};
    for (const auto& [name, ours] : encodings)
        EXPECT_EQ(pgt(name), ours) << name;
    uint64_t mair = 0;
    const std::pair<const char*, const char*> attrs[] = {
        {"ARM_LPAE_MAIR_ATTR_NC", "ARM_LPAE_MAIR_ATTR_IDX_NC"},
        {"ARM_LPAE_MAIR_ATTR_WBRWA", "ARM_LPAE_MAIR_ATTR_IDX_CACHE"},
        {"ARM_LPAE_MAIR_ATTR_DEVICE", "ARM_LPAE_MAIR_ATTR_IDX_DEV"},
        {"ARM_LPAE_MAIR_ATTR_INC_OWBRWA", "ARM_LPAE_MAIR_ATTR_IDX_INC_OCACHE"}};
    for (const auto& [attr, idx] : attrs)
        mair |= pgt(attr) << pgt("ARM_LPAE_MAIR_ATTR_SHIFT", {pgt(idx)});
    EXPECT_EQ(mair, guest::kLinuxMair);
}

// The event record's fields (event_record.h) are the driver's EVTQ_*, and
// the records the model writes read back, field by field, as
// arm_smmu_decode_event() reads them (FIELD_GET with these masks; the
// function itself is static in arm-smmu-v3.c).
TEST_F(RegsVsKernel, EventRecordFields)
{
    using namespace smmuv3;
    const std::pair<const char*, uint64_t> fields[] = {
        {"EVTQ_0_ID", evtrec::TYPE.mask()},    {"EVTQ_0_SSV", evtrec::SSV.mask()},
        {"EVTQ_0_SSID", evtrec::SSID.mask()},  {"EVTQ_0_SID", evtrec::SID.mask()},
        {"EVTQ_1_STAG", evtrec::STAG.mask()},  {"EVTQ_1_STALL", evtrec::STALL.mask()},
        {"EVTQ_1_PnU", evtrec::PnU.mask()},    {"EVTQ_1_InD", evtrec::InD.mask()},
        {"EVTQ_1_RnW", evtrec::RnW.mask()},    {"EVTQ_1_S2", evtrec::S2.mask()},
        {"EVTQ_1_CLASS", evtrec::CLASS.mask()}, {"EVTQ_1_TT_READ", evtrec::TTRnW.mask()},
        {"EVTQ_3_IPA", evtrec::IPA.mask()},    {"EVTQ_3_FETCH_ADDR", evtrec::FETCH_ADDR.mask()}};
    for (const auto& [name, ours] : fields)
        EXPECT_EQ(k(name), ours) << name;
    EXPECT_EQ(k("EVTQ_1_CLASS_TT"), uint64_t(Fault::Class::Tt));
    const std::pair<const char*, uint8_t> ids[] = {
        {"EVT_ID_BAD_STREAMID_CONFIG", evt::C_BAD_STREAMID}, {"EVT_ID_STE_FETCH_FAULT", evt::F_STE_FETCH},
        {"EVT_ID_BAD_STE_CONFIG", evt::C_BAD_STE},           {"EVT_ID_STREAM_DISABLED_FAULT", evt::F_STREAM_DISABLED},
        {"EVT_ID_BAD_SUBSTREAMID_CONFIG", evt::C_BAD_SUBSTREAMID}, {"EVT_ID_CD_FETCH_FAULT", evt::F_CD_FETCH},
        {"EVT_ID_BAD_CD_CONFIG", evt::C_BAD_CD},             {"EVT_ID_TRANSLATION_FAULT", evt::F_TRANSLATION},
        {"EVT_ID_ADDR_SIZE_FAULT", evt::F_ADDR_SIZE},        {"EVT_ID_ACCESS_FAULT", evt::F_ACCESS},
        {"EVT_ID_PERMISSION_FAULT", evt::F_PERMISSION}};
    for (const auto& [name, ours] : ids)
        EXPECT_EQ(k(name), ours) << name;
}

TEST_F(RegsVsKernel, TheDriversDecoderReadsBackEveryFieldOfARecord)
{
    using namespace smmuv3;
    auto get = [&](const char* mask, uint64_t w) {
        const uint64_t m = k(mask);
        return (w & m) >> __builtin_ctzll(m);
    };
    Transaction t;
    t.sid = 0xbeef;
    t.ssv = true;
    t.ssid = 0x1234;
    t.addr = 0x0000ffffdead1008ull;
    t.write = false;
    t.instr = true;
    t.priv = true;
    Fault f;
    f.type = evt::F_PERMISSION;
    f.s2 = true;
    f.cls = Fault::Class::Tt;
    f.input_addr = t.addr;
    f.ipa = 0x00000abc12345678ull;
    const EventRecord r = event_record(f, t);
    EXPECT_EQ(get("EVTQ_0_ID", r[0]), k("EVT_ID_PERMISSION_FAULT"));
    EXPECT_EQ(get("EVTQ_0_SID", r[0]), 0xbeefu);
    EXPECT_EQ(get("EVTQ_0_SSV", r[0]), 1u);
    EXPECT_EQ(get("EVTQ_0_SSID", r[0]), 0x1234u);
    EXPECT_EQ(get("EVTQ_1_PnU", r[1]), 1u);
    EXPECT_EQ(get("EVTQ_1_InD", r[1]), 1u);
    EXPECT_EQ(get("EVTQ_1_RnW", r[1]), 1u);  // the driver's event->read
    EXPECT_EQ(get("EVTQ_1_S2", r[1]), 1u);
    EXPECT_EQ(get("EVTQ_1_CLASS", r[1]), k("EVTQ_1_CLASS_TT"));  // event->class_tt
    EXPECT_EQ(get("EVTQ_1_TT_READ", r[1]), 1u);
    EXPECT_EQ(get("EVTQ_1_STALL", r[1]), 0u);
    EXPECT_EQ(get("EVTQ_1_STAG", r[1]), 0u);
    EXPECT_EQ(get("EVTQ_2_ADDR", r[2]), t.addr);                  // event->iova
    EXPECT_EQ(r[3] & k("EVTQ_3_IPA"), 0x00000abc12345000ull);     // event->ipa
    f.type = evt::F_WALK_EABT;
    f.fetch_addr = 0x0000008001234568ull;
    EXPECT_EQ(event_record(f, t)[3] & k("EVTQ_3_FETCH_ADDR"), 0x0000008001234568ull);  // event->fetch_addr
}

TEST_F(RegsVsKernel, SteAndCdFields)
{
    // STRTAB_STE_<n>_* and CTXDESC_CD_<n>_* live in doubleword n; the
    // VTCR_EL2 fields are declared relative to STRTAB_STE_2_VTCR.
    using namespace smmuv3;
    const unsigned vtcr = static_cast<unsigned>(__builtin_ctzll(k("STRTAB_STE_2_VTCR")));
    const std::pair<const char*, DwordField> fields[] = {
        {"STRTAB_STE_0_V", ste::V}, {"STRTAB_STE_0_CFG", ste::Config}, {"STRTAB_STE_0_S1FMT", ste::S1Fmt},
        {"STRTAB_STE_0_S1CTXPTR_MASK", ste::S1ContextPtr}, {"STRTAB_STE_0_S1CDMAX", ste::S1CDMax},
        {"STRTAB_STE_1_S1DSS", ste::S1DSS}, {"STRTAB_STE_1_S1CIR", ste::S1CIR}, {"STRTAB_STE_1_S1COR", ste::S1COR},
        {"STRTAB_STE_1_S1CSH", ste::S1CSH}, {"STRTAB_STE_1_MEV", ste::MEV}, {"STRTAB_STE_1_S2FWB", ste::S2FWB},
        {"STRTAB_STE_1_S1STALLD", ste::S1STALLD}, {"STRTAB_STE_1_EATS", ste::EATS}, {"STRTAB_STE_1_STRW", ste::STRW},
        {"STRTAB_STE_1_SHCFG", ste::SHCFG}, {"STRTAB_STE_2_S2VMID", ste::S2VMID}, {"STRTAB_STE_2_S2AA64", ste::S2AA64},
        {"STRTAB_STE_2_S2ENDI", ste::S2ENDI}, {"STRTAB_STE_2_S2PTW", ste::S2PTW}, {"STRTAB_STE_2_S2S", ste::S2S},
        {"STRTAB_STE_2_S2R", ste::S2R}, {"STRTAB_STE_3_S2TTB_MASK", ste::S2TTB},
        {"CTXDESC_CD_0_TCR_T0SZ", cd::T0SZ}, {"CTXDESC_CD_0_TCR_TG0", cd::TG0}, {"CTXDESC_CD_0_TCR_IRGN0", cd::IR0},
        {"CTXDESC_CD_0_TCR_ORGN0", cd::OR0}, {"CTXDESC_CD_0_TCR_SH0", cd::SH0}, {"CTXDESC_CD_0_TCR_EPD0", cd::EPD0},
        {"CTXDESC_CD_0_TCR_EPD1", cd::EPD1}, {"CTXDESC_CD_0_ENDI", cd::ENDI}, {"CTXDESC_CD_0_V", cd::V},
        {"CTXDESC_CD_0_TCR_IPS", cd::IPS}, {"CTXDESC_CD_0_TCR_TBI0", cd::TBI0}, {"CTXDESC_CD_0_TCR_HA", cd::HA},
        {"CTXDESC_CD_0_TCR_HD", cd::HD}, {"CTXDESC_CD_0_AA64", cd::AA64}, {"CTXDESC_CD_0_S", cd::S},
        {"CTXDESC_CD_0_R", cd::R}, {"CTXDESC_CD_0_A", cd::A}, {"CTXDESC_CD_0_ASET", cd::ASET},
        {"CTXDESC_CD_0_ASID", cd::ASID}, {"CTXDESC_CD_1_HAFT", cd::HAFT}, {"CTXDESC_CD_1_TTB0_MASK", cd::TTB0}};
    for (const auto& [name, ours] : fields) {
        EXPECT_EQ(unsigned(name[11] - '0'), ours.dword) << name;  // after "STRTAB_STE_" / "CTXDESC_CD_"
        EXPECT_EQ(k(name), ours.mask()) << name;
    }
    const std::pair<const char*, DwordField> vtcr_fields[] = {
        {"STRTAB_STE_2_VTCR_S2T0SZ", ste::S2T0SZ}, {"STRTAB_STE_2_VTCR_S2SL0", ste::S2SL0},
        {"STRTAB_STE_2_VTCR_S2IR0", ste::S2IR0}, {"STRTAB_STE_2_VTCR_S2OR0", ste::S2OR0},
        {"STRTAB_STE_2_VTCR_S2SH0", ste::S2SH0}, {"STRTAB_STE_2_VTCR_S2TG", ste::S2TG},
        {"STRTAB_STE_2_VTCR_S2PS", ste::S2PS}};
    for (const auto& [name, ours] : vtcr_fields) {
        EXPECT_EQ(ours.dword, 2u) << name;
        EXPECT_EQ(k(name) << vtcr, ours.mask()) << name;
    }
}

TEST_F(RegsVsKernel, SteAndCdValuesAndLevel1Descriptors)
{
    using namespace smmuv3;
    const std::pair<const char*, uint64_t> values[] = {
        {"STRTAB_STE_0_CFG_ABORT", ste::CONFIG_ABORT}, {"STRTAB_STE_0_CFG_BYPASS", ste::CONFIG_BYPASS},
        {"STRTAB_STE_0_CFG_S1_TRANS", ste::CONFIG_S1_TRANS}, {"STRTAB_STE_0_CFG_S2_TRANS", ste::CONFIG_S2_TRANS},
        {"STRTAB_STE_0_CFG_NESTED", ste::CONFIG_NESTED}, {"STRTAB_STE_0_S1FMT_LINEAR", ste::S1FMT_LINEAR},
        {"STRTAB_STE_0_S1FMT_64K_L2", ste::S1FMT_64K_L2}, {"STRTAB_STE_1_S1DSS_TERMINATE", ste::S1DSS_TERMINATE},
        {"STRTAB_STE_1_S1DSS_BYPASS", ste::S1DSS_BYPASS}, {"STRTAB_STE_1_S1DSS_SSID0", ste::S1DSS_SSID0},
        {"STRTAB_STE_1_EATS_ABT", ste::EATS_ABT}, {"STRTAB_STE_1_EATS_TRANS", ste::EATS_TRANS},
        {"STRTAB_STE_1_EATS_S1CHK", ste::EATS_S1CHK}, {"STRTAB_STE_1_STRW_NSEL1", ste::STRW_NSEL1},
        {"STRTAB_STE_1_STRW_EL2", ste::STRW_EL2}, {"STRTAB_STE_DWORDS", 8}, {"CTXDESC_CD_DWORDS", 8},
        // Level 1 descriptors (IHI 0070 5.1, 5.3) and the stream table registers' fields.
        {"STRTAB_L1_DESC_SPAN", l1std::Span.mask()}, {"STRTAB_L1_DESC_L2PTR_MASK", l1std::L2Ptr.mask()},
        {"CTXDESC_L1_DESC_V", l1cd::V.mask()}, {"CTXDESC_L1_DESC_L2PTR_MASK", l1cd::L2Ptr.mask()},
        {"STRTAB_BASE_ADDR_MASK", strtab::ADDR.mask()}, {"STRTAB_BASE_RA", strtab::RA.mask()},
        {"STRTAB_BASE_CFG_FMT", strtab::FMT.mask()}, {"STRTAB_BASE_CFG_SPLIT", strtab::SPLIT.mask()},
        {"STRTAB_BASE_CFG_LOG2SIZE", strtab::LOG2SIZE.mask()}, {"STRTAB_BASE_CFG_FMT_LINEAR", strtab::FMT_LINEAR},
        {"STRTAB_BASE_CFG_FMT_2LVL", strtab::FMT_2LVL},
        // What SteContext::from_registers() reads.
        {"IDR0_TTENDIAN", idr0::TTENDIAN.mask()}, {"IDR0_TTENDIAN_MIXED", idr0::TTENDIAN_MIXED},
        {"IDR0_TTENDIAN_LE", idr0::TTENDIAN_LE}, {"IDR0_TTENDIAN_BE", idr0::TTENDIAN_BE},
        {"IDR0_ST_LVL_2LVL", idr0::ST_LVL_2LVL},
        {"IDR0_TTF_AARCH64", idr0::TTF_AARCH64}, {"IDR0_STALL_MODEL_STALL", idr0::STALL_MODEL_STALL},
        {"IDR0_STALL_MODEL_FORCE", idr0::STALL_MODEL_FORCE}, {"IDR5_GRAN4K", idr5::GRAN4K.mask()},
        {"IDR5_GRAN16K", idr5::GRAN16K.mask()}, {"IDR5_GRAN64K", idr5::GRAN64K.mask()},
        {"IDR5_VAX", idr5::VAX.mask()}, {"CR2_E2H", cr2::E2H.mask()}, {"CR2_RECINVSID", cr2::RECINVSID.mask()}};
    for (const auto& [name, ours] : values)
        EXPECT_EQ(k(name), ours) << name;
}

// The endpoint's configuration space (models/endpoint/pci_config.h): the
// PCI registers and the ATS Extended Capability as Linux reads them.
TEST(PciRegsVsKernel, ConfigSpaceAndAtsCapability)
{
    using namespace smmusim::endpoint::pcicfg;
    KernelDefs k;
    k.load(std::string(SMMUSIM_KERNEL_TREE) + "/include/uapi/linux/pci_regs.h");
    const std::pair<const char*, uint64_t> defs[] = {
        {"PCI_CFG_SPACE_SIZE", EXT_CAP_START}, {"PCI_CFG_SPACE_EXP_SIZE", kSize},
        {"PCI_VENDOR_ID", VENDOR_ID}, {"PCI_DEVICE_ID", DEVICE_ID}, {"PCI_COMMAND", COMMAND},
        {"PCI_COMMAND_MEMORY", COMMAND_MEMORY}, {"PCI_COMMAND_MASTER", COMMAND_MASTER},
        {"PCI_CLASS_REVISION", CLASS_REVISION}, {"PCI_HEADER_TYPE", HEADER_TYPE},
        {"PCI_EXT_CAP_ID_ATS", EXT_CAP_ID_ATS}, {"PCI_ATS_CAP", ATS_CAP}, {"PCI_ATS_CTRL", ATS_CTRL},
        {"PCI_ATS_CAP_PAGE_ALIGNED", ATS_CAP_PAGE_ALIGNED}, {"PCI_ATS_CTRL_ENABLE", ATS_CTRL_ENABLE},
        {"PCI_ATS_MIN_STU", ATS_MIN_STU}, {"PCI_ATS_MAX_QDEP", ATS_CAP_QDEP_MASK + 1u}};
    for (const auto& [name, ours] : defs)
        EXPECT_EQ(k(name), ours) << name;
}
