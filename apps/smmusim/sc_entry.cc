// SPDX-License-Identifier: GPL-2.0-only
// Program entry for every smmusim executable: silences SystemC's banner (it
// is printed before sc_main would run) and hands over to SystemC, which calls
// the program's sc_main().
#include <pthread.h>

#include <cstddef>
#include <cstdlib>

#include <systemc>

// AddressSanitizer's fiber interface. SystemC 2.3.4 announces each switch
// between its coroutine stacks through it when a sanitizer is present (weak
// symbols, null otherwise); after the simulation the main thread may still be
// recorded as running on the last coroutine's stack, which SystemC has freed
// by then, and LeakSanitizer's exit-time check then reads that freed stack and
// faults ("Tracer caught signal 11 ... stack pointer not in stack range").
extern "C" {
void __sanitizer_start_switch_fiber(void** fake_stack_save, const void* bottom, size_t size)
    __attribute__((weak));
void __sanitizer_finish_switch_fiber(void* fake_stack_save, const void** bottom_old, size_t* size_old)
    __attribute__((weak));
}

namespace {

// Tells the sanitizer the main thread is back on its own stack.
void announce_main_stack()
{
    if (!__sanitizer_start_switch_fiber || !__sanitizer_finish_switch_fiber)
        return;
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) != 0)
        return;
    void* bottom = nullptr;
    size_t size = 0;
    const bool ok = pthread_attr_getstack(&attr, &bottom, &size) == 0;
    pthread_attr_destroy(&attr);
    if (!ok)
        return;
    void* fake_stack = nullptr;
    __sanitizer_start_switch_fiber(&fake_stack, bottom, size);
    __sanitizer_finish_switch_fiber(fake_stack, nullptr, nullptr);
}

}  // namespace

int main(int argc, char** argv)
{
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
    // sc_stop() is how every run ends; do not announce it.
    sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
    const int rc = sc_core::sc_elab_and_sim(argc, argv);
    announce_main_stack();
    return rc;
}
