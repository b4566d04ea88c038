// SPDX-License-Identifier: GPL-2.0-only
// The interconnect of router.h: decoding, forwarding and the translation of
// DMI regions between the initiators' and the targets' addresses.
#include "router.h"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

namespace smmusim {

Router::Router(sc_core::sc_module_name name, const ClockDomain& clk, const BusParams& p)
    : sc_module(name), in("in"), clk_(clk), params_(p), out_("out")
{
    in.register_b_transport(this, &Router::b_transport);
    in.register_transport_dbg(this, &Router::transport_dbg);
    in.register_get_direct_mem_ptr(this, &Router::get_direct_mem_ptr);
    out_.register_invalidate_direct_mem_ptr(this, &Router::invalidate_direct_mem_ptr);
}

Router::WindowBinding Router::map(const std::string& target, uint64_t base, uint64_t size, bool relative)
{
    if (size == 0 || base + size < base)
        throw std::invalid_argument(fmt::format("bad window for {}", target));
    for (const auto& w : windows_)
        if (base < w.base + w.size && w.base < base + size)
            throw std::invalid_argument(
                fmt::format("window {} [{:#x}, +{:#x}) overlaps {}", target, base, size, w.target));
    windows_.push_back(Window{target, base, size, relative});
    port_.push_back(-1);
    return WindowBinding(*this, windows_.size() - 1);
}

void Router::WindowBinding::bind(TargetSocket& target)
{
    if (router_.port_[window_] >= 0)
        throw std::logic_error(fmt::format("{}: window {} is bound twice", router_.name(),
                                           router_.windows_[window_].target));
    router_.port_[window_] = static_cast<int>(router_.out_.size());
    router_.out_.bind(target);
}

void Router::end_of_elaboration()
{
    for (size_t w = 0; w < windows_.size(); w++)
        if (port_[w] < 0)
            SC_REPORT_ERROR("smmusim/router",
                            fmt::format("{}: window {} is mapped but not bound", name(), windows_[w].target).c_str());
    last_routed_.assign(in.size(), -1);
}

int Router::decode(uint64_t addr) const
{
    for (size_t i = 0; i < windows_.size(); i++)
        if (addr >= windows_[i].base && addr - windows_[i].base < windows_[i].size)
            return static_cast<int>(i);
    return -1;
}

// Inline in its callers (b_transport() above all: a call per routing).
[[gnu::always_inline]] inline int Router::routed(int id, uint64_t addr) const
{
    const bool cached = id >= 0 && static_cast<size_t>(id) < last_routed_.size();
    if (cached) {
        const int last = last_routed_[static_cast<size_t>(id)];
        if (last >= 0 && addr - windows_[last].base < windows_[last].size)
            return last;
    }
    int w = decode(addr);
    if (w >= 0 && port_[w] < 0)
        w = -1;
    if (cached && w >= 0)
        last_routed_[static_cast<size_t>(id)] = w;
    return w;
}

void Router::b_transport(int id, tlm::tlm_generic_payload& gp, sc_core::sc_time& delay)
{
    delay += clk_.cycles(params_.latency_cycles);
    const uint64_t addr = gp.get_address();
    const int w = routed(id, addr);
    if (w < 0 || gp.get_data_length() > windows_[w].size - (addr - windows_[w].base)) {
        gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    gp.set_address(to_target(w, addr));
    out_[port_[w]]->b_transport(gp, delay);
    gp.set_address(addr);
}

unsigned Router::transport_dbg(int id, tlm::tlm_generic_payload& gp)
{
    const uint64_t addr = gp.get_address();
    const int w = routed(id, addr);
    if (w < 0)
        return 0;
    gp.set_address(to_target(w, addr));
    unsigned n = out_[port_[w]]->transport_dbg(gp);
    gp.set_address(addr);
    return n;
}

bool Router::get_direct_mem_ptr(int id, tlm::tlm_generic_payload& gp, tlm::tlm_dmi& dmi)
{
    const uint64_t addr = gp.get_address();
    const int w = routed(id, addr);
    if (w < 0) {
        refuse_dmi_outside_windows(addr, dmi);
        return false;
    }
    gp.set_address(to_target(w, addr));
    const bool granted = out_[port_[w]]->get_direct_mem_ptr(gp, dmi);
    gp.set_address(addr);
    clip_dmi(w, dmi);
    if (granted) {
        // A DMI access skips the interconnect's transport, not its hop.
        dmi.set_read_latency(dmi.get_read_latency() + clk_.cycles(params_.latency_cycles));
        dmi.set_write_latency(dmi.get_write_latency() + clk_.cycles(params_.latency_cycles));
    }
    return granted;
}

void Router::clip_dmi(int w, tlm::tlm_dmi& dmi) const
{
    const uint64_t lo = to_target(w, windows_[w].base), hi = lo + (windows_[w].size - 1);
    const uint64_t start = std::max<uint64_t>(dmi.get_start_address(), lo);
    const uint64_t end = std::min<uint64_t>(dmi.get_end_address(), hi);
    if (dmi.get_dmi_ptr())
        dmi.set_dmi_ptr(dmi.get_dmi_ptr() + (start - dmi.get_start_address()));
    dmi.set_start_address(from_target(w, start));
    dmi.set_end_address(from_target(w, end));
}

void Router::refuse_dmi_outside_windows(uint64_t addr, tlm::tlm_dmi& dmi) const
{
    // The hole around `addr`: no DMI anywhere in it.
    uint64_t start = 0, end = ~0ull;
    for (const auto& w : windows_) {
        if (w.base + (w.size - 1) < addr)
            start = std::max(start, w.base + w.size);
        else if (w.base > addr)
            end = std::min(end, w.base - 1);
    }
    dmi.init();
    dmi.set_start_address(start);
    dmi.set_end_address(end);
}

void Router::invalidate_direct_mem_ptr(int port, sc_dt::uint64 start, sc_dt::uint64 end)
{
    const auto it = std::find(port_.begin(), port_.end(), port);
    if (it == port_.end())
        return;
    const int w = static_cast<int>(it - port_.begin());
    const uint64_t lo = to_target(w, windows_[w].base), hi = lo + (windows_[w].size - 1);
    if (end < lo || start > hi)
        return;  // outside what the window shows
    const uint64_t s = from_target(w, std::max<uint64_t>(start, lo));
    const uint64_t e = from_target(w, std::min<uint64_t>(end, hi));
    for (unsigned i = 0; i < in.size(); i++)
        in[i]->invalidate_direct_mem_ptr(s, e);
}

}  // namespace smmusim
