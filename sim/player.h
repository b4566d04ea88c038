// SPDX-License-Identifier: GPL-2.0-only
// Plays a trace on the platform: a simulated CPU thread executes the
// operations in order, in simulated time.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "soc.h"
#include "trace.h"

namespace smmusim {

class TracePlayer {
public:
    TracePlayer(Soc& soc, std::string path);
    // Plays `input` (e.g. a trace made in memory: TraceInput::from_text).
    TracePlayer(Soc& soc, TraceInput input);

    // Pass 1: reads the whole trace once (streaming; a trace that cannot be
    // read twice is kept in memory for the run) and checks every line,
    // including register names, indices and times against the platform.
    // Throws TraceError; nothing has run yet.
    void validate();
    // Spawns the CPU thread (before sc_start).
    void start();

    // The trace ran to its end (false if the run stopped early: error()).
    bool finished() const { return finished_; }
    // Why the run stopped before the end of the trace ("file:line:col: what"),
    // e.g. a line that became malformed after validate(), or an exception
    // from a model; "" if it did not.
    const std::string& error() const { return error_; }
    // "file:line:col" of the operation playing (or last played); "" before
    // the first. For errors raised outside the player's thread.
    std::string where() const;
    // The trace has kernel-level operations (known after validate()); they
    // run through `k` (the kernel shim), which must be set before start().
    bool uses_kernel() const { return uses_kernel_; }
    void set_kernel(KernelOps* k, size_t cpu_stack_bytes)
    {
        kernel_ = k;
        stack_bytes_ = cpu_stack_bytes;
    }
    // Called every 4096 operations (a progress display; it must not wait).
    void on_progress(std::function<void(uint64_t ops)> f) { progress_ = std::move(f); }
    // Called after every operation with its name, start and end (a CPU
    // track for the timeline).
    using OpObserver = std::function<void(const TraceOp&, const std::string& name, const sc_core::sc_time& start,
                                          const sc_core::sc_time& end)>;
    void on_op(OpObserver f) { op_observer_ = std::move(f); }
    static std::string op_name(const TraceOp& op);
    uint64_t ops() const { return ops_; }
    // Operations validate() found (a trace may have none).
    uint64_t checked_ops() const { return checked_ops_; }
    // The CMDQV's global VCMDQs the trace touches (mapped, or addressed in
    // the global VCMDQ pages or through CMDQ_ALLOC), known after validate().
    const std::set<unsigned>& vcmdqs_used() const { return vcmdqs_used_; }
    // Expectation failures and timeouts, each "file:line:col: what".
    const std::vector<std::string>& failures() const { return failures_; }

private:
    // What the trace's "driver" knows of a queue it brought up.
    struct QueueState {
        uint64_t base = 0;
        unsigned log2size = 0;
        uint32_t prod = 0;
    };
    void resolve(TraceOp& op) const;
    uint64_t queue_page0(const TraceOp& op) const;  // MMIO address of PROD's page
    uint64_t prod_reg(const TraceOp& op) const;
    uint64_t cons_reg(const TraceOp& op) const;
    CommandQueueConsumer* consumer(const TraceOp& op);
    bool queue_halted(const TraceOp& op);
    // Why the queue can make no progress from CONS `cons` ("" if it can).
    std::string stuck(const TraceOp& op, uint32_t cons);
    // Polls until (reg & mask) == want; a failure names the register and
    // what `explain` says of the hardware's state.
    void poll(const TraceOp& op, uint64_t addr, uint64_t mask, uint64_t want,
              const std::function<std::string()>& explain = nullptr);
    // Why a VCMDQ's enable handshake failed (its CMDQ_INIT_ERR state).
    std::string vcmdq_error_state(const TraceOp& op);
    void check_times(const TraceOp& op) const;
    // log2size within what the queue's hardware takes (IDR1.CMDQS).
    void check_queue_size(const TraceOp& op) const;
    // Waits n cycles; false (a failure, and the run stops) if that would
    // pass the end of simulated time.
    bool wait_cycles(const TraceOp& op, uint64_t n);
    // Waits at most n cycles for the queue's consumer to make progress.
    bool wait_progress(const TraceOp& op, uint64_t n);
    bool wait_for_room(const TraceOp& op, const QueueState& q);
    void enable_queue(const TraceOp& op);
    void run();
    void play();
    void note_vcmdqs(const TraceOp& op);
    void execute(const TraceOp& op);
    void fail(const TraceOp& op, const std::string& what);
    uint64_t mmio_addr(const TraceOp& op) const;

    Soc& soc_;
    std::string path_;
    std::unique_ptr<TraceInput> input_;  // given, or opened by validate()
    std::string error_;
    bool stop_ = false;                  // the run cannot go on (end of simulated time)
    unsigned cur_line_ = 0, cur_col_ = 0;  // the operation playing
    std::map<std::string, QueueState> queues_;
    uint64_t next_queue_base_ = 0;
    bool finished_ = false;
    uint64_t ops_ = 0, checked_ops_ = 0;
    std::vector<std::string> failures_;
    std::set<unsigned> vcmdqs_used_;
    uint64_t lost_failures_ = 0;
    std::function<void(uint64_t)> progress_;
    OpObserver op_observer_;
    bool uses_kernel_ = false;
    bool uses_cmd_expect_ = false;
    CommandLog cmdlog_;  // what `expect executed` lines check
    KernelOps* kernel_ = nullptr;
    size_t stack_bytes_ = 1 << 20;
};

}  // namespace smmusim
