# SPDX-License-Identifier: GPL-2.0-only
# Statistics a user can read (issue #10): the summary names who used each
# queue during the run (VINTF and VM), not its mapping at the end, and a
# percentile of a few samples is an exact order statistic (nearest rank:
# p99 of three latencies is their largest, 1076, where the histogram's
# bucket floor read 1072).
smmusim_case(S01_guest_queue_owner_after_vm_destroy EXIT 0
  STDOUT "cmdqv\\.vcmdq0 +vcmdq +vintf0\\(host\\) +[0-9]"
         "cmdqv\\.vcmdq2 +vcmdq +vintf1\\(vmA\\) +3 +0 +69 +73 +1076 +1076 +406\\.0"
         "cmdqv\\.vcmdq4 +vcmdq +vintf2\\(vmB\\) +3 +0 +84 +92 +94 +94 +90\\.0"
  NOT_STDERR ".")
# A region of interest (traces/FORMAT.md): a malformed one is refused at its
# line before anything runs; a register-level one reports the two commands
# inside it apart from the one before, in the summary and the JSON.
smmusim_case(S02_roi_end_without_begin EXIT 2
  STDERR "S02_roi_end_without_begin\\.trace:2:1: 'roi end' without a 'roi begin' before it")
smmusim_case(S03_roi_register_level EXIT 0
  STDOUT "region of interest \\(roi begin \\.\\. roi end\\): cycles [0-9]+ to [0-9]+, [0-9]+ cycles, 4 operations"
  STATS "\"roi\": {" "\"ops\": 4" "\"complete\": true"
  NOT_STDERR ".")
