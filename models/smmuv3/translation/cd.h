// SPDX-License-Identifier: GPL-2.0-only
// The Context Descriptor (IHI 0070 5.4): its fields, named as the
// architecture names them, and decode_cd(), which checks every validity rule
// the model knows of and turns a valid CD into a CdConfig (stage 1's walk
// parameters: granule, input and output sizes, starting level, TTB0).
//
// V = 0 and every ILLEGAL configuration -> Fault C_BAD_CD (reason: CdReason).
// A configuration the model does not implement is ILLEGAL too ("model"):
// VMSAv8-32 LPAE (IDR0.TTF[0] = 0, so this one is architected), a TTB1 half
// in use (EPD1 = 0 in an EL1 or EL2-E2H StreamWorld: Linux always sets
// EPD1), stalls, HTTU. Recorded without effect in the model: IR0/OR0/SH0,
// ASET, AMAIR, the MPAM fields. Not here: locating the CD (stream_table.h).
#pragma once

#include <cstdint>
#include <variant>

#include "ste.h"
#include "struct_field.h"
#include "types.h"

namespace smmusim::smmuv3 {

namespace cd {
// Doubleword 0
constexpr DwordField T0SZ{0, {5, 0}}, TG0{0, {7, 6}}, IR0{0, {9, 8}}, OR0{0, {11, 10}}, SH0{0, {13, 12}},
    EPD0{0, bit(14)}, ENDI{0, bit(15)}, T1SZ{0, {21, 16}}, TG1{0, {23, 22}}, IR1{0, {25, 24}}, OR1{0, {27, 26}},
    SH1{0, {29, 28}}, EPD1{0, bit(30)}, V{0, bit(31)}, IPS{0, {34, 32}}, AFFD{0, bit(35)}, WXN{0, bit(36)},
    UWXN{0, bit(37)}, TBI0{0, bit(38)}, TBI1{0, bit(39)}, PAN{0, bit(40)}, AA64{0, bit(41)}, HD{0, bit(42)},
    HA{0, bit(43)}, S{0, bit(44)}, R{0, bit(45)}, A{0, bit(46)}, ASET{0, bit(47)}, ASID{0, {63, 48}};
// Doubleword 1 (bits [127:64]): TTB0 holds address bits [51:4]
constexpr DwordField NSCFG0{1, bit(0)}, HAD0{1, bit(1)}, E0PD0{1, bit(2)}, HAFT{1, bit(3)}, TTB0{1, {51, 4}};
// Doubleword 2 (bits [191:128])
constexpr DwordField NSCFG1{2, bit(0)}, HAD1{2, bit(1)}, E0PD1{2, bit(2)}, AIE{2, bit(3)}, TTB1{2, {51, 4}},
    DS{2, bit(58)}, PIE{2, bit(59)};
// Doublewords 3 and 4: {MAIR1, MAIR0}, {AMAIR1, AMAIR0}
constexpr DwordField MAIR0{3, {31, 0}}, MAIR1{3, {63, 32}}, AMAIR0{4, {31, 0}}, AMAIR1{4, {63, 32}};
}  // namespace cd

// What CD validity depends on: the SMMU (SteContext) and the STE the CD is
// reached through (its StreamWorld and S1STALLD).
struct CdContext {
    SteContext smmu;
    Regime regime = Regime::Nh;  // the StreamWorld (STE.STRW with CR2.E2H)
    bool s1stalld = false;       // STE.S1STALLD

    static CdContext of(const SteContext& smmu, const StreamConfig& ste)
    {
        return CdContext{smmu, ste.regime, ste.s1stalld};
    }
};

// Which rule made a CD C_BAD_CD: Fault::reason (the model's own code).
enum class CdReason : uint8_t {
    None = 0,
    Invalid,   // V = 0 (5.4 V)
    Aa64,      // AA64 = 0: VMSAv8-32 LPAE, IDR0.TTF[0] = 0 (5.4 AA64)
    Tg0,       // TG0 reserved or a granule IDR5 does not list (5.4 TG0)
    T0SZ,      // T0SZ outside [16 (12 with 52-bit VAs and 64K), 39] (5.4 T0SZ, SMMUv3.1 and later)
    Ttb0,      // TTB0 beyond the effective IPS, or beyond 48 bits with 4K/16K (5.4 TTB0)
    Ttb1,      // EPD1 = 0 where TTB1 exists: the model walks TTB0 only (model)
    Endi,      // ENDI selects an endianness IDR0.TTENDIAN lacks (5.4 ENDI)
    Httu,      // HA/HD beyond IDR0.HTTU (5.4 HA)
    Stall,     // S = 1 with STALL_MODEL 0b01, or with 0b00 and STE.S1STALLD; S = 0 with 0b10 (5.5)
    Abort,     // A = 0 with IDR0.TERM_MODEL = 1 (5.5)
    Asid,      // ASID[15:8] != 0 without IDR0.ASID16 (5.4 ASID)
};

using CdDecode = std::variant<CdConfig, Fault>;

CdDecode decode_cd(const Dwords8& cd, const CdContext& ctx);

}  // namespace smmusim::smmuv3
