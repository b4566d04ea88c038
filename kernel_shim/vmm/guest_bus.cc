// SPDX-License-Identifier: GPL-2.0-only
// The bus as a VMM's guest sees it (guest_bus.h).
#include "guest_bus.h"

#include <cstring>

namespace smmusim::kshim {

bool GuestBus::poll(uint64_t offset, uint64_t mask, uint64_t want)
{
    for (int i = 0; i < kPollReads; i++) {
        if ((ks_.map_read(map_, offset) & mask) == want)
            return true;
        if (!ks_.idle(sc_core::sc_time(static_cast<double>(kPollStepNs), sc_core::SC_NS))) {
            time_ran_out_ = true;
            return false;
        }
    }
    return false;
}

bool GuestBus::store(uint64_t gpa, const void* src, size_t len)
{
    if (gpa < ram_gpa_ || gpa - ram_gpa_ > ram_bytes_ || len > ram_bytes_ - (gpa - ram_gpa_))
        return false;
    std::memcpy(static_cast<char*>(ram_) + (gpa - ram_gpa_), src, len);
    return true;
}

}  // namespace smmusim::kshim
