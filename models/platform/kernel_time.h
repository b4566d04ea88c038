// SPDX-License-Identifier: GPL-2.0-only
// The SystemC kernel's current and last simulated time, read inline: the
// library's sc_core::sc_time_stamp() and sc_max_time() are calls into
// libsystemc for what the simulation context's inline members return (the
// same references), and the command paths ask them several times per
// command.
#pragma once

#include <systemc>

namespace smmusim {

// The current simulated time: sc_core::sc_time_stamp().
inline const sc_core::sc_time& time_stamp() { return sc_core::sc_get_curr_simcontext()->time_stamp(); }
// The end of simulated time: sc_core::sc_max_time() (2^64 - 1 ticks).
inline const sc_core::sc_time& max_time() { return sc_core::sc_get_curr_simcontext()->max_time(); }

}  // namespace smmusim
