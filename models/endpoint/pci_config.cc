// SPDX-License-Identifier: GPL-2.0-only
#include "pci_config.h"

namespace smmusim::endpoint {

using namespace pcicfg;

PciConfigSpace::PciConfigSpace(const Identity& id, bool ats, const EndpointParams& p) : ats_(ats)
{
    p.check_ranges();
    put(VENDOR_ID, 2, id.vendor, 0);
    put(DEVICE_ID, 2, id.device, 0);
    put(COMMAND, 2, 0, COMMAND_MEMORY | COMMAND_MASTER);
    put(CLASS_REVISION, 4, id.class_code << 8, 0);
    put(HEADER_TYPE, 1, 0, 0);  // type 0, single function
    if (!ats)
        return;
    // Extended capability header: ID, version 1, next 0 (the last one).
    put(EXT_CAP_START, 4, EXT_CAP_ID_ATS | 1u << 16, 0);
    const uint16_t cap = static_cast<uint16_t>((p.ats_inv_queue_depth & ATS_CAP_QDEP_MASK) |
                                               (p.ats_page_aligned ? ATS_CAP_PAGE_ALIGNED : 0) |
                                               (p.ats_global_inv ? ATS_CAP_GLOBAL_INV : 0));
    put(EXT_CAP_START + ATS_CAP, 2, cap, 0);
    put(EXT_CAP_START + ATS_CTRL, 2, 0, ATS_CTRL_ENABLE | ATS_CTRL_STU_MASK);
}

void PciConfigSpace::put(unsigned off, unsigned size, uint32_t v, uint32_t wmask)
{
    for (unsigned i = 0; i < size; i++) {
        bytes_[off + i] = static_cast<uint8_t>(v >> (8 * i));
        wmask_[off + i] = static_cast<uint8_t>(wmask >> (8 * i));
    }
}

uint32_t PciConfigSpace::get(const std::array<uint8_t, kSize>& a, unsigned off, unsigned size) const
{
    uint32_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= uint32_t{a[off + i]} << (8 * i);
    return v;
}

namespace {
bool valid_access(unsigned off, unsigned size)
{
    return (size == 1 || size == 2 || size == 4) && off % size == 0 && off + size <= kSize;
}
}  // namespace

bool PciConfigSpace::read(unsigned off, unsigned size, uint32_t& v) const
{
    if (!valid_access(off, size)) {
        v = ~0u;
        return false;
    }
    v = get(bytes_, off, size);
    return true;
}

bool PciConfigSpace::write(unsigned off, unsigned size, uint32_t v)
{
    if (!valid_access(off, size))
        return false;
    if (ats_ && off <= EXT_CAP_START + ATS_CTRL && off + size > EXT_CAP_START + ATS_CTRL)
        ats_ctrl_writes_++;
    const bool was = ats_enabled();
    for (unsigned i = 0; i < size; i++) {
        const uint8_t m = wmask_[off + i];
        bytes_[off + i] = static_cast<uint8_t>((bytes_[off + i] & ~m) | (static_cast<uint8_t>(v >> (8 * i)) & m));
    }
    if (ats_enabled() != was && on_ats_enable_)
        on_ats_enable_(!was);
    return true;
}

bool PciConfigSpace::ats_enabled() const
{
    return ats_ && (get(bytes_, EXT_CAP_START + ATS_CTRL, 2) & ATS_CTRL_ENABLE);
}

unsigned PciConfigSpace::ats_stu_shift() const
{
    return ATS_MIN_STU + (get(bytes_, EXT_CAP_START + ATS_CTRL, 2) & ATS_CTRL_STU_MASK);
}

}  // namespace smmusim::endpoint
