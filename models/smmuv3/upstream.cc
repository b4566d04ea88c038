// SPDX-License-Identifier: GPL-2.0-only
// Smmuv3::upstream: the client side. An endpoint's access arrives with its
// StreamIdExtension, is translated in the caller's thread (the translation
// unit, in simulated time) and, if allowed, continues to its output address
// on `dma` as the same payload (address rewritten for the trip, restored on
// return; the response is the memory's).
//
// Answers (the payload's response status; the extension says why):
//   no StreamIdExtension                    TLM_GENERIC_ERROR_RESPONSE (whose is it?)
//   not a read or a write                   TLM_COMMAND_ERROR_RESPONSE
//   length 0, streaming width < length, or
//   bytes in more than one 4 KiB page       TLM_BURST_ERROR_RESPONSE (the requester splits)
//   terminated (a fault, an STE abort,
//   GBPA.ABORT)                             TLM_GENERIC_ERROR_RESPONSE: the architecture's
//                                           "abort" is a bus error to the client (AXI SLVERR)
//   translated or bypassed                  whatever `dma` answers at the output address
// The first three are the model's checks, not the architecture's: they are
// counted (smmu.upstream_refused), raise no event, and the extension says
// Terminated with fault 0. DMI is never granted (every access must be
// translated) and there is no debug transport on this side.
#include "smmuv3.h"

#include "translation/translation_unit.h"

namespace smmusim {

namespace {

constexpr uint64_t kPage = 4096;

tlm::tlm_response_status precheck(const tlm::tlm_generic_payload& gp)
{
    if (!gp.is_read() && !gp.is_write())
        return tlm::TLM_COMMAND_ERROR_RESPONSE;
    const uint64_t a = gp.get_address(), len = gp.get_data_length();
    if (len == 0 || gp.get_streaming_width() < len || a / kPage != (a + len - 1) / kPage)
        return tlm::TLM_BURST_ERROR_RESPONSE;
    return tlm::TLM_OK_RESPONSE;
}

}  // namespace

void Smmuv3::upstream_b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay)
{
    if (delay != sc_core::SC_ZERO_TIME) {
        wait(delay);
        delay = sc_core::SC_ZERO_TIME;
    }
    StreamIdExtension* ext = gp.get_extension<StreamIdExtension>();
    const tlm::tlm_response_status pre = ext ? precheck(gp) : tlm::TLM_GENERIC_ERROR_RESPONSE;
    if (ext)
        ext->reset_response();
    if (pre != tlm::TLM_OK_RESPONSE) {
        upstream_refused_++;
        if (ext)
            ext->outcome = StreamIdExtension::Outcome::Terminated;
        gp.set_response_status(pre);
        gp.set_dmi_allowed(false);
        return;
    }
    smmuv3::Transaction t;
    t.sid = ext->sid;
    t.ssv = ext->ssv;
    t.ssid = ext->ssid;
    t.addr = gp.get_address();
    t.size = gp.get_data_length();
    t.write = gp.is_write();
    t.instr = ext->instr;
    t.priv = ext->priv;
    const smmuv3::XlatOutcome out = xlat_->translate(t);
    ext->fault = out.fault.type;
    ext->recorded = out.recorded;
    if (!out.ok()) {
        ext->outcome = StreamIdExtension::Outcome::Terminated;
        gp.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
        gp.set_dmi_allowed(false);
        return;
    }
    ext->outcome = out.kind == smmuv3::XlatOutcome::Kind::Bypassed ? StreamIdExtension::Outcome::Bypassed
                                                                    : StreamIdExtension::Outcome::Translated;
    ext->pa = out.pa;
    gp.set_address(out.pa);
    dma->b_transport(gp, delay);
    gp.set_address(t.addr);
    gp.set_dmi_allowed(false);  // the output page's DMI is not the client's
}

}  // namespace smmusim
