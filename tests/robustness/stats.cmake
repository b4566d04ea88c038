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
