// SPDX-License-Identifier: GPL-2.0-only
// Every figure of a PCIe endpoint's ATS side: the size and organisation of
// its Address Translation Cache (atc.h) and what its ATS Extended
// Capability advertises (pci_config.h). Declared once here, in the same
// X-macro form as models/smmuv3/smmuv3_params.h.
//
// Sources: the PCIe Base Specification fixes the capability's fields and
// their widths; no vendor publishes its ATC's size or organisation, so
// those defaults are "assumed" engineering estimates.
#pragma once

#include "../platform/params.h"

namespace smmusim {

// X(type, member, "key", default, min, max, "unit", "description", "source")
#define SMMUSIM_ENDPOINT_PARAMS(X)                                                                             \
    X(uint64_t, atc_entries, "endpoint.atc.entries", 64, 1, 65536, "entries",                                \
      "ATC capacity: translations the endpoint caches", "assumed: a small NIC/accelerator ATC; no vendor publishes its ATC size")              \
    X(uint64_t, atc_ways, "endpoint.atc.ways", 64, 1, 65536, "ways",                                         \
      "ATC associativity; sets = entries / ways, a set picked by StreamID and PASID, LRU within a set",      \
      "assumed: fully associative, as small ATCs caching several page sizes are")                            \
    X(uint64_t, atc_lookup_cycles, "endpoint.atc.lookup_cycles", 2, 0, 1000000, "cycles",                    \
      "an ATC lookup, before a DMA transaction goes out translated or as a Translation Request",            \
      "assumed: a small associative lookup in the endpoint (SMMU clock)")                                    \
    X(uint64_t, ats_outstanding, "endpoint.ats.outstanding_requests", 8, 1, 1024, "requests",                \
      "Translation Requests the endpoint may have outstanding at once (a timed resource)",                   \
      "assumed: no vendor publishes it; a few per function")                                                 \
    X(uint64_t, ats_inv_queue_depth, "endpoint.ats.inv_queue_depth", 0, 0, 31, "requests",                   \
      "ATS Capability Invalidate Queue Depth (0 = 32 outstanding invalidations)",                            \
      "PCIe Base Spec ATS Capability register: 5-bit field, 0 encodes 32")                                   \
    X(bool, ats_page_aligned, "endpoint.ats.page_aligned_request", true, 0, 1, "bool",                      \
      "ATS Capability Page Aligned Request: untranslated addresses in requests are 4 KiB aligned",           \
      "PCIe Base Spec ATS Capability register bit 5")                                                        \
    X(bool, ats_global_inv, "endpoint.ats.global_invalidate", true, 0, 1, "bool",                           \
      "ATS Capability Global Invalidate Supported", "PCIe Base Spec ATS Capability register bit 6")

SMMUSIM_PARAM_STRUCT(EndpointParams, SMMUSIM_ENDPOINT_PARAMS);

}  // namespace smmusim
