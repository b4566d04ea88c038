// SPDX-License-Identifier: GPL-2.0-only
// SMMUv3 programming interface: register offsets and fields (Arm IHI 0070,
// "SMMU registers"). Page 0 holds everything but the event/PRI queue
// PROD/CONS pointers, which live in page 1 (page-1 offset 0x10000 + the
// page-0 hole they would have had). tests/kernel_shim/regs_vs_kernel_test.cc
// checks these against the kernel's own definitions when a tree is present.
#pragma once

#include <cstdint>

#include "../platform/bits.h"

namespace smmusim::smmuv3 {

constexpr uint32_t kPageSize = 0x10000;       // 64 KiB
constexpr uint32_t kRegSpaceSize = 2 * kPageSize;  // page 0 + page 1

// --- Page 0 -------------------------------------------------------------
constexpr uint32_t IDR0 = 0x00;
constexpr uint32_t IDR1 = 0x04;
constexpr uint32_t IDR2 = 0x08;
constexpr uint32_t IDR3 = 0x0c;
constexpr uint32_t IDR4 = 0x10;
constexpr uint32_t IDR5 = 0x14;
constexpr uint32_t IIDR = 0x18;
constexpr uint32_t AIDR = 0x1c;
constexpr uint32_t CR0 = 0x20;
constexpr uint32_t CR0ACK = 0x24;
constexpr uint32_t CR1 = 0x28;
constexpr uint32_t CR2 = 0x2c;
constexpr uint32_t STATUSR = 0x40;
constexpr uint32_t GBPA = 0x44;
constexpr uint32_t AGBPA = 0x48;
constexpr uint32_t IRQ_CTRL = 0x50;
constexpr uint32_t IRQ_CTRLACK = 0x54;
constexpr uint32_t GERROR = 0x60;
constexpr uint32_t GERRORN = 0x64;
constexpr uint32_t GERROR_IRQ_CFG0 = 0x68;  // 64-bit
constexpr uint32_t GERROR_IRQ_CFG1 = 0x70;
constexpr uint32_t GERROR_IRQ_CFG2 = 0x74;
constexpr uint32_t STRTAB_BASE = 0x80;      // 64-bit
constexpr uint32_t STRTAB_BASE_CFG = 0x88;
constexpr uint32_t CMDQ_BASE = 0x90;        // 64-bit
constexpr uint32_t CMDQ_PROD = 0x98;
constexpr uint32_t CMDQ_CONS = 0x9c;
constexpr uint32_t EVTQ_BASE = 0xa0;        // 64-bit
constexpr uint32_t EVTQ_IRQ_CFG0 = 0xb0;    // 64-bit
constexpr uint32_t EVTQ_IRQ_CFG1 = 0xb8;
constexpr uint32_t EVTQ_IRQ_CFG2 = 0xbc;
constexpr uint32_t PRIQ_BASE = 0xc0;        // 64-bit
constexpr uint32_t PRIQ_IRQ_CFG0 = 0xd0;    // 64-bit
constexpr uint32_t PRIQ_IRQ_CFG1 = 0xd8;
constexpr uint32_t PRIQ_IRQ_CFG2 = 0xdc;

// --- Page 1 -------------------------------------------------------------
constexpr uint32_t EVTQ_PROD = kPageSize + 0xa8;
constexpr uint32_t EVTQ_CONS = kPageSize + 0xac;
constexpr uint32_t PRIQ_PROD = kPageSize + 0xc8;
constexpr uint32_t PRIQ_CONS = kPageSize + 0xcc;

// --- Fields ---------------------------------------------------------------
namespace idr0 {
constexpr Field S2P = bit(0), S1P = bit(1), TTF{3, 2}, COHACC = bit(4), BTM = bit(5), HTTU{7, 6}, HYP = bit(9),
                ATS = bit(10), NS1ATS = bit(11), ASID16 = bit(12), MSI = bit(13), SEV = bit(14), ATOS = bit(15),
                PRI = bit(16), VMW = bit(17), VMID16 = bit(18), CD2L = bit(19), VATOS = bit(20), TTENDIAN{22, 21},
                STALL_MODEL{25, 24}, TERM_MODEL = bit(26), ST_LVL{28, 27};
constexpr uint64_t TTF_AARCH64 = 2, STALL_MODEL_STALL = 0, STALL_MODEL_NONE = 1, STALL_MODEL_FORCE = 2;
constexpr uint64_t ST_LVL_LINEAR = 0, ST_LVL_2LVL = 1;
constexpr uint64_t TTENDIAN_MIXED = 0, TTENDIAN_LE = 2, TTENDIAN_BE = 3;
}  // namespace idr0
namespace idr1 {
constexpr Field SIDSIZE{5, 0}, SSIDSIZE{10, 6}, PRIQS{15, 11}, EVTQS{20, 16}, CMDQS{25, 21}, ATTR_PERMS_OVR = bit(26),
                ATTR_TYPES_OVR = bit(27), REL = bit(28), QUEUES_PRESET = bit(29), TABLES_PRESET = bit(30);
}  // namespace idr1
namespace idr3 {
constexpr Field HAD = bit(2), PBHA = bit(3), XNX = bit(4), PPS = bit(5), MPAM = bit(7), FWB = bit(8), STT = bit(9),
                RIL = bit(10), BBML{12, 11};
}  // namespace idr3
namespace idr5 {
constexpr Field OAS{2, 0}, GRAN4K = bit(4), GRAN16K = bit(5), GRAN64K = bit(6), VAX{11, 10}, STALL_MAX{31, 16};
constexpr uint64_t OAS_32 = 0, OAS_36 = 1, OAS_40 = 2, OAS_42 = 3, OAS_44 = 4, OAS_48 = 5, OAS_52 = 6;
}  // namespace idr5
namespace cr0 {
constexpr Field SMMUEN = bit(0), PRIQEN = bit(1), EVTQEN = bit(2), CMDQEN = bit(3), ATSCHK = bit(4);
constexpr uint64_t kMask = 0x1f;
}  // namespace cr0
namespace cr1 {
constexpr Field QUEUE_IC{1, 0}, QUEUE_OC{3, 2}, QUEUE_SH{5, 4}, TABLE_IC{7, 6}, TABLE_OC{9, 8}, TABLE_SH{11, 10};
constexpr uint64_t kMask = 0xfff;
}  // namespace cr1
namespace cr2 {
constexpr Field E2H = bit(0), RECINVSID = bit(1), PTM = bit(2);
constexpr uint64_t kMask = 0x7;
}  // namespace cr2
namespace gbpa {
constexpr Field MEMATTR{3, 0}, MTCFG = bit(4), ALLOCCFG{11, 8}, SHCFG{13, 12}, PRIVCFG{17, 16}, INSTCFG{19, 18},
                ABORT = bit(20), UPDATE = bit(31);
constexpr uint64_t kMask = 0x801f3f1full;
}  // namespace gbpa
namespace irq_ctrl {
constexpr Field GERROR_IRQEN = bit(0), PRIQ_IRQEN = bit(1), EVTQ_IRQEN = bit(2);
constexpr uint64_t kMask = 0x7;
}  // namespace irq_ctrl
namespace gerror {
constexpr Field CMDQ_ERR = bit(0), EVTQ_ABT_ERR = bit(2), PRIQ_ABT_ERR = bit(3), MSI_CMDQ_ABT_ERR = bit(4),
                MSI_EVTQ_ABT_ERR = bit(5), MSI_PRIQ_ABT_ERR = bit(6), MSI_GERROR_ABT_ERR = bit(7), SFM_ERR = bit(8);
constexpr uint64_t kMask = 0x1fd;
}  // namespace gerror
namespace irq_cfg {
constexpr Field ADDR{51, 2};       // CFG0
constexpr Field MEMATTR{3, 0}, SH{5, 4};  // CFG2
constexpr uint64_t kCfg0Mask = genmask(51, 2), kCfg2Mask = 0x3f;
}  // namespace irq_cfg
namespace strtab {
constexpr Field ADDR{51, 6}, RA = bit(62);              // STRTAB_BASE
constexpr Field LOG2SIZE{5, 0}, SPLIT{10, 6}, FMT{17, 16};  // STRTAB_BASE_CFG
constexpr uint64_t kBaseMask = genmask(51, 6) | (1ull << 62), kCfgMask = 0x307ff;
constexpr uint64_t FMT_LINEAR = 0, FMT_2LVL = 1;
}  // namespace strtab
namespace q {
constexpr Field LOG2SIZE{4, 0}, ADDR{51, 5}, WA = bit(62);  // *Q_BASE (RA/WA hint at 62)
constexpr uint64_t kBaseMask = genmask(51, 0) | (1ull << 62);
constexpr Field CONS_ERR{30, 24};
constexpr Field OVF = bit(31);  // EVTQ_PROD.OVFLG / EVTQ_CONS.OVACKFLG, PRIQ likewise
}  // namespace q

// CMDQ_CONS.ERR codes (IHI 0070: SMMU_CMDQ_CONS.ERR; the values in 7.1 Command queue
// errors; the kernel's CMDQ_ERR_CERROR_*_IDX). The only names of these codes:
// the CMDQV's VCMDQs use them too (cmdqv_regs.h adds one of its own).
enum CError : uint8_t { CERROR_NONE = 0, CERROR_ILL = 1, CERROR_ABT = 2, CERROR_ATC_INV_SYNC = 3 };

// Queue entry sizes in bytes.
constexpr unsigned kCmdBytes = 16;
constexpr unsigned kEvtBytes = 32;
constexpr unsigned kPriBytes = 16;

}  // namespace smmusim::smmuv3
