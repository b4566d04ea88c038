# SPDX-License-Identifier: GPL-2.0-only
# The output files of a run that ends early (sim/outputs.h): none is left,
# truncated or whole, nor a temporary one; a run that ends with its trace's
# failures writes each whole.

# The kernel's oops ends the process from its signal handler (_exit(1)):
# FORMAT.md promises no output files; a --timeline and a --vcd cut at a
# buffer's boundary were left (newcomer17).
smmusim_case(kernel_oops_pgtable_pointer AS kernel_oops_leaves_no_outputs EXIT 1
  ARGS --stats %WORK%/s.json --timeline %WORK%/t.json --vcd %WORK%/v.vcd
  STDERR "kernel_oops_pgtable_pointer\\.trace:12:1: kernel oops: Unable to handle kernel paging request"
  ABSENT s.json t.json v.vcd .*smmusim-*)
# Kernel code stopped at the watchdog's threshold (a soft lockup, or here
# preemptible code that never slept) stops the operation, not the run:
# every output whole.
smmusim_case(kernel_k37_map_computes_past_watchdog AS kernel_soft_lockup_outputs_whole EXIT 1
  ARGS --set cpu.clock_mhz=1 --stats %WORK%/s.json --timeline %WORK%/t.json --vcd %WORK%/v.vcd
  STDERR "kernel stopped: CPU#0 ran preemptible kernel code for 2s without sleeping, in arm_lpae_map_pages"
  WHOLE s.json t.json v.vcd ABSENT .*smmusim-*)
# A run that stops at an error writes its outputs whole (the statistics
# marked incomplete); one refused before the run writes none.
smmusim_case(T03_end_of_simulated_time AS T03_outputs_whole EXIT 1
  ARGS --stats %WORK%/s.json --timeline %WORK%/t.json --vcd %WORK%/v.vcd
  STDERR "the simulation ended before the trace did"
  WHOLE s.json t.json v.vcd ABSENT .*smmusim-*)
smmusim_case(kernel_map_pa_kernel_memory AS refused_run_leaves_no_outputs EXIT 2
  ARGS --stats %WORK%/s.json --timeline %WORK%/t.json --vcd %WORK%/v.vcd
  STDERR "overlaps the kernel's own memory"
  ABSENT s.json t.json v.vcd .*smmusim-*)
