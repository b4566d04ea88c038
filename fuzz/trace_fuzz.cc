// SPDX-License-Identifier: GPL-2.0-only
// Fuzz target: the trace parser (sim/trace.h) and the player's checking pass
// (TracePlayer::validate, which also resolves register names and CMDQV
// indices). Any bytes are a trace file. Reading must never crash, hang or
// throw anything but TraceError, and:
//
//   - a TraceError names the trace as "FILE:LINE:COL: what", with LINE a line
//     of the input and COL within it (at most one past its end);
//   - every operation read is well formed: one per line, in line order, its
//     column within its line, sizes 4 or 8, values within their fields,
//     queue names in their canonical spelling (one name per queue);
//   - the player refuses whatever the reader refuses, at the same place or
//     earlier (its own checks come on top).
//
// The input is parsed from memory (TraceInput::from_text), named
// "fuzz.trace" in locations and errors.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "player.h"
#include "smmuv3/commands.h"
#include "soc.h"
#include "trace.h"

namespace {

using namespace smmusim;

[[noreturn]] void violated(const std::string& what, const std::string& input_note = "")
{
    fmt::print(stderr, "trace_fuzz: {}\n{}", what, input_note);
    fflush(stderr);
    abort();
}

struct Where {
    unsigned line, col;
};

class TraceFuzzer {
public:
    TraceFuzzer()
    {
        declare_all_params(cfg_);
        validate_config(cfg_);
        soc_ = std::make_unique<Soc>("soc", cfg_);
    }
    void run(const uint8_t* data, size_t size)
    {
        const TraceInput input =
            TraceInput::from_text(path_, std::string(reinterpret_cast<const char*>(data), size));
        split_lines(data, size);

        // The reader alone.
        bool reader_failed = false;
        Where reader_at{0, 0};
        std::string reader_msg;
        try {
            TraceReader r(input);
            TraceOp op;
            unsigned last_line = 0;
            while (r.next(op))
                check_op(op, last_line);
        } catch (const TraceError& e) {
            reader_failed = true;
            reader_msg = e.what();
            reader_at = check_error(reader_msg);
        }

        // The player's checking pass, which reads the same text.
        try {
            TracePlayer player(*soc_, input);
            player.validate();
            if (reader_failed)
                violated(fmt::format("the player accepts what the reader refused: {}", reader_msg));
            for (unsigned q : player.vcmdqs_used())
                if (q >= soc_->cmdqv().num_vcmdqs())
                    violated(fmt::format("the player lists VCMDQ {}, which does not exist", q));
        } catch (const TraceError& e) {
            const std::string msg = e.what();
            const Where at = check_error(msg);
            if (reader_failed && (at.line > reader_at.line || (at.line == reader_at.line && at.col > reader_at.col)))
                violated(fmt::format("the player's first error '{}' comes after the reader's '{}'", msg, reader_msg));
        }
    }

private:
    // The lines as std::getline sees them.
    void split_lines(const uint8_t* data, size_t size)
    {
        lines_.clear();
        size_t start = 0;
        for (size_t i = 0; i < size; i++)
            if (data[i] == '\n') {
                lines_.push_back(i - start);
                start = i + 1;
            }
        if (start < size)
            lines_.push_back(size - start);
    }

    bool in_input(unsigned line, unsigned col) const
    {
        return line >= 1 && line <= lines_.size() && col >= 1 && col <= lines_[line - 1] + 1;
    }

    // "PATH:LINE:COL: what", LINE:COL within the input.
    Where check_error(const std::string& msg) const
    {
        const std::string prefix = path_ + ":";
        unsigned line = 0, col = 0;
        int used = 0;
        if (msg.compare(0, prefix.size(), prefix) != 0 ||
            sscanf(msg.c_str() + prefix.size(), "%u:%u: %n", &line, &col, &used) != 2 || used == 0 ||
            prefix.size() + static_cast<size_t>(used) >= msg.size())
            violated(fmt::format("a TraceError that does not start with FILE:LINE:COL: and say what: '{}'", msg));
        if (!in_input(line, col))
            violated(fmt::format("the error '{}' points outside the input ({} lines)", msg, lines_.size()));
        return Where{line, col};
    }

    void check_op(const TraceOp& op, unsigned& last_line) const
    {
        auto bad = [&](const std::string& what) {
            violated(fmt::format("operation at {}:{}: {}", op.loc.line, op.loc.col, what));
        };
        if (op.kind == TraceOp::Kind::None)
            bad("no kind");
        if (op.loc.file == nullptr || *op.loc.file != path_)
            bad("does not name its file");
        if (op.loc.line <= last_line)
            bad(fmt::format("not after the previous operation's line {}", last_line));
        last_line = op.loc.line;
        if (!in_input(op.loc.line, op.loc.col))
            bad("its location is outside the input");
        if (op.size != 4 && op.size != 8)
            bad(fmt::format("access size {}", op.size));
        if (op.size == 4 && (op.value > 0xffffffffull || op.expect > 0xffffffffull) &&
            (op.kind == TraceOp::Kind::Write || op.kind == TraceOp::Kind::Read))
            bad("a 32-bit access with a wider value");
        if (op.log2size > 19)
            bad(fmt::format("log2size {}", op.log2size));
        if (op.has_base && (op.base & 31))
            bad("a misaligned queue base");
        if (op.vsid > 0xfffff)
            bad("a vSID wider than 20 bits");
        const bool queue_op = op.kind == TraceOp::Kind::QueueEnable || op.kind == TraceOp::Kind::Cmd ||
                              op.kind == TraceOp::Kind::Doorbell || op.kind == TraceOp::Kind::WaitConsumed;
        if (queue_op) {
            const std::string canonical = op.vcmdq ? fmt::format("vintf{}.lvcmdq{}", op.vintf, op.lidx) : "cmdq";
            if (op.queue != canonical)
                bad(fmt::format("queue '{}' is {} spelt differently", op.queue, canonical));
        }
        if (op.kind == TraceOp::Kind::Cmd) {
            if (smmuv3::cmdf::OPCODE.get(op.dw0) != op.opcode)
                bad("dword 0 does not hold its opcode");
            if (smmuv3::opcode_by_name(smmuv3::opcode_name(op.opcode)) < 0)
                bad(fmt::format("opcode {:#x} has no name", op.opcode));
        }
    }

    const std::string path_ = "fuzz.trace";  // the input's name in errors
    Config cfg_;
    std::unique_ptr<Soc> soc_;
    std::vector<size_t> lines_;  // length of each line, without its newline
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static TraceFuzzer* fuzzer = new TraceFuzzer;
    try {
        fuzzer->run(data, size);
    } catch (const std::exception& e) {
        violated(fmt::format("an exception other than TraceError: {}", e.what()));
    }
    return 0;
}
