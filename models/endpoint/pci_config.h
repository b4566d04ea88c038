// SPDX-License-Identifier: GPL-2.0-only
// A PCIe endpoint function's configuration space (4 KiB): a type 0 header
// and, when the function has ATS, the ATS Extended Capability at 0x100
// (capability ID 0x000F, version 1: the ATS Capability register, with its
// Invalidate Queue Depth, Page Aligned Request and Global Invalidate
// Supported bits from endpoint_params.h, and the ATS Control register,
// whose Enable and Smallest Translation Unit fields software writes).
// Reads and writes honour each register's writable bits; everything else
// reads as the function set it and ignores writes.
//
// What it is not: no BARs, no MSI/MSI-X, no PASID or PRI capability, no
// PCI Express Capability (the shim's PCI core walks extended capabilities
// without it); a write takes effect at once and costs no time.
#pragma once

#include <array>
#include <cstdint>
#include <functional>

#include "endpoint_params.h"

namespace smmusim::endpoint {

namespace pcicfg {
// Offsets and fields: the PCIe Base Specification's, as Linux names them
// (include/uapi/linux/pci_regs.h; tests/kernel_shim/regs_vs_kernel_test.cc).
constexpr unsigned kSize = 4096;
constexpr unsigned VENDOR_ID = 0x00, DEVICE_ID = 0x02, COMMAND = 0x04, CLASS_REVISION = 0x08, HEADER_TYPE = 0x0e;
constexpr uint16_t COMMAND_MEMORY = 0x2, COMMAND_MASTER = 0x4;
constexpr unsigned EXT_CAP_START = 0x100;
constexpr uint16_t EXT_CAP_ID_ATS = 0x0f;
constexpr unsigned ATS_CAP = 0x04, ATS_CTRL = 0x06;  // from the capability's start
constexpr uint16_t ATS_CAP_QDEP_MASK = 0x1f, ATS_CAP_PAGE_ALIGNED = 0x20, ATS_CAP_GLOBAL_INV = 0x40;
constexpr uint16_t ATS_CTRL_ENABLE = 0x8000, ATS_CTRL_STU_MASK = 0x1f;
constexpr unsigned ATS_MIN_STU = 12;  // STU field 0 = 4 KiB
}  // namespace pcicfg

class PciConfigSpace {
public:
    struct Identity {
        uint16_t vendor = 0;
        uint16_t device = 0;
        uint32_t class_code = 0;  // 24 bits: base class, subclass, interface
    };
    PciConfigSpace(const Identity& id, bool ats, const EndpointParams& p);

    // A naturally aligned access of 1, 2 or 4 bytes inside the space; any
    // other reads as all ones and writes nothing (false).
    bool read(unsigned off, unsigned size, uint32_t& v) const;
    bool write(unsigned off, unsigned size, uint32_t v);

    bool has_ats() const { return ats_; }
    // ATS Control as software left it.
    bool ats_enabled() const;
    // log2 of the Smallest Translation Unit in bytes (12 + the STU field).
    unsigned ats_stu_shift() const;
    // Writes to ATS Control so far (the enable/disable sequence of a test).
    unsigned ats_ctrl_writes() const { return ats_ctrl_writes_; }
    // Called with the new state whenever a write changes ATS Control's
    // Enable bit (the function's ATC starts or stops serving: its owner,
    // ats_endpoint.h). One observer; an empty function removes it.
    void on_ats_enable(std::function<void(bool)> fn) { on_ats_enable_ = std::move(fn); }

private:
    void put(unsigned off, unsigned size, uint32_t v, uint32_t wmask);
    uint32_t get(const std::array<uint8_t, pcicfg::kSize>& a, unsigned off, unsigned size) const;

    bool ats_;
    unsigned ats_ctrl_writes_ = 0;
    std::function<void(bool)> on_ats_enable_;
    std::array<uint8_t, pcicfg::kSize> bytes_{};
    std::array<uint8_t, pcicfg::kSize> wmask_{};  // the bits software may change
};

}  // namespace smmusim::endpoint
