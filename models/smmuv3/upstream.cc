// SPDX-License-Identifier: GPL-2.0-only
// Smmuv3::upstream: the client side. An endpoint's access arrives with its
// StreamIdExtension, is handled in the caller's thread (the translation
// unit, in simulated time) by its PCIe AT (IHI 0070 3.9.1; the rules are
// translation/ats.h's). The access arrives `delay` after the current time
// (TLM-2.0's annotated delay: an initiator running ahead of the clock,
// dma_requester.h; waited first unless inside a quiet window), and returns
// with `delay` set to what the initiator still owes: the time of the
// translation and of the output access that was not waited inside a quiet
// window (translation_unit.h, memory.h).
//
//   Untranslated         translated; if allowed, continues to its output
//                        address on `dma` as the same payload (address
//                        rewritten for the trip, restored on return; the
//                        response is the memory's)
//   TranslationRequest   answered, no data moves: the payload is a read
//                        (NW = 1) or a write (NW = 0: write permission is
//                        asked) of 1..4096 bytes in the page the request is
//                        for; its data is not touched and its address not
//                        changed. The response is TLM_OK_RESPONSE and the
//                        Translation Completion is in `ext->ats` (status
//                        Success / UR / CA); `outcome` is Translated (pa =
//                        the completion's address of the request's first
//                        byte) for Success, Terminated otherwise; `fault`
//                        says what made it UR (F_BAD_ATS_TREQ, `recorded`),
//                        CA or R = W = 0 (not recorded)
//   Translated           checked (CR0.ATSCHK, STE.EATS), then performed at
//                        its address (Bypassed) or, for split-stage ATS,
//                        at its stage-2 output (Translated)
//
// Answers (the payload's response status; the extension says why):
//   no StreamIdExtension                    TLM_GENERIC_ERROR_RESPONSE (whose is it?)
//   not a read or a write                   TLM_COMMAND_ERROR_RESPONSE
//   length 0, streaming width < length, or
//   bytes in more than one 4 KiB page       TLM_BURST_ERROR_RESPONSE (the requester splits)
//   AT = TranslationRequest / Translated
//   with IDR0.ATS = 0 (no ATS interface),
//   or an AT beyond Translated (0b11,
//   reserved in PCIe)                       TLM_GENERIC_ERROR_RESPONSE (completion: UR)
//   terminated (a fault, an STE abort,
//   GBPA.ABORT, an ATS check)               TLM_GENERIC_ERROR_RESPONSE: the architecture's
//                                           "abort" is a bus error to the client (AXI SLVERR)
//   translated or bypassed                  whatever `dma` answers at the output address
//   a Translation Request answered           TLM_OK_RESPONSE
// The model's own checks (the first four) are counted
// (smmu.upstream_refused), raise no event, and the extension says
// Terminated with fault 0 (a Translation Request's completion stays UR).
// DMI is never granted (every access must be checked) and there is no debug
// transport on this side.
#include "smmuv3.h"

#include "../platform/local_time.h"
#include "translation/translation_unit.h"

namespace smmusim {

namespace {

using At = StreamIdExtension::At;
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

smmuv3::Transaction transaction_of(const tlm::tlm_generic_payload& gp, const StreamIdExtension& ext)
{
    smmuv3::Transaction t;
    t.sid = ext.sid;
    t.ssv = ext.ssv;
    t.ssid = ext.ssid;
    t.addr = gp.get_address();
    t.size = gp.get_data_length();
    t.write = gp.is_write();
    t.instr = ext.instr;
    t.priv = ext.priv;
    return t;
}

// A Translation Request's answer into the extension.
void complete(const smmuv3::AtsAnswer& a, uint64_t addr, StreamIdExtension& ext)
{
    ext.ats = a.completion;
    ext.fault = a.fault.type;
    ext.recorded = a.recorded;
    if (a.completion.status != StreamIdExtension::AtsCompletion::Status::Success) {
        ext.outcome = StreamIdExtension::Outcome::Terminated;
        return;
    }
    ext.outcome = StreamIdExtension::Outcome::Translated;
    if (a.completion.read || a.completion.write)
        ext.pa = a.completion.translated | (addr & (a.completion.size - 1));
}

}  // namespace

void Smmuv3::upstream_b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay)
{
    // An access issued ahead of the clock is taken so only inside a quiet
    // window (nothing else runs before it arrives); otherwise at its time.
    // The window the check asked of the kernel is the translation's too
    // (its pass runs on this local time).
    LocalTime lt;
    lt.take_back(delay);
    delay = sc_core::SC_ZERO_TIME;
    gp.set_dmi_allowed(false);  // every access is checked; the output page's DMI is not the client's
    StreamIdExtension* ext = gp.get_extension<StreamIdExtension>();
    tlm::tlm_response_status pre = ext ? precheck(gp) : tlm::TLM_GENERIC_ERROR_RESPONSE;
    if (ext)
        ext->reset_response();
    if (pre == tlm::TLM_OK_RESPONSE && ext->at != At::Untranslated && (!p_.ats || ext->at > At::Translated))
        pre = tlm::TLM_GENERIC_ERROR_RESPONSE;  // IDR0.ATS = 0: no ATS interface; AT 0b11 is reserved
    if (pre != tlm::TLM_OK_RESPONSE) {
        upstream_refused_++;
        if (ext)
            ext->outcome = StreamIdExtension::Outcome::Terminated;
        gp.set_response_status(pre);
        delay = lt.hand_over();
        return;
    }
    // The translation's time (what it did not wait, inside a quiet window:
    // translation_unit.h) goes on as the annotated delay, which the access
    // to the output address carries and the initiator waits.
    const smmuv3::Transaction t = transaction_of(gp, *ext);
    if (ext->at == At::TranslationRequest) {
        complete(xlat_->translation_request(t, lt), t.addr, *ext);
        gp.set_response_status(tlm::TLM_OK_RESPONSE);
        delay = lt.hand_over();
        return;
    }
    const smmuv3::XlatOutcome out =
        ext->at == At::Translated ? xlat_->translated(t, lt) : xlat_->translate(t, lt);
    delay = lt.hand_over();
    ext->fault = out.fault.type;
    ext->recorded = out.recorded;
    if (!out.ok()) {
        ext->outcome = StreamIdExtension::Outcome::Terminated;
        gp.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
        return;
    }
    ext->outcome = out.kind == smmuv3::XlatOutcome::Kind::Bypassed ? StreamIdExtension::Outcome::Bypassed
                                                                    : StreamIdExtension::Outcome::Translated;
    ext->pa = out.pa;
    gp.set_address(out.pa);
    dma->b_transport(gp, delay);
    gp.set_address(t.addr);
    gp.set_dmi_allowed(false);
}

}  // namespace smmusim
