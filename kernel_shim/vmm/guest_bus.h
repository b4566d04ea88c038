// SPDX-License-Identifier: GPL-2.0-only
// The bus as a VMM's guest sees it, for the driver sequences of sim/driver:
// MMIO by offset in the mmapped VINTF page (the LVCMDQs' page-0 registers,
// cmdqv::lvcmdq_in_page) and stores into guest RAM by guest-physical
// address. A poll reads up to kPollReads times, kPollStepNs of simulated
// time apart, as the guest's driver waits for a handshake.
#pragma once

#include <cstddef>
#include <cstdint>

#include "driver/mmio_bus.h"
#include "kernel_shim.h"

namespace smmusim::kshim {

class GuestBus : public driver::MmioBus {
public:
    // `map`: the VINTF page's mapping (KernelShim::map_read/map_write);
    // `ram`: guest RAM, `ram_bytes` long, at guest-physical `ram_gpa`.
    GuestBus(KernelShim& ks, int map, void* ram, uint64_t ram_gpa, uint64_t ram_bytes)
        : ks_(ks), map_(map), ram_(ram), ram_gpa_(ram_gpa), ram_bytes_(ram_bytes)
    {
    }

    static constexpr int kPollReads = 1000;
    static constexpr uint64_t kPollStepNs = 10;

    uint64_t read(uint64_t offset, unsigned size) override { return ks_.map_read(map_, offset, size); }
    void write(uint64_t offset, unsigned size, uint64_t value) override { ks_.map_write(map_, offset, value, size); }
    // False when the value did not come in kPollReads reads, or when
    // simulated time ran out while waiting (time_ran_out()).
    bool poll(uint64_t offset, uint64_t mask, uint64_t want) override;
    bool store(uint64_t gpa, const void* src, size_t len) override;
    bool time_ran_out() const { return time_ran_out_; }

private:
    KernelShim& ks_;
    int map_;
    void* ram_;
    uint64_t ram_gpa_, ram_bytes_;
    bool time_ran_out_ = false;
};

}  // namespace smmusim::kshim
