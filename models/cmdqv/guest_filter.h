// SPDX-License-Identifier: GPL-2.0-only
// What a guest-owned VINTF (HYP_OWN = 0) lets through, and how it rewrites
// it. This is the CMDQV's security boundary:
//
//   TLBI_NH_ASID, TLBI_NH_VA  admitted; the VMID field is replaced by the
//                             VINTF's VMID (VINTF CONFIG.VMID), so a guest
//                             can only invalidate its own VM's entries
//   ATC_INV                   admitted if its StreamID matches an enabled
//                             SID_MATCH of the VINTF (a virtual SID); it is
//                             replaced by the paired SID_REPLACE (the
//                             physical SID). No match: CERROR_ILL_ACCESS
//   CMD_SYNC                  admitted; completion signalling (CS = IRQ with
//                             an MSI to a guest-chosen address, or SEV) is
//                             suppressed: it completes as CS = NONE and the
//                             guest polls CONS
//   anything else             CERROR_ILL
//
// A hypervisor-owned VINTF (HYP_OWN = 1) admits everything unchanged.
//
// The VintfView is the configuration in force when the VCMDQ admits the
// command (Cmdqv::vintf_admission: the VMID/HYP_OWN the VINTF was enabled
// with, the SID pairs of the moment); nothing is admitted while a VINTF
// configuration write is pending (models/cmdqv/README.md, "Admission").
#pragma once

#include <cstdint>

#include "../smmuv3/commands.h"

namespace smmusim::cmdqv {

struct SidPair {
    bool enabled;
    uint32_t vsid;  // SID_MATCH.VIRT_SID
    uint32_t psid;  // SID_REPLACE
};

struct VintfView {
    bool hyp_own;
    uint16_t vmid;
    const SidPair* sids;
    unsigned num_sids;
};

struct FilterResult {
    uint8_t error;           // 0 = admitted, else a VCMDQ CONS.ERR code
    bool sync_suppressed;    // a CMD_SYNC's signalling was dropped
};

FilterResult guest_filter(smmuv3::Command& cmd, const VintfView& vintf);

// guest_filter() for cmds[0, n) in order, up to the first it refuses.
struct BurstFilterResult {
    uint32_t admitted;          // the first `admitted` commands were admitted
    uint8_t error;              // the next one's CONS.ERR code (0: all admitted)
    uint32_t syncs_suppressed;  // CMD_SYNCs among them whose signalling was dropped
};
BurstFilterResult guest_filter_burst(smmuv3::Command* cmds, uint32_t n, const VintfView& vintf);

}  // namespace smmusim::cmdqv
