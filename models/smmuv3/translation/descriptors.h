// SPDX-License-Identifier: GPL-2.0-only
// The VMSAv8-64 translation table descriptor formats (Arm ARM, "VMSAv8-64
// translation table format descriptors"), the one home for their bits: the
// walker (walk.h) decodes with these, the builder (pgtable_builder.h)
// encodes with them. Also the granule geometry: which IA bits each level
// resolves, at which levels a block is allowed, and the stage-2 initial
// lookup (SL0, concatenation).
//
// What it does not hold: the walk itself (walk.cc), the STE/CD fields that
// select a granule or a start level (ste.h, cd.h). Only the forms the model
// walks: 48-bit OA with the 4K and 16K granules; with 64K, OA[51:48] in
// descriptor bits [15:12] (FEAT_LPA's form, which io-pgtable-arm writes) is
// decoded so that an OA above 48 bits is an address-size fault rather than
// a silent truncation. FEAT_LPA2 (52-bit forms of 4K/16K), FEAT_XNX (two-bit
// stage-2 XN) and the contiguous hint are not modelled (see walk.h).
#pragma once

#include <cstdint>

#include "../../platform/bits.h"
#include "types.h"

namespace smmusim::smmuv3::desc {

// ---- every descriptor ------------------------------------------------------
constexpr Field kValid = bit(0);
constexpr Field kTableOrPage = bit(1);  // 1: table (levels 0-2) / page (level 3); 0: block

// ---- block and page descriptors: lower attributes -------------------------
constexpr Field kAttrIndx{4, 2};   // stage 1: MAIR index
constexpr Field kNs = bit(5);      // stage 1: non-secure (ignored in the Non-secure world)
constexpr Field kAp{7, 6};         // stage 1: AP[2:1]
constexpr Field kApRdonly = bit(7);  // stage 1: AP[2] — read-only
constexpr Field kApUnpriv = bit(6);  // stage 1: AP[1] — accessible by unprivileged (PnU = 0) accesses
constexpr Field kMemAttr{5, 2};    // stage 2: MemAttr[3:0]
constexpr Field kS2Ap{7, 6};       // stage 2: S2AP[1:0]
constexpr Field kS2ApRead = bit(6);
constexpr Field kS2ApWrite = bit(7);
constexpr Field kSh{9, 8};         // shareability
constexpr Field kAf = bit(10);     // access flag
constexpr Field kNg = bit(11);     // stage 1: not global (the entry belongs to the CD's ASID)

// ---- block and page descriptors: upper attributes -------------------------
constexpr Field kDbm = bit(51);    // dirty-bit modifier (HTTU; not modelled: ignored)
constexpr Field kContig = bit(52); // contiguous hint (ignored: each descriptor maps its own size)
constexpr Field kPxn = bit(53);    // stage 1: privileged execute-never
constexpr Field kUxn = bit(54);    // stage 1: unprivileged execute-never (XN in the EL2 regime)
constexpr Field kS2Xn = bit(54);   // stage 2: XN[1] (IDR3.XNX = 0: XN[0], bit 53, is ignored)

// ---- table descriptors: hierarchical attributes (stage 1 only; RES0/ignored at stage 2)
constexpr Field kPxnTable = bit(59);
constexpr Field kUxnTable = bit(60);  // XNTable in the EL2 regime
constexpr Field kApTable{62, 61};
constexpr Field kApTableNoUnpriv = bit(61);  // APTable[0]: no unprivileged access below
constexpr Field kApTableRdonly = bit(62);    // APTable[1]: no write access below
constexpr Field kNsTable = bit(63);

// ---- stage-2 MemAttr values the walker distinguishes ----------------------
// Without FWB, MemAttr[3:2] == 0 is Device memory; with STE.S2FWB, MemAttr[2] == 0
// is. STE.S2PTW makes a stage-1 table fetch that lands on Device memory a
// stage-2 permission fault (IHI 0070 5.2, S2PTW).
constexpr bool s2_memattr_is_device(uint64_t memattr, bool fwb)
{
    return fwb ? (memattr & 0x4) == 0 : (memattr & 0xc) == 0;
}

// ---- granule geometry ------------------------------------------------------
constexpr unsigned kLevels = 4;
constexpr unsigned kMaxConcat = 16;  // stage 2: at most 16 concatenated initial tables

// Index bits a full table of the granule resolves: 9, 11 or 13.
constexpr unsigned bits_per_level(Granule g) { return granule_shift(g) - 3; }

// The lowest IA bit a level resolves: 39/30/21/12 (4K), 47/36/25/14 (16K),
// 55/42/29/16 (64K; level 0 does not exist below 52-bit IAs).
constexpr unsigned level_shift(Granule g, unsigned level)
{
    return granule_shift(g) + (3 - level) * bits_per_level(g);
}

// Bytes a block or page descriptor at `level` maps.
constexpr uint64_t level_size(Granule g, unsigned level) { return 1ull << level_shift(g, level); }

// Whether a block descriptor is allowed at `level` with a 48-bit OA
// (4K: levels 1 and 2; 16K and 64K: level 2). Level 3 has pages only;
// a block at level 0 (and elsewhere not listed) is a translation fault.
constexpr bool block_allowed(Granule g, unsigned level)
{
    return g == Granule::k4K ? (level == 1 || level == 2) : level == 2;
}

// The output address of a block or page descriptor at `level`, and the
// next-level table address of a table descriptor (level < 3): bits
// [47:level_shift] (pages and tables: [47:granule_shift]); with the 64K
// granule, OA[51:48] from bits [15:12]. Bits below are RES0 and ignored.
constexpr uint64_t output_address(uint64_t d, Granule g, unsigned shift)
{
    uint64_t oa = d & genmask(47, shift);
    if (g == Granule::k64K)
        oa |= Field{15, 12}.get(d) << 48;
    return oa;
}
constexpr uint64_t leaf_address(uint64_t d, Granule g, unsigned level)
{
    return output_address(d, g, level_shift(g, level));
}
constexpr uint64_t table_address(uint64_t d, Granule g) { return output_address(d, g, granule_shift(g)); }

// The address field of a descriptor for `oa` (the inverse of the above;
// `oa` must be aligned to the mapping's size and below 2^48, or 2^52 with 64K).
constexpr uint64_t encode_address(uint64_t oa, Granule g)
{
    uint64_t d = oa & genmask(47, granule_shift(g));
    if (g == Granule::k64K)
        d |= Field{15, 12}.put(oa >> 48);
    return d;
}

}  // namespace smmusim::smmuv3::desc
