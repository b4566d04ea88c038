# SPDX-License-Identifier: GPL-2.0-only
# Robustness cases of what guards the kernel-level operations (the kernel's
# own memory, the guest's table builder, lines that need a booted kernel):
# see CMakeLists.txt for smmusim_case().

# `kernel param` sets a parameter of the kernel `kernel boot` starts: with no
# boot line it would reach nothing, so the trace is refused before the run.
smmusim_case(kernel_param_without_boot EXIT 2
  STDERR "kernel_param_without_boot\\.trace:1:1: 'kernel param' without 'kernel boot'"
  NOT_STDERR "has no kernel shim")

# A host fault in kernel code (here: a page-table pointer the kernel never
# wrote, followed by the unmap's walk) ends the run as the kernel's oops:
# the report names the trace line, the address and the kernel function, and
# the exit status is 1, never a signal (it was SIGSEGV, 139). The address is
# the simulated one, the PA whose linear-map address the kernel followed
# (it was the host's, which differs from run to run with ASLR): the report
# is the same on every run (kernel_oops_report_is_the_same_every_run).
smmusim_case(kernel_oops_pgtable_pointer EXIT 1
  STDERR "kernel_oops_pgtable_pointer\\.trace:12:1: kernel oops: Unable to handle kernel paging request at the linear-map virtual address of PA 0x1000, outside simulated memory \\(DRAM is .0x80000000, 0xc0000000\\)\\)"
         "kernel_oops_pgtable_pointer\\.trace:12:1: Internal error: Oops: SIGSEGV \\[#1\\] in cpu0"
         "kernel_oops_pgtable_pointer\\.trace:12:1: pc : __arm_lpae_unmap\\+0x")
# A table descriptor to a PA outside DRAM (past its end, below its start):
# arm64's linear map holds RAM only, so the kernel's walk through
# phys_to_virt() faults there (kernel_shim/host/linear_hole.h) instead of
# reaching the host memory at DRAM's host mapping + PA (these exited 0,
# having written over coroutine stacks or libc's data).
smmusim_case(kernel_oops_linear_map_past_dram EXIT 1
  STDERR "kernel_oops_linear_map_past_dram\\.trace:14:1: kernel oops: Unable to handle kernel paging request at the linear-map virtual address of PA 0xc0100008, outside simulated memory \\(DRAM is .0x80000000, 0xc0000000\\)\\)"
         "kernel_oops_linear_map_past_dram\\.trace:14:1: Internal error: Oops: SIGSEGV \\[#1\\] in cpu0"
         "kernel_oops_linear_map_past_dram\\.trace:14:1: pc : (__)?arm_lpae_[a-z_]+\\+0x")
smmusim_case(kernel_oops_linear_map_past_dram_2m EXIT 1
  STDERR "kernel_oops_linear_map_past_dram_2m\\.trace:14:1: kernel oops: Unable to handle kernel paging request at the linear-map virtual address of PA 0xc0200008, outside simulated memory \\(DRAM is .0x80000000, 0xc0000000\\)\\)"
         "kernel_oops_linear_map_past_dram_2m\\.trace:14:1: Internal error: Oops: SIGSEGV \\[#1\\] in cpu0"
         "kernel_oops_linear_map_past_dram_2m\\.trace:14:1: pc : (__)?arm_lpae_[a-z_]+\\+0x")
smmusim_case(kernel_oops_linear_map_below_dram EXIT 1
  STDERR "kernel_oops_linear_map_below_dram\\.trace:14:1: kernel oops: Unable to handle kernel paging request at the linear-map virtual address of PA 0x7ff47008, outside simulated memory \\(DRAM is .0x80000000, 0xc0000000\\)\\)"
         "kernel_oops_linear_map_below_dram\\.trace:14:1: Internal error: Oops: SIGSEGV \\[#1\\] in cpu0"
         "kernel_oops_linear_map_below_dram\\.trace:14:1: pc : (__)?arm_lpae_[a-z_]+\\+0x")
smmusim_case(kernel_oops_linear_map_below_dram_top EXIT 1
  STDERR "kernel_oops_linear_map_below_dram_top\\.trace:14:1: kernel oops: Unable to handle kernel paging request at the linear-map virtual address of PA 0x7fffe008, outside simulated memory \\(DRAM is .0x80000000, 0xc0000000\\)\\)"
         "kernel_oops_linear_map_below_dram_top\\.trace:14:1: Internal error: Oops: SIGSEGV \\[#1\\] in cpu0"
         "kernel_oops_linear_map_below_dram_top\\.trace:14:1: pc : (__)?arm_lpae_[a-z_]+\\+0x")
smmusim_case(kernel_oops_linear_map_host_libc EXIT 1
  STDERR "kernel_oops_linear_map_host_libc\\.trace:13:1: kernel oops: Unable to handle kernel paging request at the linear-map virtual address of PA 0xc05b4000, outside simulated memory \\(DRAM is .0x80000000, 0xc0000000\\)\\)"
         "kernel_oops_linear_map_host_libc\\.trace:13:1: Internal error: Oops: SIGSEGV \\[#1\\] in cpu0"
         "kernel_oops_linear_map_host_libc\\.trace:13:1: pc : (__)?arm_lpae_[a-z_]+\\+0x")

# A `map` of the kernel's own memory (the shim's DMA pool: page tables,
# queues, stream tables) would let a device overwrite them: refused at pa=
# before the run, whether the range starts inside the pool or below it.
smmusim_case(kernel_map_pa_kernel_memory EXIT 2
  STDERR "kernel_map_pa_kernel_memory\\.trace:6:26: map d0: pa \\[0xa0000000, 0xa1000000\\) overlaps the kernel's own memory \\[0xa0000000, 0xb0000000\\)")
smmusim_case(kernel_map_pa_kernel_memory_below EXIT 2
  STDERR "kernel_map_pa_kernel_memory_below\\.trace:6:26: map d0: pa \\[0x9ff00000, 0xa0100000\\) overlaps the kernel's own memory")

# The guest's map and unmap failures say why (the table builder's reason);
# an unmap over nothing mapped fails, as the host's `unmap` does, after
# clearing what was mapped before the hole (line 16 maps there again).
# (No '[' in these regexes: CMake would not split the list inside one.)
smmusim_case(guest_map_unmap_reasons EXIT 1
  STDERR "guest_map_unmap_reasons\\.trace:7:1: the guest's unmap of SSID 0 .0x100000, 0x101000.: unmapped 0x0 bytes of 0x1000: nothing is mapped at IA 0x100000"
         "guest_map_unmap_reasons\\.trace:8:1: .*EINVAL \\(-22\\): map IA 0x100800 size 0x1000: not a multiple of the granule 0x1000"
         "guest_map_unmap_reasons\\.trace:10:1: .*EINVAL \\(-22\\): map IA 0x100000 size 0x1000: overlaps a live mapping"
         "guest_map_unmap_reasons\\.trace:11:1: .*EINVAL \\(-22\\): map IA 0x1000000000000 size 0x1000: beyond the 48-bit input range"
         "guest_map_unmap_reasons\\.trace:12:1: .*EINVAL \\(-22\\): map OA 0x1000000000000 size 0x1000: misaligned or beyond the 48-bit output range"
         "guest_map_unmap_reasons\\.trace:13:1: .*EINVAL \\(-22\\): IA 0x100800 size 0x1000: not a multiple of the granule 0x1000"
         "guest_map_unmap_reasons\\.trace:14:1: the guest's unmap of SSID 0 .0x100000, 0x102000.: unmapped 0x1000 bytes of 0x2000: nothing is mapped at IA 0x101000"
         "guest_map_unmap_reasons\\.trace:15:1: .*EINVAL \\(-22\\): map IA 0x1000 size 0x7fffffff000: more than 1048576 leaf descriptors"
  NOT_STDERR ":9:1:" ":16:1:")

# A guest wait on commands never rung: once the queue has consumed all that
# was rung, nothing can end the wait; the rest of the timeout passes in one
# wait (it was a poll every 100 ns: a 1 s timeout took over 20 s of host
# time) and the line says why it failed, as the trapped queue's wait does.
smmusim_case(guest_wait_unrung EXIT 1
  STDERR "guest_wait_unrung\\.trace:7:1: guest LVCMDQ0: timed out \\(PROD was not written since the commands: no 'doorbell'\\)")

# GERRORN toggled with no failed command: the queue counts as stopped at an
# error, and the wait says that no command failed (it said "stopped at a
# command error").
smmusim_case(guest_wait_gerrorn_no_error EXIT 1
  STDERR "guest_wait_gerrorn_no_error\\.trace:9:1: guest LVCMDQ0: stopped: GERROR.CMDQ_ERR and GERRORN.CMDQ_ERR differ but no command failed \\(CONS.ERR = 0\\)"
  NOT_STDERR "stopped at a command error")
