// SPDX-License-Identifier: GPL-2.0-only
// Tegra241 CMDQV programming interface: page layout, register offsets and
// fields as the Linux driver (drivers/iommu/arm/arm-smmu-v3/tegra241-cmdqv.c)
// uses them, plus the fields public elsewhere (VCMDQ CONFIG batching, error
// codes). tests/kernel_shim/regs_vs_kernel_test.cc checks them against the kernel.
//
//   0x00000  config page (64 KiB): global registers, VINTF(v) at 0x1000 + 0x100*v
//   0x10000  VCMDQ page 0 (global): VCMDQ q at 0x80*q
//   0x20000  VCMDQ page 1 (global): VCMDQ q at 0x80*q
//   0x30000  VINTF i logical pages, 128 KiB each: page 0 then page 1, LVCMDQ
//            l at 0x80*l, aliasing the global VCMDQ mapped to (i, l)
#pragma once

#include <cstdint>

#include "../platform/bits.h"
#include "../smmuv3/smmuv3_regs.h"

namespace smmusim::cmdqv {

constexpr uint32_t kConfigPage = 0x00000;
constexpr uint32_t kVcmdqPage0 = 0x10000;
constexpr uint32_t kVcmdqPage1 = 0x20000;
constexpr uint32_t kVintfPages = 0x30000;
constexpr uint32_t kPageSize = 0x10000;
constexpr uint32_t kVintfPagesSize = 0x20000;  // page 0 + page 1 per VINTF
constexpr uint32_t kVcmdqStride = 0x80;
constexpr unsigned kMaxVcmdqs = 128;
constexpr unsigned kMaxVintfs = 64;

constexpr uint32_t space_size(unsigned num_vintfs) { return kVintfPages + kVintfPagesSize * num_vintfs; }

// --- Where a VCMDQ's registers are ------------------------------------------
// The only home of this arithmetic. Named after, and checked against
// (tests/kernel_shim/regs_vs_kernel_test.cc), the kernel's macros in
// tegra241-cmdqv.c: TEGRA241_VCMDQ_PAGE0(q) / TEGRA241_VCMDQ_PAGE1(q) (global
// VCMDQ q), TEGRA241_VINTFi_PAGE0(i) / TEGRA241_VINTFi_PAGE1(i) (VINTF i's
// logical pages) and TEGRA241_VINTFi_LVCMDQ_PAGE0(i, q) /
// TEGRA241_VINTFi_LVCMDQ_PAGE1(i, q) (its LVCMDQ q). `page` is 0 or 1.
constexpr uint32_t vcmdq_page(unsigned page, unsigned q) { return (page ? kVcmdqPage1 : kVcmdqPage0) + kVcmdqStride * q; }
constexpr uint32_t vcmdq_page0(unsigned q) { return vcmdq_page(0, q); }
constexpr uint32_t vcmdq_page1(unsigned q) { return vcmdq_page(1, q); }
constexpr uint32_t vintf_page(unsigned page, unsigned v) { return kVintfPages + kVintfPagesSize * v + kPageSize * page; }
constexpr uint32_t vintf_page0(unsigned v) { return vintf_page(0, v); }
constexpr uint32_t vintf_page1(unsigned v) { return vintf_page(1, v); }
// LVCMDQ l within a VINTF page: what a VMM maps for its guest is VINTF
// page 0, where LVCMDQ l's page-0 registers are at this offset.
constexpr uint32_t lvcmdq_in_page(unsigned l) { return kVcmdqStride * l; }
constexpr uint32_t lvcmdq_page(unsigned page, unsigned v, unsigned l) { return vintf_page(page, v) + lvcmdq_in_page(l); }
constexpr uint32_t lvcmdq_page0(unsigned v, unsigned l) { return lvcmdq_page(0, v, l); }
constexpr uint32_t lvcmdq_page1(unsigned v, unsigned l) { return lvcmdq_page(1, v, l); }

// What an offset at or above kVcmdqPage0 reaches: a global VCMDQ (vintf
// unused) or a VINTF's LVCMDQ `index`, on page `page`, register `reg`
// within the queue's kVcmdqStride bytes. The inverse of the helpers above.
struct VcmdqPlace {
    bool logical;    // through a VINTF's pages (index is the LVCMDQ)
    unsigned vintf;  // logical only
    unsigned index;  // global VCMDQ, or LVCMDQ of `vintf`
    unsigned page;
    uint32_t reg;
};
constexpr VcmdqPlace vcmdq_place(uint32_t off)
{
    const uint32_t reg = off & (kVcmdqStride - 1);
    const unsigned slot = (off & (kPageSize - 1)) / kVcmdqStride;
    if (off < kVintfPages)
        return {false, 0, slot, off < kVcmdqPage1 ? 0u : 1u, reg};
    const uint32_t rel = off - kVintfPages;
    return {true, rel / kVintfPagesSize, slot, (rel / kPageSize) & 1, reg};
}

// --- Config page: global registers --------------------------------------
constexpr uint32_t CONFIG = 0x0000;
constexpr uint32_t PARAM = 0x0004;
constexpr uint32_t STATUS = 0x0008;
constexpr uint32_t VINTF_ERR_MAP = 0x0014;   // two 32-bit words: VINTFs 0-31, 32-63
constexpr uint32_t VINTF_INT_MASK = 0x001c;  // two 32-bit words
constexpr uint32_t CMDQ_ERR_MAP0 = 0x0024;   // four 32-bit words: VCMDQs 0-127
constexpr uint32_t cmdq_err_map(unsigned m) { return CMDQ_ERR_MAP0 + 4 * m; }
constexpr uint32_t CMDQ_ALLOC0 = 0x0200;
constexpr uint32_t cmdq_alloc(unsigned q) { return CMDQ_ALLOC0 + 4 * q; }

namespace config {
constexpr Field EN = bit(0);
}
namespace param {
constexpr Field VER{3, 0}, NUM_VCMDQ_LOG2{7, 4}, NUM_VINTF_LOG2{11, 8}, NUM_SID_PER_VM_LOG2{15, 12};
}
namespace status {
constexpr Field ENABLED = bit(0);
}
namespace alloc {
constexpr Field ALLOCATED = bit(0), LVCMDQ{7, 1}, VINTF{20, 15};
constexpr uint64_t kMask = 0x1f80ffull;
}  // namespace alloc

// --- VINTF(v) registers, in the config page -------------------------------
constexpr uint32_t VINTF0 = 0x1000;
constexpr uint32_t kVintfStride = 0x100;
constexpr uint32_t vintf(unsigned v) { return VINTF0 + kVintfStride * v; }
constexpr uint32_t VINTF_CONFIG = 0x00;
constexpr uint32_t VINTF_STATUS = 0x04;
constexpr uint32_t vintf_sid_match(unsigned s) { return 0x40 + 4 * s; }
constexpr uint32_t vintf_sid_replace(unsigned s) { return 0x80 + 4 * s; }
constexpr uint32_t vintf_lvcmdq_err_map(unsigned m) { return 0xc0 + 8 * m; }  // 64-bit, m = 0..1
constexpr unsigned kMaxSidsPerVintf = 16;

namespace vintf_config {
constexpr Field EN = bit(0), VMID{16, 1}, HYP_OWN = bit(17);
constexpr uint64_t kMask = 0x3ffff;
}  // namespace vintf_config
namespace vintf_status {
constexpr Field ENABLED = bit(0), STATUS{3, 1}, VI_NUM_LVCMDQ{23, 16};
}
namespace sid_match {
constexpr Field ENABLE = bit(0), VIRT_SID{20, 1};
constexpr uint64_t kMask = 0x1fffff;
}  // namespace sid_match

// --- VCMDQ registers (global pages and their VINTF aliases) ---------------
// Page 0
constexpr uint32_t VCMDQ_CONS = 0x00;
constexpr uint32_t VCMDQ_PROD = 0x04;
constexpr uint32_t VCMDQ_CONFIG = 0x08;
constexpr uint32_t VCMDQ_STATUS = 0x0c;
constexpr uint32_t VCMDQ_GERROR = 0x10;
constexpr uint32_t VCMDQ_GERRORN = 0x14;
// Page 1
constexpr uint32_t VCMDQ_BASE = 0x00;            // 64-bit
constexpr uint32_t VCMDQ_CONS_INDX_BASE = 0x08;  // 64-bit

namespace vcmdq_cons {
constexpr Field ERR{30, 24};
}
namespace vcmdq_config {
constexpr Field EN = bit(0), PER_CMD_OFFSET{3, 1}, MAX_CLK_BATCH{11, 4}, MAX_CMD_BATCH{19, 12},
                CONS_DRAM_EN = bit(20);
constexpr uint64_t kMask = 0x1fffff;
}  // namespace vcmdq_config
namespace vcmdq_status {
constexpr Field ENABLED = bit(0);
}
namespace vcmdq_gerror {
constexpr Field CMDQ_ERR = bit(0), CONS_DRAM_WR_ABT_ERR = bit(1), CMDQ_INIT_ERR = bit(2);
constexpr uint64_t kMask = 0x7;
}  // namespace vcmdq_gerror
namespace vcmdq_base {
constexpr Field LOG2SIZE{4, 0}, ADDR{47, 5};
constexpr uint64_t kMask = genmask(47, 0);
}  // namespace vcmdq_base
namespace cons_indx_base {
constexpr Field ADDR{47, 2};
constexpr uint64_t kMask = genmask(47, 2);
}  // namespace cons_indx_base

// VCMDQ CONS.ERR codes: the SMMU's (smmuv3::CError: CERROR_NONE, CERROR_ILL,
// CERROR_ABT, CERROR_ATC_INV_SYNC; what the driver's shared CMDQ error
// handling reads), plus the CMDQV's own code for a guest command naming a
// StreamID its VINTF does not map (value 4: the model's choice, see
// models/cmdqv/README.md).
using smmuv3::CERROR_ABT;
using smmuv3::CERROR_ATC_INV_SYNC;
using smmuv3::CERROR_ILL;
using smmuv3::CERROR_NONE;
constexpr uint8_t CERROR_ILL_ACCESS = 4;

}  // namespace smmusim::cmdqv
