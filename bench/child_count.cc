// SPDX-License-Identifier: GPL-2.0-only
// The `count_cmdq`, `count_vcmdq`, `count_wait`, `count_hit` and
// `count_miss` children (children.h): the model child's jobs without a
// clock, for counting instructions. After the set-up and one warm-up job,
// `ops` jobs of 1024 commands on the SMMU CMDQ, on the guest VCMDQ, of 1024
// bare timed waits, or of 1024 8-byte DMA reads on a TLB hit (the warm-up
// fills the TLB) or each missing and walking; nothing is timed.
// Run under `valgrind --tool=callgrind` with two values of --ops, the
// difference of the two instruction counts divided by 1024 × the jobs
// between them is the deterministic per-command (per-wait, per-translation) cost that
// docs/profile-13.md compares on a machine too loaded for host times.
#include <stdexcept>

#include "children.h"
#include "rig.h"
#include "yardstick.h"

namespace smmusim::bench {

nlohmann::json count_jobs(const std::string& what, uint64_t jobs)
{
    constexpr int kPerJob = 1024;
    Rig rig;
    rig.setup();
    bool ok = true;
    auto job = [&] {
        if (what == "wait")
            timed_waits(kPerJob);
        else if (what == "hit" || what == "miss")
            ok &= rig.translate(kPerJob, what == "hit");
        else
            rig.burst(what == "cmdq" ? Queue::SmmuCmdq : Queue::GuestVcmdq, kPerJob);
    };
    for (uint64_t i = 0; i <= jobs; i++)  // the first is the warm-up
        rig.run_job(job);
    if (!ok)
        throw std::runtime_error("a counted translation faulted");
    nlohmann::json j;
    j["what"] = what;
    j["jobs"] = jobs;
    j["items_per_job"] = kPerJob;
    return j;
}

}  // namespace smmusim::bench
