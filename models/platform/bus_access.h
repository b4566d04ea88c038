// SPDX-License-Identifier: GPL-2.0-only
// Timed bus accesses for bus masters (the SMMU, the CMDQV, CPU threads).
//
// Payloads come from a per-master pool the master owns, not from the
// caller's stack: a SystemC thread still blocked in a transaction when the
// simulation ends never unwinds, and a payload on its stack would leak.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include <systemc>
#include <tlm>

namespace smmusim {

class PayloadPool {
public:
    tlm::tlm_generic_payload* get()
    {
        if (free_.empty()) {
            all_.push_back(std::make_unique<tlm::tlm_generic_payload>());
            return all_.back().get();
        }
        tlm::tlm_generic_payload* gp = free_.back();
        free_.pop_back();
        return gp;
    }
    void put(tlm::tlm_generic_payload* gp) { free_.push_back(gp); }

private:
    std::vector<std::unique_ptr<tlm::tlm_generic_payload>> all_;
    std::vector<tlm::tlm_generic_payload*> free_;
};

// One access through `socket` (an initiator socket) in the calling
// SC_THREAD, issued `delay` after the current time (a thread running ahead
// of the kernel's clock in a quiet window, models/platform/quiet.h, passes
// how far ahead it is). Returns with `delay` set to what the caller still
// owes: the access completed that much after the current time (a target
// that took the access in a quiet window returns its time instead of
// waiting it, memory.h), 0 when the targets waited all of it. False on any
// error response (e.g. an unpopulated address).
template <typename Socket>
bool bus_access_timed(Socket& socket, PayloadPool& pool, bool write, uint64_t addr, void* data, size_t len,
                      sc_core::sc_time& delay)
{
    tlm::tlm_generic_payload* gp = pool.get();
    gp->set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    gp->set_address(addr);
    gp->set_data_ptr(static_cast<unsigned char*>(data));
    gp->set_data_length(static_cast<unsigned>(len));
    gp->set_streaming_width(static_cast<unsigned>(len));
    gp->set_byte_enable_ptr(nullptr);
    gp->set_dmi_allowed(false);
    gp->set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    socket->b_transport(*gp, delay);
    const bool ok = gp->is_response_ok();
    pool.put(gp);
    return ok;
}

// The same, returning once the access completed in simulated time.
template <typename Socket>
bool bus_access(Socket& socket, PayloadPool& pool, bool write, uint64_t addr, void* data, size_t len)
{
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    const bool ok = bus_access_timed(socket, pool, write, addr, data, len, delay);
    if (delay != sc_core::SC_ZERO_TIME)
        sc_core::wait(delay);
    return ok;
}

// A bus master's DMA through its initiator socket, with the payloads it
// owns (the SMMU's and the CMDQV's `dma` ports). False on a bus error.
template <typename Socket>
class DmaMaster {
public:
    explicit DmaMaster(Socket& socket) : socket_(socket) {}
    bool read(uint64_t pa, void* dst, size_t len) { return bus_access(socket_, pool_, false, pa, dst, len); }
    // A read issued `delay` ahead of the current time that leaves in `delay`
    // what the caller still owes (bus_access_timed).
    bool read(uint64_t pa, void* dst, size_t len, sc_core::sc_time& delay)
    {
        return bus_access_timed(socket_, pool_, false, pa, dst, len, delay);
    }
    bool write(uint64_t pa, const void* src, size_t len)
    {
        return bus_access(socket_, pool_, true, pa, const_cast<void*>(src), len);
    }

private:
    Socket& socket_;
    PayloadPool pool_;
};

}  // namespace smmusim
