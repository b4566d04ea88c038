// SPDX-License-Identifier: GPL-2.0-only
// The SMMU's timed translation pipeline: one client transaction at a time
// per calling thread (the requester's, through Smmuv3::upstream), several
// threads at once up to the slots. For each transaction (IHI 0070 3.2 and
// chapter 3's translation flow):
//
//   SMMUEN = 0 (CR0ACK) -> GBPA.ABORT ? terminate : bypass (no slot, no cost)
//   acquire a translation slot            smmu.xlat.slots, smmu.xlat.arb_cycles
//   configuration cache lookup            the cache's lookup cycles
//     miss: locate + fetch the STE         timed reads on `dma` (memory latency)
//           decode                         smmu.xlat.config_decode_cycles
//           (stage 1) locate + fetch + decode the CD, through stage 2 when nested
//   STE abort -> terminate (no event); bypass -> output = input
//   TLB lookup                            the TLB's lookup cycles
//     miss: acquire a walk slot           smmu.xlat.walk_slots, smmu.xlat.arb_cycles
//           walk (walk cache lookups, one timed read + smmu.xlat.walk_step_cycles per descriptor)
//           fill the TLB (unless an invalidation ran meanwhile: see below)
//   permissions (from the entry) -> output address
//   release the slot
//
// A fault ends the pipeline where it arises: its event record (event_record.h)
// goes to the event queue unless the fault is not to be recorded (CD.R /
// STE.S2R = 0), and the transaction is terminated (IDR0.STALL_MODEL says
// "no stall": there is no stall model). An STE abort and GBPA.ABORT terminate
// without an event, as the architecture says.
//
// Invalidation. The caches are InvalidationTargets of the command engine,
// so every CFGI_* and TLBI_* acts on them before its CONS advances. A walk
// or configuration fetch in flight when an invalidation completes still
// serves its own transaction (it started before the CMD_SYNC that follows)
// but does not fill the caches: every CFGI_* bumps a configuration
// generation and every TLBI_* a TLB one, and a fill of what was fetched
// under an older generation of its kind is dropped (counted). So after an
// invalidation + CMD_SYNC no later transaction uses what it removed.
//
// SMMUEN 0 -> 1 and STRTAB_BASE changes invalidate nothing by themselves:
// IHI 0070 requires software to invalidate (CFGI_ALL, TLBI_NSNH_ALL,
// TLBI_EL2_ALL) before relying on new tables; Linux's arm_smmu_device_reset
// does. Entries cached before a disable therefore survive it, as they may on
// hardware.
//
// Host cost (simulated time unchanged). A pass runs on the local time
// upstream.cc took the access's annotated delay into (platform/
// local_time.h; the window is asked once for both): while every step so
// far ends strictly before anything else can run (a quiet window,
// platform/quiet.h), its grants
// (Resource::acquire_at / release_at), lookups, decodes, walk steps and
// table reads (which the memory takes at once, returning their completion
// time) are taken without waiting, each at its own simulated time, and
// what the pass has not waited goes to the access after it as its
// annotated delay (upstream.cc), which the requester waits: a TLB hit costs
// the requester one wait, a miss with a walk too. A step that would reach
// the horizon is taken as before (the pass catches up, then waits it), and
// an event record is posted at its own time (the pass catches up first).
// Nobody else ran in between, so every cache's contents, LRU order and
// statistic, every slot grant and every completion time are those of the
// step-by-step pipeline (tests/smmuv3/translation/translation_quiet_test.cc
// runs both ways; quiet_windows() = false turns it off).
//
// ATS (ats.h says what each case is answered). A Translation Request takes
// the same path — slot, configuration cache, TLB, walk — and fills the
// caches like any translation, but no data moves, no event but
// F_BAD_ATS_TREQ is recorded, and a permission the page lacks is withheld
// from the completion rather than faulted. A Translated transaction with
// CR0.ATSCHK = 1 takes a slot and looks up its STE (configuration cache,
// fetch on a miss); with EATS 0b10 its IPA goes through stage 2 (TLB,
// walk) like a stage-2-only transaction. With ATSCHK = 0 it costs nothing
// here. What is not here: stalls, PRI.
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>

#include "../../platform/resource.h"
#include "../../platform/stats.h"
#include "../invalidation.h"
#include "ats.h"
#include "caches.h"
#include "types.h"

namespace smmusim {
class LocalTime;
class Smmuv3;
}

namespace smmusim::smmuv3 {

struct SteContext;
struct WalkOutcome;

// What became of one transaction.
struct XlatOutcome {
    enum class Kind : uint8_t { Translated, Bypassed, Terminated };
    Kind kind = Kind::Terminated;
    uint64_t pa = 0;        // Translated / Bypassed: output address of the first byte
    Fault fault;            // Terminated by a fault; type 0: aborted without one (STE abort, GBPA.ABORT)
    bool recorded = false;  // an event record was posted for it
    bool ok() const { return kind != Kind::Terminated; }
};

// What an ATS Translation Request was answered.
struct AtsAnswer {
    ats::Completion completion;
    Fault fault;            // what made it CA or R = W = 0 (never recorded), or F_BAD_ATS_TREQ
    bool recorded = false;  // F_BAD_ATS_TREQ was posted
};

class TranslationUnit : public InvalidationTarget {
public:
    // Built by the Smmuv3 during elaboration; registers the caches (and
    // itself, for the generation counts) with smmu.engine(). ConfigError
    // for cache geometries set_assoc.h refuses.
    explicit TranslationUnit(Smmuv3& smmu);
    ~TranslationUnit() override;

    // SC_THREAD context: the transaction arrives at the caller's local time
    // `lt` (local_time.h: what it owes is inside a quiet window, as
    // Smmuv3::upstream's take_back() left it); the pipeline's simulated
    // time passes in the caller's thread, as waits or, inside the window,
    // run ahead of the clock on `lt`, which then holds what the caller
    // still owes (the pass ended that long after the current time; 0 when
    // it waited all), for the access that follows as its annotated delay.
    // The pass uses the horizon and kernel time `lt` already knows. `t.size`
    // bytes from `t.addr` must lie in one 4 KiB page (Smmuv3::upstream
    // refuses others before this).
    XlatOutcome translate(const Transaction& t, LocalTime& lt);
    // SC_THREAD context, the same pipeline: an ATS Translation Request for
    // the page holding `t.addr` (t.write: NW = 0), answered as ats.h says.
    AtsAnswer translation_request(const Transaction& t, LocalTime& lt);
    // SC_THREAD context: an ATS Translated transaction at `t.addr`, checked
    // as ats.h says. Bypassed: performed at t.addr; Translated: at `pa`.
    XlatOutcome translated(const Transaction& t, LocalTime& lt);

    // InvalidationTarget: counts CFGI_* and TLBI_* scopes (the caches act
    // themselves).
    void invalidate(const InvalidationScope& scope) override;
    ScopeKinds kinds() const override
    {
        return kind_bit(InvalidationScope::Kind::Tlb) | kind_bit(InvalidationScope::Kind::Ste) |
               kind_bit(InvalidationScope::Kind::Cd);
    }

    Tlb& tlb() { return caches_.tlb; }
    ConfigCache& config_cache() { return caches_.cfg; }
    WalkCache& walk_cache() { return caches_.walk; }
    StatGroup& stats() { return stats_; }
    // Passes that ended ahead of the clock, owing their time to the access
    // after them (a host-cost figure for tests, not a statistic: the
    // statistics are the same with quiet windows off).
    uint64_t ran_ahead() const { return ran_ahead_; }

private:
    struct Pass;  // one transaction through the pipeline (translation_unit.cc)
    struct Requester {
        unsigned slot, walker;  // ids in slots_ / walkers_
    };
    // The pipeline's steps as simulated times, from the parameters once.
    struct Latencies {
        sc_core::sc_time cfgcache_lookup, tlb_lookup, walkcache_lookup, config_decode, walk_step;
    };
    Requester& requester();
    template <class Body>
    auto in_slot(Pass& p, Histogram& latency, Body body);
    XlatOutcome bypass_by_gbpa(const Transaction& t);
    AtsAnswer run_request(Pass& p);
    AtsAnswer answer(const ats::Completion& c, const Fault& f = {});
    AtsAnswer refuse(const Transaction& t, ats::Refusal r);
    XlatOutcome run_translated(Pass& p);
    XlatOutcome forbid(const Transaction& t);
    XlatOutcome pass_through(const Transaction& t);
    uint64_t stu() const;
    XlatOutcome run(Pass& p);
    XlatOutcome finish(Pass& p, const Fault& f);
    void count_fault(const Fault& f);
    void acquire_walker(Pass& p);
    SteContext ste_context() const;
    Fault configure(Pass& p);
    Fault stream_config(Pass& p);
    Fault context_descriptor(Pass& p);
    Fault fetch_context_descriptor(Pass& p, uint32_t index);
    TlbTag tlb_tag(const Pass& p) const;
    Fault translate_address(Pass& p);
    Fault walk_and_fill(Pass& p, const TlbTag& key);
    void fill_walk_cache(const WalkTag& tag, Granule g, uint64_t ia, const WalkOutcome& w);
    void fill_tlb(const Pass& p, const TlbTag& key, const WalkOutcome& w);

    Smmuv3& smmu_;
    StatGroup stats_;
    StatGroup slot_stats_, walker_stats_;
    Resource slots_, walkers_;
    TranslationCaches caches_;
    const Latencies lat_;
    std::unordered_map<const void*, Requester> requesters_;  // by calling process
    const void* last_proc_ = nullptr;  // the process that asked last, and its entry
    Requester* last_ = nullptr;
    // Invalidations so far, configuration (CFGI_*) and TLB (TLBI_*): a fetch
    // or walk that began under an older count does not fill its cache.
    uint64_t config_generation_ = 0, tlb_generation_ = 0;
    uint64_t ran_ahead_ = 0;

    Counter& transactions_;
    Counter& translated_;
    Counter& bypassed_;
    Counter& gbpa_bypassed_;
    Counter& gbpa_aborted_;
    Counter& ste_aborted_;
    Counter& faults_;
    Counter& recorded_;
    Counter& ste_fetches_;
    Counter& cd_fetches_;
    Counter& config_reads_;
    Counter& walks_;
    Counter& walk_reads_;
    Counter& fills_dropped_;
    Histogram& latency_;
    Counter& ats_requests_;
    Counter& ats_success_;
    Counter& ats_no_access_;
    Counter& ats_ur_;
    Counter& ats_ca_;
    Counter& translated_allowed_;
    Counter& translated_refused_;
    Histogram& ats_latency_;
    Histogram& translated_latency_;
    Histogram& reads_per_walk_;
    std::unordered_map<uint8_t, Counter*> fault_counters_;
};

}  // namespace smmusim::smmuv3
