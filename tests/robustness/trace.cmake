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
# A queue stopped by software toggling GERRORN.CMDQ_ERR (CONS.ERR = 0, no
# command failed) says why it stopped (IHI 0070 7.2, 6.3.19).
smmusim_case(gerrorn_toggle_stops_cmdq EXIT 1
  STDERR "gerrorn_toggle_stops_cmdq\\.trace:9:1: queue cmdq stopped with CONS\\.ERR = 0 at index 0: no command failed, but GERROR\\.CMDQ_ERR is active because GERRORN\\.CMDQ_ERR \\(1\\) != GERROR\\.CMDQ_ERR \\(0\\)")
smmusim_case(gerrorn_toggle_stops_vcmdq EXIT 1
  STDERR "gerrorn_toggle_stops_vcmdq\\.trace:10:1: queue vintf1\\.lvcmdq0 stopped with CONS\\.ERR = 0 at index 0: no command failed, but VCMDQ_GERROR\\.CMDQ_ERR is active because VCMDQ_GERRORN\\.CMDQ_ERR \\(1\\) != VCMDQ_GERROR\\.CMDQ_ERR \\(0\\)")

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
# Lines ending with CR alone run together (a CR is a blank): the error
# says a lone CR ends no line.
smmusim_case(cr_only_line_endings EXIT 2
  STDERR "cr_only_line_endings\\.trace:3:13: unknown option 'cmd' \\(expected log2size=N or base=ADDRESS\\) \\(this line holds a lone CR, which does not end a line: trace lines end with LF or CRLF\\)")
# A comment may hold any byte but a lone CR with more than blanks after it:
# an old Mac file's lines after one were swallowed by the comment.
smmusim_case(mac_tail_in_comment EXIT 2
  STDERR "mac_tail_in_comment\\.trace:5:7: a lone CR ends no line: trace lines end with LF or CRLF\n$"
  NOT_STDERR "this line holds a lone CR")
smmusim_case(cr_in_comment_bad_line EXIT 2
  STDERR "cr_in_comment_bad_line\\.trace:4:12: a lone CR ends no line: trace lines end with LF or CRLF\n$"
  NOT_STDERR "this line holds a lone CR" "unknown operation")
# A `mem` line outside DRAM: refused at its address before the run.
smmusim_case(R21_mem_outside_dram EXIT 2
  STDERR "R21_mem_outside_dram\\.trace:5:13: 0x0 \\(\\+4 bytes\\) is not populated memory \\(DRAM is \\[0x80000000, 0xc0000000\\): mem\\.dram_base, mem\\.dram_size\\)")
smmusim_case(R21b_mem_across_dram_end EXIT 2
  STDERR "R21b_mem_across_dram_end\\.trace:4:12: 0xbffffffc \\(\\+8 bytes\\) is not populated memory")
smmusim_case(R19_smmu_offset_alias EXIT 2
  STDERR "R19_smmu_offset_alias\\.trace:1:9: smmu\\+0x10000000 is outside the SMMU's 0x20000 bytes of registers")

# Enabling an enabled queue restarts it as a driver does: no CERROR_ILL.
smmusim_case(R12a_cmdq_reenable EXIT 0
  STDOUT "simulated +255 cycles" "smmu\\.cmdq +smmu-cmdq +host +4 +0 "
  NOT_STDERR " expected|CONS\\.ERR")
smmusim_case(R12b_vcmdq_reenable EXIT 0
  STDOUT "simulated +296 cycles" "cmdqv\\.vcmdq2 +vcmdq +vintf1 +3 +0 "
  NOT_STDERR " expected|CONS\\.ERR")

# The configuration is checked whole before elaboration, naming the keys.
smmusim_case(T01_minimal AS T01_config.overlapping_windows EXIT 2
  ARGS --set platform.cmdqv_base=0x10010000
  STDERR "platform\\.smmu_base \\[0x10000000, \\+0x20000\\) overlaps platform\\.cmdqv_base \\[0x10010000, \\+0x830000\\)"
  NOT_STDERR "\\(E549\\)|uncaught exception")
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
  NOT_STDERR "\\(E549\\)|uncaught exception")

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
# A path ending in '/' names a directory, whether a file is there or
# nothing: said so, not open()'s "Is a directory" (a dangling symbolic
# link, said as one: tests/sim/outputs_test.cc).
smmusim_case(T01_minimal AS T01_outputs.trailing_slash EXIT 2
  FILES s.json={}
  ARGS --stats %WORK%/s.json/
  STDERR "^smmusim: --stats .*/s\\.json/: the path names a directory \\(it ends in '/'\\), and an output is a file: give it without the '/'\n$")
smmusim_case(T01_minimal AS T01_outputs.study_trailing_slash EXIT 2
  PROGRAM_ARGS study vcmdq-vs-trap --json rows.json/
  STDERR "^smmusim: --json rows\\.json/: the path names a directory \\(it ends in '/'\\)")
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
# Nor does one of only `expect` or `roi` lines: they act on nothing.
smmusim_case(only_expect_lines EXIT 2
  STDERR "only_expect_lines\\.trace: the trace has no operation \\(only 'expect' and 'roi' lines\\)")
smmusim_case(only_roi_lines EXIT 2
  STDERR "only_roi_lines\\.trace: the trace has no operation \\(only 'expect' and 'roi' lines\\)")

# Every output's writes and close are checked: a write error after the run
# names the option and the path, the trace's failures are still printed,
# and the exit status is 3 (traces/FORMAT.md).
smmusim_case(T01_minimal AS T01_outputs.timeline_dev_full EXIT 3
  ARGS --timeline /dev/full
  STDERR "--timeline /dev/full: cannot write: No space left on device")
smmusim_case(T01_minimal AS T01_outputs.vcd_dev_full EXIT 3
  ARGS --vcd /dev/full
  STDERR "--vcd /dev/full: cannot write: No space left on device")
smmusim_case(T01_minimal AS T01_outputs.vcd_proc_file EXIT 3
  ARGS --vcd /proc/self/status
  STDERR "--vcd /proc/self/status: cannot write: ")
smmusim_case(o01_fail_and_stats_full EXIT 3
  ARGS --stats /dev/full
  STDERR "o01_fail_and_stats_full\\.trace:1:1: read 0x0, expected 0x1"
         "--stats /dev/full: cannot write: No space left on device")
smmusim_case(T03_end_of_simulated_time AS T03_outputs.stats_dev_full EXIT 3
  ARGS --stats /dev/full
  STDERR "T03_end_of_simulated_time\\.trace:2:1: waiting 1000 more cycles"
         "results are incomplete"
         "--stats /dev/full: cannot write: No space left on device")
# An empty path is refused, not read as "not given" (CMake cannot pass an
# empty argument: --stats= is the same empty value; `--stats ""` from a
# shell gets "an empty path").
smmusim_case(T01_minimal AS T01_outputs.empty_stats_path EXIT 2
  ARGS --stats=
  STDERR "--stats: (an empty path|1 required TEXT:PATH missing)")
smmusim_case(T01_minimal AS T01_outputs.empty_timeline_path EXIT 2
  ARGS --timeline=
  STDERR "--timeline: (an empty path|1 required TEXT:PATH missing)")
# A character device is no file one output could overwrite: shared freely.
smmusim_case(T01_minimal AS T01_outputs.dev_null_shared EXIT 0
  ARGS --stats /dev/null --vcd /dev/null --timeline /dev/null)
# A --set key given twice is refused, as the trace refuses a field twice.
smmusim_case(T01_minimal AS T01_config.set_twice EXIT 2
  ARGS --set smmu.cmdq.batch=1 --set smmu.cmdq.batch=2
  STDERR "--set smmu\\.cmdq\\.batch=2: 'smmu\\.cmdq\\.batch' is given twice")

# Paths that are not UTF-8 (the trace's and the configuration's) survive
# in every JSON output: the bad byte is written as U+FFFD (3 bytes).
smmusim_case(T01_minimal AS T01_outputs.non_utf8_paths EXIT 0 NONUTF8
  FILES "c.toml=[smmu]\nclock_mhz = 500"
  ARGS --config %WORK%/c%FF%.toml --timeline %WORK%/t.json --vcd %WORK%/w.vcd
  STATS "\"trace\": \"bad...name\\.trace\"" "\"complete\": true" "/c...\\.toml:2:1"
  NOT_STDERR "\\(E549\\)|exception\\.type_error|uncaught exception")

# Simulated time at its end: an MMIO access that cannot complete stops the
# run at its line (no polling in frozen time, nothing after it runs).
smmusim_case(t05_mmio_at_end_of_time EXIT 1
  STDERR "t05_mmio_at_end_of_time\\.trace:2:1: the MMIO write of 0x20000000 at SMMU cycle 18446744073709551 cannot complete: 615 ps of simulated time are left"
         "results are incomplete"
  NOT_STDERR "never reached| expected"
  STATS "\"complete\": false" "\"ops\": 1,")
smmusim_case(t06_queue_at_end_of_time EXIT 1
  STDERR "t06_queue_at_end_of_time\\.trace:2:1: the MMIO write of 0x10000090 at SMMU cycle 18446744073709551 cannot complete"
         "results are incomplete"
  NOT_STDERR "never reached|not enabled"
  STATS "\"complete\": false")

# The player's queues follow the hardware's limits.
smmusim_case(c01_base_unaligned_to_size EXIT 2
  STDERR "c01_base_unaligned_to_size\\.trace:1:29: the queue base 0x80100020 is not aligned to the queue's size \\(16 entries of 16 bytes: 0x100\\)")
smmusim_case(c02_log2size_above_cmdqs EXIT 2
  ARGS --set smmu.idr.cmdqs=4
  STDERR "c02_log2size_above_cmdqs\\.trace:1:22: log2size=8 is too large: the SMMU's command queue takes at most log2size=4 \\(IDR1\\.CMDQS")
smmusim_case(c04_vcmdq_log2size_above_cmdqs EXIT 2
  ARGS --set smmu.idr.cmdqs=4
  STDERR "c04_vcmdq_log2size_above_cmdqs\\.trace:4:32: log2size=8 is too large: the CMDQV's VCMDQs take at most log2size=4")
# A `vintf N map` the CMDQV refuses fails on its line, whether the VCMDQ
# is another VINTF's or this VINTF's under another LVCMDQ (CMDQ_ALLOC's
# VINTF and LVCMDQ are checked, not ALLOCATED alone).
smmusim_case(vintf_map_refused_taken EXIT 1
  STDERR "vintf_map_refused_taken\\.trace:7:1: the CMDQV refused to map VCMDQ 2 as VINTF 2 LVCMDQ 0: it is VINTF 1's LVCMDQ 0 \\(CMDQ_ALLOC2 reads 0x8001\\)"
  NOT_STDERR "trace:8:")
smmusim_case(vintf_map_refused_other_lvcmdq EXIT 1
  STDERR "vintf_map_refused_other_lvcmdq\\.trace:5:1: the CMDQV refused to map VCMDQ 2 as VINTF 1 LVCMDQ 1: it is VINTF 1's LVCMDQ 0")
smmusim_case(vcmdq_enable_init_err EXIT 1
  STDERR "vcmdq_enable_init_err\\.trace:6:1: register cmdqv\\.VINTF1_LVCMDQ0_STATUS \\(0x2005000c\\) never reached 0x1 \\(reads 0x0\\) after 1000000 reads \\(player\\.poll_reads\\): VCMDQ 2 reports CMDQ_INIT_ERR")
# A poll that fails names its register (the models' names) and, where the
# player can tell, why it never followed.
smmusim_case(vintf_enable_cmdqv_disabled EXIT 1
  STDERR "vintf_enable_cmdqv_disabled\\.trace:4:1: register cmdqv\\.VINTF1_STATUS \\(0x20001104\\) never reached 0x1 \\(reads 0x0\\) after 1000000 reads \\(player\\.poll_reads\\): VINTF 1 stays disabled: the CMDQV is not enabled \\(CMDQV_CONFIG\\.CMDQV_EN clear")
smmusim_case(queue_default_placement EXIT 0
  NOT_STDERR " expected")
