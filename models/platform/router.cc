// SPDX-License-Identifier: GPL-2.0-only
#include "router.h"

#include <stdexcept>

#include <fmt/format.h>

namespace smmusim {

Router::Router(sc_core::sc_module_name name, const ClockDomain& clk, const BusParams& p)
    : sc_module(name), in("in"), clk_(clk), params_(p)
{
    in.register_b_transport(this, &Router::b_transport);
    in.register_transport_dbg(this, &Router::transport_dbg);
}

tlm_utils::simple_initiator_socket<Router>& Router::map(const std::string& target, uint64_t base, uint64_t size,
                                                        bool relative)
{
    if (size == 0 || base + size < base)
        throw std::invalid_argument(fmt::format("bad window for {}", target));
    for (const auto& w : windows_)
        if (base < w.base + w.size && w.base < base + size)
            throw std::invalid_argument(
                fmt::format("window {} [{:#x}, +{:#x}) overlaps {}", target, base, size, w.target));
    windows_.push_back(Window{target, base, size, relative});
    out_.push_back(std::make_unique<tlm_utils::simple_initiator_socket<Router>>(
        sc_core::sc_gen_unique_name(("to_" + target).c_str())));
    return *out_.back();
}

int Router::decode(uint64_t addr) const
{
    for (size_t i = 0; i < windows_.size(); i++)
        if (addr >= windows_[i].base && addr - windows_[i].base < windows_[i].size)
            return static_cast<int>(i);
    return -1;
}

void Router::b_transport(int, tlm::tlm_generic_payload& gp, sc_core::sc_time& delay)
{
    delay += clk_.cycles(params_.latency_cycles);
    const uint64_t addr = gp.get_address();
    const int w = decode(addr);
    if (w < 0 || gp.get_data_length() > windows_[w].size - (addr - windows_[w].base)) {
        gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    if (windows_[w].relative)
        gp.set_address(addr - windows_[w].base);
    (*out_[w])->b_transport(gp, delay);
    gp.set_address(addr);
}

unsigned Router::transport_dbg(int, tlm::tlm_generic_payload& gp)
{
    const uint64_t addr = gp.get_address();
    const int w = decode(addr);
    if (w < 0)
        return 0;
    if (windows_[w].relative)
        gp.set_address(addr - windows_[w].base);
    unsigned n = (*out_[w])->transport_dbg(gp);
    gp.set_address(addr);
    return n;
}

}  // namespace smmusim
