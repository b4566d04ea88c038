// SPDX-License-Identifier: GPL-2.0-only
// The pipeline of translation_unit.h: configuration (config cache, STE and
// CD fetches), address translation (TLB, walk cache, walks), faults into
// event records, and the statistics.
#include "translation_unit.h"

#include <string>

#include "../../platform/local_time.h"
#include "../evtq.h"
#include "../smmuv3.h"
#include "descriptors.h"
#include "event_record.h"
#include "stream_table.h"
#include "walk.h"

namespace smmusim::smmuv3 {

namespace {

// The SMMU's memory as its table fetches and walks see it: each read is
// issued for smmu.xlat.walk_step_cycles, then travels on `dma` (the
// platform's latency and bandwidth), at the pass's local time (a read that
// completes inside the quiet window costs no wait). Counted.
class DmaReader : public TableReader {
public:
    DmaReader(Smmuv3& smmu, LocalTime& lt, const sc_core::sc_time& step) : smmu_(smmu), lt_(lt), step_(step) {}
    bool read(uint64_t addr, void* dst, size_t len) override
    {
        reads++;
        lt_.pass(step_);
        sc_core::sc_time delay = lt_.hand_over();
        const bool ok = smmu_.dma_read(addr, dst, len, delay);
        lt_.take_back(delay);
        return ok;
    }
    unsigned reads = 0;

private:
    Smmuv3& smmu_;
    LocalTime& lt_;
    const sc_core::sc_time& step_;
};

// Refuses every read and remembers that one was asked for: cd_address()
// against it tells what the CD-selection rules decide before any read.
class NoReads : public TableReader {
public:
    bool read(uint64_t, void*, size_t) override
    {
        asked = true;
        return false;
    }
    bool asked = false;
};

bool is_translation_fault(uint8_t type)
{
    return type == evt::F_TRANSLATION || type == evt::F_ADDR_SIZE || type == evt::F_ACCESS ||
           type == evt::F_PERMISSION;
}

// The walk-cache attrs word: the table restrictions a resumed walk inherits.
uint64_t pack(const TableLimits& l)
{
    return uint64_t(l.no_write) | uint64_t(l.no_unpriv) << 1 | uint64_t(l.uxn) << 2 | uint64_t(l.pxn) << 3;
}

TableStep step_of(const WalkEntry& e)
{
    TableStep s;
    s.level = e.level + 1;
    s.table = e.table;
    s.limits = TableLimits{(e.attrs & 1) != 0, (e.attrs & 2) != 0, (e.attrs & 4) != 0, (e.attrs & 8) != 0};
    return s;
}

// A TLB entry's translation, moved to the transaction's address.
TranslationResult relocated(const TranslationResult& r, uint64_t addr)
{
    TranslationResult out = r;
    const uint64_t off = addr - r.page_base_in;
    out.oa += off;
    out.ipa += off;
    return out;
}

uint64_t align_down(uint64_t a, uint64_t size) { return a & ~(size - 1); }

// Resource::acquire at the local time `lt`: an uncontended grant inside the
// quiet window without the arbiter (Resource::acquire_at), else after
// catching up with the clock.
void acquire(Resource& r, unsigned id, LocalTime& lt)
{
    sc_core::sc_time granted;
    if (r.acquire_at(id, lt.now(), lt.horizon(), granted)) {
        lt.advance_to(granted);
        return;
    }
    lt.catch_up();
    r.acquire(id);
}

// Resource::release at the local time `lt` (someone waiting for a slot
// needs the arbiter, at the clock's time).
void release(Resource& r, unsigned id, LocalTime& lt)
{
    if (r.release_at(id, lt.now()))
        return;
    lt.catch_up();
    r.release(id);
}

}  // namespace

// One transaction's pass through the pipeline.
struct TranslationUnit::Pass {
    Pass(const Transaction& tr, Requester& r, LocalTime& time, Smmuv3& smmu, const Latencies& l,
         uint64_t config_gen, uint64_t tlb_gen)
        : t(tr), access(Access::of(tr)), req(r), lt(time), mem(smmu, lt, l.walk_step),
          config_generation(config_gen), tlb_generation(tlb_gen)
    {
    }
    // A lookup or decode of `d`, at the pass's local time.
    void pause(const sc_core::sc_time& d) { lt.pass(d); }

    Transaction t;
    Access access;
    Requester& req;
    LocalTime& lt;  // the caller's: how far it has run ahead of the clock (local_time.h)
    DmaReader mem;
    uint64_t config_generation, tlb_generation;  // invalidations seen when the pass began
    bool walking = false;  // holds a walk slot
    StreamConfig ste;
    CdConfig cd;
    bool s1 = false, s2 = false;  // the stages this transaction goes through
    uint64_t pa = 0;
    TranslationResult result;  // an ATS request's translation, relocated to t.addr
};

TranslationUnit::TranslationUnit(Smmuv3& smmu)
    : smmu_(smmu), stats_(std::string(smmu.name()) + ".xlat"), slot_stats_(stats_.name() + ".slots"),
      walker_stats_(stats_.name() + ".walkers"),
      slots_("translation slot", smmu.clock(),
             Resource::Timing{static_cast<unsigned>(smmu.params().xlat_slots), smmu.params().xlat_arb_cycles, 0},
             slot_stats_),
      walkers_("walk slot", smmu.clock(),
               Resource::Timing{static_cast<unsigned>(smmu.params().xlat_walk_slots), smmu.params().xlat_arb_cycles,
                                0},
               walker_stats_),
      caches_(smmu.name(), smmu.params()),
      lat_{smmu.clock().cycles(smmu.params().cfgcache_lookup_cycles), smmu.clock().cycles(smmu.params().tlb_lookup_cycles),
           smmu.clock().cycles(smmu.params().walkcache_lookup_cycles),
           smmu.clock().cycles(smmu.params().xlat_config_decode_cycles),
           smmu.clock().cycles(smmu.params().xlat_walk_step_cycles)},
      transactions_(stats_.counter("transactions", "client transactions presented to the SMMU")),
      translated_(stats_.counter("translated", "transactions translated (stage 1, stage 2 or nested)")),
      bypassed_(stats_.counter("bypassed", "transactions bypassed by their STE (Config bypass, or S1DSS bypass "
                                           "without stage 2)")),
      gbpa_bypassed_(stats_.counter("gbpa_bypassed", "transactions bypassed with SMMUEN = 0 (GBPA.ABORT = 0)")),
      gbpa_aborted_(stats_.counter("gbpa_aborted", "transactions terminated with SMMUEN = 0 and GBPA.ABORT = 1")),
      ste_aborted_(stats_.counter("ste_aborted", "transactions terminated by an STE with Config abort (no event)")),
      faults_(stats_.counter("faults", "transactions terminated by a fault (recorded or not)")),
      recorded_(stats_.counter("events", "event records posted to the event queue")),
      ste_fetches_(stats_.counter("ste_fetches", "STE fetches (configuration cache misses)")),
      cd_fetches_(stats_.counter("cd_fetches", "CD fetches (configuration cache misses)")),
      config_reads_(stats_.counter("config_reads", "memory reads of STE/CD fetches (L1 descriptors, stage-2 "
                                                   "walks of a nested CD, the structures)")),
      walks_(stats_.counter("walks", "translation table walks (TLB misses)")),
      walk_reads_(stats_.counter("walk_reads", "memory reads of translation table walks")),
      fills_dropped_(stats_.counter("fills_dropped", "cache fills dropped: an invalidation completed while "
                                                     "the fetch or walk was in flight")),
      latency_(stats_.histogram("latency", "arrival to translated/terminated, SMMUEN = 1", "cycles")),
      ats_requests_(stats_.counter("ats.requests", "ATS Translation Requests (IHI 0070 3.9.1.2)")),
      ats_success_(stats_.counter("ats.success", "Translation Completions with Success status")),
      ats_no_access_(stats_.counter("ats.no_access", "of those, R = W = 0 (a translation fault or no "
                                                     "permission)")),
      ats_ur_(stats_.counter("ats.unsupported", "Translation Completions with UR status")),
      ats_ca_(stats_.counter("ats.completer_abort", "Translation Completions with CA status")),
      translated_allowed_(stats_.counter("ats.translated_allowed", "ATS Translated transactions performed "
                                                                   "(IHI 0070 3.9.1.3)")),
      translated_refused_(stats_.counter("ats.translated_refused", "ATS Translated transactions aborted")),
      ats_latency_(stats_.histogram("ats.latency", "Translation Request arrival to completion, SMMUEN = 1",
                                    "cycles")),
      translated_latency_(stats_.histogram("ats.translated_latency", "Translated transaction arrival to "
                                           "decision, SMMUEN = 1 and ATSCHK = 1", "cycles")),
      reads_per_walk_(stats_.histogram("reads_per_walk", "memory reads of each walk", "reads"))
{
    for (uint8_t type : kTranslationEvents)
        fault_counters_[type] = &stats_.counter(std::string("faults.") + evt::name(type),
                                                std::string("transactions terminated by ") + evt::name(type));
    for (InvalidationTarget* t : caches_.targets())
        smmu.engine().add_invalidation_target(*t);
    smmu.engine().add_invalidation_target(*this);
}

TranslationUnit::~TranslationUnit() = default;

void TranslationUnit::invalidate(const InvalidationScope& s)
{
    if (s.kind == InvalidationScope::Kind::Tlb)
        tlb_generation_++;
    else if (s.kind != InvalidationScope::Kind::Atc)
        config_generation_++;
}

TranslationUnit::Requester& TranslationUnit::requester()
{
    const sc_core::sc_process_b* proc = sc_core::sc_get_current_process_b();
    if (last_ && proc == last_proc_)
        return *last_;  // the same requester as last time: no map lookup
    auto it = requesters_.find(proc);
    if (it == requesters_.end()) {
        const std::string name = proc ? proc->name() : "elaboration";
        it = requesters_.emplace(proc, Requester{slots_.add_requester(name), walkers_.add_requester(name)}).first;
    }
    last_proc_ = proc;
    last_ = &it->second;  // a node of the map: stays put
    return *last_;
}

XlatOutcome TranslationUnit::bypass_by_gbpa(const Transaction& t)
{
    XlatOutcome out;
    if (gbpa::ABORT.get(smmu_.bank().get(GBPA))) {
        gbpa_aborted_++;
        return out;
    }
    gbpa_bypassed_++;
    out.kind = XlatOutcome::Kind::Bypassed;
    out.pa = t.addr;
    return out;
}

// `body(p)` holding a translation slot (and the walk slot it took, if any);
// the pass's local time holds what the caller owed on arrival, then what
// the pass has not waited (translation_unit.h).
template <class Body>
auto TranslationUnit::in_slot(Pass& p, Histogram& latency, Body body)
{
    const ClockDomain& clk = smmu_.clock();
    const uint64_t start = clk.to_cycles(p.lt.now());
    acquire(slots_, p.req.slot, p.lt);
    auto out = body(p);
    if (p.walking)
        release(walkers_, p.req.walker, p.lt);
    release(slots_, p.req.slot, p.lt);
    latency.add(clk.to_cycles(p.lt.now()) - start);
    if (p.lt.owed() != sc_core::SC_ZERO_TIME)
        ran_ahead_++;
    return out;
}

XlatOutcome TranslationUnit::translate(const Transaction& t, LocalTime& lt)
{
    transactions_++;
    if (!smmu_.smmu_enabled())
        return bypass_by_gbpa(t);  // GBPA's attributes have no effect in the model
    Pass p(t, requester(), lt, smmu_, lat_, config_generation_, tlb_generation_);
    return in_slot(p, latency_, [this](Pass& q) { return run(q); });
}

XlatOutcome TranslationUnit::run(Pass& p)
{
    if (Fault f = configure(p))
        return finish(p, f);
    XlatOutcome out;
    if (p.ste.mode == StreamMode::Abort) {
        ste_aborted_++;  // 5.2 Config 0b000: abort, no event
        return out;
    }
    if (p.ste.mode == StreamMode::Bypass || (!p.s1 && !p.s2)) {
        bypassed_++;
        out.kind = XlatOutcome::Kind::Bypassed;
        out.pa = p.t.addr;
        return out;
    }
    if (Fault f = translate_address(p))
        return finish(p, f);
    translated_++;
    out.kind = XlatOutcome::Kind::Translated;
    out.pa = p.pa;
    return out;
}

XlatOutcome TranslationUnit::finish(Pass& p, const Fault& fault)
{
    Fault f = fault;
    f.input_addr = p.t.addr;
    if (is_translation_fault(f.type))  // CD.R / STE.S2R (5.4 R, 5.2 S2R)
        f.record = f.s2 ? p.ste.s2.record : p.cd.s1.record;
    count_fault(f);
    XlatOutcome out;
    out.fault = f;
    if (f.record) {
        p.lt.catch_up();  // the record is posted at the fault's own time
        smmu_.evtq().post(event_record(f, p.t));
        recorded_++;
        out.recorded = true;
    }
    return out;
}

void TranslationUnit::count_fault(const Fault& f)
{
    faults_++;
    auto it = fault_counters_.find(f.type);
    if (it != fault_counters_.end())
        (*it->second)++;
}

void TranslationUnit::acquire_walker(Pass& p)
{
    if (p.walking)
        return;
    acquire(walkers_, p.req.walker, p.lt);
    p.walking = true;
}

// ---- configuration: STE, then the CD ----------------------------------------

SteContext TranslationUnit::ste_context() const
{
    const RegisterBank& b = smmu_.bank();
    return SteContext::from_registers(smmu_.idr(0), smmu_.idr(1), smmu_.idr(3), smmu_.idr(5), smmu_.cr0ack(),
                                      static_cast<uint32_t>(b.get(CR2)));
}

Fault TranslationUnit::configure(Pass& p)
{
    if (Fault f = stream_config(p))
        return f;
    if (p.ste.mode == StreamMode::Abort)
        return {};
    return context_descriptor(p);
}

Fault TranslationUnit::stream_config(Pass& p)
{
    p.pause(lat_.cfgcache_lookup);
    if (const StreamConfig* c = caches_.cfg.lookup_ste(p.t.sid)) {
        p.ste = *c;
        return {};
    }
    acquire_walker(p);
    const unsigned before = p.mem.reads;
    const RegisterBank& b = smmu_.bank();
    const SteFetch f = fetch_stream_config(b.get(STRTAB_BASE), b.get(STRTAB_BASE_CFG), p.t.sid, ste_context(), p.mem);
    ste_fetches_++;
    config_reads_ += p.mem.reads - before;
    if (f.fault && f.fault.type != evt::C_BAD_STE)
        return f.fault;
    p.pause(lat_.config_decode);
    if (f.fault)
        return f.fault;
    if (p.config_generation == config_generation_)
        caches_.cfg.insert_ste(p.t.sid, f.config);
    else
        fills_dropped_++;
    p.ste = f.config;
    return {};
}

// The CD selection rules (cd_address(): S1DSS, S1CDMax, stage 1 off) decide
// without memory what they can; what needs a read goes to the config cache,
// keyed by the CD's index (the SubstreamID, or 0 for a transaction without
// one), and on a miss to fetch_cd().
Fault TranslationUnit::context_descriptor(Pass& p)
{
    NoReads none;
    const CdLocation sel = cd_address(p.ste, p.t.ssv, p.t.ssid, static_cast<unsigned>(smmu_.params().oas_bits), none);
    if (sel.fault && !none.asked)
        return sel.fault;
    p.s2 = p.ste.mode == StreamMode::Translate && p.ste.s2_enabled;
    if (sel.s1_bypass)
        return {};
    p.s1 = true;
    const uint32_t index = p.t.ssv ? p.t.ssid : 0;
    p.pause(lat_.cfgcache_lookup);
    if (const CdConfig* c = caches_.cfg.lookup_cd(p.t.sid, index)) {
        p.cd = *c;
        return {};
    }
    return fetch_context_descriptor(p, index);
}

Fault TranslationUnit::fetch_context_descriptor(Pass& p, uint32_t index)
{
    acquire_walker(p);
    const unsigned before = p.mem.reads;
    const CdContext ctx = CdContext::of(ste_context(), p.ste);
    CdFetch f;
    if (p.s2) {  // nested: the CD table's addresses are IPAs (5.2 S1ContextPtr)
        Stage2Reader ipa_reader(p.ste.s2, p.mem, Fault::Class::Cd);
        f = fetch_cd(p.ste, p.t.ssv, p.t.ssid, ctx, ipa_reader);
        if (f.fault.type == evt::F_CD_FETCH && ipa_reader.fault().type)
            f.fault = ipa_reader.fault();  // a stage-2 fault on the fetch, CLASS = CD (7.3)
        else if (f.fault.type == evt::F_CD_FETCH)
            f.fault.fetch_addr = ipa_reader.fault().fetch_addr;  // the PA that aborted
    } else {
        f = fetch_cd(p.ste, p.t.ssv, p.t.ssid, ctx, p.mem);
    }
    cd_fetches_++;
    config_reads_ += p.mem.reads - before;
    if (f.fault && f.fault.type != evt::C_BAD_CD)
        return f.fault;
    p.pause(lat_.config_decode);
    if (f.fault)
        return f.fault;
    if (p.config_generation == config_generation_)
        caches_.cfg.insert_cd(p.t.sid, index, f.config);
    else
        fills_dropped_++;
    p.cd = f.config;
    return {};
}

// ---- address translation: TLB, then a walk -----------------------------------

TlbTag TranslationUnit::tlb_tag(const Pass& p) const
{
    TlbTag tag;
    tag.regime = p.ste.regime;
    tag.stage = p.s1 ? (p.s2 ? TlbStage::S12 : TlbStage::S1) : TlbStage::S2;
    tag.vmid = p.ste.vmid;
    tag.asid = p.s1 ? p.cd.asid : 0;
    return tag;
}

Fault TranslationUnit::translate_address(Pass& p)
{
    if (!p.s1 && (p.t.addr >> smmu_.params().oas_bits)) {
        // A stage-2-only stream's input beyond the IAS (= OAS: no AArch32
        // tables): a stage-1 address size fault (IHI 0070 3.4.1).
        Fault f;
        f.type = evt::F_ADDR_SIZE;
        f.cls = Fault::Class::In;
        return f;
    }
    const TlbTag key = tlb_tag(p);
    p.pause(lat_.tlb_lookup);
    if (const TlbEntry* e = caches_.tlb.lookup(key, p.t.addr)) {
        const TranslationResult r = relocated(e->result, p.t.addr);
        if (!p.access.probe)
            if (Fault f = check_access(r, p.access))
                return f;
        p.pa = r.oa;
        if (p.access.probe)
            p.result = r;  // an ATS request's completion (kept off the ordinary hit's path)
        return {};
    }
    return walk_and_fill(p, key);
}

Fault TranslationUnit::walk_and_fill(Pass& p, const TlbTag& key)
{
    acquire_walker(p);
    walks_++;
    const bool s1 = p.s1;
    const StageConfig& first = s1 ? p.cd.s1 : p.ste.s2;
    const WalkTag wtag{key.regime, s1 ? WalkStage::S1 : WalkStage::S2, key.vmid, key.asid};
    TableStep resume;
    const TableStep* from = nullptr;
    p.pause(lat_.walkcache_lookup);
    if (const WalkEntry* e = caches_.walk.lookup(wtag, first.granule, p.t.addr)) {
        resume = step_of(*e);
        from = &resume;
    }
    const unsigned before = p.mem.reads;
    WalkOutcome w;
    if (s1 && p.s2)
        w = walk_nested(p.cd.s1, p.ste.s2, p.t.addr, p.access, p.mem, nullptr, from);
    else
        w = walk(first, s1 ? Stage::S1 : Stage::S2, p.t.addr, p.access, p.mem, nullptr, from);
    walk_reads_ += p.mem.reads - before;
    reads_per_walk_.add(p.mem.reads - before);
    if (!w.ok())
        return w.fault;
    if (p.tlb_generation != tlb_generation_) {
        fills_dropped_++;
    } else {
        fill_walk_cache(wtag, first.granule, p.t.addr, w);
        fill_tlb(p, key, w);
    }
    p.pa = w.result.oa;
    if (p.access.probe)
        p.result = w.result;
    return {};
}

// Each table after the first was reached through a table descriptor of the
// level above: that descriptor is what the walk cache keeps.
void TranslationUnit::fill_walk_cache(const WalkTag& tag, Granule g, uint64_t ia, const WalkOutcome& w)
{
    for (unsigned i = 1; i < w.nsteps; i++) {
        WalkEntry e;
        e.tag = tag;
        e.granule = g;
        e.level = w.steps[i].level - 1;
        e.size = desc::level_size(g, e.level);
        e.base = align_down(ia, e.size);
        e.table = w.steps[i].table;
        e.attrs = pack(w.steps[i].limits);
        caches_.walk.insert(e);
    }
}

void TranslationUnit::fill_tlb(const Pass& p, const TlbTag& key, const WalkOutcome& w)
{
    TlbEntry e;
    e.tag = key;
    e.tag.global = p.s1 && w.result.global;
    e.result = w.result;
    const uint64_t off = p.t.addr - w.result.page_base_in;
    e.result.oa -= off;
    e.result.ipa -= off;
    const unsigned leaf = w.result.level;
    if (p.s1 && p.s2) {  // the stage-1 leaf is the last stage-1 table's level
        const Granule g1 = p.cd.s1.granule, g2 = p.ste.s2.granule;
        const unsigned l1 = w.nsteps ? w.steps[w.nsteps - 1].level : leaf;
        e.s1 = LeafRange{g1, l1, align_down(p.t.addr, desc::level_size(g1, l1)), desc::level_size(g1, l1)};
        e.s2 = LeafRange{g2, leaf, align_down(w.result.ipa, desc::level_size(g2, leaf)), desc::level_size(g2, leaf)};
    } else if (p.s1) {
        e.s1 = LeafRange{p.cd.s1.granule, leaf, 0, 0};
    } else {
        e.s2 = LeafRange{p.ste.s2.granule, leaf, 0, 0};
    }
    caches_.tlb.insert(e);
}

// ---- ATS: Translation Requests and Translated transactions (ats.h) -----------

uint64_t TranslationUnit::stu() const { return ats::stu_bytes(ste_context()); }

AtsAnswer TranslationUnit::answer(const ats::Completion& c, const Fault& f)
{
    using Status = ats::Completion::Status;
    if (c.status == Status::Success) {
        ats_success_++;
        if (!c.read && !c.write)
            ats_no_access_++;
    } else {
        (c.status == Status::UnsupportedRequest ? ats_ur_ : ats_ca_)++;
    }
    return AtsAnswer{c, f, false};
}

// 3.9.1.2 / 7.3.6: UR, and F_BAD_ATS_TREQ unless the STE aborts.
AtsAnswer TranslationUnit::refuse(const Transaction& t, ats::Refusal r)
{
    Fault f;
    AtsAnswer a = answer(ats::unsupported_request(), f);
    if (ats::records_bad_treq(r)) {
        a.fault.type = evt::F_BAD_ATS_TREQ;
        smmu_.evtq().post(ats::bad_treq_record(t));
        recorded_++;
        a.recorded = true;
    }
    return a;
}

AtsAnswer TranslationUnit::translation_request(const Transaction& request, LocalTime& lt)
{
    ats_requests_++;
    Transaction t = ats::request_view(request);
    t.tr = true;
    if (!smmu_.smmu_enabled()) {
        lt.catch_up();  // F_BAD_ATS_TREQ is posted at its own time
        return refuse(t, ats::Refusal::SmmuDisabled);
    }
    Pass p(t, requester(), lt, smmu_, lat_, config_generation_, tlb_generation_);
    return in_slot(p, ats_latency_, [this](Pass& q) { return run_request(q); });
}

AtsAnswer TranslationUnit::run_request(Pass& p)
{
    if (Fault f = stream_config(p))
        return answer(ats::of_fault(f, p.t, stu()), f);
    if (const ats::Refusal r = ats::refusal(p.ste); r != ats::Refusal::None) {
        p.lt.catch_up();  // F_BAD_ATS_TREQ is posted at its own time
        return refuse(p.t, r);
    }
    if (Fault f = context_descriptor(p))
        return answer(ats::of_fault(f, p.t, stu()), f);
    if (!p.s1 && !p.s2)  // S1DSS skips the only stage (13.6.4)
        return answer(ats::identity(p.t, stu()));
    if (Fault f = translate_address(p))
        return answer(ats::of_fault(f, p.t, stu()), f);
    // Split-stage: the IPA (the input itself when S1DSS skips stage 1, 13.6.5).
    const bool split = p.ste.eats_mode == ste::EATS_S1CHK;
    return answer(ats::granted(p.result, p.t, split, stu()));
}

XlatOutcome TranslationUnit::forbid(const Transaction& t)
{
    translated_refused_++;
    Fault f;
    f.type = evt::F_TRANSL_FORBIDDEN;
    f.input_addr = t.addr;
    smmu_.evtq().post(ats::transl_forbidden_record(t));
    recorded_++;
    XlatOutcome out;
    out.fault = f;
    out.recorded = true;
    return out;
}

// Performed at its own address, after the address size check (3.9.1.1:
// beyond the OAS, aborted without an event).
XlatOutcome TranslationUnit::pass_through(const Transaction& t)
{
    XlatOutcome out;
    if (t.addr >> smmu_.params().oas_bits) {
        translated_refused_++;
        return out;
    }
    translated_allowed_++;
    out.kind = XlatOutcome::Kind::Bypassed;
    out.pa = t.addr;
    return out;
}

XlatOutcome TranslationUnit::translated(const Transaction& access, LocalTime& lt)
{
    const Transaction t = ats::translated_view(access);
    if (!smmu_.smmu_enabled()) {
        lt.catch_up();  // F_TRANSL_FORBIDDEN is posted at its own time
        return forbid(t);
    }
    if (!cr0::ATSCHK.get(smmu_.cr0ack()))
        return pass_through(t);
    Pass p(t, requester(), lt, smmu_, lat_, config_generation_, tlb_generation_);
    return in_slot(p, translated_latency_, [this](Pass& q) { return run_translated(q); });
}

XlatOutcome TranslationUnit::run_translated(Pass& p)
{
    if (Fault f = stream_config(p)) {  // not recorded: CR2.REC_CFG_ATS is RES0
        translated_refused_++;
        return XlatOutcome{};
    }
    switch (ats::translated_rule(p.ste)) {
    case ats::TranslatedRule::Abort: translated_refused_++; return XlatOutcome{};
    case ats::TranslatedRule::Forbidden: p.lt.catch_up(); return forbid(p.t);  // posted at its own time
    case ats::TranslatedRule::Pass: return pass_through(p.t);
    case ats::TranslatedRule::Stage2: break;
    }
    p.s2 = true;  // the address is an IPA: stage 2 only (13.6.3)
    if (Fault f = translate_address(p)) {
        translated_refused_++;
        return finish(p, f);
    }
    translated_allowed_++;
    XlatOutcome out;
    out.kind = XlatOutcome::Kind::Translated;
    out.pa = p.pa;
    return out;
}

}  // namespace smmusim::smmuv3
