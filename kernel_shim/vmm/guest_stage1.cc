// SPDX-License-Identifier: GPL-2.0-only
// A guest's CD table and stage-1 tables in its RAM (guest_stage1.h).
#include "guest_stage1.h"

#include <cerrno>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string_view>

#include <fmt/format.h>

#include "smmuv3/translation/vmsa_params.h"
#include "smmuv3/translation/walk.h"

namespace smmusim::kshim {

namespace {
// The builder's reason without its "pgtable builder: " prefix.
std::string reason_of(const std::invalid_argument& e)
{
    const std::string_view what = e.what(), prefix = "pgtable builder: ";
    return std::string(what.substr(what.rfind(prefix, 0) == 0 ? prefix.size() : 0));
}
}  // namespace

void* GuestStage1::host(uint64_t gpa, uint64_t len) const
{
    if (gpa < gpa_ || gpa - gpa_ > bytes_ || len > bytes_ - (gpa - gpa_))
        return nullptr;
    return static_cast<char*>(ram_) + (gpa - gpa_);
}

uint64_t GuestStage1::alloc(uint64_t bytes)
{
    const uint64_t at = (next_ + bytes - 1) & ~(bytes - 1);
    void* p = at >= next_ ? host(at, bytes) : nullptr;
    if (!p)
        return kNoRoom;
    std::memset(p, 0, bytes);
    next_ = at + bytes;
    return at;
}

// The builder's table allocations: out of room ends the map() that asked.
uint64_t GuestStage1::alloc_table(uint64_t bytes)
{
    const uint64_t at = alloc(bytes);
    if (at == kNoRoom)
        throw std::bad_alloc();
    return at;
}

void GuestStage1::write64(uint64_t gpa, uint64_t value)
{
    if (void* p = host(gpa, 8))
        std::memcpy(p, &value, 8);  // little-endian, as the guest's tables are
}

unsigned GuestStage1::s1cdmax() const
{
    unsigned log2 = 0;
    while ((1u << log2) < cfg_.ssids)
        log2++;
    return log2;
}

int GuestStage1::build(const Config& c)
{
    error_.clear();
    const uint64_t cd_bytes = uint64_t{c.ssids} * guest::kCdBytes;
    const auto refused = [this](int err, std::string why) {
        error_ = std::move(why);
        return err;
    };
    if (built())
        return refused(-EINVAL, "the tables are built already");
    if (c.ssids == 0 || c.ssids > 1024 || (c.ssids & (c.ssids - 1)))
        return refused(-EINVAL, fmt::format("{} SSIDs: a power of two from 1 to 1024 is taken", c.ssids));
    if (guest::ips_of(c.oas) == ~0ull)
        return refused(-EINVAL, fmt::format("an IPA size of {} bits has no IPS encoding", c.oas));
    if (!c.tables)
        return refused(-EINVAL, "no guest PA for the tables was given");
    if (!host(*c.tables, 1))
        return refused(-EINVAL, fmt::format("tables at guest PA {:#x}: outside guest RAM [{:#x}, {:#x})", *c.tables,
                                            gpa_, gpa_ + bytes_));
    cfg_ = c;
    next_ = *c.tables;
    // The CD table: aligned to its size (at least 64 bytes, IHI 0070 5.2 S1ContextPtr).
    cd_table_ = alloc(cd_bytes);
    if (cd_table_ == kNoRoom)
        return refused(-ENOMEM, fmt::format("no room for the CD table ({:#x} bytes) between guest PA {:#x} and the "
                                            "end of guest RAM {:#x}",
                                            cd_bytes, *c.tables, gpa_ + bytes_));
    smmuv3::StageConfig s1;
    s1.enabled = true;
    s1.granule = c.granule;
    s1.ia_bits = c.ias;
    s1.oa_bits = c.oas;
    s1.start_level = smmuv3::vmsa::s1_start_level(c.ias, c.granule);
    smmuv3::TableWriter& writer = *this;  // the builders write guest RAM through this object
    try {
        for (uint32_t ssid = 0; ssid < c.ssids; ssid++) {
            roots_.push_back(std::make_unique<smmuv3::PgtableBuilder>(s1, smmuv3::Stage::S1, writer));
            const guest::S1Context ctx{static_cast<uint16_t>(c.asid + ssid), c.granule, c.ias, c.oas,
                                       roots_.back()->ttb()};
            const std::array<uint64_t, 8> d = guest::make_s1_cd(ctx);
            std::memcpy(host(cd_table_ + ssid * guest::kCdBytes, guest::kCdBytes), d.data(), guest::kCdBytes);
        }
    } catch (const std::bad_alloc&) {
        return refused(-ENOMEM, fmt::format("no room for the stage-1 root tables between guest PA {:#x} and the end "
                                            "of guest RAM {:#x}",
                                            *c.tables, gpa_ + bytes_));
    } catch (const std::invalid_argument& e) {
        return refused(-EINVAL, reason_of(e));  // a granule / VA size the builder cannot walk
    }
    return 0;
}

int GuestStage1::map(uint32_t ssid, uint64_t iova, uint64_t gpa, uint64_t size, bool writable)
{
    error_.clear();
    if (ssid >= roots_.size())
        return -EINVAL;
    // io-pgtable-arm's stage-1 PTE for IOMMU_READ | IOMMU_WRITE | IOMMU_CACHE
    // (arm_lpae_prot_to_pte): nG, AP[1] (unprivileged), AttrIndx 1, executable.
    smmuv3::MapAttrs a;
    a.write = writable;
    a.exec = true;
    a.global = false;
    a.attr = 1;
    try {
        roots_[ssid]->map(iova, gpa, size, a);
    } catch (const std::invalid_argument& e) {
        error_ = reason_of(e);
        return -EINVAL;
    } catch (const std::bad_alloc&) {
        return -ENOMEM;
    }
    return 0;
}

// As iommu_unmap(): io-pgtable-arm unmaps up to the first IOVA with nothing
// mapped and __iommu_unmap() stops there, returning the bytes it unmapped.
int GuestStage1::unmap(uint32_t ssid, uint64_t iova, uint64_t size)
{
    error_.clear();
    if (ssid >= roots_.size())
        return -EINVAL;
    try {
        smmuv3::PgtableBuilder& b = *roots_[ssid];
        const uint64_t hole = b.first_unmapped(iova, size);
        if (hole != iova)
            b.unmap(iova, hole - iova);
        if (hole != iova + size) {
            error_ = fmt::format("unmapped {:#x} bytes of {:#x}: nothing is mapped at IA {:#x}", hole - iova, size,
                                 hole);
            return -ENOENT;
        }
    } catch (const std::invalid_argument& e) {
        error_ = reason_of(e);
        return -EINVAL;
    } catch (const std::bad_alloc&) {
        return -ENOMEM;  // splitting a block needed a table
    }
    return 0;
}

uint64_t GuestStage1::ttb0(uint32_t ssid) const { return ssid < roots_.size() ? roots_[ssid]->ttb() : 0; }

std::array<uint64_t, 8> GuestStage1::cd(uint32_t ssid) const
{
    std::array<uint64_t, 8> d{};
    if (const void* p = ssid < cfg_.ssids ? host(cd_table_ + ssid * guest::kCdBytes, guest::kCdBytes) : nullptr)
        std::memcpy(d.data(), p, sizeof(d));
    return d;
}

}  // namespace smmusim::kshim
