// SPDX-License-Identifier: GPL-2.0-only
#include "guest_filter.h"

#include "cmdqv_regs.h"

namespace smmusim::cmdqv {

using namespace smmuv3;

namespace {

// A guest-owned VINTF's decision for one command; inline in the burst's
// loop.
[[gnu::always_inline]] inline FilterResult filter(Command& c, const VintfView& v)
{
    switch (c.op) {
    case OP_TLBI_NH_ASID:
    case OP_TLBI_NH_VA:
        c.vmid = v.vmid;
        c.dw0 = cmdf::TLBI_VMID.set(c.dw0, v.vmid);
        return {0, false};
    case OP_ATC_INV:
        for (unsigned s = 0; s < v.num_sids; s++) {
            if (v.sids[s].enabled && v.sids[s].vsid == c.sid) {
                c.sid = v.sids[s].psid;
                c.dw0 = cmdf::ATC_SID.set(c.dw0, c.sid);
                return {0, false};
            }
        }
        return {CERROR_ILL_ACCESS, false};
    case OP_CMD_SYNC: {
        const bool suppressed = c.cs != cmdf::CS_NONE;
        c.cs = cmdf::CS_NONE;
        c.msi_addr = 0;
        c.dw0 = cmdf::SYNC_CS.set(c.dw0, cmdf::CS_NONE);
        c.dw1 = 0;
        return {0, suppressed};
    }
    default:
        return {CERROR_ILL, false};
    }
}

}  // namespace

FilterResult guest_filter(Command& c, const VintfView& v)
{
    if (v.hyp_own)
        return {0, false};
    return filter(c, v);
}

BurstFilterResult guest_filter_burst(Command* cmds, uint32_t n, const VintfView& v)
{
    BurstFilterResult b{0, 0, 0};
    if (v.hyp_own) {
        b.admitted = n;
        return b;
    }
    for (; b.admitted < n; b.admitted++) {
        const FilterResult r = filter(cmds[b.admitted], v);
        if (r.error) {
            b.error = r.error;
            break;
        }
        b.syncs_suppressed += r.sync_suppressed ? 1 : 0;
    }
    return b;
}

}  // namespace smmusim::cmdqv
