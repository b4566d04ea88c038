// SPDX-License-Identifier: GPL-2.0-only
// The SMMU's event queue producer. Records posted by the rest of the model
// (the translation path, when it exists; tests today) are written in order,
// each 32 bytes at EVTQ_BASE + index * 32, then EVTQ_PROD advances and the
// eventq interrupt (wired and/or MSI through EVTQ_IRQ_CFG*) is signalled if
// IRQ_CTRLACK.EVTQ_IRQEN.
//
// Full queue: the record is dropped and EVTQ_PROD.OVFLG toggles if no
// overflow is pending (OVFLG == EVTQ_CONS.OVACKFLG). Disabled queue: records
// are dropped (counted). A write that aborts sets GERROR.EVTQ_ABT_ERR and the
// queue drops records until it is disabled and re-enabled.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <string_view>

#include <systemc>

#include "../platform/stats.h"
#include "queue.h"

namespace smmusim {
class Smmuv3;

using EventRecord = std::array<uint64_t, 4>;

namespace smmuv3::evt {
// Event type numbers (record bits [7:0]).
enum : uint8_t {
    F_UUT = 0x01, C_BAD_STREAMID = 0x02, F_STE_FETCH = 0x03, C_BAD_STE = 0x04, F_BAD_ATS_TREQ = 0x05,
    F_STREAM_DISABLED = 0x06, F_TRANSL_FORBIDDEN = 0x07, C_BAD_SUBSTREAMID = 0x08, F_CD_FETCH = 0x09,
    C_BAD_CD = 0x0a, F_WALK_EABT = 0x0b, F_TRANSLATION = 0x10, F_ADDR_SIZE = 0x11, F_ACCESS = 0x12,
    F_PERMISSION = 0x13, F_TLB_CONFLICT = 0x20, F_CFG_CONFLICT = 0x21, E_PAGE_REQUEST = 0x24,
    F_VMS_FETCH = 0x25,
};

// The architecture's name of an event type ("F_TRANSLATION", IHI 0070
// 7.3), or nullptr for a number that names none. The one table of names:
// traces (`dma ... expect=fault:TYPE`) and messages use it.
const char* name(uint8_t type);
// The type of an architected name, or -1 for a name that is none.
int by_name(std::string_view name);
}  // namespace smmuv3::evt

class SmmuEventQueue : public sc_core::sc_module {
public:
    SC_HAS_PROCESS(SmmuEventQueue);
    SmmuEventQueue(sc_core::sc_module_name name, Smmuv3& smmu);

    void post(const EventRecord& rec);
    void enabled_changed(bool on);

    smmuv3::QueueGeometry geometry() const;
    uint64_t base_pa() const;

    StatGroup& stats() { return stats_; }

private:
    void run();  // SC_THREAD

    Smmuv3& smmu_;
    std::deque<EventRecord> pending_;
    sc_core::sc_event work_ev_;
    bool aborted_ = false;

    StatGroup stats_;
    Counter& written_;
    Counter& overflows_;
    Counter& dropped_;
    Counter& aborts_;
};

}  // namespace smmusim
