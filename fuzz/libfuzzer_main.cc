// SPDX-License-Identifier: GPL-2.0-only
// The libFuzzer build of a fuzz target: libFuzzer's driver runs inside
// sc_main (entered through apps/smmusim/sc_entry.cc like every smmusim program), so a
// target can build SystemC modules and call sc_start between inputs.
#include <cstddef>
#include <cstdint>

#include <systemc>  // declares sc_main with the linkage SystemC calls it by

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" int LLVMFuzzerRunDriver(int* argc, char*** argv, int (*cb)(const uint8_t* data, size_t size));

int sc_main(int argc, char** argv) { return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput); }
