// SPDX-License-Identifier: GPL-2.0-only
// The ATS rules of ats.h: Translation Completions and the Translated
// transaction check, from IHI 0070 3.9.1.2, 3.9.1.3, 13.6 and 13.7.1.
#include "ats.h"

#include "event_record.h"

namespace smmusim::smmuv3::ats {

namespace {

Completion with_status(Completion::Status s)
{
    Completion c;
    c.status = s;
    return c;
}

}  // namespace

uint64_t stu_bytes(const SteContext& ctx)
{
    return ctx.gran4k ? 0x1000 : ctx.gran16k ? 0x4000 : 0x10000;
}

Refusal refusal(const StreamConfig& ste)
{
    if (ste.mode == StreamMode::Abort)
        return Refusal::SteAbort;
    if (ste.mode == StreamMode::Bypass)
        return Refusal::SteBypass;
    return ste.eats_mode == 0 ? Refusal::EatsOff : Refusal::None;
}

Completion unsupported_request() { return with_status(Completion::Status::UnsupportedRequest); }

Completion completer_abort() { return with_status(Completion::Status::CompleterAbort); }

Completion no_access(const Transaction& tr, uint64_t stu)
{
    Completion c = with_status(Completion::Status::Success);
    c.translated = 0;  // meaningless without a permission (PCIe ATS)
    c.size = stu;      // 3.9.1.2: an R = W = 0 entry is STU-sized
    c.priv = tr.priv;
    return c;
}

Completion identity(const Transaction& tr, uint64_t stu)
{
    Completion c = with_status(Completion::Status::Success);
    c.size = stu;
    c.translated = tr.addr & ~(stu - 1);
    c.read = c.write = true;  // Exe and Priv 0: a request without a PASID
    return c;
}

// 13.7.1 with INSTCFG/PRIVCFG "use incoming": R from read permission, W from
// write permission, Exe only if asked and both readable and executable.
Completion granted(const TranslationResult& r, const Transaction& tr, bool split_stage, uint64_t stu)
{
    const Permissions& s1 = tr.priv ? r.s1_rights.priv : r.s1_rights.unpriv;
    const Permissions& s2 = tr.priv ? r.s2_rights.priv : r.s2_rights.unpriv;
    const bool read = s1.read && s2.read, write = s1.write && s2.write, exec = s1.exec && s2.exec;
    if (!read && !write)
        return no_access(tr, stu);
    Completion c = with_status(Completion::Status::Success);
    c.read = read;
    c.write = write;
    c.exec = tr.instr && read && exec;
    c.priv = tr.priv;
    c.size = r.page_size;
    c.translated = (split_stage ? r.ipa : r.oa) & ~(r.page_size - 1);
    c.global = r.global && !tr.ssv;  // 3.9.1: Global is 0 for a request with a PASID
    return c;
}

bool is_configuration_error(const Fault& f)
{
    switch (f.type) {
    case evt::F_TRANSLATION:
    case evt::F_ADDR_SIZE:
    case evt::F_ACCESS:
    case evt::F_PERMISSION: return false;
    default: return true;  // C_BAD_*, F_STE_FETCH, F_CD_FETCH, F_STREAM_DISABLED, F_WALK_EABT
    }
}

Completion of_fault(const Fault& f, const Transaction& tr, uint64_t stu)
{
    return is_configuration_error(f) ? completer_abort() : no_access(tr, stu);
}

Transaction request_view(Transaction tr)
{
    if (!tr.ssv)
        tr.priv = tr.instr = false;
    return tr;
}

Transaction translated_view(Transaction t)
{
    t.ssv = false;
    t.ssid = 0;
    t.priv = t.instr = false;
    return t;
}

TranslatedRule translated_rule(const StreamConfig& ste)
{
    if (ste.mode == StreamMode::Abort)
        return TranslatedRule::Abort;
    if (ste.mode == StreamMode::Bypass || ste.eats_mode == 0)
        return TranslatedRule::Forbidden;
    return ste.eats_mode == ste::EATS_S1CHK ? TranslatedRule::Stage2 : TranslatedRule::Pass;
}

EventRecord bad_treq_record(const Transaction& tr)
{
    EventRecord r{};
    r[0] = evtrec::TYPE.put(evt::F_BAD_ATS_TREQ) | evtrec::SID.put(tr.sid);
    if (tr.ssv)
        r[0] |= evtrec::SSV.put(1) | evtrec::SSID.put(tr.ssid);
    r[2] = tr.addr & ~uint64_t(0xfff);
    return r;
}

EventRecord transl_forbidden_record(const Transaction& t)
{
    EventRecord r{};
    r[0] = evtrec::TYPE.put(evt::F_TRANSL_FORBIDDEN) | evtrec::SID.put(t.sid);
    r[1] = evtrec::RnW.put(!t.write);
    r[2] = t.addr;
    return r;
}

}  // namespace smmusim::smmuv3::ats
