// SPDX-License-Identifier: GPL-2.0-only
// Physical memory: a sparse PA space (48 or 52 bits) made of populated
// regions. Each region is backed by a host mapping reserved up front and
// populated by the host OS on first touch, so a 4 GiB DRAM costs only what is
// used. An access that touches an unpopulated PA (or crosses out of a region)
// gets TLM_ADDRESS_ERROR_RESPONSE, which bus masters turn into their
// architected abort.
//
// Timing: every transaction costs `latency_cycles` plus its transfer time at
// `bytes_per_cycle`; transfers are serialised on one data port (bandwidth
// contention), arbitrated in arrival order. Host cost: an access that
// completes inside a quiet window (quiet.h) is made at once and returns its
// completion time in the annotated delay instead of waiting (one wait of
// the initiator's, bus_access.h, instead of two); one that only arrives
// inside the window is made at once and waits once, until it completes.
//
// DMI: get_direct_mem_ptr() grants the whole region holding the address, for
// reads and writes, with `latency_cycles` as its latency; accesses through
// the pointer bypass the data port's contention. Debug transport reads and
// writes populated memory in zero time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "clock.h"
#include "params.h"
#include "stats.h"

namespace smmusim {

#define SMMUSIM_MEMORY_PARAMS(X)                                                                        \
    X(uint64_t, latency_cycles, "mem.latency_cycles", 40, 0, 100000, "cycles",                          \
      "DRAM access latency seen by a bus master, first beat", "assumed: 40 ns, of the order of a system-cache hit on a mesh (coherent walks may hit the SLC); a DRAM miss costs more: Arm published 83 ns idle latency for Neoverse N1, AnandTech measured 81 ns on Graviton2 (AnandTech 15578, Memory Subsystem & Latency)") \
    X(uint64_t, bytes_per_cycle, "mem.bytes_per_cycle", 32, 1, 4096, "bytes/cycle",                      \
      "data-port bandwidth available to the SMMU/CMDQV masters", "assumed: one 256-bit beat per fabric cycle (256-bit, the widest TBU data width in Intel Agilex 5 HPS TRM (814346) 4.3.4.4.2, MMU-600 TBU Hardware Configurations)") \
    X(uint64_t, pa_bits, "mem.pa_bits", 48, 32, 52, "bits", "physical address size (52 needs IDR5.OAS=52)", \
      "SMMUv3 architecture: OAS 48 or 52 bits")                                                         \
    X(uint64_t, dram_base, "mem.dram_base", 0x80000000ull, 0, (1ull << 52) - 1, "address",               \
      "base PA of the populated DRAM region", "platform choice")                                        \
    X(uint64_t, dram_size, "mem.dram_size", 1ull << 30, 1ull << 20, 1ull << 40, "bytes",                  \
      "size of the populated DRAM region (host memory is used only when touched)", "platform choice")

SMMUSIM_PARAM_STRUCT(MemoryParams, SMMUSIM_MEMORY_PARAMS);

class Memory : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<Memory> socket;

    Memory(sc_core::sc_module_name name, const ClockDomain& clk, const MemoryParams& p);
    ~Memory() override;

    // Adds a populated region [base, base+size). Throws std::invalid_argument
    // if it overlaps another or leaves the PA space.
    void add_region(uint64_t base, uint64_t size);

    // Backdoor (zero simulated time): tests, the kernel shim and DMI users.
    bool read(uint64_t pa, void* dst, size_t len) const;
    bool write(uint64_t pa, const void* src, size_t len);
    // Host pointer for [pa, pa+len) or nullptr if not entirely populated.
    uint8_t* host_ptr(uint64_t pa, size_t len) const;
    // Inverse of host_ptr: the PA a host pointer maps to, or ~0 if none.
    uint64_t pa_of(const void* host) const;
    // Maps [pa, pa+len) of DRAM again at host address `at` (page aligned,
    // MAP_FIXED over what the caller reserved there): a second view of the
    // same frames, as a process's page tables give. False if not DRAM.
    bool map_alias(uint64_t pa, size_t len, void* at) const;

    struct Region {
        uint64_t base;
        uint64_t size;
        uint8_t* host;
        int fd;  // the memory file behind `host`
    };
    const std::vector<Region>& regions() const { return regions_; }
    uint64_t pa_limit() const { return 1ull << params_.pa_bits; }

    StatGroup& stats() { return stats_; }

private:
    void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
    unsigned transport_dbg(tlm::tlm_generic_payload& gp);
    bool get_direct_mem_ptr(tlm::tlm_generic_payload& gp, tlm::tlm_dmi& dmi);
    const Region* find(uint64_t pa, size_t len) const;

    const ClockDomain& clk_;
    MemoryParams params_;
    std::vector<Region> regions_;  // sorted by base
    sc_core::sc_time busy_until_;
    StatGroup stats_;
    Counter& reads_;
    Counter& writes_;
    Counter& bytes_;
    Counter& aborts_;
};

}  // namespace smmusim
