// SPDX-License-Identifier: GPL-2.0-only
// The register-level trace grammar (trace.h) and where traces come from.
#include "trace.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <functional>
#include <sstream>

#include <sys/stat.h>

#include <fmt/format.h>

#include "cmd_syntax.h"

namespace smmusim {

std::string TraceLoc::str() const { return fmt::format("{}:{}:{}", file ? *file : "?", line, col); }

TraceInput::TraceInput(std::string path) : path_(std::move(path))
{
    struct stat st {};
    if (stat(path_.c_str(), &st) != 0)
        throw TraceError(fmt::format("{}: cannot open trace: {}", path_, strerror(errno)));
    if (S_ISDIR(st.st_mode))
        throw TraceError(fmt::format("{}: cannot open trace: it is a directory", path_));
    if (S_ISREG(st.st_mode)) {
        open();  // fail now, not in a later pass
        return;
    }
    // A pipe, FIFO or device gives its bytes once: keep them.
    std::ifstream in(path_, std::ios::binary);
    if (!in)
        throw TraceError(fmt::format("{}: cannot open trace: {}", path_, strerror(errno)));
    auto text = std::make_shared<std::string>();
    char buf[65536];
    while (in.read(buf, sizeof(buf)) || in.gcount() > 0) {
        text->append(buf, static_cast<size_t>(in.gcount()));
        if (text->size() > kMaxInMemory)
            throw TraceError(fmt::format("{}: a trace that is not a regular file is read into memory, and this one "
                                         "is larger than {} MiB: save it to a file and play that",
                                         path_, kMaxInMemory >> 20));
    }
    if (in.bad())
        throw TraceError(fmt::format("{}: read error", path_));
    text_ = std::move(text);
}

TraceInput TraceInput::from_text(std::string name, std::string text)
{
    TraceInput in;
    in.path_ = std::move(name);
    in.text_ = std::make_shared<const std::string>(std::move(text));
    return in;
}

std::unique_ptr<std::istream> TraceInput::open() const
{
    if (text_)
        return std::make_unique<std::istringstream>(*text_);
    auto in = std::make_unique<std::ifstream>(path_);
    if (!*in)
        throw TraceError(fmt::format("{}: cannot open trace: {}", path_, strerror(errno)));
    return in;
}

TraceReader::TraceReader(std::istream& in, std::string name) : lexer_(in, std::move(name)) {}

TraceReader::TraceReader(const TraceInput& input) : owned_(input.open()), lexer_(*owned_, input.path()) {}

TraceReader::TraceReader(const std::string& path) : TraceReader(TraceInput(path)) {}

class TraceReader::Line : public Words {
public:
    Line(const Lexer& lx, const std::vector<Token>& toks, size_t k)
        : Words(lx, toks, k + 1), verb(toks[k]), verb_at(k)
    {
    }

    const Token& verb;
    const size_t verb_at;  // the verb's index in the line's words
    // At least n more words; else "'VERB' expects WHAT" at the end of the line.
    void need(size_t n, const char* what) const
    {
        if (!has(n))
            lx.fail_at(lx.end_col(), fmt::format("'{}' expects {}", verb.text, what));
    }
    void no_more() const
    {
        if (!done())
            lx.fail(peek(), fmt::format("unexpected '{}' after {}", peek().text, verb.text));
    }
    // KEY=VALUE options to the end of the line, each key of `keys` at most
    // once, in order: take(key, value) for each; `unknown` words the error
    // for anything else.
    void options(std::initializer_list<const char*> keys, const std::function<std::string(const Token&)>& unknown,
                 const std::function<void(std::string_view key, const Token& value)>& take)
    {
        std::vector<std::string_view> seen;
        for (const Token& t : rest()) {
            KeyValue kv;
            const bool known = split_field(t, kv) && std::any_of(keys.begin(), keys.end(), [&](const char* k) {
                                   return kv.key == k;
                               });
            if (!known)
                lx.fail(t, unknown(t));
            // A second value would silently win (or be ORed in): refuse it.
            if (std::find(seen.begin(), seen.end(), kv.key) != seen.end())
                lx.fail(t, fmt::format("'{}' is given twice", kv.key));
            seen.push_back(kv.key);
            take(kv.key, kv.value);
        }
    }
};

namespace {

// Decimal digits at s[i...] (at least one), saturating; advances i.
bool digits(std::string_view s, size_t& i, uint64_t& v)
{
    const size_t start = i;
    v = 0;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; i++)
        v = v > 0xffffffffull ? v : v * 10 + static_cast<uint64_t>(s[i] - '0');
    return i > start;
}

// "vintfN.lvcmdqL" -> N, L (saturated above 2^32), and where L's digits
// start (N's start at 5)
bool split_lvcmdq(std::string_view s, uint64_t& v, uint64_t& l, size_t& l_at)
{
    size_t i = 5;
    if (s.compare(0, 5, "vintf") != 0 || !digits(s, i, v) || s.compare(i, 7, ".lvcmdq") != 0)
        return false;
    i += 7;
    l_at = i;
    return digits(s, i, l) && i == s.size();
}

bool is_queue(std::string_view s)
{
    uint64_t v, l;
    size_t l_at;
    return s == "cmdq" || split_lvcmdq(s, v, l, l_at);
}

// `op.queue` = `name`, copied only if it changed (most lines name the
// queue the line before named).
void set_queue(TraceOp& op, std::string_view name)
{
    if (std::string_view(op.queue) != name)
        op.queue.assign(name.data(), name.size());
}

// QUEUE: "cmdq" or "vintfN.lvcmdqL", in one spelling per queue.
void parse_queue(const Lexer& lx, const Token& t, TraceOp& op)
{
    if (t.text == "cmdq") {
        // Compared as 4 known bytes: no call to memcmp.
        if (op.queue.size() != 4 || std::memcmp(op.queue.data(), "cmdq", 4) != 0)
            op.queue.assign("cmdq", 4);
        return;
    }
    uint64_t v = 0, l = 0;
    size_t l_at = 0;
    if (!split_lvcmdq(t.text, v, l, l_at))
        lx.fail(t, fmt::format("unknown queue '{}' (expected cmdq or vintfN.lvcmdqL)", t.text));
    // At the number that overflows, as the configuration's checks name N
    // or L (TracePlayer::resolve).
    if (v > 0xffffffffull) {
        const Token n = t.part(5, l_at - 7 - 5);
        lx.fail(n, fmt::format("'{}' is too large for a VINTF number (in queue '{}')", n.text, t.text));
    }
    if (l > 0xffffffffull) {
        const Token n = t.tail(l_at);
        lx.fail(n, fmt::format("'{}' is too large for an LVCMDQ number (in queue '{}')", n.text, t.text));
    }
    op.vcmdq = true;
    op.vintf = static_cast<unsigned>(v);
    op.lidx = static_cast<unsigned>(l);
    // One spelling per queue (vintf01.lvcmdq0 is vintf1.lvcmdq0): the player
    // keeps each queue's state by name.
    char canon[48];
    const auto r = fmt::format_to_n(canon, sizeof canon, "vintf{}.lvcmdq{}", op.vintf, op.lidx);
    set_queue(op, std::string_view(canon, r.size));
}

// The operations whose line names a queue (parse_queue).
bool names_queue(TraceOp::Kind k)
{
    using K = TraceOp::Kind;
    return k == K::Cmd || k == K::Doorbell || k == K::WaitConsumed || k == K::QueueEnable;
}

// PLACE: an address, or BLOCK.REGNAME / BLOCK+OFFSET of the SMMU or the CMDQV.
void parse_place(const Lexer& lx, const Token& t, TraceOp& op)
{
    const std::string_view s = t.text;
    static const std::pair<const char*, TraceOp::Block> kBlocks[] = {{"smmu", TraceOp::Block::Smmu},
                                                                     {"cmdqv", TraceOp::Block::Cmdqv}};
    for (const auto& [name, block] : kBlocks) {
        const std::string_view prefix = name;
        if (s.size() <= prefix.size() || s.compare(0, prefix.size(), prefix) != 0)
            continue;
        const char sep = s[prefix.size()];
        if (sep != '.' && sep != '+')
            continue;
        op.block = block;
        const Token rest = t.tail(prefix.size() + 1);
        if (sep == '+')
            op.addr = lx.number(rest, "a register offset");
        else if (rest.text.empty())
            lx.fail(rest, fmt::format("expected a register name after '{}.'", prefix));
        else
            op.reg = rest.text;
        return;
    }
    op.addr = lx.number(t, "an address, smmu.REG, smmu+OFFSET, cmdqv.REG or cmdqv+OFFSET");
}

// `@N` or `+N` before the operation: the index of the word after it.
size_t parse_when(const Lexer& lx, const std::vector<Token>& toks, TraceOp& op)
{
    if (toks.empty() || (toks[0].text[0] != '@' && toks[0].text[0] != '+'))
        return 0;
    op.when = toks[0].text[0] == '@' ? TraceOp::When::At : TraceOp::When::After;
    const Token n = toks[0].tail(1);
    op.when_col = n.col;
    op.when_cycles = lx.number(n, "a cycle count");
    return 1;
}

}  // namespace

// The register-level verbs, the commonest first; no kernel-level verb is one
// of them (trace_test.cc), so their order with the kernel's does not matter.
const TraceReader::Verb TraceReader::kVerbs[] = {
    {"cmd", &TraceReader::parse_cmd},
    {"write32", &TraceReader::parse_access}, {"write64", &TraceReader::parse_access},
    {"read32", &TraceReader::parse_access},  {"read64", &TraceReader::parse_access},
    {"mem", &TraceReader::parse_access},
    {"doorbell", &TraceReader::parse_doorbell}, {"wait", &TraceReader::parse_wait},
    {"cmdqv", &TraceReader::parse_cmdqv},    {"vintf", &TraceReader::parse_vintf},
    {"expect", &TraceReader::parse_expect},  // the `expect executed` grammar: cmd_expect.h
    {"roi", &TraceReader::parse_roi},
};

bool TraceReader::next(TraceOp& op)
{
    while (lexer_.next_line()) {
        const std::vector<Token>& toks = lexer_.words();
        // A blank operation: its values and names (a line sets few of
        // them); the kernel-level operation or expectation only on a line
        // of its kind (their grammars start from a blank one). The queue's
        // name is kept for parse_queue to compare, and cleared after a line
        // that names none.
        static_cast<TraceOpValues&>(op) = TraceOpValues{};
        op.reg.clear();
        op.loc = TraceLoc{&lexer_.file(), lexer_.line(), toks.empty() ? 1u : toks[0].col};
        if (parse_line(toks, op)) {
            if (!names_queue(op.kind))
                op.queue.clear();
            return true;
        }
    }
    if (roi_line_ && !roi_ended_)
        throw TraceError(fmt::format("{}:{}:{}: 'roi begin' has no 'roi end' (the trace ends inside the region of "
                                     "interest)",
                                     lexer_.file(), roi_line_, roi_col_));
    return false;
}

// Dispatches the line by its first word after the time.
bool TraceReader::parse_line(const std::vector<Token>& toks, TraceOp& op)
{
    const size_t k = parse_when(lexer_, toks, op);
    if (k == toks.size()) {
        if (op.when == TraceOp::When::Asap)
            return false;  // blank or comment
        op.kind = TraceOp::Kind::Wait;  // a bare time is a wait
        return true;
    }
    const Token& verb = toks[k];
    op.loc.col = verb.col;
    Line l(lexer_, toks, k);
    if (same_word(verb.text, "cmd")) {  // the commonest line: a direct call
        parse_cmd(l, op);
        return true;
    }
    for (const Verb& v : kVerbs)
        if (same_word(verb.text, v.word)) {
            (this->*v.parse)(l, op);
            return true;
        }
    if (KernelOpParser::is_verb(verb.text)) {
        parse_kernel(l, op);
        return true;
    }
    if (is_queue(verb.text)) {  // QUEUE enable
        parse_queue_enable(l, op);
        return true;
    }
    lexer_.fail(verb, fmt::format("unknown operation '{}'", verb.text));
}

// The kernel-level grammar: kernel_ops.h.
void TraceReader::parse_kernel(Line& l, TraceOp& op)
{
    op.kind = TraceOp::Kind::Kernel;
    kernel_.parse(lexer_, lexer_.words(), l.verb_at, op.kop);
}

void TraceReader::parse_expect(Line& l, TraceOp& op)
{
    if (op.when != TraceOp::When::Asap)
        lexer_.fail(lexer_.words()[0], "an 'expect' line takes no time: it has no @ or +");
    op.kind = TraceOp::Kind::ExpectCmd;
    parse_cmd_expect(lexer_, lexer_.words(), l.verb_at + 1, op.cexp);
}

// roi begin | roi end: one region of interest per trace, begun before it ends.
void TraceReader::parse_roi(Line& l, TraceOp& op)
{
    l.need(1, "'begin' or 'end'");
    const Token& sub = l.next();
    if (sub.text != "begin" && sub.text != "end")
        lexer_.fail(sub, fmt::format("expected 'begin' or 'end', got '{}'", sub.text));
    l.no_more();
    const bool begin = sub.text == "begin";
    if (begin && roi_line_)
        lexer_.fail(l.verb, fmt::format("a second 'roi begin' (the region of interest began at line {}; a trace has "
                                        "one region)",
                                        roi_line_));
    if (!begin && (!roi_line_ || roi_ended_))
        lexer_.fail(l.verb, roi_ended_ ? fmt::format("a second 'roi end' (the region of interest began at line {} and "
                                                     "ended already)",
                                                     roi_line_)
                                       : std::string("'roi end' without a 'roi begin' before it"));
    if (begin) {
        roi_line_ = lexer_.line();
        roi_col_ = l.verb.col;
    }
    roi_ended_ = !begin;
    op.kind = begin ? TraceOp::Kind::RoiBegin : TraceOp::Kind::RoiEnd;
}

// write32/write64/read32/read64 PLACE ... and their `mem` forms.
void TraceReader::parse_access(Line& l, TraceOp& op)
{
    const bool mem = l.verb.text == "mem";
    if (mem)
        l.need(1, "write32/write64/read32/read64");
    const Token& sub = mem ? l.next() : l.verb;
    if (sub.text != "write32" && sub.text != "write64" && sub.text != "read32" && sub.text != "read64")
        lexer_.fail(sub, fmt::format("expected write32, write64, read32 or read64, got '{}'", sub.text));
    const bool write = sub.text[0] == 'w';
    op.size = sub.text.back() == '2' ? 4 : 8;
    if (mem) {
        op.kind = write ? TraceOp::Kind::MemWrite : TraceOp::Kind::MemRead;
        l.need(write ? 2 : 3, write ? "an address and a value" : "an address, 'expect' and a value");
        op.place_col = l.peek().col;
        op.addr = lexer_.number(l.next(), "a physical address");
    } else {
        op.kind = write ? TraceOp::Kind::Write : TraceOp::Kind::Read;
        l.need(write ? 2 : 1, write ? "a place and a value" : "a place");
        op.place_col = l.peek().col;
        parse_place(lexer_, l.next(), op);
    }
    if (write) {
        op.value = lexer_.number(l.next(), "a value");
    } else if (mem || !l.done()) {
        if (!l.take("expect"))
            lexer_.fail(l.peek(), mem ? fmt::format("expected 'expect', got '{}'", l.peek().text)
                                      : fmt::format("expected 'expect' or end of line, got '{}'", l.peek().text));
        l.need(1, "a value after 'expect'");
        op.has_expect = true;
        op.expect = lexer_.number(l.next(), "a value");
    }
    // A 32-bit access neither writes nor reads the upper bits.
    if (op.size == 4 && (write ? op.value : op.expect) > 0xffffffffull)
        lexer_.fail(l.prev(), "value does not fit in 32 bits");
    l.no_more();
}

// QUEUE enable [log2size=N] [base=ADDRESS]
void TraceReader::parse_queue_enable(Line& l, TraceOp& op)
{
    l.need(1, "'enable'");
    if (!l.take("enable"))
        lexer_.fail(l.peek(), fmt::format("expected 'enable', got '{}'", l.peek().text));
    op.log2size_col = l.prev().col;
    op.kind = TraceOp::Kind::QueueEnable;
    parse_queue(lexer_, l.verb, op);
    unsigned base_col = 0;
    l.options(
        {"log2size", "base"},
        [](const Token& t) { return fmt::format("unknown option '{}' (expected log2size=N or base=ADDRESS)", t.text); },
        [&](std::string_view key, const Token& val) {
            if (key == "base") {
                op.has_base = true;
                op.base = lexer_.number(val, "a base address");
                base_col = val.col;
                return;
            }
            const uint64_t log2size = lexer_.number(val, "log2size");
            if (log2size > 19)
                lexer_.fail(val, "log2size is at most 19");
            op.log2size = static_cast<unsigned>(log2size);
            op.log2size_col = val.col;
        });
    // The SMMU aligns a queue's base to the larger of its size in bytes and
    // 32 bytes, ignoring the low bits of ADDR (IHI 0070 6.3.26
    // SMMU_CMDQ_BASE): a base that is not would run a different queue
    // from the one the trace wrote.
    const uint64_t align = std::max<uint64_t>(32, uint64_t(16) << op.log2size);
    if (op.has_base && op.base % align)
        lexer_.fail_at(base_col, fmt::format("the queue base {:#x} is not aligned to the queue's size ({} entries of 16 "
                                             "bytes: {:#x}); the SMMU would ignore its low bits (IHI 0070 6.3.26)",
                                             op.base, 1u << op.log2size, align));
}

// cmd QUEUE OPNAME { FIELD=VALUE }
void TraceReader::parse_cmd(Line& l, TraceOp& op)
{
    l.need(2, "a queue and a command name");
    parse_queue(lexer_, l.next(), op);
    const Token& name = l.next();
    op.kind = TraceOp::Kind::Cmd;
    const CommandWords c = parse_command(lexer_, name, l.rest());
    op.opcode = c.opcode;
    op.dw0 = c.dw0;
    op.dw1 = c.dw1;
}

void TraceReader::parse_doorbell(Line& l, TraceOp& op)
{
    l.need(1, "a queue");
    parse_queue(lexer_, l.next(), op);
    op.kind = TraceOp::Kind::Doorbell;
    l.no_more();
}

// wait N | wait consumed QUEUE [timeout=N]
void TraceReader::parse_wait(Line& l, TraceOp& op)
{
    l.need(1, "a cycle count or 'consumed'");
    if (!l.take("consumed")) {
        op.kind = TraceOp::Kind::Wait;
        op.cycles_col = l.peek().col;
        op.cycles = lexer_.number(l.next(), "a cycle count");
        l.no_more();
        return;
    }
    if (l.done())
        lexer_.fail_at(lexer_.end_col(), "'wait' expects a queue");
    op.kind = TraceOp::Kind::WaitConsumed;
    parse_queue(lexer_, l.next(), op);
    l.options(
        {"timeout"}, [](const Token& t) { return fmt::format("expected timeout=N, got '{}'", t.text); },
        [&](std::string_view, const Token& val) {
            op.cycles_col = val.col;
            op.timeout = lexer_.number(val, "a timeout in cycles");
        });
}

void TraceReader::parse_cmdqv(Line& l, TraceOp& op)
{
    l.need(1, "'enable'");
    if (!l.take("enable"))
        lexer_.fail(l.peek(), fmt::format("expected 'enable', got '{}'", l.peek().text));
    op.kind = TraceOp::Kind::CmdqvEnable;
    l.no_more();
}

namespace {

std::string unknown_vintf_option(const Token& sub, const Token& t)
{
    return fmt::format("unknown option '{}' for vintf {}", t.text, sub.text);
}

// vintf N enable [vmid=V] [hyp_own=0|1]
void parse_vintf_enable(TraceReader::Line& l, const Token& sub, TraceOp& op)
{
    const auto unknown = [&](const Token& t) { return unknown_vintf_option(sub, t); };
    op.kind = TraceOp::Kind::VintfEnable;
    // A value out of range is named at its column (as every option's).
    l.options({"vmid", "hyp_own"}, unknown, [&](std::string_view key, const Token& val) {
        const uint64_t v = l.lx.number(val, "an option value");
        if (key == "vmid") {
            if (v > 0xffff)
                l.lx.fail(val, fmt::format("vmid={} is more than 0xffff (a VMID has 16 bits)", val.text));
            op.vmid = static_cast<uint16_t>(v);
        } else {
            if (v > 1)
                l.lx.fail(val, fmt::format("hyp_own={}: hyp_own is 0 or 1", val.text));
            op.hyp_own = v;
        }
    });
}

// vintf N map L vcmdq=Q
void parse_vintf_map(TraceReader::Line& l, const Token& sub, TraceOp& op)
{
    const auto unknown = [&](const Token& t) { return unknown_vintf_option(sub, t); };
    l.need(2, "an LVCMDQ number and vcmdq=Q");
    op.kind = TraceOp::Kind::VintfMap;
    op.index = l.lx.index(l.next(), "an LVCMDQ number");
    bool got = false;
    l.options({"vcmdq"}, unknown, [&](std::string_view, const Token& val) {
        op.global_q = l.lx.index(val, "a VCMDQ number");
        got = true;
    });
    if (!got)
        l.lx.fail_at(l.lx.end_col(), "'vintf N map L' expects vcmdq=Q");
}

// vintf N sid S vsid=V psid=P
void parse_vintf_sid(TraceReader::Line& l, const Token& sub, TraceOp& op)
{
    const auto unknown = [&](const Token& t) { return unknown_vintf_option(sub, t); };
    l.need(3, "a pair number, vsid=V and psid=P");
    op.kind = TraceOp::Kind::VintfSid;
    op.index = l.lx.index(l.next(), "a SID pair number");
    unsigned got = 0;
    l.options({"vsid", "psid"}, unknown, [&](std::string_view key, const Token& val) {
        const uint64_t v = l.lx.number(val, "an option value");
        if (key == "vsid" && v > 0xfffff)
            l.lx.fail(val, fmt::format("vsid={} is more than 0xfffff (a virtual stream ID has 20 bits)", val.text));
        if (v > 0xffffffffull)
            l.lx.fail(val, fmt::format("psid={} is more than 0xffffffff (a stream ID has 32 bits)", val.text));
        (key == "vsid" ? op.vsid : op.psid) = static_cast<uint32_t>(v);
        got++;
    });
    if (got != 2)
        l.lx.fail_at(l.lx.end_col(), "'vintf N sid S' expects vsid=V and psid=P");
}

}  // namespace

// vintf N (enable | map | sid) ...
void TraceReader::parse_vintf(Line& l, TraceOp& op)
{
    l.need(2, "a VINTF number and enable, map or sid");
    op.vintf = lexer_.index(l.next(), "a VINTF number");
    const Token& sub = l.next();
    if (sub.text == "enable")
        parse_vintf_enable(l, sub, op);
    else if (sub.text == "map")
        parse_vintf_map(l, sub, op);
    else if (sub.text == "sid")
        parse_vintf_sid(l, sub, op);
    else
        lexer_.fail(sub, fmt::format("expected enable, map or sid, got '{}'", sub.text));
}

}  // namespace smmusim
