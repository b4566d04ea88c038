// SPDX-License-Identifier: GPL-2.0-only
#include "vintf_watch.h"

#include <stdexcept>

#include "cmdqv/cmdqv.h"
#include "soc.h"

namespace smmusim::kshim {

VintfWatch::VintfWatch(Soc& soc)
{
    if (!soc.has_cmdqv())
        return;
    Cmdqv& cmdqv = soc.cmdqv();
    const unsigned n = cmdqv.num_vintfs();
    if (n > 64)
        throw std::logic_error("VintfWatch: more than 64 VINTFs");
    for (unsigned v = 0; v < n; v++)
        *enabled_ |= uint64_t{cmdqv.vintf_enabled(v)} << v;
    // Every change of a stored register value reaches the observer, whether
    // software wrote it or the model set it (RegisterBank).
    cmdqv.bank().add_change_observer([on = enabled_, n](uint32_t offset, uint64_t value) {
        using namespace cmdqv;
        if (offset < vintf(0) || (offset - vintf(0)) % kVintfStride != VINTF_STATUS)
            return;
        const unsigned v = (offset - vintf(0)) / kVintfStride;
        if (v >= n)
            return;
        const uint64_t bit = uint64_t{1} << v;
        *on = vintf_status::ENABLED.get(value) ? *on | bit : *on & ~bit;
    });
}

}  // namespace smmusim::kshim
