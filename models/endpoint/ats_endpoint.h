// SPDX-License-Identifier: GPL-2.0-only
// A PCIe endpoint function with ATS: its DMA served from its Address
// Translation Cache (atc.h) while ATS Control's Enable is set in its
// configuration space (pci_config.h; the real driver's pci_enable_ats()
// sets it), untranslated as any master's otherwise.
//
// A plain object, not a SystemC module (endpoints appear while a trace
// runs, after elaboration): it issues through the platform's one
// DmaRequester, as the DmaPath of each transaction (dma_requester.h):
//   - an ATC lookup (endpoint.atc.lookup_cycles, on the clock it is given);
//   - a hit whose permissions allow the access: the access goes out
//     translated (PCIe AT = 0b10) at the cached output address;
//   - a miss (or a hit lacking the permission: the translation may have
//     changed, so it asks again): a Translation Request (AT = 0b01: 8
//     bytes at the 4 KiB page's address whose data is not touched, a read
//     with No Write set for a read access, a write with it clear for a
//     write; the completion's R and W say what is granted) holding one of
//     endpoint.ats.outstanding_requests
//     slots (a Resource); its cost is the SMMU's. A Success completion
//     that grants the access is cached and the access goes out translated;
//   - a completion that refuses the access — Success with the needed R/W
//     bit clear, Unsupported Request, Completer Abort — or is malformed
//     (not a naturally aligned power of two of at least 4 KiB containing
//     the address) fails the access: no data moves and nothing is retried
//     untranslated. The model's choice: PCIe ATS leaves it to the function
//     (one with a Page Request Interface may ask for the page and request
//     again); this one has no PRI, so the access fails, as a device
//     reporting the error to its driver would (DmaAccess::ats_refused).
// ATC_INV: while ATS is enabled its Atc is an InvalidationTarget of the
// SMMU's command engine, so every executed ATC_INV reaches it before the
// CMD_SYNC behind it completes; the completion's timing is the SMMU's
// (smmu.ats.inv_complete_cycles). Clearing Enable removes it and empties
// the ATC (nothing cached may be used while disabled).
//
// Not here: PRI, PASID capability, Invalidate Queue Depth throttling,
// invalidation completion timeouts (the function always completes).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "../platform/clock.h"
#include "../platform/dma_requester.h"
#include "../platform/resource.h"
#include "../platform/stats.h"
#include "atc.h"
#include "endpoint_params.h"
#include "pci_config.h"

namespace smmusim {
class CommandEngine;
}

namespace smmusim::endpoint {

class AtsEndpoint : public DmaPath {
public:
    // `name` names its statistics ("<name>", "<name>.atc"); `cfg` and
    // `engine` (null: no ATC_INV reaches it) are not owned and outlive it.
    // Built during elaboration or by a running SystemC process (its
    // Resource spawns an arbiter). ConfigError for bad figures.
    AtsEndpoint(const std::string& name, const ClockDomain& clk, const EndpointParams& p, PciConfigSpace& cfg,
                CommandEngine* engine);
    ~AtsEndpoint() override;
    AtsEndpoint(const AtsEndpoint&) = delete;
    AtsEndpoint& operator=(const AtsEndpoint&) = delete;

    // A DMA of this function through `req`, from an SC_THREAD: through the
    // ATC while ATS is enabled, else untranslated.
    DmaTransfer dma(DmaRequester& req, const DmaStream& s, uint64_t iova, uint64_t size, bool write);

    // DmaPath: one transaction through the ATC (ATS enabled).
    DmaAccess access(DmaRequester& req, const DmaStream& s, uint64_t iova, uint32_t size, bool write,
                     uint8_t* data) override;

    bool ats_enabled() const { return cfg_.ats_enabled(); }
    Atc& atc() { return atc_; }
    const Atc& atc() const { return atc_; }
    const StatGroup& stats() const { return stats_; }
    const StatGroup& request_stats() const { return request_stats_; }  // NAME.tr_slots

private:
    using Completion = StreamIdExtension::AtsCompletion;
    AtsRefusal translation_request(DmaRequester& req, const DmaStream& s, uint64_t iova, bool write, AtcEntry& e,
                                   DmaAccess& tr);
    DmaAccess refusal(uint64_t iova, uint32_t size, AtsRefusal why, const DmaAccess& tr);
    void count(const Completion& c);
    void enable(bool on);

    const ClockDomain& clk_;
    const EndpointParams p_;
    PciConfigSpace& cfg_;
    CommandEngine* engine_;
    bool registered_ = false;
    Atc atc_;
    StatGroup stats_;
    StatGroup request_stats_;  // the outstanding-request slots (NAME.tr_slots.*), as the SMMU's xlat.slots
    Resource requests_;
    // One Resource requester per SystemC process that DMAs through it
    // (dma_engine0, 1, ... in order of first use): a process holds at most
    // one slot, so concurrent processes are what the limit limits.
    std::map<const sc_core::sc_object*, unsigned> requesters_;
    unsigned requester();
    uint8_t scratch_[8] = {};  // a Translation Request's payload data (never read)
    Counter &trs_, &cpl_success_, &cpl_ur_, &cpl_ca_, &cpl_malformed_, &translated_, &refused_;
};

}  // namespace smmusim::endpoint
