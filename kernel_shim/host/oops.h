// SPDX-License-Identifier: GPL-2.0-only
// The kernel's oops for a host fault in kernel code. Kernel code follows
// pointers it keeps in simulated memory (page-table descriptors, list
// links); once a device's DMA or a guest has written there, such a pointer
// can lead outside everything the host process maps, and the host raises
// SIGSEGV (or SIGBUS). On real hardware the kernel oopses ("Unable to handle
// kernel paging request at virtual address ..."): here the run stops the
// same way, with exit status 1 and a report on stderr, never a signal.
//
// While an OopsGuard lives, SIGSEGV and SIGBUS have a handler (on an
// alternate signal stack: kernel code runs on SystemC coroutine stacks,
// which a runaway recursion may exhaust). A fault while a kernel context is
// the CPU's current one (Cpu::current(): kernel code runs, or waits in
// simulated time while the models run) is reported:
//   FILE:LINE:COL: kernel oops: Unable to handle kernel paging request at
//     WHERE                    (the trace line being played; WHERE is "the
//                              linear-map virtual address of PA 0x...", the
//                              address kernel code computed with __va(), and
//                              where that PA lies: the DMA pool, user memory,
//                              DRAM, or outside simulated memory; a host
//                              address that is no PA's in the linear map is
//                              said to be outside simulated memory, not
//                              printed: the report is the same on every run,
//                              where host addresses vary with ASLR. "NULL
//                              pointer dereference at virtual address ADDR"
//                              below 4 KiB, as the kernel says; on x86-64 a
//                              non-canonical address faults with none, and
//                              the report says so)
//   Internal error: Oops: SIGSEGV [#1] in CONTEXT
//   pc : FUNCTION+0xOFF/0xSIZE (the host code address, named as %pS names it)
// and the process ends with _exit(1): the kernel log, the run's other
// failures, statistics and output files (--stats, --timeline, --vcd) are
// not written (the program's state is not trusted after the fault). Any
// other fault goes to the handler that was there before (the default, or
// AddressSanitizer's), as it would without the guard.
#pragma once

#include <string>

namespace smmusim::kshim {

class Cpu;

class OopsGuard {
public:
    // Reports faults while `cpu` runs a kernel context (guards may nest:
    // the newest one's CPU is the one looked at).
    explicit OopsGuard(const Cpu& cpu);
    ~OopsGuard();
    OopsGuard(const OopsGuard&) = delete;
    OopsGuard& operator=(const OopsGuard&) = delete;

    // The trace position the report names (the player's file and the line
    // and column of the operation playing), read when a fault comes; null:
    // none is named.
    static void note_position(const std::string* path, const unsigned* line, const unsigned* col);

private:
    const Cpu* prev_cpu_;  // the enclosing guard's, restored when this one ends
};

}  // namespace smmusim::kshim
