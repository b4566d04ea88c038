// SPDX-License-Identifier: GPL-2.0-only
// Address-mapped interconnect: any number of initiators, an explicit memory
// map of targets. A transaction to an address no target claims gets
// TLM_ADDRESS_ERROR_RESPONSE (the initiator's architected abort). Each hop
// costs `bus.latency_cycles`.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_target_socket.h>
#include <tlm_utils/simple_initiator_socket.h>

#include "clock.h"
#include "params.h"

namespace smmusim {

#define SMMUSIM_BUS_PARAMS(X)                                                                            \
    X(uint64_t, latency_cycles, "bus.latency_cycles", 4, 0, 10000, "cycles",                             \
      "one-way interconnect hop from a master to a target", "assumed: a few cycles of mesh routing")

SMMUSIM_PARAM_STRUCT(BusParams, SMMUSIM_BUS_PARAMS);

class Router : public sc_core::sc_module {
public:
    tlm_utils::multi_passthrough_target_socket<Router> in;

    Router(sc_core::sc_module_name name, const ClockDomain& clk, const BusParams& p);

    // Maps [base, base+size) to a new initiator port; bind it to the target.
    // Addresses are passed on relative to `base` (device registers) or, with
    // relative = false, unchanged (memory, which decodes physical addresses
    // itself). Throws on overlap.
    tlm_utils::simple_initiator_socket<Router>& map(const std::string& target, uint64_t base, uint64_t size,
                                                    bool relative = true);

    struct Window {
        std::string target;
        uint64_t base;
        uint64_t size;
        bool relative;
    };
    const std::vector<Window>& memory_map() const { return windows_; }
    // Index of the window holding `addr`, or -1.
    int decode(uint64_t addr) const;

private:
    void b_transport(int id, tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
    unsigned transport_dbg(int id, tlm::tlm_generic_payload& gp);

    const ClockDomain& clk_;
    BusParams params_;
    std::vector<Window> windows_;
    std::vector<std::unique_ptr<tlm_utils::simple_initiator_socket<Router>>> out_;
};

}  // namespace smmusim
