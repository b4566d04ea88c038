# SPDX-License-Identifier: GPL-2.0-only
# Robustness cases of the kernel-level operations (sim/kernel_ops.*,
# kernel_shim/): see CMakeLists.txt for smmusim_case().

# Sizes and addresses are checked for overflow and range before the run,
# with file:line:col, exit status 2 (traces/FORMAT.md, kernel-level section).
smmusim_case(R03_vm_ram_overflow_segv EXIT 2
  STDERR "R03_vm_ram_overflow_segv\\.trace:3:31: guest RAM at gpa: 0x40000000 \\+ size 0xffffffffffffffff passes the end of the 64-bit address space")
# (Its iova is past 2^52 itself: named at iova=, as FORMAT.md says; it was
# at size=, where the end passes 2^64.)
smmusim_case(K01_map_region_overflow EXIT 2
  STDERR "K01_map_region_overflow\\.trace:8:12: map d: iova 0xfffffffffffff000 is past 2\\^52 \\(0x10000000000000\\), the largest input address any SMMU stage translates"
  NOT_STDERR "passes the end of the 64-bit address space")
smmusim_case(K02_unmap_size_zero EXIT 2
  STDERR "K02_unmap_size_zero\\.trace:6:28: iova: the size must not be 0")
smmusim_case(K03_vm_gpa_unaligned EXIT 2
  STDERR "K03_vm_gpa_unaligned\\.trace:5:28: gpa must be a multiple of the page size \\(0x1000\\)")
smmusim_case(K05_guest_wait_timeout_huge EXIT 2
  STDERR "K05_guest_wait_timeout_huge\\.trace:7:24: a timeout of 18446744073709551615 ns is more than the longest wait")
# A guest wait's timeout= or 'expect error' given twice: refused at the
# repeated word (they were taken silently).
smmusim_case(kernel_k36_guest_wait_twice EXIT 2
  STDERR "kernel_k36_guest_wait_twice\\.trace:11:28: 'timeout' is given twice")
smmusim_case(kernel_k36b_guest_wait_expect_twice EXIT 2
  STDERR "kernel_k36b_guest_wait_expect_twice\\.trace:9:39: 'expect error' is given twice")
# Values wider than the uAPI field they go into.
smmusim_case(R08b_veventq_depth_trunc EXIT 2
  STDERR "R08b_veventq_depth_trunc\\.trace:4:17: '4294967297' is too large for a queue depth \\(32 bits\\)")
# What the kernel checks itself is the kernel's answer, and can be expected.
smmusim_case(K04_hwqueue_overflow_eoverflow EXIT 0
  STDOUT "\\(6 operations")

# kvmalloc refuses more than INT_MAX bytes, as the kernel's does: a 4 TiB
# HW queue is ENOMEM at once (no host allocation, no ENOENT from a pin).
smmusim_case(R09_hwqueue_huge_len_host_mem EXIT 0
  STDOUT "\\(4 operations" "kernel: Linux [0-9.]+, 0 warnings")

# A vEVENTQ read waits (bounded, simulated time) for the host ISR's event,
# as a blocking read() would.
smmusim_case(R10b_veventq_read_race_flood EXIT 0
  STDOUT "\\(276 operations" "1 CMDQV errors")

# A vEVENTQ overflow: two events, then the kernel's lost-events mark, which
# the grammar expresses (K08) instead of failing with EIO. R11 as written
# expects a third event where the mark is.
smmusim_case(R11_veventq_lost_events_EIO EXIT 1
  STDERR "R11_veventq_lost_events_EIO\\.trace:44:1: vEVENTQ read the lost-events mark, expected lvcmdq_err_map 0x0:0x1"
         "R11_veventq_lost_events_EIO\\.trace:45:1: vEVENTQ read: empty after 1000000 ns"
  NOT_STDERR "EIO \\(-5\\)" ":4[0-3]:1:" ":46:1:")
smmusim_case(K08_veventq_lost_events_expected EXIT 0
  STDOUT "\\(46 operations")

# A kernel error-level message fails the operation that caused it, naming
# it, unless the line expects it (expect-log).
smmusim_case(R16_cmd_sync_timeout_rc0 EXIT 1
  STDERR "R16_cmd_sync_timeout_rc0\\.trace:6:1: kernel error: arm-smmu-v3 10000000\\.iommu: CMD_SYNC timeout at"
         "R16_cmd_sync_timeout_rc0\\.trace:9:1: kernel error: arm-smmu-v3 10000000\\.iommu: CMD_SYNC timeout at"
  NOT_STDERR ":[23457]:1:")
# --dmesg prints the log as dmesg does: "[    S.UUUUUU] message". (A regex
# here must keep its square brackets balanced: CMake does not split a list
# at a ";" inside brackets.)
smmusim_case(K07_cmd_sync_timeout_expected EXIT 0 ARGS --dmesg
  STDOUT "\\(9 operations"
         "\\[    1\\.[0-9][0-9][0-9][0-9][0-9][0-9]\\] arm-smmu-v3 10000000\\.iommu: CMD_SYNC timeout at 0x[0-9a-f]+ .hwprod"
         "\\[    0\\.000000\\] arm-smmu-v3 10000000\\.iommu: oas 48-bit")
smmusim_case(K09_expect_log_unmet EXIT 1
  STDERR "K09_expect_log_unmet\\.trace:7:1: expected the kernel to log an error or WARN matching 'CMD_SYNC timeout', it logged none"
         "K09_expect_log_unmet\\.trace:9:1: kernel error: arm-smmu-v3 10000000\\.iommu: CMD_SYNC timeout at [^;]*; expected the kernel to log an error or WARN matching 'CMDQ timeout\\$'")

# Endpoints with several stream IDs; the driver's rule for vDEVICEs.
smmusim_case(K06_multi_sid_endpoint EXIT 0
  STDOUT "\\(10 operations")

# The vEVENTQ read's wait, with slow CMDQV registers (the ISR reports the
# guest's error well after the guest's wait saw it).
smmusim_case(K10_guest_illegal_cmd_slow_regs EXIT 0 ARGS --set cmdqv.reg_cycles=100
  STDOUT "1 CMDQV errors")
# Guest operations on a queue that does not exist fail with the kernel's
# errno, not silently.
smmusim_case(K11_guest_queue_missing EXIT 1
  STDERR "K11_guest_queue_missing\\.trace:8:1: guest LVCMDQ1 doorbell: ENOENT \\(-2\\)"
         "K11_guest_queue_missing\\.trace:9:1: guest LVCMDQ1 skip: ENOENT \\(-2\\)"
         "K11_guest_queue_missing\\.trace:10:1: guest LVCMDQ1: ENOENT \\(-2\\)"
         "K11_guest_queue_missing\\.trace:12:1: guest LVCMDQ0 doorbell: ENOENT \\(-2\\)"
  NOT_STDERR ":(7|11|13):1:")

# A guest's own stage 1 used wrongly: each bad line fails, the rest runs.
smmusim_case(K12_guest_stage1_misuse EXIT 1
  STDERR "K12_guest_stage1_misuse\\.trace:10:1: the guest has no stage 1 yet"
         "K12_guest_stage1_misuse\\.trace:11:1: IOMMU_HWPT_ALLOC \\(nested\\) and attach: EIO \\(-5\\), expected success"
         "K12_guest_stage1_misuse\\.trace:14:1: the guest's map of SSID 0 .0x1000, 0x2000\\): EINVAL \\(-22\\)"
         "K12_guest_stage1_misuse\\.trace:15:1: the guest's map of SSID 0 .0x2800, 0x3800\\): EINVAL \\(-22\\)"
         "K12_guest_stage1_misuse\\.trace:16:1: the guest's map of SSID 1 .0x1000, 0x2000\\): EINVAL \\(-22\\)"
         "K12_guest_stage1_misuse\\.trace:17:1: the guest's tables are already built with other parameters"
  NOT_STDERR ":(12|13|18|19):1:")

# The end of simulated time (2^64 - 1 ps): kernel code whose wait cannot
# fit (the driver's CMD_SYNC poll, the guest's and the VMM's polls, a
# vEVENTQ read) is stopped, and the run stops at that line with statistics
# marked incomplete, exit 1 (traces/FORMAT.md) -- never a busy loop.
smmusim_case(kernel_t02_kernel_cmd_sync_timeout_past_end_of_time EXIT 1
  STDERR "kernel_t02_kernel_cmd_sync_timeout_past_end_of_time\\.trace:10:1: unmap d stopped the run: simulated time ran out: cpu0 waited for 1 us( in [_a-z0-9]+)? with 129923 ps left before the end of simulated time"
         "results are incomplete"
  STATS "\"complete\": false")
smmusim_case(kernel_t03_guest_wait_past_end_of_time EXIT 1
  STDERR "kernel_t03_guest_wait_past_end_of_time\\.trace:9:1: guest v cmd CMD_SYNC stopped the run: simulated time ran out: cpu0 waited for 1 us with 99817 ps left"
  STATS "\"complete\": false")
smmusim_case(kernel_t03b_guest_wait_runs_out EXIT 1
  STDERR "kernel_t03b_guest_wait_runs_out\\.trace:12:1: guest v wait 0 stopped the run: simulated time ran out: cpu0 waited for 1 us with 965817 ps left"
  STATS "\"complete\": false")
smmusim_case(kernel_t04_veventq_read_past_end EXIT 1
  STDERR "kernel_t04_veventq_read_past_end\\.trace:9:1: veventq v read stopped the run: simulated time ran out: cpu0 waited for 100 ns with 97850 ps left"
  NOT_STDERR "empty after"
  STATS "\"complete\": false")

# Guest queues are full by CONS's pointer bits (CONS.ERR left out): a
# queue stopped at an error fails the guest's next command at once, from
# the 256th on, instead of overwriting unconsumed ones; after the skip,
# exactly the 256 commands written run.
smmusim_case(kernel_k08_guest_put_past_full_while_halted EXIT 1
  STDERR "kernel_k08_guest_put_past_full_while_halted\\.trace:270:1: guest queue 0: full, and stopped at a command error"
         "kernel_k08_guest_put_past_full_while_halted\\.trace:314:1: guest queue 0: full, and stopped at a command error"
  NOT_STDERR ":269:1:" ":31[5-9]:1:"
  STDOUT "cmdqv\\.vcmdq2 +vcmdq +vintf1\\(vm0\\) +256 +1 ")
# A full guest queue that is draining: `guest cmd` waits for room, as the
# host's `cmd` does.
smmusim_case(kernel_k22_guest_full_draining EXIT 0
  STDOUT "\\(269 operations" "vintf1\\(v\\) +260 +0 ")

# expect-log is a POSIX ERE matched without backtracking: nested
# quantifiers end at once (here: matching none of the kernel's errors).
smmusim_case(kernel_r02_regex_backtrack EXIT 1
  STDERR "kernel_r02_regex_backtrack\\.trace:8:1: kernel error: .*CMD_SYNC timeout.*expected the kernel to log an error or WARN matching")

# glibc's ERE takes back-references, which backtrack (exponential time, or a
# crash): refused at the backslash (outside a bracket expression).
smmusim_case(kernel_r03_regex_backref EXIT 2
  STDERR "kernel_r03_regex_backref\\.trace:10:65: '\\(\\|\\) +\\(\\\\1\\\\1\\)\\*' is past smmusim's limits for expect-log \\('\\\\1' is a back-reference"
  NOT_STDERR ":9:")

# regcomp() of nested intervals ran for minutes and took gigabytes: intervals
# take bounds of at most 16 and an operand that does not repeat, and an
# expression at most 256 bytes (traces/FORMAT.md).
smmusim_case(kernel_r04_regex_intervals EXIT 2
  STDERR "kernel_r04_regex_intervals\\.trace:9:69: .* \\(an interval whose operand repeats"
  NOT_STDERR ":8:")
smmusim_case(kernel_r05_regex_bound EXIT 2
  STDERR "kernel_r05_regex_bound\\.trace:6:65: .* \\(an interval bound of 255 is more than 16, the largest an expect-log takes\\)")
# Only a subset of POSIX's ERE reaches regcomp() (traces/FORMAT.md): an
# interval glibc reads with an escaped comma, anchors in a group, glibc's
# zero-width escapes are refused at their column, before the run.
smmusim_case(kernel_r06_regex_escaped_comma EXIT 2
  STDERR "kernel_r06_regex_escaped_comma\\.trace:6:64: .* is past smmusim's limits for expect-log \\('\\\\' in an interval")
smmusim_case(kernel_r07_regex_anchor_in_group EXIT 2
  STDERR "kernel_r07_regex_anchor_in_group\\.trace:6:60: .* is past smmusim's limits for expect-log \\(a '\\^' that is not at the start")
smmusim_case(kernel_r08_regex_zero_width EXIT 2
  STDERR "kernel_r08_regex_zero_width\\.trace:6:60: .* is past smmusim's limits for expect-log \\('\\\\b' is one of glibc's zero-width assertions")

# `kernel param` after `kernel boot` writes the parameter then (FORMAT.md):
# the next invalidation goes to the SMMU CMDQ.
smmusim_case(kernel_k13_param_after_boot EXIT 0
  STDOUT "\\(6 operations")
# Every errno Linux has can be expected: guest RAM on the IOAS's reserved
# page is EADDRINUSE.
smmusim_case(kernel_k17_expect_eaddrinuse EXIT 0
  STDOUT "\\(3 operations")
smmusim_case(kernel_k17b_eaddrinuse_named EXIT 1
  STDERR "kernel_k17b_eaddrinuse_named\\.trace:5:1: vm v: IOMMU_HWPT_ALLOC \\(nest parent\\) failed: EADDRINUSE \\(-98\\)")
# With the CPU cost model off: its CPU time lets the SMMU answer the
# probe's first polls sooner, and no single busy-wait then reaches 20 s.
smmusim_case(kernel_k18_probe_stopped EXIT 1 ARGS --set kernel.cpu_relax_ns=1000000000 --set cpu.cost_model=false
  STDERR "kernel_k18_probe_stopped\\.trace:4:1: arm_smmu_device_probe did not return \\(its CPU context was stopped\\); kernel soft-lockup: BUG: soft lockup"
  NOT_STDERR "errno -1")
# PCI endpoint functions: a RID past the root bus is refused before the
# run, and so is a second function on one RID.
smmusim_case(kernel_k19_pci_rid_past_bus0 EXIT 2
  STDERR "kernel_k19_pci_rid_past_bus0\\.trace:3:23: requester ID 0x108 is not on the root bus")
smmusim_case(kernel_k20_pci_two_functions_same_rid EXIT 2
  STDERR "kernel_k20_pci_two_functions_same_rid\\.trace:5:23: requester ID 0x8 is already endpoint 'nic0'")

# Endpoint DMA lines (`dma`, traces/FORMAT.md "Endpoint DMA") are checked
# before the run: the endpoint, the event name, the size, pa= with a fault,
# the direction.
smmusim_case(K13_dma_unknown_endpoint EXIT 2
  STDERR "K13_dma_unknown_endpoint\\.trace:5:5: no endpoint named 'f' \\(define it first\\)")
smmusim_case(K14_dma_fault_type_misspelt EXIT 2
  STDERR "K14_dma_fault_type_misspelt\\.trace:6:51: expected an event name \\(F_TRANSLATION, C_BAD_STE, \\.\\.\\.\\) or ATS, got 'F_TRANSLATON'")
smmusim_case(K15_dma_size_too_large EXIT 2
  STDERR "K15_dma_size_too_large\\.trace:6:19: a DMA is at most 0x1000000 bytes \\(16 MiB\\), got 0x100000000")
smmusim_case(K16_dma_pa_with_fault EXIT 2
  STDERR "K16_dma_pa_with_fault\\.trace:5:54: pa= checks where a DMA went: it cannot go with expect=fault")
smmusim_case(K17_dma_no_direction EXIT 2
  STDERR "K17_dma_no_direction\\.trace:5:32: 'dma' needs 'read' or 'write'")

# Endpoint DMA at run time: an unexpected fault fails its own line, naming
# the event (not the driver's lines as complaints, and no other line); an
# expected one is taken, and --dmesg shows what the driver decoded.
smmusim_case(K18_dma_unexpected_fault EXIT 1
  STDERR "K18_dma_unexpected_fault\\.trace:10:1: dma e read of 0x40 bytes at iova 0x101000: the access at iova 0x101000 was terminated with F_TRANSLATION \\(event 0x10\\), expected ok"
  NOT_STDERR "kernel error" ":(9|11):1:")
smmusim_case(K19_dma_fault_logged EXIT 0 ARGS --dmesg
  STDOUT "\\(7 operations"
         "arm-smmu-v3 10000000\\.iommu: event 0x10 received:"
         "arm-smmu-v3 10000000\\.iommu: event: F_TRANSLATION client: e sid: 0x10 ssid: 0 iova: 0x100040 ipa: 0"
         "arm-smmu-v3 10000000\\.iommu: unpriv data write s1 \"Input address caused fault\"")
smmusim_case(K20_dma_large_fault EXIT 0
  STDOUT "\\(5 operations" "soc\\.dma\\.faults +513 " "513 event records")

# An ATS function's DMA refused by its Translation Completion fails its
# own line, naming the refusal; expect=fault:ATS takes it. Bad endpoint.*
# figures are refused before the run, naming the key.
smmusim_case(K23_dma_ats_refused EXIT 1
  STDERR "K23_dma_ats_refused\\.trace:10:1: dma nic0 read of 0x10 bytes at iova 0x200000: the access at iova 0x200000 was terminated with refused by ATS \\(Translation Completion: Success without the permission\\), expected ok"
  NOT_STDERR ":(11|12):1:")
smmusim_case(K23_dma_ats_refused AS K23_dma_ats_refused.atc_ways EXIT 2
  ARGS --set endpoint.atc.ways=3
  STDERR "endpoint\\.atc\\.ways = 3 does not divide endpoint\\.atc\\.entries = 64 into whole sets")
smmusim_case(K23_dma_ats_refused AS K23_dma_ats_refused.outstanding_zero EXIT 2
  ARGS --set endpoint.ats.outstanding_requests=0
  STDERR "endpoint\\.ats\\.outstanding_requests = 0 is out of range \\[1, 1024\\]")

# An ATS endpoint named like a statistics group of the platform: refused
# before the run, not a run stopped when the endpoint is made.
smmusim_case(K24_ats_endpoint_named_like_the_platform EXIT 2
  STDERR "K24_ats_endpoint_named_like_the_platform\\.trace:9:10: an ATS endpoint cannot be called 'smmu': its statistics would be soc\\.smmu, a group the platform has"
  NOT_STDERR "registered twice| incomplete")

# A guest's stage 1 naming memory outside its RAM (a PTE, the vSTE's CD
# table pointer) is stopped by stage 2: the host's driver logs S2 faults,
# the VM hears nothing, and the host memory behind that address keeps its value.
smmusim_case(K21_guest_stage1_outside_ram EXIT 0 ARGS --dmesg
  STDOUT "\\(12 operations"
         "event: F_TRANSLATION client: g sid: 0x10 ssid: 0 iova: 0x100000 ipa: 0x90000000"
         "unpriv data write s2 \"Input address caused fault\""
         "unpriv data write s2 \"CD fetch\""
         "2 event records")

# A complaint the kernel repeats (EVTQ overflow, once per overflow) is named
# once with its count: the failure stays one readable line.
smmusim_case(K22_dma_evtq_overflow_once EXIT 1 ARGS --set smmu.idr.evtqs=0
  STDERR "K22_dma_evtq_overflow_once\\.trace:9:1: kernel error: arm-smmu-v3 10000000\\.iommu: EVTQ overflow detected -- events lost \\([0-9]+ times\\)"
  NOT_STDERR "lost; kernel error: arm-smmu-v3 10000000\\.iommu: EVTQ overflow" ":10:1:")

# A trapped VM's guest (viommu=arm-smmuv3) misusing its emulated command
# queue: a doorbell or a command before its enable, a command into a full
# queue (2 entries), a wait for commands never rung, a skip without an
# error, a HW queue (the kernel's EOPNOTSUPP); each names its line, and
# the ring after them drains. The kernel takes a TEGRA241_CMDQV vEVENTQ on
# any vIOMMU (iommufd_veventq_alloc does not check the type against it).
smmusim_case(K25_trapped_guest_misuse EXIT 1
  STDERR "K25_trapped_guest_misuse\\.trace:7:1: guest's emulated CMDQ doorbell: not enabled \\('guest VM enable' first\\)"
         "K25_trapped_guest_misuse\\.trace:8:1: guest's emulated CMDQ cmd: not enabled"
         "K25_trapped_guest_misuse\\.trace:12:1: guest's emulated CMDQ: full \\(it drains only when PROD is written\\)"
         "K25_trapped_guest_misuse\\.trace:13:1: guest's emulated CMDQ: timed out \\(PROD was not written since the commands\\)"
         "K25_trapped_guest_misuse\\.trace:14:1: guest's emulated CMDQ has no error to skip"
         "K25_trapped_guest_misuse\\.trace:17:1: IOMMU_HW_QUEUE_ALLOC: EOPNOTSUPP \\(-95\\), expected success"
  NOT_STDERR ":(9|10|11|15|16|18|19):1:")
smmusim_case(K26_trapped_guest_index EXIT 2
  STDERR "K26_trapped_guest_index\\.trace:7:13: VM 'v' has a trapped vIOMMU \\(arm-smmuv3\\): one emulated command queue, index 0 \\(or none\\)")
# Enabling a trapped guest's queue again after an error: the wait names the
# unacknowledged GERROR.CMDQ_ERR, not CONS.ERR 0.
smmusim_case(K27_trapped_reenable_after_error EXIT 1
  STDERR "K27_trapped_reenable_after_error\\.trace:13:1: guest's emulated CMDQ: stopped at a command error \\(CONS 0x1000000: CONS\\.ERR 1\\)"
         "K27_trapped_reenable_after_error\\.trace:17:1: guest's emulated CMDQ: stopped: GERROR\\.CMDQ_ERR of an earlier command error is still not acknowledged in GERRORN \\(enabling the queue again cleared CONS\\.ERR, CONS 0x0, not the error; 'guest VM skip' acknowledges it, IHI 0070 7\\.1\\)"
  NOT_STDERR ":(9|10|11|12|14|15|16|18|19):1:")
# An unknown `kernel param` name: exit 2 at its column, naming the known ones.
smmusim_case(K28_kernel_param_unknown EXIT 2
  STDERR "K28_kernel_param_unknown\\.trace:6:14: unknown kernel parameter 'arm_smmu_v3\\.bypass_vcmdqq' \\(this kernel's module parameters: [^)]*arm_smmu_v3\\.bypass_vcmdq[,;]"
  NOT_STDERR " ENOENT")
# A trapped guest's CMD_SYNC MSI outside guest RAM: dropped, counted, the
# queue runs on (traces/FORMAT.md, "What the VMM passes on").
smmusim_case(K29_trapped_sync_msi_outside_ram EXIT 0
  STATS "\"vmm\\.v\\.msi_aborts\": {[^}]*\"value\": 1[^0-9]" "\"vmm\\.v\\.handled\": {[^}]*\"value\": 2[^0-9]")
# Two endpoints on one stream ID (a PCI function's RID is its stream ID):
# refused before the run at the second, naming the first.
smmusim_case(K30_endpoints_share_a_stream_id EXIT 2
  STDERR "K30_endpoints_share_a_stream_id\\.trace:8:24: stream ID 0x10 is already endpoint 'nic0' \\(line 6, a PCI function: its requester ID\\): arm-smmu-v3 takes one master per stream ID \\(a second is refused at probe: \"Aliasing StreamID\", EINVAL\\)"
  NOT_STDERR "[ (]iommu_group")
# A module parameter's value its type does not take: refused before the run
# at the value, with the type's values.
smmusim_case(K31_kernel_param_not_a_bool EXIT 2
  STDERR "K31_kernel_param_not_a_bool\\.trace:6:39: arm_smmu_v3\\.bypass_vcmdq is a bool: expected 1, y, Y, t, T or on \\(true\\), 0, n, N, f, F or off \\(false\\), as the kernel's kstrtobool\\(\\) reads it; got 'maybe'"
  NOT_STDERR " EINVAL")
# A stream ID beyond the driver's stream table: the run-time failure carries
# the probe's ERANGE and the limit (the table's reach is the driver's choice,
# known once it probed).
smmusim_case(K32_endpoint_sid_beyond_sidsize EXIT 1
  STDERR "K32_endpoint_sid_beyond_sidsize\\.trace:6:1: endpoint big: the IOMMU did not take it \\(no iommu_group\\): stream ID 0xffffffff is beyond the driver's stream table, which reaches stream IDs below 0x10000 \\(IDR1\\.SIDSIZE = 16 bits: smmu\\.idr\\.sidsize\\), so arm_smmu_probe_device\\(\\) failed with ERANGE"
  NOT_STDERR "[ ']small[ :']")
# With a linear stream table (smmu.idr.st_2lvl = false) its 2^SIDSIZE
# entries are all the driver reaches: a stream ID past them is refused
# before the run, at the stream ID at fault (with a 2-level table the refusal
# stays the run's: K32), so nothing speaks of the probe or the kernel's boot
# (the `kernel boot` line, "booted"; not any "boot": the trace's path may
# hold one, as a checkout in a directory named *boot* does).
smmusim_case(K33_endpoint_sid_beyond_linear_table EXIT 2 ARGS --set smmu.idr.st_2lvl=false
  STDERR "K33_endpoint_sid_beyond_linear_table\\.trace:8:23: endpoint big: stream ID 0x10000 is beyond the linear stream table, which reaches stream IDs below 0x10000 \\(IDR1\\.SIDSIZE = 16 bits: smmu\\.idr\\.sidsize; smmu\\.idr\\.st_2lvl = false\\): the driver would refuse it \\(arm_smmu_sid_in_range\\(\\), ERANGE\\)"
  NOT_STDERR "arm_smmu_device_probe|kernel boot| booted")
smmusim_case(K33b_pci_rid_beyond_linear_table EXIT 2 ARGS --set smmu.idr.st_2lvl=false --set smmu.idr.sidsize=4
  STDERR "K33b_pci_rid_beyond_linear_table\\.trace:4:22: endpoint nic: requester ID 0x18 is beyond the linear stream table, which reaches stream IDs below 0x10 \\(IDR1\\.SIDSIZE = 4 bits")
# A map past 2^52 (the largest input address of any SMMU stage) is refused
# at its size (or iova) before the run; a map past the domain's input size
# but below 2^52 is still the kernel's ERANGE at run time.
smmusim_case(K34_map_past_52_bits_hang EXIT 2
  STDERR "K34_map_past_52_bits_hang\\.trace:8:33: map d: iova 0x0 \\+ size 0x4000000000000000 passes 2\\^52 \\(0x10000000000000\\), the largest input address any SMMU stage translates \\(IDR5\\.VAX: 52 bits\\): no domain can map it")
# io-pgtable-arm counts a step's pages in an int: a map or unmap of more than
# INT_MAX pages of 4 KiB is refused at its size (2^32 pages hung in
# iommu_map(), mapping nothing per step).
smmusim_case(kernel_k35_map_pages_int EXIT 2
  STDERR "kernel_k35_map_pages_int\\.trace:9:34: map d0: size 0x100000000000 is 4294967296 pages of 4 KiB, more than the kernel counts in an int \\(INT_MAX, 2147483647"
  NOT_STDERR ":8:")
# Kernel code that computes past the soft-lockup threshold without waiting
# is stopped there, in its own code (kernel_shim/host/cpu_runaway.h). The
# map is preemptible (process context, no lock held; the kernel is
# CONFIG_PREEMPTION): not the kernel's soft lockup, which the report says.
smmusim_case(kernel_k37_map_computes_past_watchdog EXIT 1 ARGS --set cpu.clock_mhz=1
  STDERR "kernel_k37_map_computes_past_watchdog\\.trace:14:1: kernel stopped: CPU#0 ran preemptible kernel code for 2s without sleeping, in [_a-z][_a-z0-9.]*: the simulator stops it at the watchdog's threshold \\(not a soft lockup: the real kernel, CONFIG_PREEMPTION, would preempt it for the watchdog and keep running it\\)"
  NOT_STDERR "DMA pool exhausted" "cmdq_issue" "BUG: soft lockup")
# What the kernel complains of in the end-of-run teardown (the VM left alive
# destroyed on a CMDQV the last line disabled: 7 CMD_SYNC timeouts) fails
# the run, named after the last line (it exited 0).
smmusim_case(kernel_teardown_complaint_fails_run EXIT 1
  STDERR "kernel_teardown_complaint_fails_run\\.trace: after the last line: the end-of-run teardown \\(the VMs still alive destroyed\\): kernel error: arm-smmu-v3 10000000\\.iommu: CMD_SYNC timeout at 0x")
# A DMA's events wait for the driver's event-queue thread for a bound that
# scales with the CPU cost model's rate: a slow CPU's driver handles them in
# time, a stuck one still fails the line.
smmusim_case(kernel_dma_events_slow_cpu EXIT 0 ARGS --set cpu.clock_mhz=1)
smmusim_case(kernel_dma_events_stuck EXIT 1 ARGS --set cpu.clock_mhz=1
  STDERR "kernel_dma_events_stuck\\.trace:11:1: .*the 1 event\\(s\\) of this DMA were not all handled within 3300000000 ns of simulated time \\(1 ms \\+ 100 us per event, times 3000 for the CPU cost model's rate; EVTQ_PROD 0x1, EVTQ_CONS 0x0\\): the driver's event-queue thread did not consume them")
# After a failed SMMU probe, an endpoint is refused for the missing SMMU,
# not for a stream table that was never made.
# (A command queue of 64 entries: the driver's probe refuses it, ENXIO; a
# layout past the DMA pool is refused before the run, kernel_p01.)
smmusim_case(kernel_k38_endpoint_after_failed_probe EXIT 1
  ARGS --set smmu.idr.cmdqs=6
  STDERR "kernel_k38_endpoint_after_failed_probe\\.trace:6:1: arm_smmu_device_probe failed: ENXIO"
         "kernel_k38_endpoint_after_failed_probe\\.trace:7:1: endpoint e: the IOMMU did not take it \\(no iommu_group\\): the SMMU did not probe"
  NOT_STDERR "ERANGE" "below 0x0")
# A guest's map has no int page count to truncate: the table builder's
# bound of 2^20 descriptors a line refuses 2^32 pages at once.
smmusim_case(kernel_k39_guest_map_descriptor_bound EXIT 1
  STDERR "kernel_k39_guest_map_descriptor_bound\\.trace:10:1: the guest's map of SSID 0 \\[0x0, 0x100000000000\\): EINVAL")

# What the drivers allocate at probe must fit in the kernel shim's 256 MiB
# DMA pool (kernel_shim/vmm/probe_dma_budget.h): one VINTF (or two) gives
# VINTF0 128 (64) LVCMDQs of 4 MiB; a linear stream table of 2^22 STEs is
# 256 MiB, and of 2^32 the driver's `1 << 32` (a one-entry table). Refused
# before the run (the probe failed with ENOMEM after "DMA pool exhausted",
# or the endpoint with ERANGE); a layout that fits still boots.
smmusim_case(kernel_p01_probe_dma_pool AS kernel_p01_one_vintf EXIT 2 ARGS --set cmdqv.vintfs_log2=0
  STDERR "^smmusim: the driver's probe would exhaust the kernel shim's DMA pool of 256 MiB: .*VINTF0's 128 LVCMDQs of 4 MiB each \\(2\\^cmdqv\\.vcmdqs_log2 / 2\\^cmdqv\\.vintfs_log2 = 2\\^7 / 2\\^0\\) need 520 MiB"
  NOT_STDERR "DMA pool exhausted")
smmusim_case(kernel_p01_probe_dma_pool AS kernel_p01_two_vintfs EXIT 2 ARGS --set cmdqv.vintfs_log2=1
  STDERR "VINTF0's 64 LVCMDQs of 4 MiB each .* need 264 MiB")
smmusim_case(kernel_p01_probe_dma_pool AS kernel_p01_four_vintfs EXIT 0 ARGS --set cmdqv.vintfs_log2=2)
smmusim_case(kernel_p01_probe_dma_pool AS kernel_p01_linear_sid22 EXIT 2
  ARGS --set smmu.idr.st_2lvl=false --set smmu.idr.sidsize=22
  STDERR "a linear stream table of 256 MiB \\(2\\^22 STEs: smmu\\.idr\\.sidsize = 22, smmu\\.idr\\.st_2lvl = false\\) need 272 MiB")
smmusim_case(kernel_p01_probe_dma_pool AS kernel_p01_linear_sid32 EXIT 2
  ARGS --set smmu.idr.st_2lvl=false --set smmu.idr.sidsize=32
  STDERR "a linear stream table of 2\\^32 STEs \\(smmu\\.idr\\.sidsize = 32, smmu\\.idr\\.st_2lvl = false\\) need more than 2\\^32 bytes"
  NOT_STDERR "below 0x1 ")
