// SPDX-License-Identifier: GPL-2.0-only
// Small TLM-2.0 parts for the platform tests that wire models by hand, as
// another platform's sc_main would: an initiator that runs a test's steps in
// its own thread and records the DMI invalidations it is told of, and a RAM
// target that decodes its own (local) addresses and grants DMI on them.
#pragma once

#include <cstdint>
#include <cstring>
#include <functional>
#include <utility>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

namespace smmusim::test {

class TestInitiator : public sc_core::sc_module {
public:
    tlm_utils::simple_initiator_socket<TestInitiator> socket;
    std::vector<std::pair<uint64_t, uint64_t>> invalidations;  // [start, end] as told

    SC_HAS_PROCESS(TestInitiator);
    TestInitiator(sc_core::sc_module_name name, std::function<void()> steps)
        : sc_module(name), socket("socket"), steps_(std::move(steps))
    {
        socket.register_invalidate_direct_mem_ptr(this, &TestInitiator::invalidate);
        SC_THREAD(run);
    }

    // A timed access (waits out its delay); the response status.
    tlm::tlm_response_status access(bool write, uint64_t addr, void* data, unsigned len)
    {
        tlm::tlm_generic_payload gp;
        prepare(gp, write, addr, data, len);
        sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
        socket->b_transport(gp, delay);
        sc_core::wait(delay);
        return gp.get_response_status();
    }
    unsigned debug(bool write, uint64_t addr, void* data, unsigned len)
    {
        tlm::tlm_generic_payload gp;
        prepare(gp, write, addr, data, len);
        return socket->transport_dbg(gp);
    }
    bool dmi(uint64_t addr, tlm::tlm_dmi& dmi)
    {
        tlm::tlm_generic_payload gp;
        prepare(gp, false, addr, nullptr, 0);
        return socket->get_direct_mem_ptr(gp, dmi);
    }

private:
    static void prepare(tlm::tlm_generic_payload& gp, bool write, uint64_t addr, void* data, unsigned len)
    {
        gp.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
        gp.set_address(addr);
        gp.set_data_ptr(static_cast<unsigned char*>(data));
        gp.set_data_length(len);
        gp.set_streaming_width(len);
        gp.set_byte_enable_ptr(nullptr);
        gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    }
    void run() { steps_(); }
    void invalidate(sc_dt::uint64 start, sc_dt::uint64 end) { invalidations.emplace_back(start, end); }

    std::function<void()> steps_;
};

class LocalRam : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<LocalRam> socket;
    std::vector<uint8_t> bytes;
    static constexpr uint64_t kLatencyNs = 10;  // per access, and the DMI latency

    LocalRam(sc_core::sc_module_name name, size_t size, bool grants_dmi = true)
        : sc_module(name), socket("socket"), bytes(size), grants_dmi_(grants_dmi)
    {
        socket.register_b_transport(this, &LocalRam::b_transport);
        if (grants_dmi_)
            socket.register_get_direct_mem_ptr(this, &LocalRam::get_direct_mem_ptr);
    }
    // Tells the initiators that DMI to [start, end] (local addresses) is void.
    void invalidate(uint64_t start, uint64_t end) { socket->invalidate_direct_mem_ptr(start, end); }

private:
    void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay)
    {
        const uint64_t a = gp.get_address();
        const unsigned len = gp.get_data_length();
        if (a >= bytes.size() || len > bytes.size() - a) {
            gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
            return;
        }
        if (gp.is_write())
            memcpy(&bytes[a], gp.get_data_ptr(), len);
        else
            memcpy(gp.get_data_ptr(), &bytes[a], len);
        delay += sc_core::sc_time(static_cast<double>(kLatencyNs), sc_core::SC_NS);
        gp.set_response_status(tlm::TLM_OK_RESPONSE);
    }
    bool get_direct_mem_ptr(tlm::tlm_generic_payload&, tlm::tlm_dmi& dmi)
    {
        dmi.set_dmi_ptr(bytes.data());
        dmi.set_start_address(0);
        dmi.set_end_address(bytes.size() - 1);
        dmi.allow_read_write();
        dmi.set_read_latency(sc_core::sc_time(static_cast<double>(kLatencyNs), sc_core::SC_NS));
        dmi.set_write_latency(sc_core::sc_time(static_cast<double>(kLatencyNs), sc_core::SC_NS));
        return true;
    }

    bool grants_dmi_;
};

}  // namespace smmusim::test
