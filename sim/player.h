// SPDX-License-Identifier: GPL-2.0-only
// Plays a trace on the platform: a simulated CPU thread executes the
// operations in order, in simulated time. player.cc reads, checks and runs
// the trace; player_ops.cc executes each kind of operation (one function
// each, the driver's register sequences from driver/sequences.h);
// player_queues.cc is what the trace's "driver" knows and waits for of its
// command queues. Its pacing is a parameter (player_params.h).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "driver/mmio_bus.h"
#include "driver/sequences.h"
#include "player_params.h"
#include "queue_table.h"
#include "roi.h"
#include "soc.h"
#include "trace.h"
#include "trace_spool.h"
#include "word_at_fault.h"

namespace smmusim {

class TracePlayer {
public:
    TracePlayer(Soc& soc, std::string path);
    // Plays `input` (e.g. a trace made in memory: TraceInput::from_text).
    TracePlayer(Soc& soc, TraceInput input);

    // Pass 1: reads the whole trace once (streaming; a trace that cannot be
    // read twice is kept in memory for the run) and checks every line,
    // including register names, indices and times against the platform.
    // Throws TraceError; nothing has run yet. The operations it checked are
    // kept for the run (trace_spool.h): a trace is parsed once, and its run
    // plays what was checked.
    void validate();
    // Whether validate() keeps the checked operations for the run (the
    // default); false: the run reads and parses the trace again, as it does
    // when they could not be kept (tests of that path). Before validate().
    void keep_checked_ops(bool keep) { keep_ops_ = keep; }
    // After validate(): whether the run plays the kept operations; false if
    // it reads the trace again (not asked to keep them, or they could not
    // be kept: no temporary file, a full disk, a file-size limit).
    bool keeps_checked_ops() const { return spool_ != nullptr; }
    // Spawns the CPU thread (before sc_start). One CPU: the whole trace is
    // one sequence of operations on one thread ("trace_cpu"), and where(),
    // the failures and the queues' waits are that thread's. Several CPUs
    // will need the trace to say which CPU runs each operation, one thread
    // per CPU, and that state per thread.
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
        if (k)
            k->note_position(&path_, &cur_line_, &cur_col_);
    }
    // Memory the kernel keeps its own data in ([base, base + size): page
    // tables, queues, stream tables), which a `map` may not hand to a
    // device: set before validate() (KernelOpsProvider::kernel_memory()).
    void set_kernel_memory(std::vector<std::pair<uint64_t, uint64_t>> ranges)
    {
        kernel_memory_ = std::move(ranges);
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
    // Whether validate() found an operation that acts (not an `expect` or
    // `roi` line, which only check or mark what the others do).
    bool acts() const { return acts_; }
    // The CMDQV's global VCMDQs the trace touches (mapped, or addressed in
    // the global VCMDQ pages or through CMDQ_ALLOC), known after validate().
    const std::set<unsigned>& vcmdqs_used() const { return vcmdqs_used_; }
    // Expectation failures and timeouts, each "file:line:col: what".
    const std::vector<std::string>& failures() const { return failures_; }
    // The trace's region of interest (roi.h). After the run: if the run
    // stopped inside it, ends it there, marked incomplete, so that the
    // statistics hold the whole run's figures again. Its figures are null
    // when the trace has no region.
    const RegionOfInterest& roi_after_run();

private:
    // What the trace's "driver" knows of a queue it brought up.
    struct QueueState {
        uint64_t base = 0;
        unsigned log2size = 0;
        uint32_t prod = 0;
        // The driver's copy of CONS (index and wrap bits) as of its last
        // CONS read, as Linux's arm_smmu_ll_queue keeps it: a `cmd` reads
        // CONS only when this copy says the queue is full, and `wait
        // consumed` not at all when it says everything was consumed.
        uint32_t cons = 0;
    };
    // The driver's bus for one operation (driver/sequences.h): MMIO on the
    // platform, polls that fail the operation (saying what `explain` says
    // of the hardware's state).
    class OpBus : public driver::MmioBus {
    public:
        OpBus(TracePlayer& p, const TraceOp& op) : p_(p), op_(op) {}
        uint64_t read(uint64_t addr, unsigned size) override;
        void write(uint64_t addr, unsigned size, uint64_t value) override;
        bool poll(uint64_t addr, uint64_t mask, uint64_t want) override;
        bool store(uint64_t pa, const void* src, size_t len) override;
        std::function<std::string()> explain;

    private:
        TracePlayer& p_;
        const TraceOp& op_;
    };
    using Step = void (TracePlayer::*)(const TraceOp&);
    static const std::pair<TraceOp::Kind, Step> kSteps[];

    // player.cc: reading, checking and running the trace. The checks
    // against the configuration name the word at fault (`w`: the line's).
    void resolve(TraceOp& op, const WordAtFault& w) const;
    void check_times(const TraceOp& op) const;
    // log2size within what the queue's hardware takes (IDR1.CMDQS).
    void check_queue_size(const TraceOp& op) const;
    void check_stats_name(const TraceOp& op, const WordAtFault& w) const;
    // A `mem` access outside populated memory (DRAM), refused at its address.
    void check_mem_access(const TraceOp& op) const;
    // An endpoint's stream ID beyond a linear stream table (2^IDR1.SIDSIZE
    // entries), refused at that stream ID before the run.
    void check_endpoint_sids(const TraceOp& op, const WordAtFault& w) const;
    // A kernel-level `map` past 2^52 (no SMMU stage's input reaches it), a
    // `map` or `unmap` of more pages than the kernel counts in an int.
    void check_map_range(const TraceOp& op, const WordAtFault& w) const;
    void run();
    void play();
    // Plays one operation; false if the run stops.
    bool play_op(const TraceOp& op);
    void note_vcmdqs(const TraceOp& op);
    void fail(const TraceOp& op, const std::string& what);
    // A failure of no line: what the teardown after the last one caused.
    void fail_after_last_line(const std::string& what);

    // player_ops.cc: one function per kind of operation (kSteps).
    void execute(const TraceOp& op);
    void op_wait(const TraceOp& op);
    void op_expect_cmd(const TraceOp& op);
    void op_kernel(const TraceOp& op);
    void op_write(const TraceOp& op);
    void op_read(const TraceOp& op);
    void op_mem_write(const TraceOp& op);
    void op_mem_read(const TraceOp& op);
    void op_queue_enable(const TraceOp& op);
    void op_cmd(const TraceOp& op);
    void op_doorbell(const TraceOp& op);
    void op_wait_consumed(const TraceOp& op);
    void op_cmdqv_enable(const TraceOp& op);
    void op_vintf_enable(const TraceOp& op);
    void op_vintf_map(const TraceOp& op);
    void op_vintf_sid(const TraceOp& op);
    void op_roi(const TraceOp& op);
    uint64_t mmio_addr(const TraceOp& op) const;
    // Where a default queue goes: after the previous one, aligned to its size.
    uint64_t place_queue(unsigned log2size);

    // player_queues.cc: the driver's view of its queues, and its waits.
    // The driver's state of the trace queue `op` names (made on first use).
    QueueState& queue_state(const TraceOp& op);
    uint64_t prod_reg(const TraceOp& op) const;
    uint64_t cons_reg(const TraceOp& op) const;
    // A trace queue's VCMDQ (VINTF vintf's LVCMDQ lidx); nullptr if none is
    // mapped there.
    Vcmdq* vcmdq_of(const TraceOp& op);
    CommandQueueConsumer* consumer(const TraceOp& op);
    bool queue_halted(const TraceOp& op);
    // The hardware's CONS (ERR included), looked at in zero time: what the
    // driver's waits wake on, never a read of its own.
    uint32_t hw_cons(const TraceOp& op);
    uint64_t hw_prod(const TraceOp& op);  // the register, likewise
    // A timed MMIO read of CONS (ERR included); the driver's copy follows it.
    uint32_t read_cons(const TraceOp& op, QueueState& q);
    // Why the queue can make no progress from CONS `cons` ("" if it can).
    std::string stuck(const TraceOp& op, uint32_t cons);
    // Polls until (reg & mask) == want, at most player.poll_reads reads; a
    // failure names the register and what `explain` says of the hardware's
    // state.
    bool poll(const TraceOp& op, uint64_t addr, uint64_t mask, uint64_t want,
              const std::function<std::string()>& explain = nullptr);
    // Why a VCMDQ's enable handshake failed (its CMDQ_INIT_ERR state).
    std::string vcmdq_error_state(const TraceOp& op);
    // Waits n cycles; false (a failure, and the run stops) if that would
    // pass the end of simulated time.
    bool wait_cycles(const TraceOp& op, uint64_t n);
    // Waits at most n cycles for the queue's consumer to make progress.
    bool wait_progress(const TraceOp& op, uint64_t n);
    // Waits for `e` or time `until`, whichever comes first, through the
    // player's one deadline event (a wait with a timeout would leave one
    // cancelled timed notification in SystemC's queue per wake-up).
    void wait_until(const sc_core::sc_event& e, const sc_core::sc_time& until);
    // Room for one more command at the driver's PROD (reading CONS only
    // when the driver's copy says the queue is full); false (a failure) if
    // none comes.
    bool wait_for_room(const TraceOp& op, QueueState& q);
    // Waits at most n cycles until the queue's CONS reaches the driver's
    // PROD or the queue can make no more progress (stuck()); at once if it
    // has. The driver wakes once, when a CONS read will tell it something.
    bool wait_drained(const TraceOp& op, const QueueState& q, uint64_t n);

    Soc& soc_;
    const PlayerParams pp_;
    std::string path_;
    std::unique_ptr<TraceInput> input_;  // given, or opened by validate()
    std::unique_ptr<TraceSpool> spool_;  // the checked operations, if kept
    bool keep_ops_ = true;
    std::string error_;
    bool stop_ = false;                  // the run cannot go on (end of simulated time)
    unsigned cur_line_ = 0, cur_col_ = 0;  // the operation playing
    QueueTable<QueueState> queues_;
    // op_cmd's one command, kept so that storing it allocates nothing.
    std::vector<driver::CmdWords> one_cmd_{1};
    uint64_t next_queue_base_ = 0;
    bool finished_ = false;
    uint64_t ops_ = 0, checked_ops_ = 0;
    std::vector<std::string> failures_;
    std::set<unsigned> vcmdqs_used_;
    uint64_t lost_failures_ = 0;
    std::function<void(uint64_t)> progress_;
    OpObserver op_observer_;
    bool uses_kernel_ = false;
    std::vector<std::pair<uint64_t, uint64_t>> kernel_memory_;  // set_kernel_memory()
    bool uses_cmd_expect_ = false;
    bool acts_ = false;
    CommandLog cmdlog_;  // what `expect executed` lines check
    RegionOfInterest roi_;
    // The deadline of the player's bounded waits (wait_until): one timed
    // notification, pending until deadline_at_ (passed: none pending).
    sc_core::sc_event deadline_;
    sc_core::sc_time deadline_at_ = sc_core::SC_ZERO_TIME;
    KernelOps* kernel_ = nullptr;
    size_t stack_bytes_ = 1 << 20;
};

}  // namespace smmusim
