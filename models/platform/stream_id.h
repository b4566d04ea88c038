// SPDX-License-Identifier: GPL-2.0-only
// The StreamID sideband of a DMA transaction: what a bus master (a PCI
// endpoint, a platform device) presents to an SMMU with each access — the
// AMBA "MMU" signals, IHI 0070 3.2 and 7.3: StreamID, SubstreamID with its
// valid bit (SSV), PnU (privileged) and InD (instruction fetch); RnW is the
// payload's command — and the SMMU's answer written back into it before
// b_transport returns: translated (and to which PA), bypassed, or
// terminated (and by which event type, recorded or not).
//
// A master attaches one to every payload it sends to an SMMU's upstream
// socket (set_extension; it owns it); a payload without one is refused
// (TLM_GENERIC_ERROR_RESPONSE), since the SMMU cannot tell whose it is.
// Plain data: the models of platform/ know no SMMU event numbers; `fault`
// is the number of models/smmuv3/evtq.h (smmuv3::evt::F_TRANSLATION ...).
//
// PCIe ATS (IHI 0070 3.9; PCIe Base Specification, Address Translation
// Services): `at` says what the access is — an ordinary (untranslated)
// access, a Translation Request (no data moves; the SMMU answers with a
// Translation Completion in `ats`), or a translated access whose address
// is already an output address the endpoint's ATC holds.
//
// A Translation Request's payload (models/smmuv3/upstream.cc): a read
// (NW = 1) or a write (NW = 0, write permission asked) of 1..4096 bytes in
// the one 4 KiB page the request is for, e.g. 8 bytes at the page's
// address; the SMMU does not touch its data or change its address, answers
// TLM_OK_RESPONSE, and writes the completion into `ats` (`outcome`
// Translated with `pa` for Success, Terminated for UR/CA; `fault` says why
// UR, CA or R = W = 0, `recorded` whether an event was posted). Without a
// SubstreamID (ssv = 0) the request is Data, Unprivileged: priv and instr
// ask for Priv and Exe only with a PASID. A Translated access is performed
// at `pa` = its own address (Bypassed) or, with split-stage ATS, at its
// stage-2 output (Translated); it is Data, Unprivileged, without
// SubstreamID whatever the request fields say (IHI 0070 3.9.1.3).
//
// Not here: stalls (no stall model), Page Request Interface.
#pragma once

#include <cstdint>

#include <tlm>

namespace smmusim {

struct StreamIdExtension : tlm::tlm_extension<StreamIdExtension> {
    // ---- request: set by the master -----------------------------------
    uint32_t sid = 0;     // StreamID
    bool ssv = false;     // a SubstreamID is present
    uint32_t ssid = 0;    // SubstreamID (PASID), when ssv
    bool priv = false;    // PnU = 1: privileged
    bool instr = false;   // InD = 1: instruction fetch

    // PCIe AT field of the request (IHI 0070 3.9.1).
    enum class At : uint8_t {
        Untranslated,        // AT = 0b00: translated by the SMMU
        TranslationRequest,  // AT = 0b01: an ATS Translation Request for the page at the payload's
                             // address (the payload's data is not touched)
        Translated,          // AT = 0b10: the address is an output address from the endpoint's ATC
    };
    At at = At::Untranslated;

    // ---- response: written by the SMMU ----------------------------------
    enum class Outcome : uint8_t {
        Pending,     // not (yet) seen by an SMMU
        Translated,  // performed at `pa` after translation
        Bypassed,    // performed at `pa` == input address (STE bypass, or SMMUEN = 0 with GBPA.ABORT = 0)
        Terminated,  // not performed: the payload carries an error response
    };
    Outcome outcome = Outcome::Pending;
    uint64_t pa = 0;      // Translated / Bypassed: the output address of the first byte
    uint8_t fault = 0;    // Terminated: the event type (smmuv3::evt), 0 = aborted without a fault
                          // (STE.Config abort, GBPA.ABORT, a malformed access)
    bool recorded = false;  // an event record for it was posted to the event queue

    // A Translation Request's answer: the Translation Completion (PCIe ATS).
    struct AtsCompletion {
        enum class Status : uint8_t {
            Success,             // a translation: the fields below (R = W = 0 means "no access")
            UnsupportedRequest,  // UR: ATS not enabled for the stream, or the request malformed
            CompleterAbort,      // CA: the SMMU could not complete it (e.g. an STE/CD fetch abort)
        };
        Status status = Status::UnsupportedRequest;
        uint64_t translated = 0;  // output address of the range's base
        uint64_t size = 0;        // bytes the translation covers: a power of two >= 4 KiB, naturally
                                  // aligned, containing the requested address
        bool read = false, write = false, exec = false, priv = false;  // R, W, Exe, Priv
        bool global = false;      // Global Mapping (valid for every PASID)
    };
    AtsCompletion ats;   // `at == TranslationRequest` only

    void reset_response()
    {
        outcome = Outcome::Pending;
        pa = 0;
        fault = 0;
        recorded = false;
        ats = AtsCompletion{};
    }
    bool ok() const { return outcome == Outcome::Translated || outcome == Outcome::Bypassed; }

    tlm::tlm_extension_base* clone() const override { return new StreamIdExtension(*this); }
    void copy_from(const tlm::tlm_extension_base& other) override
    {
        *this = static_cast<const StreamIdExtension&>(other);
    }
};

}  // namespace smmusim
