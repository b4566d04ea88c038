// SPDX-License-Identifier: GPL-2.0-only
// A code address as "function+0xoff/0xsize", as the kernel's %pS prints it,
// from the ELF symbol tables of the running program (static functions of
// the compiled kernel files included).
#pragma once

#include <string>

namespace smmusim::kshim {

std::string symbolize(const void* addr);

}  // namespace smmusim::kshim
