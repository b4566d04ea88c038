// SPDX-License-Identifier: GPL-2.0-only
// `--vcd FILE.vcd`: a value-change dump (the IEEE 1364 text format; opens in
// GTKWave) of the state software programs and watches: every command queue's
// PROD and CONS, the event queue's, the enables and their acknowledgements,
// GERROR and the CMDQV's error maps, and the interrupt lines.
//
// Event-driven like the models: the dump observes the register banks (every
// change of a stored value, by software or by the model) and the interrupt
// controller, and writes a value when it changes. Nothing is sampled per
// cycle, and the models are not changed by being watched.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "outputs.h"
#include "soc.h"

namespace smmusim {

// The file format: declare variables in nested scopes, then record changes
// in simulated time. Changes at one time are coalesced (a variable written
// twice at the same time shows its last value), so each timestamp appears
// once and times only grow.
class VcdWriter {
public:
    // Throws OutputError (naming `option` and the path) if the file cannot
    // be created. Write errors are kept: error().
    explicit VcdWriter(const std::string& path, const std::string& option = "--vcd");
    // Without close() the file is not written (a run that ended early).
    ~VcdWriter();
    VcdWriter(const VcdWriter&) = delete;
    VcdWriter& operator=(const VcdWriter&) = delete;

    // Declarations, before begin(). Widths are 1 to 64 bits.
    void push_scope(const std::string& name);
    void pop_scope();
    int add_var(const std::string& name, unsigned width, uint64_t initial);

    // Writes the header ($timescale such as "1 ps") and the initial values
    // at time 0.
    void begin(const std::string& timescale);
    // `var` takes `value` at `time` (in timescale units; never earlier than
    // a previous call).
    void change(int var, uint64_t value, uint64_t time);
    // `var` (1 bit) goes to 1 at `time` and back to 0 `width` later; a pulse
    // while it is high extends it.
    void pulse(int var, uint64_t time, uint64_t width);
    // Writes what is pending and a last timestamp `end`; the file is
    // closed. False if any write or the close failed (error()).
    bool close(uint64_t end);
    bool is_open() const { return out_->is_open(); }
    const std::string& error() const { return out_->error(); }
    uint64_t changes() const { return changes_; }

    // The identifier of the n-th variable: printable ASCII, base 94.
    static std::string id_code(unsigned n);

private:
    struct Var {
        std::string id;
        unsigned width;
        uint64_t value;    // current
        uint64_t written;  // last value in the file
        bool dirty = false;
        bool falling = false;
        uint64_t fall_at = 0;
    };
    void advance(uint64_t time);
    void flush();
    void write_value(const Var& v);

    std::unique_ptr<OutputWriter> out_;
    std::string header_;  // declarations, written by begin()
    unsigned depth_ = 0;
    bool begun_ = false;
    std::vector<Var> vars_;
    std::vector<int> dirty_;
    std::vector<int> falling_;  // pulses not yet ended
    uint64_t now_ = 0;           // time of the pending changes
    bool now_written_ = false;   // "#now_" is in the file
    uint64_t changes_ = 0;
};

// The dump of a Soc. `vcmdqs` are the CMDQV's global VCMDQ indices to show
// (the ones a trace uses; see TracePlayer::vcmdqs_used()); the SMMU's queues
// and interrupt lines are always shown. Construct it before sc_start.
class Vcd {
public:
    // Throws OutputError if the file cannot be created.
    Vcd(Soc& soc, const std::string& path, const std::vector<unsigned>& vcmdqs,
        const std::string& option = "--vcd");
    // Without close() the file is not written (a run that ended early).
    ~Vcd();
    // Ends the dump at the current simulated time; false if any write or
    // the close failed (error()).
    bool close();
    const std::string& error() const;
    uint64_t changes() const;

    struct State;

private:
    // Shared with the observers, which outlive this object in the models.
    std::shared_ptr<State> st_;
};

}  // namespace smmusim
