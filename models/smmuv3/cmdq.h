// SPDX-License-Identifier: GPL-2.0-only
// The SMMU's command queue consumer. When CR0ACK.CMDQEN is set and PROD
// differs from CONS it reads up to smmu.cmdq.batch commands (never across the
// end of the ring) in one burst, decodes them, then executes them on the
// shared engine under one grant, advancing CONS as each completes.
//
// An illegal command stops the batch before it: CONS points at it,
// CONS.ERR = CERROR_ILL, GERROR.CMDQ_ERR toggles and the queue halts until
// software acknowledges through GERRORN (it then refetches from CONS, as the
// Linux driver's arm_smmu_cmdq_skip_err expects). A fetch that aborts does
// the same with CERROR_ABT.
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include <systemc>

#include "../platform/stats.h"
#include "commands.h"
#include "queue.h"

namespace smmusim {
class Smmuv3;

class SmmuCommandQueue : public sc_core::sc_module {
public:
    SC_HAS_PROCESS(SmmuCommandQueue);
    SmmuCommandQueue(sc_core::sc_module_name name, Smmuv3& smmu);

    // Register hooks (called by Smmuv3).
    void prod_written(uint32_t old_prod, uint32_t new_prod);
    void enabled_changed(bool on);
    void kick() { work_ev_.notify(sc_core::SC_ZERO_TIME); }

    // Notified whenever CONS moves or the queue stops on an error.
    const sc_core::sc_event& progress() const { return progress_ev_; }

    smmuv3::QueueGeometry geometry() const;
    uint64_t base_pa() const;
    bool halted() const;

    StatGroup& stats() { return stats_; }

private:
    void run();  // SC_THREAD
    bool can_consume() const;
    void note_consumed();

    Smmuv3& smmu_;
    unsigned src_;
    sc_core::sc_event work_ev_;
    sc_core::sc_event progress_ev_;

    struct Doorbell {
        uint64_t total;  // commands produced once this PROD write landed
        sc_core::sc_time when;
    };
    std::deque<Doorbell> doorbells_;
    uint64_t produced_ = 0;
    uint64_t consumed_ = 0;
    std::vector<uint64_t> buf_;         // the batch being fetched
    std::vector<smmuv3::Command> cmds_;  // its legal prefix

    StatGroup stats_;
    Counter& consumed_ctr_;
    Counter& errors_;
    Counter& batches_;
    Counter& fetch_aborts_;
    Counter& stall_cycles_;
    Histogram& latency_;
};

}  // namespace smmusim
