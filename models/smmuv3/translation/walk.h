// SPDX-License-Identifier: GPL-2.0-only
// VMSAv8-64 translation table walks as the SMMU performs them (IHI 0070 3.4
// address sizes, 5.2/5.4 the STE and CD fields a walk uses, 7.3 the fault
// records; Arm ARM "The AArch64 Virtual Memory System Architecture"): one
// stage (stage 1 or stage 2), or nested (every stage-1 table address and
// the stage-1 output translated by stage 2). A walk reads descriptors
// through a TableReader and yields a TranslationResult or a Fault whose
// fields are those of the event record. Untimed: the caller (the
// translation unit) turns WalkStats into memory accesses and cycles.
//
// Modelled: the 4K, 16K and 64K granules; 48-bit IA and OA (64K: OA[51:48]
// decoded, so an OA above the stage's oa_bits is F_ADDR_SIZE, never a
// truncation); any start level the granule allows; stage-2 concatenated
// initial tables (2..16); block descriptors where the granule allows them
// (4K: levels 1, 2; 16K and 64K: level 2) and pages at level 3; a block
// where none is allowed, or a reserved descriptor (level 3, bits[1:0] = 01),
// is F_TRANSLATION. Faults, in the architecture's priority order:
//   F_TRANSLATION  IA outside the stage's ia_bits (IHI 0070 3.4: T0SZ /
//                  S2T0SZ range, top byte ignored with TBI), EPD0, an
//                  invalid or reserved descriptor — Fault::level says where
//   F_ADDR_SIZE    TTB, a next-level table or the output beyond oa_bits
//   F_WALK_EABT    a descriptor read that aborts (Fault::fetch_addr = its PA)
//   F_ACCESS       AF = 0 and not AFFD
//   F_PERMISSION   stage 1: AP[2:1], UXN/PXN, APTable/UXNTable/PXNTable,
//                  WXN, PAN, "unprivileged-writable is PXN"; stage 2:
//                  S2AP, XN (bit 54); S2PTW (a stage-1 table on Device memory)
// A write is checked against write permission; a read with InD against
// execute permission alone (execute-only memory); any other read against
// read permission.
//
// Not modelled (the decoders, ste.h and cd.h, refuse what they cannot pass):
//   HTTU: IDR0.HTTU = 0. StageConfig::ha/hd are ignored here (AF = 0
//     faults unless AFFD; DBM is ignored, so a write to a read-only page
//     faults). Whether a CD/STE with HA/HD set is C_BAD_CD/C_BAD_STE is the
//     tables part's decision.
//   TTB1: only the TTB0 half exists (Linux sets EPD1): an IA with any bit
//     above ia_bits set (bits [55:ia_bits] with TBI) is F_TRANSLATION.
//   The EL2 (E2H = 0) regime's single-privilege AP rules: stage-1
//     permissions are those of the two-privilege regimes (EL1&0, EL2&0).
//   FEAT_LPA2, FEAT_XNX, FEAT_TTST, the contiguous hint, stalls.
//   IAS: a stage-2-only stream's input beyond the SMMU's IAS is a stage-1
//     F_ADDR_SIZE the translation unit raises before calling walk().
// Endianness: supported. StageConfig::big_endian (CD.ENDI / STE.S2ENDI)
// byte-swaps each 8-byte descriptor as read.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "table_reader.h"
#include "types.h"

namespace smmusim::smmuv3 {

enum class Stage : uint8_t { S1 = 1, S2 = 2 };

// What the transaction asks (IHI 0070 7.3: RnW, InD, PnU).
struct Access {
    bool write = false;  // RnW = 0
    bool instr = false;  // InD
    bool priv = false;   // PnU
    bool probe = false;  // an ATS Translation Request: no permission fault, the result carries
                         // the rights (a nested walk stops after a stage 1 granting nothing,
                         // IHI 0070 3.9.1.2: F_PERMISSION at stage 1)
    static Access of(const Transaction& t) { return Access{t.write, t.instr, t.priv, t.tr}; }
};

// Memory reads a walk made, per level of each stage. A nested walk counts
// the stage-2 reads of every stage-1 table fetch and of the final IPA in
// s2_reads and the stage-1 descriptor reads in s1_reads.
struct WalkStats {
    std::array<uint32_t, 4> s1_reads{};
    std::array<uint32_t, 4> s2_reads{};
    uint32_t reads() const;
};

// The hierarchical restrictions of the stage-1 table descriptors above a
// table (APTable, UXNTable, PXNTable).
struct TableLimits {
    bool no_write = false;   // APTable[1]
    bool no_unpriv = false;  // APTable[0]
    bool uxn = false;        // UXNTable
    bool pxn = false;        // PXNTable
};

// A table a walk read from: where a walk cache may let a later walk resume.
struct TableStep {
    unsigned level = 0;   // level of the descriptors in this table
    uint64_t table = 0;   // its base address (an IPA for a nested walk's stage-1 tables)
    TableLimits limits;   // restrictions inherited from the levels above
};

struct WalkOutcome {
    TranslationResult result;  // when !fault
    Fault fault;
    // The tables read, the initial one first (a nested walk: stage 1's).
    std::array<TableStep, 4> steps{};
    unsigned nsteps = 0;
    bool ok() const { return !fault; }
};

// One stage. `resume` starts at that table instead of at TTB (a walk-cache
// hit; its level must be below the start level's, its limits those the walk
// recorded). Stage 2 output is a PA; stage 1 output is a PA, or an IPA when
// the caller goes on to stage 2 itself.
WalkOutcome walk(const StageConfig& cfg, Stage stage, uint64_t ia, const Access& access, TableReader& mem,
                 WalkStats* stats = nullptr, const TableStep* resume = nullptr);

// Stage 1 then stage 2: every stage-1 table read goes through a
// Stage2Reader (a stage-2 fault there: S2 = 1, CLASS = TT, ipa = the
// descriptor's IPA), then the stage-1 output IPA is walked by stage 2
// (a fault: S2 = 1, CLASS = IN, ipa = that IPA). A stage-1 permission or
// access fault is reported before the output IPA is translated. The result's
// page_size is the smaller of the two stages' and its permissions both
// stages' (s1_rights, s2_rights).
WalkOutcome walk_nested(const StageConfig& s1, const StageConfig& s2, uint64_t ia, const Access& access,
                        TableReader& mem, WalkStats* stats = nullptr, const TableStep* s1_resume = nullptr);

// The permission check of a completed translation, as walk() applies it:
// what a TLB hit calls for a later access. F_PERMISSION (stage 1 first,
// then stage 2; CLASS = IN, ipa = result.ipa when S2) or no fault.
// input_addr and record are the caller's to fill.
Fault check_access(const TranslationResult& result, const Access& access);

// A reader of IPAs: each read walks stage 2 (a data read, as a table walk
// is), then reads the PA through `mem`. For a nested stream's stage-1 table
// reads (walk_nested uses one) and CD fetches (pass Fault::Class::Cd).
// After read() returns false, fault() says why: a stage-2 fault (type set,
// s2 = 1, cls as constructed, ipa, level; input_addr left 0 for the caller),
// or type = 0 with fetch_addr = the PA whose read aborted.
class Stage2Reader : public TableReader {
public:
    Stage2Reader(const StageConfig& s2, TableReader& mem, Fault::Class cls, WalkStats* stats = nullptr);
    bool read(uint64_t ipa, void* dst, size_t len) override;
    const Fault& fault() const { return fault_; }
    // The PA the last successful read went to.
    uint64_t last_pa() const { return last_pa_; }

private:
    const StageConfig s2_;  // a copy: the reader may outlive the caller's config
    TableReader& mem_;
    Fault::Class cls_;
    WalkStats* stats_;
    Fault fault_;
    uint64_t last_pa_ = 0;
};

// ---- geometry ------------------------------------------------------------
// The start levels are vmsa_params.h's (vmsa::s1_start_level,
// vmsa::s2_start_level), shared with the decoders and the builder.
// Initial tables the walk indexes at the start level: 1, or 2..16
// concatenated (stage 2 only). 0: the ia_bits / start_level / granule
// combination is inconsistent (the start level resolves no bit, or more
// than a table — 16 tables at stage 2 — holds), or ia_bits / oa_bits are
// outside 25..48 / 32..52: C_BAD_STE / C_BAD_CD for the decoder; walk()
// on such a config is F_TRANSLATION at the start level.
unsigned initial_tables(const StageConfig& cfg, Stage stage);

}  // namespace smmusim::smmuv3
