// SPDX-License-Identifier: GPL-2.0-only
#include "trace.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include <sys/stat.h>

#include <fmt/format.h>

#include "platform/params.h"
#include "smmuv3/commands.h"

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

std::unique_ptr<std::istream> TraceInput::open() const
{
    if (text_)
        return std::make_unique<std::istringstream>(*text_);
    auto in = std::make_unique<std::ifstream>(path_);
    if (!*in)
        throw TraceError(fmt::format("{}: cannot open trace: {}", path_, strerror(errno)));
    return in;
}

TraceReader::TraceReader(const std::string& path) : TraceReader(TraceInput(path)) {}

TraceReader::TraceReader(const TraceInput& input) : path_(input.path()), in_(input.open())
{
    // Kernel-level lines read numbers and report errors as every line does.
    kernel_.number_fn = [this](const Token& t, const char* what) { return number(t, what); };
    kernel_.fail_fn = [this](unsigned col, const std::string& what) { fail_at(col, what); };
}

void TraceReader::fail_at(unsigned col, const std::string& what) const
{
    throw TraceError(fmt::format("{}:{}:{}: {}", path_, lineno_, col, what));
}

void TraceReader::fail(const Token& t, const std::string& what) const { fail_at(t.col, what); }

uint64_t TraceReader::number(const Token& t, const char* what) const
{
    uint64_t v = 0;
    if (!parse_number(t.text, v))
        fail(t, fmt::format("expected {} (a number), got '{}'", what, t.text));
    return v;
}

unsigned TraceReader::index(const Token& t, const char* what) const
{
    const uint64_t v = number(t, what);
    if (v > 0xffffffffull)
        fail(t, fmt::format("'{}' is too large for {}", t.text, what));
    return static_cast<unsigned>(v);
}

void TraceReader::parse_place(const Token& t, TraceOp& op) const
{
    const std::string& s = t.text;
    for (const auto& [prefix, block] : {std::pair<std::string, TraceOp::Block>{"smmu", TraceOp::Block::Smmu},
                                        std::pair<std::string, TraceOp::Block>{"cmdqv", TraceOp::Block::Cmdqv}}) {
        if (s.size() <= prefix.size() || s.compare(0, prefix.size(), prefix) != 0)
            continue;
        const char sep = s[prefix.size()];
        if (sep != '.' && sep != '+')
            continue;
        op.block = block;
        const std::string rest = s.substr(prefix.size() + 1);
        const unsigned col = static_cast<unsigned>(t.col + prefix.size() + 1);
        if (sep == '.') {
            if (rest.empty())
                fail_at(col, fmt::format("expected a register name after '{}.'", prefix));
            op.reg = rest;
        } else {
            op.addr = number(Token{rest, col}, "a register offset");
        }
        return;
    }
    op.addr = number(t, "an address, smmu.REG, smmu+OFFSET, cmdqv.REG or cmdqv+OFFSET");
}

namespace {
// Decimal digits at s[i...] (at least one), saturating; advances i.
bool digits(const std::string& s, size_t& i, uint64_t& v)
{
    const size_t start = i;
    v = 0;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; i++)
        v = v > 0xffffffffull ? v : v * 10 + static_cast<uint64_t>(s[i] - '0');
    return i > start;
}

// "vintfN.lvcmdqL" -> N, L (saturated above 2^32)
bool split_lvcmdq(const std::string& s, uint64_t& v, uint64_t& l)
{
    size_t i = 5;
    if (s.compare(0, 5, "vintf") != 0 || !digits(s, i, v) || s.compare(i, 7, ".lvcmdq") != 0)
        return false;
    i += 7;
    return digits(s, i, l) && i == s.size();
}
}  // namespace

void TraceReader::parse_queue(const Token& t, TraceOp& op) const
{
    op.queue = t.text;
    if (t.text == "cmdq")
        return;
    uint64_t v = 0, l = 0;
    if (!split_lvcmdq(t.text, v, l))
        fail(t, fmt::format("unknown queue '{}' (expected cmdq or vintfN.lvcmdqL)", t.text));
    if (v > 0xffffffffull || l > 0xffffffffull)
        fail(t, fmt::format("queue '{}' is out of range", t.text));
    op.vcmdq = true;
    op.vintf = static_cast<unsigned>(v);
    op.lidx = static_cast<unsigned>(l);
    // One spelling per queue (vintf01.lvcmdq0 is vintf1.lvcmdq0): the player
    // keeps each queue's state by name.
    op.queue = fmt::format("vintf{}.lvcmdq{}", op.vintf, op.lidx);
}

void TraceReader::tokenize(std::vector<Token>& toks) const
{
    size_t i = 0;
    while (i < line_.size()) {
        const char c = line_[i];
        if (c == '#')
            break;
        if (c == ' ' || c == '\t' || c == '\r') {
            i++;
            continue;
        }
        size_t j = i;
        while (j < line_.size() && line_[j] != ' ' && line_[j] != '\t' && line_[j] != '#' && line_[j] != '\r') {
            const unsigned char u = static_cast<unsigned char>(line_[j]);
            if (u < 0x20 || u >= 0x7f)
                fail_at(static_cast<unsigned>(j + 1), "unexpected character (traces are ASCII text)");
            j++;
        }
        toks.push_back(Token{line_.substr(i, j - i), static_cast<unsigned>(i + 1)});
        i = j;
    }
}

bool TraceReader::next(TraceOp& op)
{
    while (std::getline(*in_, line_)) {
        lineno_++;
        std::vector<Token> toks;
        tokenize(toks);
        op = TraceOp{};
        op.loc = TraceLoc{&path_, lineno_, toks.empty() ? 1u : toks[0].col};
        if (parse_line(toks, op))
            return true;
    }
    if (in_->bad())
        throw TraceError(fmt::format("{}: read error", path_));
    return false;
}

void TraceReader::options(const std::vector<Token>& toks, size_t k, std::initializer_list<const char*> keys,
                          const std::function<std::string(const Token&)>& unknown, const OptionFn& take) const
{
    std::vector<std::string> seen;
    for (; k < toks.size(); k++) {
        const std::string& t = toks[k].text;
        const auto eq = t.find('=');
        const std::string key = eq == std::string::npos ? "" : t.substr(0, eq);
        bool known = false;
        for (const char* name : keys)
            known |= !key.empty() && key == name;
        if (!known)
            fail(toks[k], unknown(toks[k]));
        // A second value would silently win (or be ORed in): refuse it.
        if (std::find(seen.begin(), seen.end(), key) != seen.end())
            fail(toks[k], fmt::format("'{}' is given twice", key));
        seen.push_back(key);
        take(key, Token{t.substr(eq + 1), static_cast<unsigned>(toks[k].col + eq + 1)});
    }
}

bool TraceReader::parse_line(const std::vector<Token>& toks, TraceOp& op)
{
    size_t k = 0;
    if (k < toks.size() && (toks[k].text[0] == '@' || toks[k].text[0] == '+')) {
        op.when = toks[k].text[0] == '@' ? TraceOp::When::At : TraceOp::When::After;
        op.when_col = toks[k].col + 1;
        op.when_cycles = number(Token{toks[k].text.substr(1), op.when_col}, "a cycle count");
        k++;
    }
    if (k == toks.size()) {
        if (op.when == TraceOp::When::Asap)
            return false;  // blank or comment
        op.kind = TraceOp::Kind::Wait;  // a bare time is a wait
        return true;
    }
    const Token& verb = toks[k++];
    op.loc.col = verb.col;
    auto need = [&](size_t n, const char* what) {
        if (k + n > toks.size())
            fail_at(static_cast<unsigned>(line_.size() + 1), fmt::format("'{}' expects {}", verb.text, what));
    };
    auto no_more = [&] {
        if (k < toks.size())
            fail(toks[k], fmt::format("unexpected '{}' after {}", toks[k].text, verb.text));
    };

    if (kernel_.parse(toks, k - 1, op.kop)) {
        op.kind = TraceOp::Kind::Kernel;
        return true;
    }
    if (verb.text == "expect") {  // expect executed ...: cmd_expect.h
        if (op.when != TraceOp::When::Asap)
            fail(toks[0], "an 'expect' line takes no time: it has no @ or +");
        op.kind = TraceOp::Kind::ExpectCmd;
        parse_cmd_expect(toks, k, kernel_, op.cexp);
        return true;
    }

    if (parse_access(verb, toks, k, op))
        return true;
    uint64_t qv, ql;
    if (verb.text == "cmdq" || split_lvcmdq(verb.text, qv, ql)) {
        parse_queue_enable(verb, toks, k, op);
        return true;
    }
    if (verb.text == "cmd") {
        need(2, "a queue and a command name");
        parse_queue(toks[k++], op);
        const Token& name = toks[k++];
        const std::vector<Token> fields(toks.begin() + static_cast<long>(k), toks.end());
        op.kind = TraceOp::Kind::Cmd;
        encode_command(name, fields, kernel_, op.opcode, op.dw0, op.dw1);
        return true;
    }
    if (verb.text == "doorbell") {
        need(1, "a queue");
        parse_queue(toks[k++], op);
        op.kind = TraceOp::Kind::Doorbell;
        no_more();
        return true;
    }
    if (verb.text == "wait") {
        need(1, "a cycle count or 'consumed'");
        parse_wait(toks, k, op);
        return true;
    }
    if (verb.text == "cmdqv") {
        need(1, "'enable'");
        if (toks[k].text != "enable")
            fail(toks[k], fmt::format("expected 'enable', got '{}'", toks[k].text));
        k++;
        op.kind = TraceOp::Kind::CmdqvEnable;
        no_more();
        return true;
    }
    if (verb.text == "vintf") {
        need(2, "a VINTF number and enable, map or sid");
        parse_vintf(toks, k, op);
        return true;
    }
    fail(verb, fmt::format("unknown operation '{}'", verb.text));
}

// write32/write64/read32/read64 and their `mem` forms. False if `verb` is
// none of them.
bool TraceReader::parse_access(const Token& verb, const std::vector<Token>& toks, size_t k, TraceOp& op) const
{
    const bool mem = verb.text == "mem";
    auto need = [&](size_t n, const char* what) {
        if (k + n > toks.size())
            fail_at(static_cast<unsigned>(line_.size() + 1), fmt::format("'{}' expects {}", verb.text, what));
    };
    if (mem)
        need(1, "write32/write64/read32/read64");
    const Token& sub = mem ? toks[k++] : verb;
    const bool access = sub.text == "write32" || sub.text == "write64" || sub.text == "read32" || sub.text == "read64";
    if (!access && !mem)
        return false;
    if (!access)
        fail(sub, fmt::format("expected write32, write64, read32 or read64, got '{}'", sub.text));
    const bool write = sub.text[0] == 'w';
    op.size = sub.text.back() == '2' ? 4 : 8;
    if (mem) {
        op.kind = write ? TraceOp::Kind::MemWrite : TraceOp::Kind::MemRead;
        need(write ? 2 : 3, write ? "an address and a value" : "an address, 'expect' and a value");
        op.addr = number(toks[k++], "a physical address");
    } else {
        op.kind = write ? TraceOp::Kind::Write : TraceOp::Kind::Read;
        need(write ? 2 : 1, write ? "a place and a value" : "a place");
        op.place_col = toks[k].col;
        parse_place(toks[k++], op);
    }
    if (write) {
        op.value = number(toks[k++], "a value");
    } else if (mem || k < toks.size()) {
        if (toks[k].text != "expect")
            fail(toks[k], mem ? fmt::format("expected 'expect', got '{}'", toks[k].text)
                              : fmt::format("expected 'expect' or end of line, got '{}'", toks[k].text));
        k++;
        need(1, "a value after 'expect'");
        op.has_expect = true;
        op.expect = number(toks[k++], "a value");
    }
    // A 32-bit access neither writes nor reads the upper bits.
    if (op.size == 4 && (write ? op.value : op.expect) > 0xffffffffull)
        fail(toks[k - 1], "value does not fit in 32 bits");
    if (k < toks.size())
        fail(toks[k], fmt::format("unexpected '{}' after {}", toks[k].text, verb.text));
    return true;
}

void TraceReader::parse_queue_enable(const Token& verb, const std::vector<Token>& toks, size_t k, TraceOp& op) const
{
    if (k >= toks.size())
        fail_at(static_cast<unsigned>(line_.size() + 1), fmt::format("'{}' expects 'enable'", verb.text));
    if (toks[k].text != "enable")
        fail(toks[k], fmt::format("expected 'enable', got '{}'", toks[k].text));
    op.log2size_col = toks[k].col;
    k++;
    op.kind = TraceOp::Kind::QueueEnable;
    parse_queue(verb, op);
    unsigned base_col = 0;
    options(
        toks, k, {"log2size", "base"},
        [](const Token& t) { return fmt::format("unknown option '{}' (expected log2size=N or base=ADDRESS)", t.text); },
        [&](const std::string& key, const Token& val) {
            if (key == "log2size") {
                const uint64_t log2size = number(val, "log2size");
                if (log2size > 19)
                    fail(val, "log2size is at most 19");
                op.log2size = static_cast<unsigned>(log2size);
                op.log2size_col = val.col;
            } else {
                op.has_base = true;
                op.base = number(val, "a base address");
                base_col = val.col;
            }
        });
    // The SMMU aligns a queue's base to the larger of its size in bytes and
    // 32 bytes, ignoring the low bits of ADDR (IHI 0070 6.3.26
    // SMMU_CMDQ_BASE): a base that is not would run a different queue
    // from the one the trace wrote.
    const uint64_t align = std::max<uint64_t>(32, uint64_t(16) << op.log2size);
    if (op.has_base && op.base % align)
        fail_at(base_col, fmt::format("the queue base {:#x} is not aligned to the queue's size ({} entries of 16 "
                                      "bytes: {:#x}); the SMMU would ignore its low bits (IHI 0070 6.3.26)",
                                      op.base, 1u << op.log2size, align));
}

void TraceReader::parse_wait(const std::vector<Token>& toks, size_t k, TraceOp& op) const
{
    if (toks[k].text != "consumed") {
        op.kind = TraceOp::Kind::Wait;
        op.cycles_col = toks[k].col;
        op.cycles = number(toks[k++], "a cycle count");
        if (k < toks.size())
            fail(toks[k], fmt::format("unexpected '{}' after wait", toks[k].text));
        return;
    }
    k++;
    if (k >= toks.size())
        fail_at(static_cast<unsigned>(line_.size() + 1), "'wait' expects a queue");
    op.kind = TraceOp::Kind::WaitConsumed;
    parse_queue(toks[k++], op);
    options(
        toks, k, {"timeout"}, [](const Token& t) { return fmt::format("expected timeout=N, got '{}'", t.text); },
        [&](const std::string&, const Token& val) {
            op.cycles_col = val.col;
            op.timeout = number(val, "a timeout in cycles");
        });
}

void TraceReader::parse_vintf(const std::vector<Token>& toks, size_t k, TraceOp& op) const
{
    op.vintf = index(toks[k++], "a VINTF number");
    const Token& sub = toks[k++];
    auto unknown = [&](const Token& t) { return fmt::format("unknown option '{}' for vintf {}", t.text, sub.text); };
    if (sub.text == "enable") {
        op.kind = TraceOp::Kind::VintfEnable;
        options(toks, k, {"vmid", "hyp_own"}, unknown, [&](const std::string& key, const Token& val) {
            const uint64_t v = number(val, "an option value");
            if (key == "vmid") {
                if (v > 0xffff)
                    fail_at(val.col - 5, "vmid is at most 0xffff");
                op.vmid = static_cast<uint16_t>(v);
            } else {
                if (v > 1)
                    fail_at(val.col - 8, "hyp_own is 0 or 1");
                op.hyp_own = v;
            }
        });
        return;
    }
    if (sub.text == "map") {
        if (k + 2 > toks.size())
            fail_at(static_cast<unsigned>(line_.size() + 1), "'vintf' expects an LVCMDQ number and vcmdq=Q");
        op.kind = TraceOp::Kind::VintfMap;
        op.index = index(toks[k++], "an LVCMDQ number");
        bool got = false;
        options(toks, k, {"vcmdq"}, unknown, [&](const std::string&, const Token& val) {
            const uint64_t v = number(val, "an option value");
            if (v > 0xffffffffull)
                fail_at(val.col - 6, "vcmdq is too large");
            op.global_q = static_cast<unsigned>(v);
            got = true;
        });
        if (!got)
            fail_at(static_cast<unsigned>(line_.size() + 1), "'vintf N map L' expects vcmdq=Q");
        return;
    }
    if (sub.text == "sid") {
        if (k + 3 > toks.size())
            fail_at(static_cast<unsigned>(line_.size() + 1), "'vintf' expects a pair number, vsid=V and psid=P");
        op.kind = TraceOp::Kind::VintfSid;
        op.index = index(toks[k++], "a SID pair number");
        unsigned got = 0;
        options(toks, k, {"vsid", "psid"}, unknown, [&](const std::string& key, const Token& val) {
            const uint64_t v = number(val, "an option value");
            if (v > 0xffffffffull || (key == "vsid" && v > 0xfffff))
                fail_at(static_cast<unsigned>(val.col - key.size() - 1), fmt::format("{} does not fit", key));
            (key == "vsid" ? op.vsid : op.psid) = static_cast<uint32_t>(v);
            got++;
        });
        if (got != 2)
            fail_at(static_cast<unsigned>(line_.size() + 1), "'vintf N sid S' expects vsid=V and psid=P");
        return;
    }
    fail(sub, fmt::format("expected enable, map or sid, got '{}'", sub.text));
}

}  // namespace smmusim
