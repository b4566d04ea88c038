// SPDX-License-Identifier: GPL-2.0-only
// A guest's own stage 1 in its RAM, written as the guest's arm-smmu-v3
// driver and io-pgtable-arm would write them: a linear CD table (one CD per
// SSID, guest_tables.h's make_s1_cd) and, per SSID, a VMSAv8-64 stage-1
// table tree (the translation path's PgtableBuilder) whose output addresses
// are guest PAs (IPAs, translated by the VMM's stage 2). Everything is
// addressed by guest PA and stored through the VMM's mapping of guest RAM.
// The tables' pages come from a region of guest RAM the caller names
// ([tables, end of guest RAM)), handed out upwards, never freed.
//
// This stands in for the guest kernel (the trace, not a real guest driver,
// writes these tables). Not here: two-level CD tables (S1Fmt = 0 only),
// HTTU (CD.HA/HD = 0), stall (CD.S = 0), big-endian tables, freeing tables
// emptied by unmap (the builder keeps them).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "guest_tables.h"
#include "smmuv3/translation/pgtable_builder.h"

namespace smmusim::kshim {

class GuestStage1 : private smmuv3::TableWriter {
public:
    struct Config {
        unsigned ssids = 1;          // CDs: a power of two, 1..1024 (S1CDMax = log2)
        uint16_t asid = 1;           // SSID s gets ASID asid + s
        smmuv3::Granule granule = smmuv3::Granule::k4K;
        unsigned ias = 48;           // VA bits: T0SZ = 64 - ias
        unsigned oas = 48;           // IPA bits (IPS)
        std::optional<uint64_t> tables;  // guest PA where the table region starts (none: Vm's default)
    };

    // Guest RAM: `ram` (the VMM's mapping), `ram_bytes` long, at guest PA `ram_gpa`.
    GuestStage1(void* ram, uint64_t ram_gpa, uint64_t ram_bytes) : ram_(ram), gpa_(ram_gpa), bytes_(ram_bytes) {}

    // Writes the CD table and every SSID's (empty) stage-1 root table.
    // -EINVAL: a configuration the grammar should have refused, or a table
    // region outside guest RAM; -ENOMEM: the region is too small. error()
    // says which.
    int build(const Config& c);
    // The guest maps [iova, iova + size) of SSID `ssid` to guest PA `gpa`
    // (read/write, or read-only): the PTEs io-pgtable-arm would write for
    // iommu_map(IOMMU_READ [| IOMMU_WRITE] | IOMMU_CACHE): non-global,
    // unprivileged-accessible, AttrIndx 1, the largest blocks alignment
    // allows. -EINVAL: bad SSID, misaligned or outside the VA size, over a
    // live mapping (nothing is written); -ENOMEM: no room for a table (what
    // was mapped before the room ran out stays mapped).
    int map(uint32_t ssid, uint64_t iova, uint64_t gpa, uint64_t size, bool writable);
    // The guest clears the PTEs of [iova, iova + size) (the guest's own
    // TLBI is the trace's next lines, through its HW queue), as
    // iommu_unmap() does: up to the first page with nothing mapped, which
    // fails it (-ENOENT); -EINVAL: bad SSID, misaligned or outside the VA
    // size (nothing is cleared).
    int unmap(uint32_t ssid, uint64_t iova, uint64_t size);
    // Why the last map() or unmap() failed, when the table builder said
    // (e.g. "map IA 0x100800 size 0x1000: not a multiple of the granule
    // 0x1000"); empty otherwise.
    const std::string& error() const { return error_; }

    bool built() const { return !roots_.empty(); }
    const Config& config() const { return cfg_; }
    uint64_t cd_table() const { return cd_table_; }
    unsigned s1cdmax() const;
    uint64_t ttb0(uint32_t ssid) const;
    // The CD of `ssid` as it is in guest RAM now.
    std::array<uint64_t, 8> cd(uint32_t ssid) const;

private:
    void write64(uint64_t gpa, uint64_t value) override;
    uint64_t alloc_table(uint64_t bytes) override;
    // Zeroed, aligned to `bytes` (a power of two); kNoRoom: no room (guest
    // PA 0 is a place like any other when guest RAM starts there).
    static constexpr uint64_t kNoRoom = ~uint64_t{0};
    uint64_t alloc(uint64_t bytes);
    void* host(uint64_t gpa, uint64_t len) const;  // null outside guest RAM

    void* ram_;
    uint64_t gpa_, bytes_;
    Config cfg_;
    uint64_t next_ = 0, cd_table_ = 0;
    std::vector<std::unique_ptr<smmuv3::PgtableBuilder>> roots_;  // per SSID
    std::string error_;  // error()
};

}  // namespace smmusim::kshim
