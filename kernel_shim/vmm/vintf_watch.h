// SPDX-License-Identifier: GPL-2.0-only
// Which VINTFs of the platform's CMDQV are enabled (VINTF_STATUS.ENABLED),
// kept up to date by an observer of the CMDQV's register bank, so that the
// kernel-level operations can tell which VINTFs an operation enabled
// without reading every VINTF's status before and after each operation.
// It only watches; it never accesses the CMDQV.
#pragma once

#include <cstdint>
#include <memory>

namespace smmusim {
class Soc;
}

namespace smmusim::kshim {

class VintfWatch {
public:
    // A platform without a CMDQV has no VINTF: enabled() stays 0.
    explicit VintfWatch(Soc& soc);

    // Bit v: VINTF v is enabled now (the CMDQV has at most 64 VINTFs,
    // cmdqv.vintfs_log2 <= 6).
    uint64_t enabled() const { return *enabled_; }

private:
    // Shared with the observer, which lives as long as the CMDQV.
    std::shared_ptr<uint64_t> enabled_ = std::make_shared<uint64_t>(0);
};

}  // namespace smmusim::kshim
