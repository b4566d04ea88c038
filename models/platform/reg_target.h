// SPDX-License-Identifier: GPL-2.0-only
// Serving a TLM access to a register space: the checks and the data movement
// every register target shares. The model supplies `access(offset, size,
// write, value&)` returning a RegisterBank::Status; an illegal size,
// alignment, byte enable or an access past the space is a bus error
// (TLM_GENERIC_ERROR_RESPONSE), reserved space reads as zero. And the debug
// transport (transport_dbg) of such a space.
#pragma once

#include <cstdint>
#include <cstring>

#include <tlm>

#include "regbank.h"
#include "stats.h"

namespace smmusim {

struct RegTargetCounters {
    Counter& reads;
    Counter& writes;
    Counter& bad_accesses;
};

template <typename Access>
void serve_register_access(tlm::tlm_generic_payload& gp, uint64_t space_size, Access&& access, RegTargetCounters c)
{
    const unsigned len = gp.get_data_length();
    const uint64_t addr = gp.get_address();
    RegisterBank::Status st = RegisterBank::Status::BadAccess;
    if (len <= 8 && addr < space_size && len <= space_size - addr && !gp.get_byte_enable_ptr() &&
        gp.get_streaming_width() == len) {
        uint64_t v = 0;
        if (gp.is_read()) {
            c.reads++;
            st = access(static_cast<uint32_t>(addr), len, false, v);
            if (st != RegisterBank::Status::BadAccess)
                memcpy(gp.get_data_ptr(), &v, len);
        } else {
            c.writes++;
            memcpy(&v, gp.get_data_ptr(), len);
            st = access(static_cast<uint32_t>(addr), len, true, v);
        }
    }
    if (st == RegisterBank::Status::BadAccess) {
        c.bad_accesses++;
        gp.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
        return;
    }
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

// Debug transport of a register space: a read of any number of whole 32-bit
// words (4-byte aligned, inside the space) through `read(offset, size,
// value&)` (a RegisterBank::Status, as `access` without the write), in zero time,
// with no side effects (the SMMUv3's and the CMDQV's registers have none on
// read) and no statistics; returns the bytes read, up to the first word the
// space refuses. Debug writes are refused (0 bytes): a register write acts
// (handshakes, queue kicks, error acknowledgement), and acting outside
// simulated time or storing the value without acting would leave the model
// inconsistent with its registers.
template <typename Read>
unsigned serve_register_debug(tlm::tlm_generic_payload& gp, uint64_t space_size, Read&& read)
{
    const uint64_t addr = gp.get_address();
    const unsigned len = gp.get_data_length();
    if (!gp.is_read() || addr % 4 || len % 4 || addr >= space_size || len > space_size - addr)
        return 0;
    unsigned done = 0;
    for (; done < len; done += 4) {
        uint64_t v = 0;
        if (read(static_cast<uint32_t>(addr + done), 4u, v) == RegisterBank::Status::BadAccess)
            break;
        const uint32_t word = static_cast<uint32_t>(v);
        memcpy(gp.get_data_ptr() + done, &word, 4);
    }
    return done;
}

}  // namespace smmusim
