# SPDX-License-Identifier: GPL-2.0-only
# Values of the kernel-level grammar where 0 was read as "not given", and
# the reasons of what the VMM refuses (newcomer17).

# gpa=0 is guest PA 0: outside guest RAM, EFAULT (it was taken as guest
# RAM's base and the enable succeeded).
smmusim_case(kernel_trapped_enable_gpa0 EXIT 1
  STDERR "kernel_trapped_enable_gpa0\\.trace:9:1: guest's emulated CMDQ enable: EFAULT \\(-14\\)")
# Where guest RAM starts at guest PA 0, tables=0 and gpa=0 are its first
# bytes (tables=0 was refused; a table at guest PA 0 was "no room").
smmusim_case(kernel_guest_ram_at_gpa0 EXIT 0 STDOUT "\\(12 operations")
# The guest's tables outside its RAM: EINVAL and why (it was a bare EINVAL).
smmusim_case(kernel_guest_stage1_tables_outside_ram EXIT 1
  STDERR "kernel_guest_stage1_tables_outside_ram\\.trace:7:1: the guest's CD table and stage-1 tables: EINVAL \\(-22\\): tables at guest PA 0x80000000: outside guest RAM .0x40000000, 0x40200000\\)")
# expect-log after expect=fault, naming the event lines expect=fault takes:
# said so, not "it logged none".
smmusim_case(kernel_dma_fault_expect_log_event EXIT 1
  STDERR "kernel_dma_fault_expect_log_event\\.trace:9:1: expect-log 'F_TRANSLATION' matches only the driver's event lines \\('arm-smmu-v3 10000000\\.iommu: event: F_TRANSLATION client: e sid: 0x10"
         "which this dma takes as its own \\(expect=fault checks the event\\): leave expect-log out"
  NOT_STDERR "it logged none")
