// SPDX-License-Identifier: GPL-2.0-only
// Trace files: the parser. The format is documented in traces/FORMAT.md;
// the grammar, for reference while reading the parser:
//
//   trace    := { line }
//   line     := [ when ] [ op ] [ "#" comment ] newline
//   when     := "@" NUMBER              wait until this SMMU cycle
//             | "+" NUMBER              wait this many cycles first
//   op       := ("write32" | "write64") place VALUE
//             | ("read32" | "read64") place [ "expect" VALUE ]
//             | "mem" ("write32" | "write64") ADDRESS VALUE
//             | "mem" ("read32" | "read64") ADDRESS "expect" VALUE
//             | queue "enable" { "log2size=" NUMBER | "base=" ADDRESS }
//             | "cmd" queue OPNAME { FIELD "=" VALUE }
//             | "doorbell" queue
//             | "wait" NUMBER
//             | "wait" "consumed" queue [ "timeout=" NUMBER ]
//             | "cmdqv" "enable"
//             | "vintf" N "enable" { "vmid=" NUMBER | "hyp_own=" (0|1) }
//             | "vintf" N "map" L "vcmdq=" Q
//             | "vintf" N "sid" S "vsid=" NUMBER "psid=" NUMBER
//             | "expect" "executed" ...  the commands executed: cmd_expect.h
//             | "roi" ("begin" | "end")  the region of interest: statistics
//                                        count only inside it (one per trace)
//   place    := ADDRESS | ("smmu" | "cmdqv") ("." REGNAME | "+" NUMBER)
//   queue    := "cmdq"                  the SMMU's command queue
//             | "vintf" N ".lvcmdq" L   logical VCMDQ L, through VINTF N's page
//             | kop                     kernel-level operations: kernel_ops.h
//   NUMBER   := decimal | 0x hex        (a 64-bit unsigned value; no sign,
//                                        a leading 0 is still decimal)
//
// Words, numbers, KEY=VALUE fields and errors follow the one lexer of the
// trace grammars (lexer.h). The reader dispatches each line by its first
// word: to its own functions, to the kernel-level grammar (kernel_ops.h) or
// to the `expect executed` grammar (cmd_expect.h), which know nothing of it.
//
// The reader reads any std::istream. A regular file is read as a stream (one
// line in memory at a time), so a trace of any length runs in bounded
// memory: once to check it, and once more to play it only if its checked
// operations could not be kept (trace_spool.h); a trace that can be read
// only once (a pipe, /dev/stdin, a FIFO) is read into memory on open
// (TraceInput). Every error names file:line:column.
#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cmd_expect.h"
#include "kernel_ops.h"
#include "lexer.h"

namespace smmusim {

struct TraceLoc {
    const std::string* file;
    unsigned line;
    unsigned col;
    std::string str() const;
};

// Every value of an operation but its names, kernel-level operation and
// expectation (TraceOp): plain values, reset as a whole between lines.
struct TraceOpValues {
    enum class Kind {
        None, Write, Read, MemWrite, MemRead, QueueEnable, Cmd, Doorbell, Wait, WaitConsumed,
        CmdqvEnable, VintfEnable, VintfMap, VintfSid,
        Kernel,  // a kernel-level operation (kop), see kernel_ops.h
        ExpectCmd,  // expect executed ...: the commands executed, see cmd_expect.h
        RoiBegin, RoiEnd  // roi begin / roi end: the region of interest
    };
    enum class Block { Absolute, Smmu, Cmdqv };
    enum class When { Asap, At, After };

    Kind kind = Kind::None;
    TraceLoc loc{};
    When when = When::Asap;
    uint64_t when_cycles = 0;

    // Write/Read/Mem*: the place (TraceOp::reg names a register), access
    // size and value.
    Block block = Block::Absolute;
    uint64_t addr = 0;       // absolute, or an offset in the block
    unsigned size = 4;
    uint64_t value = 0;
    bool has_expect = false;
    uint64_t expect = 0;

    // Queues and commands (TraceOp::queue names the queue).
    bool vcmdq = false;
    unsigned vintf = 0, lidx = 0;
    // CMDQV set-up.
    unsigned index = 0;      // LVCMDQ (map) or SID pair (sid)
    unsigned global_q = 0;   // map: the global VCMDQ
    uint16_t vmid = 0;
    bool hyp_own = false;
    uint32_t vsid = 0, psid = 0;
    uint8_t opcode = 0;
    uint64_t dw0 = 0, dw1 = 0;
    unsigned log2size = 8;
    bool has_base = false;
    uint64_t base = 0;
    static constexpr uint64_t kDefaultTimeout = 1000000;  // cycles
    uint64_t timeout = kDefaultTimeout;
    uint64_t cycles = 0;     // Wait
    // Columns of the arguments the player checks against the platform
    // (0: not given): the place, the `@`/`+` time, and the cycle count of
    // `wait N` or `timeout=N`.
    unsigned place_col = 0, when_col = 0, cycles_col = 0;
    // QUEUE enable: the column of log2size=N's value (of `enable` when the
    // default is used).
    unsigned log2size_col = 0;
};

// One operation of a trace. The reader resets its values and names for
// every line; kop and cexp hold what the last line of their kind set and
// mean something only when `kind` is Kernel or ExpectCmd.
struct TraceOp : TraceOpValues {
    std::string reg;         // register name when written as smmu.NAME / cmdqv.NAME
    std::string queue;       // "cmdq" or "vintfN.lvcmdqL"
    KernelOp kop;            // Kernel
    CmdExpect cexp;          // ExpectCmd
};

// Where a trace comes from. A regular file is opened afresh for every pass
// (each pass streams it); anything else (a pipe, /dev/stdin, a FIFO, a
// character device) cannot be read twice, so it is read once, into memory,
// when the TraceInput is made: at most kMaxInMemory bytes. A trace made in
// memory (from_text: a test, the fuzzer) is read from there.
class TraceInput {
public:
    static constexpr size_t kMaxInMemory = 64u << 20;
    // Throws TraceError if `path` cannot be opened or read.
    explicit TraceInput(std::string path);
    // `text` as a trace called `name` (in locations and errors).
    static TraceInput from_text(std::string name, std::string text);
    const std::string& path() const { return path_; }
    bool in_memory() const { return text_ != nullptr; }
    // A new stream from the start of the trace; throws TraceError.
    std::unique_ptr<std::istream> open() const;

private:
    TraceInput() = default;
    std::string path_;
    std::shared_ptr<const std::string> text_;  // not a regular file: its contents
};

class TraceReader {
public:
    // Reads `in`, which must outlive the reader; `name` names it in
    // locations and errors.
    TraceReader(std::istream& in, std::string name);
    // Reads `input` from its start.
    explicit TraceReader(const TraceInput& input);
    // Opens `path` (a TraceInput of its own); throws TraceError if it cannot.
    explicit TraceReader(const std::string& path);
    TraceReader(const TraceReader&) = delete;  // locations point into the lexer
    TraceReader& operator=(const TraceReader&) = delete;

    // Next operation (lines with no op are skipped); false at end of file.
    // Throws TraceError naming file:line:column on any malformed line, and
    // at the end of file on a `roi begin` with no `roi end`.
    bool next(TraceOp& op);
    const std::string& path() const { return lexer_.file(); }
    // The words of the line next() returned last (valid until the next
    // call): the checks that run on a parsed operation find the word at
    // fault in them (word_at_fault.h).
    const std::vector<Token>& words() const { return lexer_.words(); }
    // The trace uses kernel-level operations (known once they are read).
    bool uses_kernel() const { return kernel_.used(); }

    // The words of a line after its verb, with the register-level grammar's
    // errors for missing and extra words (trace.cc).
    class Line;

private:
    bool parse_line(const std::vector<Token>& toks, TraceOp& op);
    // One function per operation; each reads the line after its verb.
    void parse_access(Line& l, TraceOp& op);
    void parse_queue_enable(Line& l, TraceOp& op);
    void parse_cmd(Line& l, TraceOp& op);
    void parse_doorbell(Line& l, TraceOp& op);
    void parse_wait(Line& l, TraceOp& op);
    void parse_cmdqv(Line& l, TraceOp& op);
    void parse_vintf(Line& l, TraceOp& op);
    void parse_expect(Line& l, TraceOp& op);
    void parse_kernel(Line& l, TraceOp& op);
    void parse_roi(Line& l, TraceOp& op);
    struct Verb {
        std::string_view word;
        void (TraceReader::*parse)(Line&, TraceOp&);
    };
    static const Verb kVerbs[];

    std::unique_ptr<std::istream> owned_;  // the stream of a TraceInput
    Lexer lexer_;
    KernelOpParser kernel_;
    // The region of interest so far: where its `roi begin` was (line 0:
    // none yet), and whether its `roi end` came.
    unsigned roi_line_ = 0, roi_col_ = 0;
    bool roi_ended_ = false;
};

}  // namespace smmusim
