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
