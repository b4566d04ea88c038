// SPDX-License-Identifier: GPL-2.0-only
// The VMSAv8-64 rules that turn translation-control fields (TxSZ, TG, SL0,
// PS) into a stage's geometry: granule, output size, starting level, the
// number of concatenated initial tables and the starting table's alignment.
// The STE's stage 2 (S2T0SZ, S2TG, S2SL0, S2PS: VTCR_EL2's rules) and the
// CD's stage 1 (T0SZ, TG0, IPS: TCR_ELx's rules) share them (IHI 0070 5.2,
// 5.4 defer to the Arm ARM's VMSAv8-64 chapter). Not here: what is legal for
// an STE or a CD (ste.cc, cd.cc), or the walk itself (walk.h).
#pragma once

#include <cstdint>
#include <optional>

#include "types.h"

namespace smmusim::smmuv3::vmsa {

// TG0 / S2TG: 0b00 4 KiB, 0b01 64 KiB, 0b10 16 KiB; 0b11 reserved (nullopt).
std::optional<Granule> tg0_granule(uint64_t tg);

// IPS / S2PS as a number of bits: 32, 36, 40, 42, 44, 48, 52; 0b111 (56
// bits from SMMUv3.4) is reserved before it and behaves as 0b110 in an
// SMMUv3.1-3.3 (IHI 0070 5.2 S2PS, 5.4 IPS). The caller caps it at the OAS.
unsigned ps_bits(uint64_t ps);

// Bits per level of a granule's tables: granule_shift - 3.
constexpr unsigned stride(Granule g) { return granule_shift(g) - 3; }

// Stage 1: the starting level is the one that leaves the walk exactly the
// levels it needs for an ia_bits-bit input (TCR_ELx: no SL0 field).
unsigned s1_start_level(unsigned ia_bits, Granule g);

// Stage 2: the starting level S2SL0 names for a granule (VTCR_EL2.SL0 with
// DS = 0): 4K 0/1/2 = level 2/1/0, 16K and 64K 0/1/2 = level 3/2/1. Nullopt
// where the encoding is reserved, needs a feature the SMMU lacks (4K SL0 = 3
// needs IDR3.STT; 16K SL0 = 3 needs DS) or asks for more physical address
// bits than pa_bits has (level 0 with 4K, level 1 with 64K need 44; level 1
// with 16K needs 42): the Arm ARM's AArch64.S2InvalidSL().
std::optional<unsigned> s2_start_level(uint64_t sl0, Granule g, unsigned pa_bits);

// Bits of the input address the starting level resolves: ia_bits less the
// page offset and the levels below. A stage-2 start level is consistent
// with S2T0SZ when this is 1 .. stride + 4, more than stride meaning
// 2^(bits - stride) concatenated tables, at most 16 (the Arm ARM's
// AArch64.S2InconsistentSL()).
int initial_level_bits(unsigned ia_bits, Granule g, unsigned level);

// log2 of the starting table's alignment: its size (8 bytes per entry, all
// concatenated tables), at least 64 bytes when the output size is 52 bits
// (IHI 0070 5.2 S2TTB, 5.4 TTB0: "bits [(x-1):0] are treated as zero").
unsigned table_align_log2(int initial_bits, unsigned oa_bits);

}  // namespace smmusim::smmuv3::vmsa
