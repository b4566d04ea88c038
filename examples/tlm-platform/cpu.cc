// SPDX-License-Identifier: GPL-2.0-only
// The sequencer of cpu.h.
#include "cpu.h"

Cpu::Cpu(sc_core::sc_module_name name, std::function<void(Cpu&)> program)
    : sc_module(name), socket("socket"), program_(std::move(program))
{
    socket.register_invalidate_direct_mem_ptr(this, &Cpu::invalidate_direct_mem_ptr);
    SC_THREAD(run);
}

bool Cpu::transport(tlm::tlm_command cmd, uint64_t addr, uint64_t& value, unsigned size)
{
    tlm::tlm_generic_payload gp;
    gp.set_command(cmd);
    gp.set_address(addr);
    gp.set_data_ptr(reinterpret_cast<unsigned char*>(&value));  // little-endian host
    gp.set_data_length(size);
    gp.set_streaming_width(size);
    gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    socket->b_transport(gp, delay);
    wait(delay);
    return gp.is_response_ok();
}

bool Cpu::read(uint64_t addr, uint64_t& value, unsigned size)
{
    value = 0;
    return transport(tlm::TLM_READ_COMMAND, addr, value, size);
}

bool Cpu::write(uint64_t addr, uint64_t value, unsigned size) { return transport(tlm::TLM_WRITE_COMMAND, addr, value, size); }

bool Cpu::debug_read(uint64_t addr, uint64_t& value, unsigned size)
{
    value = 0;
    tlm::tlm_generic_payload gp;
    gp.set_command(tlm::TLM_READ_COMMAND);
    gp.set_address(addr);
    gp.set_data_ptr(reinterpret_cast<unsigned char*>(&value));
    gp.set_data_length(size);
    return socket->transport_dbg(gp) == size;
}

uint8_t* Cpu::dmi_ptr(uint64_t addr, uint64_t len)
{
    const auto covers = [&] {
        return dmi_valid_ && addr >= dmi_.get_start_address() && len - 1 <= dmi_.get_end_address() - addr;
    };
    if (!covers()) {
        tlm::tlm_generic_payload gp;
        gp.set_command(tlm::TLM_READ_COMMAND);
        gp.set_address(addr);
        dmi_.init();
        dmi_valid_ = socket->get_direct_mem_ptr(gp, dmi_) && dmi_.is_read_write_allowed();
    }
    return covers() ? dmi_.get_dmi_ptr() + (addr - dmi_.get_start_address()) : nullptr;
}

void Cpu::invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end)
{
    invalidations_++;
    if (dmi_valid_ && start <= dmi_.get_end_address() && end >= dmi_.get_start_address())
        dmi_valid_ = false;
}
