// SPDX-License-Identifier: GPL-2.0-only
#include "dram_zero.h"

#include <fcntl.h>

#include <cstring>

namespace smmusim::kshim {

namespace {
constexpr uint64_t kPage = 4096;
// From this size on, punching a hole beats writing zeros.
constexpr uint64_t kPunchMin = 64 * 1024;
}  // namespace

void zero_dram(const Memory& dram, uint64_t pa, void* host, uint64_t len)
{
    if (len >= kPunchMin && (pa | len) % kPage == 0)
        for (const Memory::Region& r : dram.regions())
            if (pa >= r.base && pa + len <= r.base + r.size &&
                fallocate(r.fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, static_cast<off_t>(pa - r.base),
                          static_cast<off_t>(len)) == 0)
                return;
    memset(host, 0, len);
}

}  // namespace smmusim::kshim
