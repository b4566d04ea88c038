# SPDX-License-Identifier: GPL-2.0-only
# Robustness cases of the models (models/smmuv3, models/cmdqv): reserved
# command encodings and the guest filter's admission window.

# Reserved range-TLBI encodings stop the queue with CERROR_ILL (IHI 0070
# §4.4; models/smmuv3/decode_rules.h). The traces read GERROR.CMDQ_ERR = 1
# and CMDQ_CONS = ERR 1 at index 0 themselves; the summary shows the
# command refused, not consumed.
smmusim_case(R20a_range_tlbi_reserved_tg4k EXIT 0
  STDOUT "smmu\\.cmdq +smmu-cmdq +host +0 +1 " "1 SMMU global errors"
  NOT_STDERR " expected")
# TG = 16K with TTL = 1 reads as TTL = 0 without IDR5.DS (README Decisions).
smmusim_case(R20b_range_tlbi_reserved_tg16k_ttl1 EXIT 0
  STDOUT "smmu\\.cmdq +smmu-cmdq +host +0 +1 " "1 SMMU global errors"
  NOT_STDERR " expected")
# The same rule on a guest VCMDQ: the legal neighbour (NUM = 1) executes, the
# reserved one is CONS.ERR = CERROR_ILL at index 1 (read by the trace).
smmusim_case(R20c_range_tlbi_reserved_guest_vcmdq EXIT 0
  STDOUT "cmdqv\\.vcmdq2 +vcmdq +vintf1 +1 +1 " "1 CMDQV errors"
  NOT_STDERR " expected")

# The guest filter's window (models/cmdqv/README.md, "Admission"). R04a: the
# host writes HYP_OWN with EN = 0 while the guest's queue holds TLBIs and a
# TLBI_S12_VMALL: only the 4 TLBIs admitted before the write execute; the
# S12_VMALL is neither executed unfiltered nor refused (the VINTF is off:
# it waits in the queue), so the trace's own guess (GERROR = 1) fails.
smmusim_case(R04a_filter_bypass_hypown EXIT 1
  STDERR "R04a_filter_bypass_hypown\\.trace:17:7: read 0x0, expected 0x1"
  STDOUT "cmdqv\\.vcmdq2 +vcmdq +vintf1 +4 +0 " "0 CMDQV errors")
# R04b: Linux's CONFIG = 0 lands before any command was admitted: none runs
# (under VMID 0 or any other).
smmusim_case(R04b_vmid0_window EXIT 0
  STDOUT "cmdqv\\.vcmdq2 +vcmdq +vintf1 +0 +0 " "0 CMDQV errors"
  NOT_STDERR " expected")
# R04a continued: the held commands are filtered under the configuration in
# force when the VINTF is back (the S12_VMALL refused: CONS.ERR at index 4).
smmusim_case(R04c_vintf_disable_holds_then_filters EXIT 0
  STDOUT "cmdqv\\.vcmdq2 +vcmdq +vintf1 +4 +1 " "1 CMDQV errors"
  NOT_STDERR " expected")

# Register fields of absent features are RES0 (models/smmuv3/res0_fields.h):
# with IDR0.PRI = 0, PRIQEN / PRIQ_IRQEN / the PRI queue registers read back
# zero whatever is written (the trace's reads check each).
smmusim_case(models_res0_fields_without_pri EXIT 0
  STDOUT "\\(10 operations"
  NOT_STDERR " expected")
