// SPDX-License-Identifier: GPL-2.0-only
#include "main_stack.h"

#include <pthread.h>

#include <cstddef>

// AddressSanitizer's fiber interface (weak: null without a sanitizer).
extern "C" {
void __sanitizer_start_switch_fiber(void** fake_stack_save, const void* bottom, size_t size)
    __attribute__((weak));
void __sanitizer_finish_switch_fiber(void* fake_stack_save, const void** bottom_old, size_t* size_old)
    __attribute__((weak));
}

namespace smmusim {

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

}  // namespace smmusim
