// SPDX-License-Identifier: GPL-2.0-only
// The command engine of cmd_engine.h: per-class costs, ATC completions,
// CMD_SYNC notifications, invalidation scopes and the engine's statistics.
#include "cmd_engine.h"

#include "smmuv3.h"

namespace smmusim {

using namespace smmuv3;

namespace {
uint64_t class_cost(const Smmuv3Params& p, CmdClass cls)
{
    switch (cls) {
    case CmdClass::Prefetch: return p.prefetch_cycles;
    case CmdClass::Cfgi: return p.cfgi_cycles;
    case CmdClass::CfgiAll: return p.cfgi_all_cycles;
    case CmdClass::TlbiAll: return p.tlbi_all_cycles;
    case CmdClass::TlbiAsid: return p.tlbi_asid_cycles;
    case CmdClass::TlbiVa: return p.tlbi_va_cycles;
    case CmdClass::AtcInv: return p.atc_inv_cycles;
    case CmdClass::PriResp:
    case CmdClass::Resume: return p.resp_cycles;
    case CmdClass::Sync: return p.sync_cycles;
    }
    return 0;
}
}  // namespace

CommandEngine::CommandEngine(Smmuv3& smmu)
    : smmu_(smmu), stats_(std::string(smmu.name()) + ".engine"),
      slot_("engine", smmu.clock(), Resource::Timing{1, smmu.params().arb_cycles, 0}, stats_),
      executed_(stats_.counter("executed", "commands executed")),
      busy_cycles_(stats_.counter("busy_cycles", "cycles spent executing commands"))
{
    for (size_t k = 0; k < kClasses; k++)
        cost_[k] = class_cost(smmu.params(), CmdClass(k));
}

unsigned CommandEngine::add_source(const std::string& name)
{
    atc_done_.push_back(sc_core::SC_ZERO_TIME);
    return slot_.add_requester(name);
}

void CommandEngine::note_atc_issued(unsigned src)
{
    const sc_core::sc_time done = time_stamp() + smmu_.clock().cycles(smmu_.params().atc_complete_cycles);
    if (done > atc_done_[src])
        atc_done_[src] = done;
}

// The scope is built in scope_, which invalidation_scope() overwrites whole:
// one initialisation per command, not a default-constructed scope zeroed
// again. Inline in execute() and execute_run(), its only callers (a call
// per command of a quiet run otherwise).
[[gnu::always_inline]] inline void CommandEngine::invalidate(const Command& c)
{
    if (!invalidation_scope(c, scope_))
        return;
    for (InvalidationTarget* t : targets_[size_t(scope_.kind)])
        t->invalidate(scope_);
}

void CommandEngine::add_invalidation_target(InvalidationTarget& t)
{
    const ScopeKinds kinds = t.kinds();
    for (size_t k = 0; k < kScopeKinds; k++)
        if (kinds & kind_bit(InvalidationScope::Kind(k)))
            targets_[k].push_back(&t);
}

void CommandEngine::remove_invalidation_target(InvalidationTarget& t)
{
    for (std::vector<InvalidationTarget*>& v : targets_)
        v.erase(std::remove(v.begin(), v.end(), &t), v.end());
}

void CommandEngine::signal_sync(const Command& c)
{
    switch (c.cs) {
    case cmdf::CS_IRQ:
        if (smmu_.params().msi && c.msi_addr) {
            if (!smmu_.msi_write_now(c.msi_addr, c.msi_data))
                smmu_.raise_gerror(gerror::MSI_CMDQ_ABT_ERR);
        } else {
            smmu_.irqs().cmdq_sync.pulse();
            smmu_.irqs().combined.pulse();
        }
        break;
    case cmdf::CS_SEV: smmu_.send_sev(); break;
    default: break;
    }
}

void CommandEngine::execute(unsigned src, const Command& c, const std::function<void()>& retire,
                            const sc_core::sc_time& lead)
{
    const sc_core::sc_time start = time_stamp() + lead;
    for (const Observer& o : start_observers_)
        o(src, c);

    slot_.occupy(src, cost(c), lead);
    if (c.op == OP_ATC_INV)
        note_atc_issued(src);
    invalidate(c);
    if (retire)
        retire();
    if (c.op == OP_CMD_SYNC)
        signal_sync(c);

    executed_++;
    const sc_core::sc_time& end = time_stamp();
    busy_cycles_ += smmu_.clock().to_cycles(end - start);
    for (const Observer& o : observers_)
        o(src, c);
    for (const SpanObserver& o : span_observers_)
        o(src, c, start, end);
}

namespace {
// A command of a quiet run signals and waits for nothing (`atc_idle`: its
// source's ATC invalidations have completed).
bool signals_nothing(const Command& c, bool atc_idle)
{
    switch (c.cls) {
    case CmdClass::Prefetch:
    case CmdClass::Cfgi:
    case CmdClass::CfgiAll:
    case CmdClass::TlbiAll:
    case CmdClass::TlbiAsid:
    case CmdClass::TlbiVa: return true;
    case CmdClass::Sync: return c.cs == cmdf::CS_NONE && atc_idle;
    default: return false;
    }
}
}  // namespace

size_t CommandEngine::quiet_run_length(unsigned src, const Command* cmds, size_t n, uint64_t left,
                                       const sc_core::sc_time& room) const
{
    if (!start_observers_.empty() || !observers_.empty())
        return 0;
    const ClockDomain& clk = smmu_.clock();
    const bool atc_idle = atc_done_[src] <= time_stamp();
    sc_core::sc_time busy;
    size_t i = 0;
    for (; i < n; i++) {
        const uint64_t cycles = cost(cmds[i]);
        if (cycles == 0 || cycles > left || !signals_nothing(cmds[i], atc_idle))
            break;
        busy += clk.cycles(cycles);
        if (!(busy < room))
            break;  // it would not end before the window's end
    }
    return i;
}

// What execute() does for each command, in its order, with the command's
// own start and end times: nothing between them was visible to anyone (the
// caller's quiet window), so the caller waits once for all of them.
sc_core::sc_time CommandEngine::execute_run(unsigned src, const Command* cmds, size_t n,
                                            const sc_core::sc_time& start, uint64_t* end_cycles)
{
    const ClockDomain& clk = smmu_.clock();
    sc_core::sc_time at = start;
    uint64_t busy = 0;
    if (span_observers_.empty()) {
        // Nobody is told between the commands: the counters are added to
        // once, with what each command would have added.
        for (size_t i = 0; i < n; i++) {
            const uint64_t cycles = cost(cmds[i]);
            at += clk.cycles(cycles);
            invalidate(cmds[i]);
            busy += cycles;
            end_cycles[i] = busy;
        }
        executed_ += n;
        busy_cycles_ += busy;
        return at;
    }
    for (size_t i = 0; i < n; i++) {
        const uint64_t cycles = cost(cmds[i]);
        const sc_core::sc_time end = at + clk.cycles(cycles);
        invalidate(cmds[i]);
        busy += cycles;
        end_cycles[i] = busy;
        executed_++;
        busy_cycles_ += cycles;
        for (const SpanObserver& o : span_observers_)
            o(src, cmds[i], at, end);
        at = end;
    }
    return at;
}

}  // namespace smmusim
