# SPDX-License-Identifier: GPL-2.0-only
# `expect executed` (sim/cmd_expect.h): what the hardware executed is
# checked against what the trace expects, field by field. (A `[` in a
# regex here would keep CMake from splitting the list: `.` stands for it.)
smmusim_case(cmdcheck_wrong_asid_short_range EXIT 1
  STDERR "cmdcheck_wrong_asid_short_range.trace:11:1: TLBI_NH_VA covers .0x10000, 0x13000\\), expected exactly .0x10000, 0x14000\\)"
  "cmdcheck_wrong_asid_short_range.trace:18:1: TLBI_NH_VA on smmu.cmdq \\(0x0002000000003012 0x0000000000020401\\) has asid=0x2, expected asid=1"
  NOT_STDERR "trace:12:" "trace:17:")
smmusim_case(cmdcheck_expect_malformed EXIT 2
  STDERR "cmdcheck_expect_malformed.trace:8:26: CMD_SYNC has no field 'asid'")

# A `queue=` names a queue exactly (smmu.cmdq, cmdqv.vcmdqN): a typo or a
# VCMDQ the platform lacks was a prefix match, never matched, and passed
# with count=0. Leading zeros name the same VCMDQ, as vintf01 does.
smmusim_case(expect_queue_typo EXIT 2
  STDERR "expect_queue_typo\\.trace:7:32: expected queue=smmu\\.cmdq or queue=cmdqv\\.vcmdqN, got 'smmu\\.cmdq_typo'")
smmusim_case(expect_queue_not_decimal EXIT 2
  STDERR "expect_queue_not_decimal\\.trace:2:32: expected queue=smmu\\.cmdq or queue=cmdqv\\.vcmdqN")
smmusim_case(expect_queue_past_most EXIT 2
  STDERR "expect_queue_past_most\\.trace:2:43: the VCMDQ index is 128 or more: a CMDQV has at most 128 VCMDQs")
smmusim_case(expect_queue_past_config EXIT 2
  ARGS --set cmdqv.vcmdqs_log2=4 --set cmdqv.vintfs_log2=2
  STDERR "expect_queue_past_config\\.trace:3:43: queue=cmdqv\\.vcmdq16: VCMDQ 16 does not exist \\(the CMDQV has 16\\)")
smmusim_case(expect_queue_no_cmdqv EXIT 2
  ARGS --set cmdqv.present=false
  STDERR "expect_queue_no_cmdqv\\.trace:2:32: queue=cmdqv\\.vcmdq1: this platform has no CMDQV \\(cmdqv\\.present = false, from --set\\)")
smmusim_case(expect_queue_leading_zero EXIT 0
  NOT_STDERR "executed 0 times")

# CFGI_ALL is CFGI_STE_RANGE with Range = 31 (IHI 0070 4.3.3): the name
# has no field of its own (a `range=0` was encoded over the 31), and
# `expect executed CFGI_ALL` selects the commands with Range = 31 only,
# where it counted every CFGI_STE_RANGE.
smmusim_case(cfgi_all_has_no_field EXIT 2
  STDERR "cfgi_all_has_no_field\\.trace:5:19: CFGI_ALL has no field 'range' \\(it has none\\)")
smmusim_case(expect_cfgi_all_has_no_field EXIT 2
  STDERR "expect_cfgi_all_has_no_field\\.trace:8:26: CFGI_ALL has no field 'range'")
smmusim_case(expect_cfgi_all_selects_range31 EXIT 0
  NOT_STDERR " times, expected")

# granule= only says what covers= counts a TLBI without a range in: alone
# it was accepted and checked nothing.
smmusim_case(expect_granule_without_covers EXIT 2
  STDERR "expect_granule_without_covers\\.trace:10:28: granule= without covers= checks nothing")
