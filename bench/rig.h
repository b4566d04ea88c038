// SPDX-License-Identifier: GPL-2.0-only
// The benchmarks' platform, for the measurements that drive the models
// directly (no trace): a Soc with its default configuration, one CPU thread
// that runs one job per resumption of the simulation (SystemC cannot
// restart, so the platform is built once and each job resumes it), the SMMU
// CMDQ and a guest VCMDQ enabled (VINTF 1, VMID 5, its LVCMDQ 0 = global
// VCMDQ 2; 256 entries each) and the translation streams
// (translation_streams.h) in place with SMMUEN set.
//
// What a job can do: a burst of commands through a queue as a driver writes
// them (burst), DMA translations (translate), and anything else on the CPU
// thread. Not here: the trace player (measure_run.h plays traces through
// sim/run.h) and the real driver.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "platform/params.h"
#include "driver/sequences.h"
#include "soc.h"
#include "translation_streams.h"

namespace smmusim::bench {

// Which command queue a burst goes to.
enum class Queue { SmmuCmdq, GuestVcmdq };

// Walks and table reads the SMMU counted during some translations.
struct WalkCount {
    uint64_t translations = 0, walks = 0, reads = 0;
};

class Rig {
public:
    // Builds the platform and spawns the CPU thread; call during elaboration
    // (before any sc_start), then setup().
    Rig();
    ~Rig();

    // Enables the queues and the translation streams (one job).
    void setup();
    // Resumes the simulation until `fn`, run on the CPU thread, returns.
    void run_job(std::function<void()> fn);

    // On the CPU thread: writes `n` commands (TLBI_NH_VA, every 8th a
    // CMD_SYNC) into `q`, ringing PROD every 128 and waiting until CONS
    // catches up.
    void burst(Queue q, int n);
    // On the CPU thread: `n` 8-byte DMA reads by the stage-1 stream (`nested`:
    // the nested stream), all at the first page (`hit`) or each at the next
    // page in turn (a TLB miss and a walk each), streamed: each issued when
    // the one before completed, with one wait per quiet window rather than
    // per read (DmaRequester::dma with a delay). False if any faulted.
    bool translate(int n, bool hit, bool nested = false);
    // The walks and table reads the SMMU has counted so far.
    WalkCount walk_count();

    Soc& soc() { return *soc_; }

private:
    Config cfg_;
    std::unique_ptr<Soc> soc_;
    std::unique_ptr<TranslationStreams> streams_;
    std::function<void()> job_;
    sc_core::sc_event job_ev_;
    uint64_t smmu_q_ = 0, guest_q_ = 0;
    uint32_t smmu_prod_ = 0, guest_prod_ = 0;
    size_t next_page_ = 0;
};

}  // namespace smmusim::bench
