// SPDX-License-Identifier: GPL-2.0-only
#include "evtq.h"

#include "smmuv3.h"

namespace smmusim {

using namespace smmuv3;

namespace {
struct EventName {
    uint8_t type;
    const char* name;
};
// IHI 0070 7.3, Table 7-1 (the event numbers of evt::).
constexpr EventName kEventNames[] = {
    {evt::F_UUT, "F_UUT"},
    {evt::C_BAD_STREAMID, "C_BAD_STREAMID"},
    {evt::F_STE_FETCH, "F_STE_FETCH"},
    {evt::C_BAD_STE, "C_BAD_STE"},
    {evt::F_BAD_ATS_TREQ, "F_BAD_ATS_TREQ"},
    {evt::F_STREAM_DISABLED, "F_STREAM_DISABLED"},
    {evt::F_TRANSL_FORBIDDEN, "F_TRANSL_FORBIDDEN"},
    {evt::C_BAD_SUBSTREAMID, "C_BAD_SUBSTREAMID"},
    {evt::F_CD_FETCH, "F_CD_FETCH"},
    {evt::C_BAD_CD, "C_BAD_CD"},
    {evt::F_WALK_EABT, "F_WALK_EABT"},
    {evt::F_TRANSLATION, "F_TRANSLATION"},
    {evt::F_ADDR_SIZE, "F_ADDR_SIZE"},
    {evt::F_ACCESS, "F_ACCESS"},
    {evt::F_PERMISSION, "F_PERMISSION"},
    {evt::F_TLB_CONFLICT, "F_TLB_CONFLICT"},
    {evt::F_CFG_CONFLICT, "F_CFG_CONFLICT"},
    {evt::E_PAGE_REQUEST, "E_PAGE_REQUEST"},
    {evt::F_VMS_FETCH, "F_VMS_FETCH"},
};
}  // namespace

const char* evt::name(uint8_t type)
{
    for (const EventName& e : kEventNames)
        if (e.type == type)
            return e.name;
    return nullptr;
}

int evt::by_name(std::string_view name)
{
    for (const EventName& e : kEventNames)
        if (name == e.name)
            return e.type;
    return -1;
}

SmmuEventQueue::SmmuEventQueue(sc_core::sc_module_name name, Smmuv3& smmu)
    : sc_module(name), smmu_(smmu), stats_(this->name()),
      written_(stats_.counter("written", "event records written")),
      overflows_(stats_.counter("overflows", "records lost to a full queue")),
      dropped_(stats_.counter("dropped", "records dropped: queue disabled or after a write abort")),
      aborts_(stats_.counter("aborts", "record writes that got a bus error"))
{
    SC_THREAD(run);
}

QueueGeometry SmmuEventQueue::geometry() const
{
    return QueueGeometry::capped(q::LOG2SIZE.get(smmu_.bank().get(EVTQ_BASE)), smmu_.params().evtqs);
}

uint64_t SmmuEventQueue::base_pa() const { return smmu_.bank().get(EVTQ_BASE) & q::ADDR.mask(); }

void SmmuEventQueue::post(const EventRecord& rec)
{
    pending_.push_back(rec);
    work_ev_.notify(sc_core::SC_ZERO_TIME);
}

void SmmuEventQueue::enabled_changed(bool on)
{
    if (on)
        aborted_ = false;
    work_ev_.notify(sc_core::SC_ZERO_TIME);
}

void SmmuEventQueue::run()
{
    RegisterBank& bank = smmu_.bank();
    for (;;) {
        while (pending_.empty())
            wait(work_ev_);
        EventRecord rec = pending_.front();
        pending_.pop_front();
        wait(smmu_.clock().cycles(smmu_.params().evtq_record_cycles));

        if (!smmu_.evtq_enabled() || aborted_) {
            dropped_++;
            continue;
        }
        const QueueGeometry g = geometry();
        const uint32_t prod_reg = static_cast<uint32_t>(bank.get(EVTQ_PROD));
        const uint32_t cons_reg = static_cast<uint32_t>(bank.get(EVTQ_CONS));
        const uint32_t prod = prod_reg & g.ptr_mask();
        if (g.full(prod, cons_reg & g.ptr_mask())) {
            overflows_++;
            if (q::OVF.get(prod_reg) == q::OVF.get(cons_reg))
                bank.set(EVTQ_PROD, prod_reg ^ q::OVF.mask());
            continue;
        }
        if (!smmu_.dma_write(base_pa() + uint64_t(g.idx(prod)) * kEvtBytes, rec.data(), kEvtBytes)) {
            aborts_++;
            aborted_ = true;
            smmu_.raise_gerror(gerror::EVTQ_ABT_ERR);
            continue;
        }
        written_++;
        bank.set(EVTQ_PROD, (bank.get(EVTQ_PROD) & q::OVF.mask()) | g.inc(prod));
        if (irq_ctrl::EVTQ_IRQEN.get(bank.get(IRQ_CTRLACK)))
            smmu_.signal_irq(smmu_.irqs().eventq, EVTQ_IRQ_CFG0, gerror::MSI_EVTQ_ABT_ERR);
    }
}

}  // namespace smmusim
