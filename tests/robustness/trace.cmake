# SPDX-License-Identifier: GPL-2.0-only
# Robustness cases of the trace reader, the player, the program's run and
# the configuration (see CMakeLists.txt for smmusim_case()).

# No hang: a full queue that can never drain fails at once, naming the line.
smmusim_case(R01a_cmd_full_no_doorbell_hang EXIT 1
  STDERR "R01a_cmd_full_no_doorbell_hang\\.trace:4:1: queue cmdq is full and has nothing left to consume: PROD was written up to 0x0, the entries up to 0x2 were never rung \\('doorbell cmdq'\\)"
  NOT_STDERR "results are incomplete")
smmusim_case(R01b_cmd_full_halted_hang EXIT 1
  STDERR "R01b_cmd_full_halted_hang\\.trace:6:1: queue cmdq is full and stopped with CONS\\.ERR = 1 at index 1; the command is not written"
         "R01b_cmd_full_halted_hang\\.trace:7:1: queue cmdq is full and stopped with CONS\\.ERR = 1 at index 1")
smmusim_case(R01c_vcmdq_full_halted_hang EXIT 1
  STDERR "R01c_vcmdq_full_halted_hang\\.trace:9:1: queue vintf1\\.lvcmdq0 is full and stopped with CONS\\.ERR = 1 at index 0; the command is not written")

# Huge times: refused at their column before the run, never wrapped.
smmusim_case(R02_wait_consumed_timeout_overflow_hang EXIT 2
  STDERR "R02_wait_consumed_timeout_overflow_hang\\.trace:3:28: 9223372036854775808 cycles of 1000 ps pass the end of simulated time \\(2\\^64 - 1 ps: at most 18446744073709551 cycles\\)")
smmusim_case(R02b_timeout_2p55_hang EXIT 2
  STDERR "R02b_timeout_2p55_hang\\.trace:3:28: 36028797018963968 cycles of 1000 ps pass the end of simulated time")
smmusim_case(R07_wait_2p63_is_zero EXIT 2
  STDERR "R07_wait_2p63_is_zero\\.trace:1:2: 9223372036854775808 cycles of 1000 ps pass the end of simulated time")

# A trace that cannot be read twice is read once: its one operation runs
# (and its expectation fails) whether it comes through a pipe, a FIFO or
# /dev/stdin redirected from a file.
smmusim_case(R05_pipe EXIT 1 PIPE
  STDERR "/dev/stdin:1:1: read 0x0, expected 0x5"
  STDOUT "trace: /dev/stdin")
smmusim_case(R05_pipe AS R05_pipe.fifo EXIT 1 FIFO
  STDERR "trace\\.fifo:1:1: read 0x0, expected 0x5")
smmusim_case(R05_pipe AS R05_pipe.stdin_file EXIT 1 STDIN
  STDERR "/dev/stdin:1:1: read 0x0, expected 0x5")

# Nothing silently wrong in the grammar.
smmusim_case(R06_dup_fields EXIT 2
  STDERR "R06_dup_fields\\.trace:2:30: 'asid' is given twice")
smmusim_case(R08a_mem_write32_trunc EXIT 2
  STDERR "R08a_mem_write32_trunc\\.trace:2:24: value does not fit in 32 bits")
smmusim_case(R19_smmu_offset_alias EXIT 2
  STDERR "R19_smmu_offset_alias\\.trace:1:9: smmu\\+0x10000000 is outside the SMMU's 0x20000 bytes of registers")

# Enabling an enabled queue restarts it as a driver does: no CERROR_ILL.
smmusim_case(R12a_cmdq_reenable EXIT 0
  STDOUT "simulated +275 cycles" "smmu\\.cmdq +smmu-cmdq +host +4 +0 "
  NOT_STDERR "expected|CONS\\.ERR")
smmusim_case(R12b_vcmdq_reenable EXIT 0
  STDOUT "simulated +312 cycles" "cmdqv\\.vcmdq2 +vcmdq +vintf1 +3 +0 "
  NOT_STDERR "expected|CONS\\.ERR")

# The configuration is checked whole before elaboration, naming the keys.
smmusim_case(T01_minimal AS T01_config.overlapping_windows EXIT 2
  ARGS --set platform.cmdqv_base=0x10010000
  STDERR "platform\\.smmu_base \\[0x10000000, \\+0x20000\\) overlaps platform\\.cmdqv_base \\[0x10010000, \\+0x830000\\)"
  NOT_STDERR "E549|uncaught")
smmusim_case(T01_minimal AS T01_config.unaligned_dram EXIT 2
  ARGS --set mem.dram_base=0x80000800
  STDERR "mem\\.dram_base \\[0x80000800, \\+0x40000000\\) is not 4 KiB-aligned")
smmusim_case(T01_minimal AS T01_config.irq_overlap EXIT 2
  ARGS --set platform.cmdqv_irq=101
  STDERR "platform\\.cmdqv_irq = 101 is one of the SMMU's interrupts 100\\.\\.104")
smmusim_case(T01_minimal AS T01_config.octal_looking_number_is_decimal EXIT 2
  ARGS --set smmu.cmdq.batch=0257
  STDERR "smmu\\.cmdq\\.batch = 0257 is out of range \\[1, 256\\]")
smmusim_case(T01_minimal AS T01_config.toml_file EXIT 2
  FILES "c.toml=[platform]\nmsi_base = 0x10000000"
  ARGS --config %WORK%/c.toml
  STDERR "platform\\.smmu_base \\[0x10000000, \\+0x20000\\) overlaps platform\\.msi_base \\[0x10000000, \\+0x10000\\)")
smmusim_case(T02_kernel_dma_pool_outside_dram EXIT 2
  ARGS --set mem.dram_size=0x10000000
  STDERR "mem\\.dram_size = 0x10000000 is too small for kernel-level operations"
  NOT_STDERR "E549|uncaught")

# Output paths are checked before the run.
smmusim_case(T01_minimal AS T01_outputs.unwritable EXIT 2
  ARGS --stats %WORK%/no/such/dir/s.json
  STDERR "--stats .*/no/such/dir/s\\.json: cannot be created: No such file or directory"
  NOT_STDERR "cannot write")
smmusim_case(T01_minimal AS T01_outputs.same_file EXIT 2
  ARGS --stats %WORK%/out --vcd %WORK%/out
  STDERR "--vcd .*/out: the same file as --stats .*/out")
smmusim_case(T01_minimal AS T01_outputs.onto_the_trace EXIT 2
  ARGS --timeline %TRACE%
  STDERR "--timeline .*T01_minimal\\.trace: the same file as the input .*T01_minimal\\.trace")
smmusim_case(T01_minimal AS T01_outputs.ok EXIT 0
  ARGS --stats %WORK%/s.json --timeline %WORK%/t.json --vcd %WORK%/w.vcd)

# A run that cannot go on stops at the line, and its statistics are still
# written, marked incomplete.
smmusim_case(T03_end_of_simulated_time EXIT 1
  STDERR "T03_end_of_simulated_time\\.trace:2:1: waiting 1000 more cycles would pass the end of simulated time"
         "the simulation ended before the trace did \\(results are incomplete\\)"
  STATS "\"complete\": false" "\"ops\": 1,")
smmusim_case(T01_minimal AS T01_stats.complete EXIT 0
  STATS "\"complete\": true" "\"ops\": 1,")

# A trace with no operation is refused (0 operations never pass silently).
smmusim_case(T04_no_operation EXIT 2
  STDERR "T04_no_operation\\.trace: the trace has no operation")
smmusim_case(T04_no_operation AS T04_no_operation.pipe EXIT 2 PIPE
  STDERR "/dev/stdin: the trace has no operation")
