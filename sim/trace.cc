// SPDX-License-Identifier: GPL-2.0-only
#include "trace.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

#include "smmuv3/commands.h"

namespace smmusim {

std::string TraceLoc::str() const { return fmt::format("{}:{}:{}", file ? *file : "?", line, col); }

TraceReader::TraceReader(const std::string& path) : path_(path), in_(path)
{
    if (!in_)
        throw TraceError(fmt::format("{}: cannot open trace", path));
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
    // Decimal, or hexadecimal after 0x: digits only (strtoull alone would
    // also take signs, and octal for a leading 0).
    const std::string& s = t.text;
    const bool hex = s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    const std::string digits = hex ? s.substr(2) : s;
    const bool ok = !digits.empty() && digits.find_first_not_of(hex ? "0123456789abcdefABCDEF" : "0123456789") ==
                                           std::string::npos;
    errno = 0;
    char* end = nullptr;
    const unsigned long long v = ok ? strtoull(digits.c_str(), &end, hex ? 16 : 10) : 0;
    if (!ok || errno || *end)
        fail(t, fmt::format("expected {} (a number), got '{}'", what, s));
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

bool TraceReader::next(TraceOp& op)
{
    while (std::getline(in_, line_)) {
        lineno_++;
        std::vector<Token> toks;
        size_t i = 0;
        while (i < line_.size()) {
            const char c = line_[i];
            if (c == '#')
                break;
            if (c == ' ' || c == '\t' || c == '\r') {
                i++;
                continue;
            }
            (void)c;
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
        op = TraceOp{};
        op.loc = TraceLoc{&path_, lineno_, toks.empty() ? 1u : toks[0].col};
        if (parse_line(toks, op))
            return true;
    }
    if (in_.bad())
        throw TraceError(fmt::format("{}: read error", path_));
    return false;
}

bool TraceReader::parse_line(const std::vector<Token>& toks, TraceOp& op)
{
    size_t k = 0;
    if (k < toks.size() && (toks[k].text[0] == '@' || toks[k].text[0] == '+')) {
        op.when = toks[k].text[0] == '@' ? TraceOp::When::At : TraceOp::When::After;
        op.when_cycles = number(Token{toks[k].text.substr(1), toks[k].col + 1}, "a cycle count");
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

    if (verb.text == "write32" || verb.text == "write64" || verb.text == "read32" || verb.text == "read64") {
        const bool write = verb.text[0] == 'w';
        op.kind = write ? TraceOp::Kind::Write : TraceOp::Kind::Read;
        op.size = verb.text.back() == '2' ? 4 : 8;
        need(write ? 2 : 1, write ? "a place and a value" : "a place");
        parse_place(toks[k++], op);
        if (write) {
            op.value = number(toks[k++], "a value");
        } else if (k < toks.size()) {
            if (toks[k].text != "expect")
                fail(toks[k], fmt::format("expected 'expect' or end of line, got '{}'", toks[k].text));
            k++;
            need(1, "a value after 'expect'");
            op.has_expect = true;
            op.expect = number(toks[k++], "a value");
        }
        if (op.size == 4 && ((write && op.value > 0xffffffffull) || (op.has_expect && op.expect > 0xffffffffull)))
            fail(toks[k - 1], "value does not fit in 32 bits");
        no_more();
        return true;
    }
    if (verb.text == "mem") {
        need(1, "write32/write64/read32/read64");
        const Token& sub = toks[k++];
        if (sub.text != "write32" && sub.text != "write64" && sub.text != "read32" && sub.text != "read64")
            fail(sub, fmt::format("expected write32, write64, read32 or read64, got '{}'", sub.text));
        const bool write = sub.text[0] == 'w';
        op.kind = write ? TraceOp::Kind::MemWrite : TraceOp::Kind::MemRead;
        op.size = sub.text.back() == '2' ? 4 : 8;
        need(write ? 2 : 3, write ? "an address and a value" : "an address, 'expect' and a value");
        op.addr = number(toks[k++], "a physical address");
        if (!write) {
            if (toks[k].text != "expect")
                fail(toks[k], fmt::format("expected 'expect', got '{}'", toks[k].text));
            k++;
            op.has_expect = true;
            op.expect = number(toks[k++], "a value");
        } else {
            op.value = number(toks[k++], "a value");
        }
        no_more();
        return true;
    }
    uint64_t qv, ql;
    if (verb.text == "cmdq" || split_lvcmdq(verb.text, qv, ql)) {
        need(1, "'enable'");
        if (toks[k].text != "enable")
            fail(toks[k], fmt::format("expected 'enable', got '{}'", toks[k].text));
        k++;
        op.kind = TraceOp::Kind::QueueEnable;
        parse_queue(verb, op);
        for (; k < toks.size(); k++) {
            const std::string& t = toks[k].text;
            auto eq = t.find('=');
            std::string key = t.substr(0, eq);
            Token val{eq == std::string::npos ? "" : t.substr(eq + 1), static_cast<unsigned>(toks[k].col + eq + 1)};
            if (key == "log2size" && eq != std::string::npos) {
                const uint64_t log2size = number(val, "log2size");
                if (log2size > 19)
                    fail(val, "log2size is at most 19");
                op.log2size = static_cast<unsigned>(log2size);
            } else if (key == "base" && eq != std::string::npos) {
                op.has_base = true;
                op.base = number(val, "a base address");
                if (op.base & 31)
                    fail(val, "the queue base must be 32-byte aligned");
            } else {
                fail(toks[k], fmt::format("unknown option '{}' (expected log2size=N or base=ADDRESS)", t));
            }
        }
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
        if (toks[k].text == "consumed") {
            k++;
            need(1, "a queue");
            op.kind = TraceOp::Kind::WaitConsumed;
            parse_queue(toks[k++], op);
            if (k < toks.size()) {
                const std::string& t = toks[k].text;
                if (t.rfind("timeout=", 0) != 0)
                    fail(toks[k], fmt::format("expected timeout=N, got '{}'", t));
                op.timeout = number(Token{t.substr(8), toks[k].col + 8}, "a timeout in cycles");
                k++;
            }
            no_more();
            return true;
        }
        op.kind = TraceOp::Kind::Wait;
        op.cycles = number(toks[k++], "a cycle count");
        no_more();
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
        op.vintf = index(toks[k++], "a VINTF number");
        const Token& sub = toks[k++];
        // key=value options of this line
        auto options = [&](std::initializer_list<const char*> keys, auto&& take) {
            for (; k < toks.size(); k++) {
                const std::string& t = toks[k].text;
                auto eq = t.find('=');
                bool known = false;
                for (const char* key : keys)
                    known |= eq != std::string::npos && t.compare(0, eq, key) == 0 && strlen(key) == eq;
                if (!known)
                    fail(toks[k], fmt::format("unknown option '{}' for vintf {}", t, sub.text));
                take(t.substr(0, eq), number(Token{t.substr(eq + 1), static_cast<unsigned>(toks[k].col + eq + 1)},
                                             "an option value"),
                     toks[k]);
            }
        };
        if (sub.text == "enable") {
            op.kind = TraceOp::Kind::VintfEnable;
            options({"vmid", "hyp_own"}, [&](const std::string& key, uint64_t v, const Token& t) {
                if (key == "vmid") {
                    if (v > 0xffff)
                        fail(t, "vmid is at most 0xffff");
                    op.vmid = static_cast<uint16_t>(v);
                } else {
                    if (v > 1)
                        fail(t, "hyp_own is 0 or 1");
                    op.hyp_own = v;
                }
            });
            return true;
        }
        if (sub.text == "map") {
            need(2, "an LVCMDQ number and vcmdq=Q");
            op.kind = TraceOp::Kind::VintfMap;
            op.index = index(toks[k++], "an LVCMDQ number");
            bool got = false;
            options({"vcmdq"}, [&](const std::string&, uint64_t v, const Token& t) {
                if (v > 0xffffffffull)
                    fail(t, "vcmdq is too large");
                op.global_q = static_cast<unsigned>(v);
                got = true;
            });
            if (!got)
                fail_at(static_cast<unsigned>(line_.size() + 1), "'vintf N map L' expects vcmdq=Q");
            return true;
        }
        if (sub.text == "sid") {
            need(3, "a pair number, vsid=V and psid=P");
            op.kind = TraceOp::Kind::VintfSid;
            op.index = index(toks[k++], "a SID pair number");
            unsigned got = 0;
            options({"vsid", "psid"}, [&](const std::string& key, uint64_t v, const Token& t) {
                if (v > 0xffffffffull || (key == "vsid" && v > 0xfffff))
                    fail(t, fmt::format("{} does not fit", key));
                (key == "vsid" ? op.vsid : op.psid) = static_cast<uint32_t>(v);
                got++;
            });
            if (got != 2)
                fail_at(static_cast<unsigned>(line_.size() + 1), "'vintf N sid S' expects vsid=V and psid=P");
            return true;
        }
        fail(sub, fmt::format("expected enable, map or sid, got '{}'", sub.text));
    }
    fail(verb, fmt::format("unknown operation '{}'", verb.text));
}

}  // namespace smmusim
