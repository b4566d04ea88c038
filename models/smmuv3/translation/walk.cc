// SPDX-License-Identifier: GPL-2.0-only
// VMSAv8-64 walks: one stage, nested, and the stage-2 IPA reader (walk.h
// says what is and is not modelled). The descriptor bits are descriptors.h's.
#include "walk.h"

#include <algorithm>

#include "../evtq.h"
#include "descriptors.h"
#include "vmsa_params.h"

namespace smmusim::smmuv3 {

uint32_t WalkStats::reads() const
{
    uint32_t n = 0;
    for (unsigned l = 0; l < desc::kLevels; ++l)
        n += s1_reads[l] + s2_reads[l];
    return n;
}

unsigned initial_tables(const StageConfig& cfg, Stage stage)
{
    if (cfg.ia_bits < 25 || cfg.ia_bits > 48 || cfg.oa_bits < 32 || cfg.oa_bits > 52 || cfg.start_level > 3)
        return 0;
    if (cfg.granule == Granule::k64K && cfg.start_level == 0)
        return 0;  // level 0 of the 64K granule exists only with 52-bit IAs
    const int bits = vmsa::initial_level_bits(cfg.ia_bits, cfg.granule, cfg.start_level);
    const int extra = bits - int(vmsa::stride(cfg.granule));
    if (bits <= 0)
        return 0;
    if (extra <= 0)
        return 1;
    if (stage == Stage::S1 || extra > 4)
        return 0;  // stage 1 never concatenates; stage 2 up to 16 tables
    return 1u << extra;
}

namespace {

bool allowed(const Permissions& p, const Access& a)
{
    return a.write ? p.write : a.instr ? p.exec : p.read;
}

// Stage-1 permissions of a leaf in the two-privilege regimes (Arm ARM:
// AP[2:1], UXN/PXN, hierarchical APTable/XNTable, WXN, PAN).
AccessRights s1_rights(uint64_t d, const TableLimits& lim, const StageConfig& cfg)
{
    const bool rdonly = desc::kApRdonly.get(d) || lim.no_write;
    const bool el0 = desc::kApUnpriv.get(d) && !lim.no_unpriv;
    AccessRights r;
    r.unpriv = Permissions{el0, el0 && !rdonly, !(desc::kUxn.get(d) || lim.uxn)};
    // A location writable by unprivileged accesses is never privileged-executable.
    const bool pxn = desc::kPxn.get(d) || lim.pxn || (el0 && !rdonly);
    r.priv = Permissions{true, !rdonly, !pxn};
    if (cfg.wxn && r.priv.write)
        r.priv.exec = r.unpriv.exec = false;
    if (cfg.pan && el0)
        r.priv.read = r.priv.write = false;  // PAN: data accesses only
    return r;
}

// Stage-2 permissions: S2AP[0] read, S2AP[1] write, XN (bit 54) for both.
AccessRights s2_rights(uint64_t d)
{
    const Permissions p{desc::kS2ApRead.get(d) != 0, desc::kS2ApWrite.get(d) != 0, desc::kS2Xn.get(d) == 0};
    return AccessRights{p, p};
}

TableLimits add_limits(TableLimits lim, uint64_t d)
{
    lim.no_write |= desc::kApTableRdonly.get(d) != 0;
    lim.no_unpriv |= desc::kApTableNoUnpriv.get(d) != 0;
    lim.uxn |= desc::kUxnTable.get(d) != 0;
    lim.pxn |= desc::kPxnTable.get(d) != 0;
    return lim;
}

uint64_t from_bytes(const uint8_t* b, bool big_endian)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < 8; ++i)
        v |= uint64_t(b[big_endian ? 7 - i : i]) << (8 * i);
    return v;
}

bool beyond(uint64_t addr, unsigned bits) { return bits < 64 && (addr >> bits) != 0; }

// One stage's walk of one input address.
class StageWalk {
public:
    StageWalk(const StageConfig& cfg, Stage stage, uint64_t ia, const Access& acc, TableReader& mem,
              WalkStats* stats)
        : cfg_(cfg), stage_(stage), ia_(ia), acc_(acc), mem_(mem),
          via_(dynamic_cast<Stage2Reader*>(&mem)), stats_(stats)
    {
    }

    WalkOutcome run(const TableStep* resume);
    uint64_t leaf() const { return leaf_; }

private:
    bool precheck(WalkOutcome& out) const;
    bool fetch(uint64_t pa, unsigned level, uint64_t& d, WalkOutcome& out);
    void finish(uint64_t d, unsigned level, const TableLimits& lim, WalkOutcome& out);
    Fault fault(uint8_t type, unsigned level) const;
    unsigned index(unsigned level) const;

    const StageConfig& cfg_;
    Stage stage_;
    uint64_t ia_;
    const Access acc_;
    TableReader& mem_;
    Stage2Reader* via_;  // mem_ when it reads IPAs (a nested stage 1)
    WalkStats* stats_;
    uint64_t leaf_ = 0;
};

Fault StageWalk::fault(uint8_t type, unsigned level) const
{
    Fault f;
    f.type = type;
    f.cls = Fault::Class::In;
    f.s2 = stage_ == Stage::S2;
    f.input_addr = ia_;
    f.ipa = f.s2 ? ia_ : 0;
    f.level = uint8_t(level);
    f.record = type == evt::F_WALK_EABT || cfg_.record;  // CD.R / STE.S2R cover the four translation faults only
    return f;
}

unsigned StageWalk::index(unsigned level) const
{
    const unsigned bits = level == cfg_.start_level
                              ? unsigned(vmsa::initial_level_bits(cfg_.ia_bits, cfg_.granule, level))
                              : desc::bits_per_level(cfg_.granule);
    return unsigned((ia_ >> desc::level_shift(cfg_.granule, level)) & ((1ull << bits) - 1));
}

// Faults found before the first descriptor read; the Arm ARM reports them
// at level 0.
bool StageWalk::precheck(WalkOutcome& out) const
{
    if (initial_tables(cfg_, stage_) == 0) {
        out.fault = fault(evt::F_TRANSLATION, 0);
        return false;
    }
    const bool tbi = stage_ == Stage::S1 && (cfg_.tbi & 1);
    const uint64_t top = (tbi ? genmask(55, 0) : ~0ull) & ~genmask(cfg_.ia_bits - 1, 0);
    if ((ia_ & top) || (stage_ == Stage::S1 && cfg_.epd0))
        out.fault = fault(evt::F_TRANSLATION, 0);
    else if (beyond(cfg_.ttb, cfg_.oa_bits))
        out.fault = fault(evt::F_ADDR_SIZE, 0);
    return !out.fault;
}

// One descriptor read; an abort is F_WALK_EABT at the PA, or the stage-2
// fault of a nested reader (S2 = 1, CLASS = TT). CLASS says which address
// was being translated (IHI 0070 7.3): IN for the transaction's own walk,
// whatever the stage; a Stage2Reader sets TT (or CD) for its own.
bool StageWalk::fetch(uint64_t pa, unsigned level, uint64_t& d, WalkOutcome& out)
{
    uint8_t bytes[8];
    if (stats_)
        (stage_ == Stage::S1 ? stats_->s1_reads : stats_->s2_reads)[level]++;
    if (mem_.read(pa, bytes, sizeof bytes)) {
        d = from_bytes(bytes, cfg_.big_endian);
        return true;
    }
    if (via_ && via_->fault()) {
        out.fault = via_->fault();
        out.fault.input_addr = ia_;
        return false;
    }
    out.fault = fault(evt::F_WALK_EABT, level);
    out.fault.fetch_addr = via_ ? via_->fault().fetch_addr : pa;
    return false;
}

// A leaf: output size, access flag, then permissions (Arm ARM priority).
void StageWalk::finish(uint64_t d, unsigned level, const TableLimits& lim, WalkOutcome& out)
{
    const uint64_t size = desc::level_size(cfg_.granule, level);
    const uint64_t base = desc::leaf_address(d, cfg_.granule, level);
    if (beyond(base, cfg_.oa_bits)) {
        out.fault = fault(evt::F_ADDR_SIZE, level);
        return;
    }
    if (!desc::kAf.get(d) && !cfg_.affd) {
        out.fault = fault(evt::F_ACCESS, level);
        return;
    }
    TranslationResult& r = out.result;
    r.page_size = size;
    r.page_base_in = ia_ & ~(size - 1);
    r.oa = base | (ia_ & (size - 1));
    r.level = level;
    r.ipa = stage_ == Stage::S1 ? r.oa : ia_;
    r.global = stage_ == Stage::S2 || !desc::kNg.get(d);
    (stage_ == Stage::S1 ? r.s1_rights : r.s2_rights) =
        stage_ == Stage::S1 ? s1_rights(d, lim, cfg_) : s2_rights(d);
    const AccessRights& own = stage_ == Stage::S1 ? r.s1_rights : r.s2_rights;
    r.perm = acc_.priv ? own.priv : own.unpriv;
    if (!acc_.probe && !allowed(r.perm, acc_))
        out.fault = fault(evt::F_PERMISSION, level);
    leaf_ = d;
}

WalkOutcome StageWalk::run(const TableStep* resume)
{
    WalkOutcome out;
    if (!precheck(out))
        return out;
    const Granule g = cfg_.granule;
    // TTB bits below the initial table's size are treated as zero (IHI 0070
    // 5.2 S2TTB, 5.4 TTB0); with a 52-bit OA the table is at least 64 bytes.
    const int bits = vmsa::initial_level_bits(cfg_.ia_bits, g, cfg_.start_level);
    TableStep at = resume ? *resume : TableStep{cfg_.start_level, vmsa::aligned_ttb(cfg_.ttb, bits, cfg_.oa_bits), {}};
    for (;;) {
        out.steps[out.nsteps++] = at;
        uint64_t d = 0;
        if (!fetch(at.table + 8ull * index(at.level), at.level, d, out))
            return out;
        const bool table = desc::kTableOrPage.get(d) != 0;
        if (!desc::kValid.get(d) || (at.level == 3 && !table) || (at.level < 3 && !table && !desc::block_allowed(g, at.level))) {
            out.fault = fault(evt::F_TRANSLATION, at.level);
            return out;
        }
        if (at.level == 3 || !table) {
            finish(d, at.level, at.limits, out);
            return out;
        }
        const uint64_t next = desc::table_address(d, g);
        if (beyond(next, cfg_.oa_bits)) {
            out.fault = fault(evt::F_ADDR_SIZE, at.level);
            return out;
        }
        at = TableStep{at.level + 1, next, stage_ == Stage::S1 ? add_limits(at.limits, d) : at.limits};
    }
}

}  // namespace

WalkOutcome walk(const StageConfig& cfg, Stage stage, uint64_t ia, const Access& access, TableReader& mem,
                 WalkStats* stats, const TableStep* resume)
{
    return StageWalk(cfg, stage, ia, access, mem, stats).run(resume);
}

Fault check_access(const TranslationResult& r, const Access& access)
{
    Fault f;
    const bool s1_ok = allowed(access.priv ? r.s1_rights.priv : r.s1_rights.unpriv, access);
    if (s1_ok && allowed(access.priv ? r.s2_rights.priv : r.s2_rights.unpriv, access))
        return f;
    f.type = evt::F_PERMISSION;
    f.cls = Fault::Class::In;
    f.s2 = s1_ok;
    f.ipa = f.s2 ? r.ipa : 0;
    f.level = uint8_t(r.level);
    return f;
}

WalkOutcome walk_nested(const StageConfig& s1, const StageConfig& s2, uint64_t ia, const Access& access,
                        TableReader& mem, WalkStats* stats, const TableStep* s1_resume)
{
    Stage2Reader ipa_reader(s2, mem, Fault::Class::Tt, stats);
    WalkOutcome out = walk(s1, Stage::S1, ia, access, ipa_reader, stats, s1_resume);
    if (!out.ok())
        return out;
    const TranslationResult first = out.result;
    if (access.probe && !first.perm.read && !first.perm.write && !first.perm.exec) {
        out.fault = Fault{evt::F_PERMISSION, Fault::Class::In, false, ia, 0, 0, uint8_t(first.level)};
        return out;  // IHI 0070 3.9.1.2: the IPA is not translated at stage 2
    }
    const WalkOutcome second = walk(s2, Stage::S2, first.oa, access, mem, stats);
    if (!second.ok()) {
        out.fault = second.fault;  // S2 = 1, CLASS = IN, ipa = the output IPA
        out.fault.input_addr = ia;
        return out;
    }
    TranslationResult& r = out.result;
    r = second.result;
    r.page_size = std::min(first.page_size, second.result.page_size);
    r.page_base_in = ia & ~(r.page_size - 1);
    r.level = second.result.level;
    r.ipa = first.oa;
    r.global = first.global;
    r.s1_rights = first.s1_rights;
    const Permissions& p1 = first.perm;
    const Permissions& p2 = second.result.perm;
    r.perm = Permissions{p1.read && p2.read, p1.write && p2.write, p1.exec && p2.exec};
    return out;
}

Stage2Reader::Stage2Reader(const StageConfig& s2, TableReader& mem, Fault::Class cls, WalkStats* stats)
    : s2_(s2), mem_(mem), cls_(cls), stats_(stats)
{
}

// A table walk's read of an IPA: stage 2 first (a data read); with S2PTW,
// a stage-1 table on Device memory is a stage-2 permission fault (IHI 0070
// 5.2 S2PTW; applied to CLASS = TT fetches).
bool Stage2Reader::read(uint64_t ipa, void* dst, size_t len)
{
    fault_ = Fault{};
    StageWalk w(s2_, Stage::S2, ipa, Access{}, mem_, stats_);
    const WalkOutcome o = w.run(nullptr);
    fault_ = o.fault;
    if (!fault_ && s2_.s2ptw && cls_ == Fault::Class::Tt &&
        desc::s2_memattr_is_device(desc::kMemAttr.get(w.leaf()), s2_.fwb)) {
        fault_.type = evt::F_PERMISSION;
        fault_.s2 = true;
        fault_.ipa = ipa;
        fault_.level = uint8_t(o.result.level);
        fault_.record = s2_.record;
    }
    if (fault_) {
        fault_.cls = cls_;
        fault_.input_addr = 0;
        return false;
    }
    if (!mem_.read(o.result.oa, dst, len)) {
        fault_.fetch_addr = o.result.oa;
        return false;
    }
    last_pa_ = o.result.oa;
    return true;
}

}  // namespace smmusim::smmuv3
