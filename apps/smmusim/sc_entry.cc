// SPDX-License-Identifier: GPL-2.0-only
// Program entry for every smmusim executable: silences SystemC's banner (it
// is printed before sc_main would run) and hands over to SystemC, which calls
// the program's sc_main().
#include <cstdlib>

#include <systemc>

#include "platform/main_stack.h"

// After the simulation the main thread may still be recorded by
// AddressSanitizer as running on the last coroutine's stack
// (models/platform/main_stack.h), which SystemC has freed by then, and
// LeakSanitizer's exit-time check would read that freed stack.
int main(int argc, char** argv)
{
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
    // sc_stop() is how every run ends; do not announce it.
    sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
    const int rc = sc_core::sc_elab_and_sim(argc, argv);
    smmusim::announce_main_stack();
    return rc;
}
