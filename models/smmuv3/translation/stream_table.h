// SPDX-License-Identifier: GPL-2.0-only
// Finding a stream's STE and a transaction's CD in memory, and the
// convenience wrappers the translation unit calls (locate + read + decode).
//
//   ste_address()  STRTAB_BASE / STRTAB_BASE_CFG: a linear table, or a
//                  2-level one through an L1STD (IHI 0070 3.3.2, 5.1, 6.3.24-25)
//   cd_address()   STE.S1ContextPtr / S1Fmt / S1CDMax / S1DSS: a linear CD
//                  table, or a 2-level one through an L1CD (5.2, 5.3)
//   fetch_stream_config(), fetch_cd(): the above, the 64-byte read and
//                  decode_ste() / decode_cd(), with the number of reads made
//
// Every read goes through a TableReader; a read that fails is F_STE_FETCH /
// F_CD_FETCH with the address that failed. A nested stream's CD pointers are
// IPAs: the caller passes a reader that translates them by stage 2 (walk.h's
// Stage2Reader), and when its read fails with a stage-2 fault of its own the
// caller reports that fault instead of F_CD_FETCH (IHI 0070 7.3: CLASS = CD).
// These functions fill Fault::type, reason, record and fetch_addr; the
// transaction's fields (StreamID, SubstreamID, address) are the caller's.
// Not here: timing, caching (config_cache.h), the event record.
#pragma once

#include <cstdint>

#include "../../platform/bits.h"
#include "cd.h"
#include "ste.h"
#include "table_reader.h"
#include "types.h"

namespace smmusim::smmuv3 {

namespace l1std {  // Level 1 Stream Table Descriptor (5.1)
constexpr Field Span{4, 0}, L2Ptr{51, 6};
}  // namespace l1std
namespace l1cd {  // Level 1 Context Descriptor (5.3)
constexpr Field V = bit(0), L2Ptr{51, 12};
}  // namespace l1cd

// Where a lookup ended: the structure's address, or a fault; and how many
// table reads it made (each is a memory access the unit pays for).
struct TableLocation {
    uint64_t addr = 0;
    Fault fault;
    unsigned reads = 0;
};

// The STE of `sid` (64 bytes at .addr). C_BAD_STREAMID (recorded only with
// CR2.RECINVSID, 7.3.2) when sid is beyond the table's effective size
// (LOG2SIZE capped by IDR1.SIDSIZE), or its L1STD's Span is 0, reserved
// (12..31), larger than SPLIT + 1, or too small to hold it (5.1.1).
// FMT and SPLIT reserved values behave as linear and 6 (6.3.25); FMT is
// RES0 (linear) without IDR0.ST_LVL. The base and each L2Ptr are aligned by
// the SMMU to their tables' sizes (6.3.24, 5.1).
TableLocation ste_address(uint64_t strtab_base, uint64_t strtab_base_cfg, uint32_t sid, const SteContext& ctx,
                          TableReader& mem);

// The CD a transaction uses, for a stream whose STE decoded to `ste`:
//   stage 1 off (Config 0b1x0): no CD; with an SSID C_BAD_SUBSTREAMID (5.2 S1Fmt)
//   no SSID, S1CDMax = 0: the one CD; S1CDMax > 0: S1DSS says (5.2 S1DSS):
//       terminate -> F_STREAM_DISABLED, bypass -> no CD (stage 1 bypassed),
//       substream 0 -> the CD of SSID 0
//   SSID: S1CDMax = 0 or SSID >= 2^S1CDMax -> C_BAD_SUBSTREAMID (5.2 S1CDMax);
//       SSID 0 with S1DSS = substream 0 -> F_STREAM_DISABLED
//   2-level: an L1CD with V = 0 -> C_BAD_SUBSTREAMID (5.3.1), its L2Ptr
//       beyond the OAS -> C_BAD_SUBSTREAMID (3.4.3)
// .s1_bypass: no CD is used and stage 1 is bypassed. Reserved bits of
// S1ContextPtr (below the table's size) and of a 64 KiB L2Ptr are taken as
// zero (one of the behaviours 5.2 S1Fmt permits).
struct CdLocation : TableLocation {
    bool s1_bypass = false;
};
CdLocation cd_address(const StreamConfig& ste, bool ssv, uint32_t ssid, unsigned oas_bits, TableReader& mem);

// Locate, read and decode a stream's STE: .fault is C_BAD_STREAMID,
// F_STE_FETCH or C_BAD_STE, or .config holds the stream's configuration.
struct SteFetch {
    StreamConfig config;
    Fault fault;
    unsigned reads = 0;   // L1STD + STE reads made
    uint64_t addr = 0;    // the STE's address (when located)
};
SteFetch fetch_stream_config(uint64_t strtab_base, uint64_t strtab_base_cfg, uint32_t sid, const SteContext& ctx,
                             TableReader& mem);

// Locate, read and decode the CD of a transaction on a stream: .fault is
// C_BAD_SUBSTREAMID, F_STREAM_DISABLED, F_CD_FETCH or C_BAD_CD; .s1_bypass
// says no CD applies (stage 1 off or S1DSS = bypass); else .config.
struct CdFetch {
    CdConfig config;
    bool s1_bypass = false;
    Fault fault;
    unsigned reads = 0;   // L1CD + CD reads made
    uint64_t addr = 0;    // the CD's address (PA, or IPA when nested)
};
CdFetch fetch_cd(const StreamConfig& ste, bool ssv, uint32_t ssid, const CdContext& ctx, TableReader& mem);

}  // namespace smmusim::smmuv3
