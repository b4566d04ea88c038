// SPDX-License-Identifier: GPL-2.0-only
// The translation path's shared vocabulary: what a transaction asks, what a
// stream's configuration (STE, CD) says once decoded, what a walk or a TLB
// entry yields, and what a fault records. The pieces that produce and use
// these are each in their own file of this folder:
//
//   stream_table.h, ste.h, cd.h   locate and decode STEs and CDs (IHI 0070 3.3, 5.2, 5.4)
//   descriptors.h, walk.h         VMSAv8-64 translation table walks, stage 1 / 2 / nested
//   pgtable_builder.h             writes VMSAv8-64 tables (tests, a VMM's guest stage 1)
//   tlb.h, config_cache.h,        the caches, each an InvalidationTarget
//   walk_cache.h
//   event_record.h                a Fault as an event record (IHI 0070 7.3)
//   ats.h                         PCIe ATS: Translation Completions, Translated checks (3.9.1)
//   translation_unit.h            the timed SystemC pipeline in the SMMU
//
// Plain data, no SystemC: every piece is testable on its own.
#pragma once

#include <cstdint>

namespace smmusim::smmuv3 {

// ---- a transaction as it arrives at the SMMU (IHI 0070 3.2, 7.3) ----------
struct Transaction {
    uint32_t sid = 0;
    bool ssv = false;      // a SubstreamID is present
    uint32_t ssid = 0;
    uint64_t addr = 0;     // input address (VA, or IPA for a stage-2-only stream)
    uint32_t size = 0;     // bytes, within one page of the smallest granule
    bool write = false;    // RnW = !write
    bool instr = false;    // InD
    bool priv = false;     // PnU
    bool tr = false;       // an ATS Translation Request (ats.h): the walk reports permissions
                           // instead of checking them, and no fault is recorded
};

// ---- translation granule and regime ---------------------------------------
enum class Granule : uint8_t { k4K, k16K, k64K };
constexpr unsigned granule_shift(Granule g) { return g == Granule::k4K ? 12 : g == Granule::k16K ? 14 : 16; }

// The translation regime a stream's stage 1 belongs to, from STE.STRW and
// CR2.E2H (IHI 0070 5.2): TLB entries are tagged with it, and the TLBI
// commands select it (TLBI_NH_* = Nh, TLBI_EL2_* = El2 / El2E2h).
enum class Regime : uint8_t {
    Nh,      // Non-secure EL1&0: tagged by VMID and ASID
    El2,     // EL2 (E2H = 0): no ASID, no VMID
    El2E2h,  // EL2&0 with E2H = 1: tagged by ASID, no VMID
};

// ---- one stage's walk parameters, as the STE (stage 2) or CD (stage 1) gives them
struct StageConfig {
    bool enabled = false;
    Granule granule = Granule::k4K;
    unsigned ia_bits = 48;      // 64 - T0SZ (stage 1) or 64 - S2T0SZ (stage 2)
    unsigned oa_bits = 48;      // IPS / S2PS, capped by IDR5.OAS
    uint64_t ttb = 0;           // TTB0 / S2TTB: PA (stage 2; stage 1 when not nested) or IPA (nested stage 1)
    unsigned start_level = 0;   // 0..3: level of the table TTB points at
    unsigned concat = 1;        // stage 2: number of concatenated initial tables (1 = none)
    bool big_endian = false;    // ENDI / S2ENDI
    bool affd = false;          // AFFD / S2AFFD: an access-flag fault is not raised (AF = 0 is accessed)
    bool ha = false, hd = false;  // HTTU asked (the model reports what it does with these: see walk.h)
    bool record = true;         // CD.R / STE.S2R: faults are recorded in the event queue
    bool stall = false;         // CD.S / STE.S2S (the model has no stall: terminate)
    bool s2ptw = false;         // STE.S2PTW: stage-1 walks to Device memory fault (stage 2)
    bool epd0 = false;          // CD.EPD0: TTB0 walks disabled (translation fault)
    bool wxn = false, uwxn = false, pan = false;  // CD.WXN/UWXN/PAN
    uint8_t tbi = 0;            // CD.TBI[1:0]: top byte ignored for TTB0 / TTB1 halves
    bool fwb = false;           // STE.S2FWB: stage-2 MemAttr in the FWB encoding (for S2PTW's Device test)
};

// ---- a stream's configuration: the STE, and the CD when stage 1 is on ----
enum class StreamMode : uint8_t { Abort, Bypass, Translate };

struct StreamConfig {
    StreamMode mode = StreamMode::Abort;
    bool s1_enabled = false, s2_enabled = false;  // STE.Config[0] (stage 1) / [1] (stage 2) when mode == Translate
    Regime regime = Regime::Nh;   // from STRW (+ CR2.E2H)
    uint16_t vmid = 0;            // S2VMID (0 when stage 2 is off: NH regime of VMID 0)
    // Stage 1 context-descriptor table (STE.S1ContextPtr & co)
    uint64_t s1_context_ptr = 0;  // PA (IPA when stage 2 is on: nested)
    unsigned s1_cdmax = 0;        // log2 of the number of CDs (0: one CD, no SubstreamIDs)
    uint8_t s1_fmt = 0;           // 0 linear, 1 two-level 4 KiB leaves, 2 two-level 64 KiB leaves
    uint8_t s1_dss = 0;           // 0 terminate, 1 bypass stage 1, 2 use CD 0 — for no-SSID transactions
    StageConfig s2;               // stage 2, when s2_enabled
    bool eats = false;            // STE.EATS != 0: ATS translation requests allowed
    bool mev = false;             // STE.MEV: merge events (no effect in the model beyond recording it)
    uint8_t eats_mode = 0;        // effective STE.EATS (ste.h): 0 no ATS, 1 full ATS, 2 split-stage
    bool s1stalld = false;        // STE.S1STALLD (a CD's S bit is checked against it: cd.h)
};

struct CdConfig {
    bool valid = false;
    uint16_t asid = 0;
    StageConfig s1;               // TTB0 half (Linux uses TTB0 only; EPD1 = 1)
    uint64_t mair = 0;
    bool aset = false;            // CD.ASET: shared ASID set (no effect in the model beyond recording it)
    bool a = true;                // CD.A: a stage-1 fault aborts (false: RAZ/WI termination, IHI 0070 5.5)
};

// ---- a completed translation (what a TLB entry holds) ---------------------
struct Permissions {
    bool read = true, write = true, exec = true;  // for the transaction's privilege, after AP/XN/S2AP
};

// Both privileges' permissions of one stage, so that a TLB hit can check
// any later access exactly as the walk did (walk.h check_access()).
struct AccessRights {
    Permissions priv, unpriv;
};

struct TranslationResult {
    uint64_t oa = 0;              // output address (PA) of the transaction's first byte
    uint64_t page_base_in = 0;    // input address the mapping starts at (aligned to `size`)
    uint64_t page_size = 0;       // bytes the mapping covers (a page or a block)
    unsigned level = 3;           // level of the leaf descriptor (the last stage's)
    Permissions perm;             // for the walked transaction's privilege, both stages
    uint64_t ipa = 0;             // the intermediate address of the first byte (stage 1 output; = input for stage 2 only)
    bool global = true;           // stage 1 nG = 0 (or no stage 1): not tagged by ASID
    AccessRights s1_rights;       // stage 1's (all granted when stage 1 is off)
    AccessRights s2_rights;       // stage 2's (all granted when stage 2 is off)
};

// ---- a fault: what the event record will say ------------------------------
// `type` is an event number of evtq.h (smmuv3::evt::F_TRANSLATION, ...);
// 0 = no fault.
struct Fault {
    uint8_t type = 0;
    enum class Class : uint8_t { Cd = 0, Tt = 1, In = 2 } cls = Class::In;  // CLASS: CD fetch, table walk, input
    bool s2 = false;              // the fault is in stage 2 (S2)
    uint64_t input_addr = 0;      // the transaction's input address
    uint64_t ipa = 0;             // the IPA of a stage-2 fault
    uint64_t fetch_addr = 0;      // F_STE_FETCH / F_CD_FETCH / F_WALK_EABT: the PA of the failed fetch
    uint8_t level = 0;            // F_TRANSLATION / F_ADDR_SIZE / F_ACCESS / F_PERMISSION / F_WALK_EABT: the walk level (not in the record)
    uint8_t reason = 0;           // C_BAD_STE/C_BAD_CD...: the model's own reason code (documented where set), not architected
    bool record = true;           // false: terminate without an event (CD.R / STE.S2R = 0)
    explicit operator bool() const { return type != 0; }
};

}  // namespace smmusim::smmuv3
