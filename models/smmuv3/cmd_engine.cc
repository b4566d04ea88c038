// SPDX-License-Identifier: GPL-2.0-only
#include "cmd_engine.h"

#include "smmuv3.h"

namespace smmusim {

using namespace smmuv3;

CommandEngine::CommandEngine(Smmuv3& smmu)
    : smmu_(smmu), stats_(std::string(smmu.name()) + ".engine"),
      executed_(stats_.counter("executed", "commands executed")),
      busy_cycles_(stats_.counter("busy_cycles", "cycles spent executing commands"))
{
    sc_core::sc_spawn_options opts;
    opts.spawn_method();
    opts.set_sensitivity(&arb_ev_);
    opts.dont_initialize();
    sc_core::sc_spawn([this] { arbitrate(); }, sc_core::sc_gen_unique_name("arbiter"), &opts);
}

unsigned CommandEngine::add_source(const std::string& name)
{
    sources_.push_back(Source{name, false, sc_core::SC_ZERO_TIME, nullptr});
    sources_.back().grants = &stats_.counter("grants." + name, "engine grants to " + name);
    return static_cast<unsigned>(sources_.size() - 1);
}

void CommandEngine::acquire(unsigned src)
{
    sources_[src].waiting = true;
    if (owner_ == kNone)
        arb_ev_.notify(smmu_.clock().cycles(smmu_.params().arb_cycles));
    while (owner_ != src)
        wait(grant_ev_);
}

void CommandEngine::release(unsigned src)
{
    if (owner_ != src)
        return;
    owner_ = kNone;
    last_ = src;
    for (const Source& s : sources_)
        if (s.waiting) {
            arb_ev_.notify(smmu_.clock().cycles(smmu_.params().arb_cycles));
            break;
        }
}

void CommandEngine::arbitrate()
{
    if (owner_ != kNone)
        return;
    const unsigned n = static_cast<unsigned>(sources_.size());
    for (unsigned i = 1; i <= n; i++) {
        const unsigned cand = (last_ == kNone ? i - 1 : last_ + i) % n;
        if (sources_[cand].waiting) {
            sources_[cand].waiting = false;
            owner_ = cand;
            (*sources_[cand].grants)++;
            grant_ev_.notify();
            return;
        }
    }
}

uint64_t CommandEngine::cost(const Command& c) const
{
    const Smmuv3Params& p = smmu_.params();
    switch (c.cls) {
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

bool CommandEngine::execute(unsigned src, const Command& c, const std::function<void()>& retire)
{
    const ClockDomain& clk = smmu_.clock();
    Source& s = sources_[src];
    const sc_core::sc_time start = sc_core::sc_time_stamp();
    for (const Observer& o : start_observers_)
        o(src, c);

    if (c.op == OP_CMD_SYNC && s.atc_done > start)
        wait(s.atc_done - start);  // outstanding ATC invalidations of this source
    wait(clk.cycles(cost(c)));
    if (c.op == OP_ATC_INV) {
        const sc_core::sc_time done = sc_core::sc_time_stamp() + clk.cycles(smmu_.params().atc_complete_cycles);
        if (done > s.atc_done)
            s.atc_done = done;
    }

    if (retire)
        retire();
    if (c.op == OP_CMD_SYNC) {
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

    executed_++;
    busy_cycles_ += clk.to_cycles(sc_core::sc_time_stamp() - start);
    for (const Observer& o : observers_)
        o(src, c);
    for (const SpanObserver& o : span_observers_)
        o(src, c, start, sc_core::sc_time_stamp());
    return true;
}

}  // namespace smmusim
