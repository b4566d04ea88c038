// SPDX-License-Identifier: GPL-2.0-only
// A translation fault as the event record the SMMU writes into its event
// queue (IHI 0070 7.3 "Event records"): 32 bytes, four doublewords.
//
//   dw0  Type[7:0] SSV[11] SubstreamID[31:12] StreamID[63:32]     every event
//   dw1  STAG[15:0] Stall[31] PnU[33] InD[34] RnW[35] S2[39]
//        CLASS[41:40] TTRnW[44]                                  F_WALK_EABT, F_TRANSLATION,
//                                                                F_ADDR_SIZE, F_ACCESS, F_PERMISSION
//   dw2  InputAddr[63:0]                                         the same events
//   dw3  IPA[51:12] (in place)                                   those four F_* with S2 = 1
//        FetchAddr[51:3] (in place)                              F_STE_FETCH, F_CD_FETCH, F_WALK_EABT
//
// C_BAD_STREAMID, C_BAD_STE, F_STREAM_DISABLED, C_BAD_SUBSTREAMID and
// C_BAD_CD carry the stream's identity only (7.3.2 - 7.3.10); everything
// else is zero. STAG and Stall are 0: no stall model (IDR0.STALL_MODEL =
// no stall). NSIPA is 0: Non-secure streams only. TTRnW is 1 (a read) when
// CLASS = TT: without HTTU the SMMU only reads translation tables.
// A SubstreamID is recorded only with SSV = 1.
//
// Not here: which faults are recorded (CD.R, STE.S2R; translation_unit.h),
// event merging (STE.MEV: every event is recorded), F_UUT, E_PAGE_REQUEST,
// the conflict and VMS events; F_BAD_ATS_TREQ and F_TRANSL_FORBIDDEN are
// ats.h's.
#pragma once

#include "../../platform/bits.h"
#include "../evtq.h"
#include "types.h"

namespace smmusim::smmuv3 {

namespace evtrec {
// dw0
constexpr Field TYPE{7, 0}, SSV = bit(11), SSID{31, 12}, SID{63, 32};
// dw1
constexpr Field STAG{15, 0}, STALL = bit(31), PnU = bit(33), InD = bit(34), RnW = bit(35), NSIPA = bit(38),
                S2 = bit(39), CLASS{41, 40}, TTRnW = bit(44);
// dw3: addresses kept in place (the low bits are zero)
constexpr Field IPA{51, 12}, FETCH_ADDR{51, 3};
}  // namespace evtrec

// The events the translation path raises, in event-number order (the
// statistics count faults by their names: evt::name(), evtq.h).
extern const uint8_t kTranslationEvents[12];

// The event record of `f` for transaction `t`. `f.type` must be one of the
// events listed above (std::invalid_argument otherwise: the model raised a
// fault it cannot describe).
EventRecord event_record(const Fault& f, const Transaction& t);

}  // namespace smmusim::smmuv3
