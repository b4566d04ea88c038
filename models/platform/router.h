// SPDX-License-Identifier: GPL-2.0-only
// Address-mapped interconnect: any number of initiators, an explicit memory
// map of targets. A transaction to an address no target claims gets
// TLM_ADDRESS_ERROR_RESPONSE (the initiator's architected abort). Each hop
// costs `bus.latency_cycles`.
//
// Wiring, before elaboration ends, from a module or from sc_main:
//   initiator.socket.bind(router.in);
//   router.map("dram", base, size, false).bind(memory.socket);
// Both sockets exist from construction (map() only adds a window and binds
// the multi-socket `out`), so nothing creates a port outside a module.
//
// The router forwards blocking transport, debug transport and DMI. A DMI
// region a target grants is translated to the initiator's addresses (and
// clipped to the window); an invalidation from a target is translated the
// same way and passed to every initiator.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/multi_passthrough_target_socket.h>

#include "clock.h"
#include "params.h"

namespace smmusim {

#define SMMUSIM_BUS_PARAMS(X)                                                                            \
    X(uint64_t, latency_cycles, "bus.latency_cycles", 4, 0, 10000, "cycles",                             \
      "one-way interconnect hop from a master to a target", "assumed: a few cycles of mesh routing; no per-hop figure is published (Chips and Cheese, \"Arm's Neoverse V2, in AWS's Graviton 4\": 30-60 ns cache-line bounces across its CMN-700, a round trip through several hops and a home node)")

SMMUSIM_PARAM_STRUCT(BusParams, SMMUSIM_BUS_PARAMS);

class Router : public sc_core::sc_module {
public:
    using TargetSocket = tlm::tlm_base_target_socket_b<32, tlm::tlm_fw_transport_if<>, tlm::tlm_bw_transport_if<>>;

    tlm_utils::multi_passthrough_target_socket<Router> in;

    Router(sc_core::sc_module_name name, const ClockDomain& clk, const BusParams& p);

    // A window waiting for its target: bind() (or operator()) it once.
    class WindowBinding {
    public:
        void bind(TargetSocket& target);
        void operator()(TargetSocket& target) { bind(target); }

    private:
        friend class Router;
        WindowBinding(Router& r, size_t window) : router_(r), window_(window) {}
        Router& router_;
        size_t window_;
    };

    // Maps [base, base+size) to the target bound to the result. Addresses are
    // passed on relative to `base` (device registers) or, with relative =
    // false, unchanged (memory, which decodes physical addresses itself).
    // Throws on overlap. Every window must be bound before elaboration ends
    // (an error report otherwise; should its action not stop the run, the
    // window answers as a hole).
    WindowBinding map(const std::string& target, uint64_t base, uint64_t size, bool relative = true);

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
    using InitiatorSocket = tlm_utils::multi_passthrough_initiator_socket<Router, 32, tlm::tlm_base_protocol_types, 0,
                                                                          sc_core::SC_ZERO_OR_MORE_BOUND>;

    void end_of_elaboration() override;
    void b_transport(int id, tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
    unsigned transport_dbg(int id, tlm::tlm_generic_payload& gp);
    bool get_direct_mem_ptr(int id, tlm::tlm_generic_payload& gp, tlm::tlm_dmi& dmi);
    void invalidate_direct_mem_ptr(int port, sc_dt::uint64 start, sc_dt::uint64 end);
    // decode(), for a window that is bound (a target to forward to), or -1,
    // for initiator `id`: the window its access before went to is tried
    // first (windows never overlap, so it is the one decode() would find).
    int routed(int id, uint64_t addr) const;
    // The target's address of `addr` in window w, and back.
    uint64_t to_target(int w, uint64_t addr) const { return windows_[w].relative ? addr - windows_[w].base : addr; }
    uint64_t from_target(int w, uint64_t addr) const { return windows_[w].relative ? addr + windows_[w].base : addr; }
    // Limits a DMI region the target of window w described (its addresses)
    // to the window, in the initiator's addresses.
    void clip_dmi(int w, tlm::tlm_dmi& dmi) const;
    void refuse_dmi_outside_windows(uint64_t addr, tlm::tlm_dmi& dmi) const;

    const ClockDomain& clk_;
    BusParams params_;
    InitiatorSocket out_;
    std::vector<Window> windows_;
    std::vector<int> port_;  // per window: the index of its binding on out_, or -1
    // Per initiator (an index of `in`, sized when elaboration ends): the
    // bound window routed() found last, or -1.
    mutable std::vector<int> last_routed_;
};

}  // namespace smmusim
