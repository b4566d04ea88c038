// SPDX-License-Identifier: GPL-2.0-only
// A tiny CPU-like sequencer: one TLM-2.0 initiator socket and a thread that
// runs a program of timed register accesses, debug reads and DMI accesses.
// It keeps the DMI region it was granted until a target invalidates it.
#pragma once

#include <cstdint>
#include <functional>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

class Cpu : public sc_core::sc_module {
public:
    tlm_utils::simple_initiator_socket<Cpu> socket;

    SC_HAS_PROCESS(Cpu);
    Cpu(sc_core::sc_module_name name, std::function<void(Cpu&)> program);

    // Timed accesses (the thread waits each one out); false on an error response.
    bool read(uint64_t addr, uint64_t& value, unsigned size);
    bool write(uint64_t addr, uint64_t value, unsigned size);
    // A debugger's read: no simulated time, no side effect; false unless all
    // `size` bytes were read.
    bool debug_read(uint64_t addr, uint64_t& value, unsigned size);
    // The host pointer of `addr` for `len` bytes through DMI, or nullptr.
    uint8_t* dmi_ptr(uint64_t addr, uint64_t len);
    const tlm::tlm_dmi& dmi() const { return dmi_; }
    unsigned dmi_invalidations() const { return invalidations_; }

private:
    void run() { program_(*this); }
    bool transport(tlm::tlm_command cmd, uint64_t addr, uint64_t& value, unsigned size);
    void invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end);

    std::function<void(Cpu&)> program_;
    tlm::tlm_dmi dmi_;
    bool dmi_valid_ = false;
    unsigned invalidations_ = 0;
};
