// SPDX-License-Identifier: GPL-2.0-only
// The SMMU's side of PCIe ATS (IHI 0070 3.9.1, 13.6, 13.7): what an ATS
// Translation Request is answered and what becomes of a Translated
// transaction, as plain functions of the stream's configuration and the
// translation the pipeline found. The translation unit
// (translation_unit.h: translation_request(), translated()) times the
// lookups and calls these; Smmuv3::upstream dispatches on the sideband's AT.
//
// Translation Requests (3.9.1.2). No data moves; the answer is a
// Translation Completion (stream_id.h StreamIdExtension::AtsCompletion):
//   SMMUEN = 0, STE.Config bypass, effective EATS 0b00
//     (EATS 0b10 with ATSCHK = 0, no IDR0.ATS)   UR, F_BAD_ATS_TREQ recorded (7.3.6)
//   STE.Config abort                             UR, no event
//   a configuration error: C_BAD_STREAMID,
//     F_STE_FETCH, C_BAD_STE, F_STREAM_DISABLED,
//     C_BAD_SUBSTREAMID, F_CD_FETCH, C_BAD_CD,
//     F_WALK_EABT                                CA, no event (IDR0.ATSRECERR = 0: CR2.REC_CFG_ATS
//                                                is RES0, so only the base set is recorded)
//   F_TRANSLATION, F_ADDR_SIZE, F_ACCESS, or a
//     stage-2 fault of a table or CD fetch       Success, R = W = 0, size = STU, no event
//   a translation                                Success with the permissions of 13.7.1 for
//                                                the request's privilege (a permission the
//                                                page lacks is withheld, never a fault), the
//                                                page or block size (nested: the smaller of
//                                                the two stages', 13.6.3), Global = nG = 0
//                                                and no PASID; R = W = 0 (size STU) when
//                                                nothing is granted
//   stage 1 skipped by S1DSS, stage-1-only STE   Success, identity, R = W = 1, size STU (13.6.4)
// Split-stage (effective EATS 0b10, 13.6.3): the same, but the completion
// carries the stage-1 output (an IPA). A request without a PASID is Data,
// Unprivileged (13.7): its Exe and Priv are 0 in the completion.
//
// Translated transactions (3.9.1.3), IDR3.PASIDTT = 0: treated as Data,
// Unprivileged, without SubstreamID.
//   SMMUEN = 0                                   aborted, F_TRANSL_FORBIDDEN recorded (7.3.8)
//   ATSCHK = 0                                   performed at the address (no STE lookup)
//   ATSCHK = 1: a configuration error            aborted, no event (REC_CFG_ATS RES0)
//               STE.Config abort                 aborted, no event
//               STE.Config bypass, EATS 0b00     aborted, F_TRANSL_FORBIDDEN recorded
//               EATS 0b01                        performed at the address
//               EATS 0b10                        the address is an IPA: stage 2 translates it,
//                                                faults recorded as for any transaction
// An address beyond the OAS passed through unchecked is aborted without an
// event (3.9.1.1: the IMPLEMENTATION DEFINED choice of this model).
//
// Not here: PRI, HTTU (IDR0.HTTU = 0: no flag updates on a request), the
// STE.INSTCFG/PRIVCFG overrides (no effect in the model), the TE/XT bits,
// DPT (EATS 0b11 behaves as 0b00: ste.h), Secure streams.
#pragma once

#include <cstdint>

#include "../../platform/stream_id.h"
#include "../evtq.h"
#include "ste.h"
#include "types.h"

namespace smmusim::smmuv3::ats {

using Completion = StreamIdExtension::AtsCompletion;

// The Smallest Translation Unit (3.9.1): the smallest granule IDR5 lists.
uint64_t stu_bytes(const SteContext& ctx);

// Why a Translation Request is refused before any translation (3.9.1.2).
enum class Refusal : uint8_t {
    None,
    SmmuDisabled,  // SMMUEN = 0: UR, F_BAD_ATS_TREQ
    SteAbort,      // STE.Config = 0b000: UR, no event
    SteBypass,     // STE.Config = 0b100: UR, F_BAD_ATS_TREQ
    EatsOff,       // effective STE.EATS = 0b00: UR, F_BAD_ATS_TREQ
};
// The refusal a decoded (valid) STE makes.
Refusal refusal(const StreamConfig& ste);
inline bool records_bad_treq(Refusal r) { return r != Refusal::None && r != Refusal::SteAbort; }

Completion unsupported_request();
Completion completer_abort();
// Success with R = W = 0 (no access), size STU; Priv as requested.
Completion no_access(const Transaction& tr, uint64_t stu);
// 13.6.4: stage 1 skipped on a stage-1-only stream: identity, R = W = 1.
Completion identity(const Transaction& tr, uint64_t stu);
// A completed translation of `tr` (the result relocated to tr.addr): the
// permissions of 13.7.1, the page, Global. `split_stage`: the IPA.
Completion granted(const TranslationResult& r, const Transaction& tr, bool split_stage, uint64_t stu);
// A fault met while translating a request: CA or no access (3.9.1.2).
Completion of_fault(const Fault& f, const Transaction& tr, uint64_t stu);
// True for the faults a request answers with CA.
bool is_configuration_error(const Fault& f);

// The request as the SMMU considers it (13.7): without a PASID, Data and
// Unprivileged.
Transaction request_view(Transaction tr);
// A Translated transaction as the SMMU considers it (3.9.1.3, PASIDTT = 0):
// Data, Unprivileged, no SubstreamID.
Transaction translated_view(Transaction t);

// What a Translated transaction's STE says with ATSCHK = 1 (3.9.1.3).
enum class TranslatedRule : uint8_t {
    Pass,       // EATS 0b01: performed at the address
    Stage2,     // EATS 0b10: the address is an IPA for stage 2
    Forbidden,  // Config bypass or EATS 0b00: F_TRANSL_FORBIDDEN, aborted
    Abort,      // Config abort: aborted, no event
};
TranslatedRule translated_rule(const StreamConfig& ste);

// F_BAD_ATS_TREQ (7.3.6): the stream's identity and the requested page's
// address in InputAddr. F_TRANSL_FORBIDDEN (7.3.8): StreamID, RnW and
// InputAddr. Fields the model does not fill are 0 (the request's R/W/X/
// PRIV and Span: the model keeps no NW/Span beyond the payload).
EventRecord bad_treq_record(const Transaction& tr);
EventRecord transl_forbidden_record(const Transaction& t);

}  // namespace smmusim::smmuv3::ats
