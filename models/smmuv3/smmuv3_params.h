// SPDX-License-Identifier: GPL-2.0-only
// Every figure of the SMMUv3 model: what the ID registers advertise (sizing)
// and what each step costs (timing, in SMMU clock cycles). Declared once here;
// `smmusim params` lists them with their values.
//
// Sources: no SMMU vendor publishes per-command cycle costs. Defaults marked
// "assumed" are engineering estimates chosen to be plausible orders of
// magnitude; change them with --set or a config file when calibrating against
// hardware. Architecture limits come from Arm IHI 0070.
#pragma once

#include "../platform/params.h"
#include "translation/cache_params.h"
#include "translation/translation_params.h"

namespace smmusim {

#define SMMUSIM_SMMUV3_CORE_PARAMS(X)                                                                           \
    /* ---- clock ---- */                                                                                     \
    X(uint64_t, clock_mhz, "smmu.clock_mhz", 1000, 1, 10000, "MHz", "SMMU (and CMDQV) clock frequency",       \
      "assumed: 1 GHz, a round figure for an uncore clock; NVIDIA publishes no clock for Grace's SMMU")                                                                          \
    /* ---- ID registers: what the model advertises is what it implements ---- */                            \
    X(uint64_t, sidsize, "smmu.idr.sidsize", 16, 0, 32, "bits", "IDR1.SIDSIZE: StreamID width",               \
      "architecture: 0..32")                                                                                  \
    X(uint64_t, ssidsize, "smmu.idr.ssidsize", 20, 0, 20, "bits", "IDR1.SSIDSIZE: SubstreamID width",          \
      "architecture: 0..20")                                                                                  \
    X(uint64_t, cmdqs, "smmu.idr.cmdqs", 19, 0, 19, "log2 entries", "IDR1.CMDQS: largest command queue",      \
      "architecture: at most 19")                                                                             \
    X(uint64_t, evtqs, "smmu.idr.evtqs", 19, 0, 19, "log2 entries", "IDR1.EVTQS: largest event queue",        \
      "architecture: at most 19")                                                                             \
    X(uint64_t, priqs, "smmu.idr.priqs", 0, 0, 19, "log2 entries", "IDR1.PRIQS: largest PRI queue",            \
      "PRI is not implemented")                                                                               \
    X(bool, s1p, "smmu.idr.s1p", true, 0, 1, "bool", "IDR0.S1P: stage-1 translation (and its TLBIs)",        \
      "Linux needs S1P or S2P")                                                                               \
    X(bool, s2p, "smmu.idr.s2p", true, 0, 1, "bool", "IDR0.S2P: stage-2 translation (and its TLBIs)",        \
      "nesting (vIOMMU) needs S1P and S2P")                                                                   \
    X(bool, hyp, "smmu.idr.hyp", true, 0, 1, "bool", "IDR0.HYP: EL2 TLBI commands", "Grace: VHE host")       \
    X(bool, ats, "smmu.idr.ats", true, 0, 1, "bool", "IDR0.ATS: ATC_INV and ATS", "CMDQV filters ATC_INV")     \
    X(bool, msi, "smmu.idr.msi", true, 0, 1, "bool", "IDR0.MSI: MSIs for queues and CMD_SYNC",                \
      "Linux polls CMD_SYNC by MSI when set")                                                                 \
    X(bool, sev, "smmu.idr.sev", true, 0, 1, "bool", "IDR0.SEV: SEV on CMD_SYNC / queue updates",            \
      "architecture")                                                                                         \
    X(bool, coherent, "smmu.idr.cohacc", true, 0, 1, "bool", "IDR0.COHACC: coherent table/queue walks",      \
      "Grace is a coherent system")                                                                           \
    X(bool, asid16, "smmu.idr.asid16", true, 0, 1, "bool", "IDR0.ASID16: 16-bit ASIDs", "architecture")      \
    X(bool, vmid16, "smmu.idr.vmid16", true, 0, 1, "bool", "IDR0.VMID16: 16-bit VMIDs", "architecture")      \
    X(bool, st_2lvl, "smmu.idr.st_2lvl", true, 0, 1, "bool", "IDR0.ST_LVL: 2-level stream table",             \
      "architecture")                                                                                         \
    X(bool, cd2l, "smmu.idr.cd2l", true, 0, 1, "bool", "IDR0.CD2L: 2-level CD tables", "architecture")        \
    X(bool, ril, "smmu.idr.ril", true, 0, 1, "bool", "IDR3.RIL: range TLB invalidation", "SMMUv3.2")           \
    X(bool, fwb, "smmu.idr.fwb", true, 0, 1, "bool",                                                          \
      "IDR3.FWB: stage-2 forced write-back (Linux offers a vIOMMU only with it or IORT CANWBS)", "SMMUv3.2")  \
    X(uint64_t, oas_bits, "smmu.idr.oas_bits", 48, 32, 52, "bits", "IDR5.OAS: output address size",          \
      "architecture: 32/36/40/42/44/48/52")                                                                   \
    X(uint64_t, iidr, "smmu.idr.iidr", 0, 0, 0xffffffffull, "value",                                          \
      "IIDR; 0 = no implementer, so the driver applies no errata workarounds", "platform choice")              \
    X(uint64_t, aidr, "smmu.idr.aidr", 0x02, 0, 0xff, "value", "AIDR: architecture revision (0x02 = SMMUv3.2)", \
      "architecture")                                                                                         \
    /* ---- programming-interface timing ---- */                                                              \
    X(uint64_t, reg_cycles, "smmu.reg_cycles", 2, 0, 10000, "cycles", "register read/write at the SMMU",       \
      "assumed: a register file behind the slave port, a couple of cycles; the interconnect hop is bus.latency_cycles")                                                                                              \
    X(uint64_t, cr0ack_cycles, "smmu.cr0ack_cycles", 16, 1, 1000000, "cycles",                                \
      "CR0 write until CR0ACK (and the enables) follow",                                                    \
      "assumed: IHI 0070 bounds no time (software polls CR0ACK); a short internal handshake")                                           \
    X(uint64_t, irq_ctrlack_cycles, "smmu.irq_ctrlack_cycles", 8, 1, 1000000, "cycles",                       \
      "IRQ_CTRL write until IRQ_CTRLACK follows",                                                           \
      "assumed: IHI 0070 bounds no time (software polls IRQ_CTRLACK); a short internal handshake")                                                  \
    X(uint64_t, gbpa_update_cycles, "smmu.gbpa_update_cycles", 8, 1, 1000000, "cycles",                       \
      "GBPA write with UPDATE=1 until UPDATE clears",                                                       \
      "assumed: IHI 0070 bounds no time (software polls GBPA.UPDATE); a short internal handshake")                                              \
    /* ---- command queue ---- */                                                                             \
    X(uint64_t, cmdq_batch, "smmu.cmdq.batch", 4, 1, 256, "commands",                                        \
      "commands fetched per CMDQ read burst (4 x 16 B = one 64 B line)", "assumed: one 64-byte line of the coherent interconnect per read burst")            \
    X(uint64_t, decode_cycles, "smmu.cmdq.decode_cycles", 1, 0, 1000, "cycles", "decode one command",         \
      "assumed: no SMMU vendor publishes per-command cycle costs; one cycle per 16-byte command")                                                                                              \
    X(uint64_t, arb_cycles, "smmu.exec.arb_cycles", 1, 0, 1000, "cycles",                                    \
      "arbitration for the shared command-execution engine (per grant)",                                    \
      "assumed: one round-robin arbiter decision per cycle")                            \
    X(uint64_t, prefetch_cycles, "smmu.exec.prefetch_cycles", 1, 0, 100000, "cycles",                        \
      "PREFETCH_CONFIG/ADDR (a hint; no prefetch is performed)",                                            \
      "assumed: no SMMU vendor publishes per-command cycle costs; a hint the model drops costs its dispatch")                                    \
    X(uint64_t, cfgi_cycles, "smmu.exec.cfgi_cycles", 4, 0, 100000, "cycles", "CFGI_STE / CFGI_CD",            \
      "assumed: no SMMU vendor publishes per-command cycle costs; one tagged lookup and invalidate in the configuration cache")                                                                                              \
    X(uint64_t, cfgi_all_cycles, "smmu.exec.cfgi_all_cycles", 32, 0, 100000, "cycles",                        \
      "CFGI_STE_RANGE / CFGI_ALL / CFGI_CD_ALL (walks the config cache)",                                  \
      "assumed: no SMMU vendor publishes per-command cycle costs; a sweep of the configuration cache's sets")                           \
    X(uint64_t, tlbi_all_cycles, "smmu.exec.tlbi_all_cycles", 32, 0, 100000, "cycles",                        \
      "TLBI_*_ALL / TLBI_S12_VMALL (walks the TLB)",                                                       \
      "assumed: no SMMU vendor publishes per-command cycle costs; a sweep of the TLB's sets")                                                \
    X(uint64_t, tlbi_asid_cycles, "smmu.exec.tlbi_asid_cycles", 16, 0, 100000, "cycles",                      \
      "TLBI_NH_ASID / TLBI_EL2_ASID",                                                                      \
      "assumed: no SMMU vendor publishes per-command cycle costs; between one address and a sweep")                                                              \
    X(uint64_t, tlbi_va_cycles, "smmu.exec.tlbi_va_cycles", 8, 0, 100000, "cycles",                           \
      "TLBI_*_VA(A) / TLBI_S2_IPA, one address or one range",                                             \
      "assumed: no SMMU vendor publishes per-command cycle costs; a few tagged lookups")                                      \
    X(uint64_t, atc_inv_cycles, "smmu.exec.atc_inv_cycles", 4, 0, 100000, "cycles",                           \
      "issue an ATC invalidation request to the endpoint",                                                 \
      "assumed: no SMMU vendor publishes per-command cycle costs; forming one Invalidate Request message")                                         \
    X(uint64_t, atc_complete_cycles, "smmu.ats.inv_complete_cycles", 1000, 0, 100000000, "cycles",            \
      "ATS invalidation round trip until the completion message; a later CMD_SYNC waits for it",             \
      "assumed: about 1 us for a PCIe Invalidate Request and its Completion; no published round trip found")                                                                       \
    X(uint64_t, resp_cycles, "smmu.exec.resp_cycles", 4, 0, 100000, "cycles", "PRI_RESP / RESUME / STALL_TERM", \
      "assumed: no SMMU vendor publishes per-command cycle costs; as an ATC_INV issue")                                                                                              \
    X(uint64_t, sync_cycles, "smmu.exec.sync_cycles", 2, 0, 100000, "cycles",                                 \
      "CMD_SYNC once everything before it has completed (before its MSI write)",                            \
      "assumed: no SMMU vendor publishes per-command cycle costs; the completion check itself, its MSI write is timed by the bus")                   \
    X(uint64_t, evtq_record_cycles, "smmu.evtq.record_cycles", 2, 0, 100000, "cycles",                        \
      "format one event record before its write",                                                          \
      "assumed: two cycles to fill a 32-byte record before its write, which the bus times")

// The translation path's figures live beside it (translation/): the caches'
// sizes, organisation and lookup costs, and the pipeline's steps and slots.
#define SMMUSIM_SMMUV3_PARAMS(X) \
    SMMUSIM_SMMUV3_CORE_PARAMS(X) SMMUSIM_SMMUV3_CACHE_PARAMS(X) SMMUSIM_SMMUV3_TRANSLATION_PARAMS(X)

SMMUSIM_PARAM_STRUCT(Smmuv3Params, SMMUSIM_SMMUV3_PARAMS);

}  // namespace smmusim
