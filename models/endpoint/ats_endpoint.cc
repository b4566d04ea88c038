// SPDX-License-Identifier: GPL-2.0-only
#include "ats_endpoint.h"

#include "../smmuv3/cmd_engine.h"

namespace smmusim::endpoint {

using At = StreamIdExtension::At;

AtsEndpoint::AtsEndpoint(const std::string& name, const ClockDomain& clk, const EndpointParams& p,
                         PciConfigSpace& cfg, CommandEngine* engine)
    : clk_(clk), p_(p), cfg_(cfg), engine_(engine), atc_(name + ".atc", p), stats_(name),
      request_stats_(name + ".tr_slots"),
      requests_("translation request", clk, Resource::Timing{static_cast<unsigned>(p.ats_outstanding), 0, 0},
                request_stats_),
      trs_(stats_.counter("translation_requests", "ATS Translation Requests sent (ATC misses)")),
      cpl_success_(stats_.counter("completions_success", "Translation Completions with status Success")),
      cpl_ur_(stats_.counter("completions_ur", "Translation Completions with status Unsupported Request")),
      cpl_ca_(stats_.counter("completions_ca", "Translation Completions with status Completer Abort")),
      cpl_malformed_(stats_.counter("completions_malformed",
                                    "Success completions not cacheable: size or alignment malformed, or the "
                                    "range not containing the requested address")),
      translated_(stats_.counter("translated_accesses", "DMA transactions sent translated (AT = 0b10)")),
      refused_(stats_.counter("refused_accesses", "DMA transactions not sent: the completion refused them"))
{
    cfg_.on_ats_enable([this](bool on) { enable(on); });
    if (cfg_.ats_enabled())
        enable(true);
}

AtsEndpoint::~AtsEndpoint()
{
    cfg_.on_ats_enable({});
    if (registered_)
        engine_->remove_invalidation_target(atc_);
}

// Enable set: ATC_INVs reach the ATC. Cleared: they no longer do, and
// nothing it holds may be used again (PCIe ATS Control: Enable gates the
// function's use of translations), so it is emptied.
void AtsEndpoint::enable(bool on)
{
    if (on && engine_ && !registered_)
        engine_->add_invalidation_target(atc_);
    if (!on && registered_)
        engine_->remove_invalidation_target(atc_);
    registered_ = on && engine_;
    if (!on)
        atc_.clear();
}

DmaTransfer AtsEndpoint::dma(DmaRequester& req, const DmaStream& s, uint64_t iova, uint64_t size, bool write)
{
    return req.dma(s, iova, size, write, ats_enabled() ? this : nullptr);
}

DmaAccess AtsEndpoint::access(DmaRequester& req, const DmaStream& s, uint64_t iova, uint32_t size, bool write,
                              uint8_t* data)
{
    if (p_.atc_lookup_cycles)
        sc_core::wait(clk_.cycles(p_.atc_lookup_cycles));
    AtcEntry e;
    const AtcEntry* hit = atc_.lookup(s.sid, s.ssv, s.ssid, iova);
    if (hit && (write ? hit->perms.write : hit->perms.read)) {
        e = *hit;
    } else {
        DmaAccess tr;
        const AtsRefusal why = translation_request(req, s, iova, write, e, tr);
        if (why != AtsRefusal::None)
            return refusal(iova, size, why, tr);
    }
    translated_++;
    const uint64_t out = e.translated + (iova - e.untranslated);
    DmaAccess a = req.transact(s, out, size, write, data, At::Translated);
    a.iova = iova;
    a.bypassed = false;
    return a;
}

// A Translation Request for iova's 4 KiB page (PCIe ATS; IHI 0070 3.9),
// No Write set for a read (a TLM read), clear for a write (a TLM write): a
// usable completion granting the access is cached and returned in `e`;
// `tr` is the request's own answer (an event the SMMU recorded for it).
AtsRefusal AtsEndpoint::translation_request(DmaRequester& req, const DmaStream& s, uint64_t iova, bool write,
                                            AtcEntry& e, DmaAccess& tr)
{
    const uint64_t page = iova & ~(DmaRequester::kPageBytes - 1);
    Completion c;
    const unsigned r = requester();
    requests_.acquire(r);
    trs_++;
    tr = req.transact(s, page, sizeof scratch_, write, scratch_, At::TranslationRequest, &c);
    requests_.release(r);
    count(c);
    if (c.status == Completion::Status::UnsupportedRequest)
        return AtsRefusal::UnsupportedRequest;
    if (c.status == Completion::Status::CompleterAbort)
        return AtsRefusal::CompleterAbort;
    if (!c.read && !c.write)  // "no access": nothing to cache
        return AtsRefusal::NoPermission;
    e = AtcEntry{s.sid, s.ssv, s.ssv ? s.ssid : 0, c.global, c.size ? iova & ~(c.size - 1) : page, c.size,
                 c.translated, AtsPermissions{c.read, c.write, c.exec, c.priv}};
    if (!atc_.insert(e)) {
        cpl_malformed_++;
        return AtsRefusal::Malformed;
    }
    return (write ? c.write : c.read) ? AtsRefusal::None : AtsRefusal::NoPermission;
}

// The Translation-Request slots' requester id of the calling SystemC process
// (one per DMA engine, named in the order they first ask).
unsigned AtsEndpoint::requester()
{
    const sc_core::sc_object* p = sc_core::sc_get_current_process_handle().get_process_object();
    const auto it = requesters_.find(p);
    if (it != requesters_.end())
        return it->second;
    const unsigned r = requests_.add_requester("dma_engine" + std::to_string(requesters_.size()));
    requesters_.emplace(p, r);
    return r;
}

// The access not sent; the event the SMMU recorded for its request, if any.
DmaAccess AtsEndpoint::refusal(uint64_t iova, uint32_t size, AtsRefusal why, const DmaAccess& tr)
{
    refused_++;
    DmaAccess a;
    a.iova = iova;
    a.size = size;
    a.ats_refused = why;
    a.fault = tr.ok ? 0 : tr.fault;
    a.recorded = !tr.ok && tr.recorded;
    return a;
}

void AtsEndpoint::count(const Completion& c)
{
    switch (c.status) {
    case Completion::Status::Success: cpl_success_++; break;
    case Completion::Status::UnsupportedRequest: cpl_ur_++; break;
    case Completion::Status::CompleterAbort: cpl_ca_++; break;
    }
}

}  // namespace smmusim::endpoint
