// SPDX-License-Identifier: GPL-2.0-only
#include "event_record.h"

#include <stdexcept>
#include <string>

namespace smmusim::smmuv3 {

namespace {

// What each event's record carries beyond the stream's identity.
struct Layout {
    bool access = false;  // dw1 attributes, S2, CLASS; dw2 InputAddr
    bool ipa = false;     // dw3 IPA when S2
    bool fetch = false;   // dw3 FetchAddr
};

// IHI 0070 7.3.2 - 7.3.15.
bool layout_of(uint8_t type, Layout& l)
{
    switch (type) {
    case evt::C_BAD_STREAMID:
    case evt::C_BAD_STE:
    case evt::F_STREAM_DISABLED:
    case evt::C_BAD_SUBSTREAMID:
    case evt::C_BAD_CD: l = {}; return true;
    case evt::F_STE_FETCH:
    case evt::F_CD_FETCH: l = {false, false, true}; return true;
    case evt::F_WALK_EABT: l = {true, false, true}; return true;
    case evt::F_TRANSLATION:
    case evt::F_ADDR_SIZE:
    case evt::F_ACCESS:
    case evt::F_PERMISSION: l = {true, true, false}; return true;
    default: return false;
    }
}

}  // namespace

const uint8_t kTranslationEvents[12] = {
    evt::C_BAD_STREAMID, evt::F_STE_FETCH,   evt::C_BAD_STE,   evt::F_STREAM_DISABLED,
    evt::C_BAD_SUBSTREAMID, evt::F_CD_FETCH, evt::C_BAD_CD,    evt::F_WALK_EABT,
    evt::F_TRANSLATION, evt::F_ADDR_SIZE,    evt::F_ACCESS,    evt::F_PERMISSION,
};

EventRecord event_record(const Fault& f, const Transaction& t)
{
    Layout l;
    if (!layout_of(f.type, l))
        throw std::invalid_argument("event_record: event type " + std::to_string(f.type) +
                                    " is not a translation fault the model raises");
    EventRecord r{};
    r[0] = evtrec::TYPE.put(f.type) | evtrec::SID.put(t.sid);
    if (t.ssv)
        r[0] |= evtrec::SSV.put(1) | evtrec::SSID.put(t.ssid);
    if (l.access) {
        const bool tt = f.cls == Fault::Class::Tt;
        r[1] = evtrec::PnU.put(t.priv) | evtrec::InD.put(t.instr) | evtrec::RnW.put(!t.write) |
               evtrec::S2.put(f.s2) | evtrec::CLASS.put(static_cast<uint64_t>(f.cls)) | evtrec::TTRnW.put(tt);
        r[2] = f.input_addr;
    }
    if (l.ipa && f.s2)
        r[3] = f.ipa & evtrec::IPA.mask();
    if (l.fetch)
        r[3] = f.fetch_addr & evtrec::FETCH_ADDR.mask();
    return r;
}

}  // namespace smmusim::smmuv3
