// SPDX-License-Identifier: GPL-2.0-only
#include "cmd_expect.h"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "smmuv3/cmd_engine.h"
#include "trace.h"

namespace smmusim {

using Tok = KernelOpParser::Tok;

namespace {

// "BASE+SIZE" of covers=.
void parse_covers(const Tok& v, const KernelOpParser& p, CmdExpect& e)
{
    const auto plus = v.text.find('+');
    if (plus == std::string::npos || plus == 0)
        p.fail(v, fmt::format("expected covers=BASE+SIZE, got '{}'", v.text));
    e.base = p.number(Tok{v.text.substr(0, plus), v.col}, "a base address");
    const Tok size{v.text.substr(plus + 1), static_cast<unsigned>(v.col + plus + 1)};
    e.size = p.number(size, "a size in bytes");
    if (e.size == 0 || e.base + e.size - 1 < e.base)
        p.fail(size, fmt::format("covers={} is empty or passes 2^64", v.text));
    e.has_covers = true;
}

bool has_address(uint8_t op)
{
    switch (op) {
    case smmuv3::OP_TLBI_NH_VA:
    case smmuv3::OP_TLBI_NH_VAA:
    case smmuv3::OP_TLBI_EL2_VA:
    case smmuv3::OP_TLBI_EL2_VAA:
    case smmuv3::OP_TLBI_S2_IPA:
    case smmuv3::OP_ATC_INV:
    case smmuv3::OP_PREFETCH_ADDR: return true;
    default: return false;
    }
}

std::string hex_ranges(const std::vector<std::pair<uint64_t, uint64_t>>& r)
{
    std::string s;
    for (const auto& [a, b] : r)
        s += fmt::format("{}[{:#x}, {:#x})", s.empty() ? "" : " ", a, b);
    return s.empty() ? "nothing" : s;
}

std::string describe(const ExecutedCmd& x)
{
    return fmt::format("{} on {} ({:#018x} {:#018x})", smmuv3::opcode_name(x.cmd.op), x.queue, x.cmd.dw0, x.cmd.dw1);
}

}  // namespace

void parse_cmd_expect(const std::vector<Tok>& toks, size_t k, const KernelOpParser& p, CmdExpect& e)
{
    e = CmdExpect{};
    const Tok& verb = toks[k - 1];
    if (k >= toks.size() || toks[k].text != "executed")
        p.fail(k < toks.size() ? toks[k] : verb, "expected 'expect executed OPNAME ...' or 'expect executed none'");
    if (++k >= toks.size())
        p.fail(toks[k - 1], "expected a command name or 'none' after 'expect executed'");
    const Tok& name = toks[k++];
    if (name.text == "none") {
        e.none = true;
        if (k < toks.size())
            p.fail(toks[k], fmt::format("unexpected '{}' after 'none'", toks[k].text));
        return;
    }
    const int op = smmuv3::opcode_by_name(name.text);
    if (op < 0)
        p.fail(name, fmt::format("unknown command '{}'", name.text));
    e.opcode = static_cast<uint8_t>(op);
    e.opname = name.text;
    if (name.text == "CFGI_ALL")
        e.fields.push_back({smmuv3::find_field(e.opcode, "range"), 31, "range=31"});
    std::vector<std::string> seen;
    for (; k < toks.size(); k++) {
        const Tok& t = toks[k];
        const auto eq = t.text.find('=');
        if (eq == std::string::npos || eq == 0)
            p.fail(t, fmt::format("expected FIELD=VALUE, count=N, covers=BASE+SIZE, granule=N or queue=NAME, got '{}'",
                                  t.text));
        const std::string key = t.text.substr(0, eq);
        const Tok v{t.text.substr(eq + 1), static_cast<unsigned>(t.col + eq + 1)};
        if (std::find(seen.begin(), seen.end(), key) != seen.end())
            p.fail(t, fmt::format("'{}' is given twice", key));
        seen.push_back(key);
        if (key == "count") {
            e.has_count = true;
            e.count = p.number(v, "a command count");
        } else if (key == "covers") {
            if (!has_address(e.opcode))
                p.fail(t, fmt::format("{} has no address range to cover", name.text));
            parse_covers(v, p, e);
        } else if (key == "granule") {
            e.granule = p.number(v, "a granule in bytes");
            if (e.granule < 4096 || (e.granule & (e.granule - 1)))
                p.fail(v, "granule must be a power of two of at least 4096");
        } else if (key == "queue") {
            if (v.text.rfind("smmu.cmdq", 0) != 0 && v.text.rfind("cmdqv.vcmdq", 0) != 0)
                p.fail(v, fmt::format("expected queue=smmu.cmdq or queue=cmdqv.vcmdqN, got '{}'", v.text));
            e.queue = v.text;
        } else {
            const smmuv3::FieldSpec* f = smmuv3::find_field(e.opcode, key);
            if (!f)
                p.fail(t, fmt::format("{} has no field '{}'", name.text, key));
            uint64_t val;
            if (e.opcode == smmuv3::OP_CMD_SYNC && key == "cs" &&
                (v.text == "none" || v.text == "irq" || v.text == "sev"))
                val = v.text == "none" ? 0 : v.text == "irq" ? 1 : 2;
            else
                val = p.number(v, "a field value");
            if (f->shift && (val & ((1ull << f->shift) - 1)))
                p.fail(v, fmt::format("{} must be a multiple of {}", key, 1ull << f->shift));
            if (!f->field.fits(val >> f->shift))
                p.fail(v, fmt::format("{} = {:#x} does not fit its {}-bit field", key, val,
                                      f->field.hi - f->field.lo + 1));
            e.fields.push_back({f, val >> f->shift, t.text});
        }
    }
}

// From the command's own fields, not the model's decode: this is the
// checker of what the model executed. Range TLBIs (IHI 0070 4.4.1): TG
// selects the granule, the range is (NUM + 1) * 2^SCALE granules from
// Address; TG = 0 is no range: the entry holding Address. ATC_INV and
// PREFETCH_ADDR (4.5.1, 4.2.2): 2^SIZE 4 KiB pages, naturally aligned.
bool command_range(const smmuv3::Command& c, uint64_t granule, uint64_t& first, uint64_t& last)
{
    namespace f = smmuv3::cmdf;
    if (!has_address(c.op))
        return false;
    unsigned shift = 0;  // log2 of the bytes covered; 64: everything
    if (c.op == smmuv3::OP_ATC_INV || c.op == smmuv3::OP_PREFETCH_ADDR) {
        const uint64_t size = (c.op == smmuv3::OP_ATC_INV ? f::ATC_SIZE : f::PREFETCH_SIZE).get(c.dw1);
        first = (c.op == smmuv3::OP_ATC_INV ? f::ATC_ADDR : f::PREFETCH_ADDR).get(c.dw1) << 12;
        shift = size >= 52 ? 64 : static_cast<unsigned>(12 + size);
    } else {
        first = (c.op == smmuv3::OP_TLBI_S2_IPA ? f::TLBI_IPA : f::TLBI_VA).get(c.dw1) << 12;
        const uint64_t tg = f::TLBI_TG.get(c.dw1);
        if (tg == 0) {
            shift = static_cast<unsigned>(__builtin_ctzll(granule));
        } else {
            const unsigned gshift = tg == 1 ? 12 : tg == 2 ? 14 : 16;
            const uint64_t num = f::TLBI_NUM.get(c.dw0) + 1;
            const uint64_t scale = f::TLBI_SCALE.get(c.dw0);
            if (scale + gshift + 5 >= 64) {
                last = ~0ull;
                return true;
            }
            const uint64_t len = (num << scale) << gshift;
            last = first + len < first ? ~0ull : first + len;
            return true;
        }
    }
    if (shift >= 64) {
        first = 0;
        last = ~0ull;
        return true;
    }
    first &= ~((1ull << shift) - 1);
    last = first + (1ull << shift) < first ? ~0ull : first + (1ull << shift);
    return true;
}

std::string check_commands(const CmdExpect& e, const std::vector<ExecutedCmd>& cmds)
{
    if (e.none) {
        if (cmds.empty())
            return "";
        return fmt::format("expected no command, but {} executed, the first {}", cmds.size(), describe(cmds[0]));
    }
    std::vector<const ExecutedCmd*> sel;
    for (const auto& x : cmds)
        if (x.cmd.op == e.opcode && (e.queue.empty() || x.queue == e.queue))
            sel.push_back(&x);
    const std::string what = e.queue.empty() ? e.opname : e.opname + " on " + e.queue;
    if (e.has_count ? sel.size() != e.count : sel.empty())
        return fmt::format("{} executed {} times, expected {} (of {} commands in the window)", what, sel.size(),
                           e.has_count ? fmt::format("{}", e.count) : std::string("at least once"), cmds.size());
    for (const ExecutedCmd* x : sel)
        for (const auto& f : e.fields) {
            const uint64_t raw = f.spec->field.get(f.spec->dword ? x->cmd.dw1 : x->cmd.dw0);
            if (raw != f.raw)
                return fmt::format("{} has {}={:#x}, expected {}", describe(*x), f.spec->name, raw << f.spec->shift,
                                   f.text);
        }
    if (!e.has_covers)
        return "";
    std::vector<std::pair<uint64_t, uint64_t>> r;
    for (const ExecutedCmd* x : sel) {
        uint64_t a = 0, b = 0;
        command_range(x->cmd, e.granule, a, b);
        r.emplace_back(a, b);
    }
    std::sort(r.begin(), r.end());
    std::vector<std::pair<uint64_t, uint64_t>> u;  // the union, as disjoint ranges
    for (const auto& [a, b] : r)
        if (!u.empty() && a <= u.back().second)
            u.back().second = std::max(u.back().second, b);
        else
            u.emplace_back(a, b);
    if (u.size() == 1 && u[0].first == e.base && u[0].second == e.base + e.size)
        return "";
    return fmt::format("{} covers {}, expected exactly [{:#x}, {:#x})", what, hex_ranges(u), e.base, e.base + e.size);
}

void CommandLog::attach(CommandEngine& engine)
{
    if (engine_)
        return;
    engine_ = &engine;
    engine.add_start_observer([this](unsigned src, const smmuv3::Command& c) {
        if (window_.size() >= kMaxWindow) {
            dropped_++;
            return;
        }
        std::string q = engine_->source_name(src);
        if (q.rfind("soc.", 0) == 0)
            q.erase(0, 4);
        window_.push_back(ExecutedCmd{std::move(q), c});
    });
}

namespace {
// Operations during which the commands of the queue operations before them
// may still execute: they keep the window open.
bool continues_window(const TraceOp& op)
{
    using K = TraceOp::Kind;
    using V = KernelOp::Verb;
    switch (op.kind) {
    case K::Cmd:
    case K::Doorbell:
    case K::Wait:
    case K::WaitConsumed: return true;
    case K::Kernel:
        return op.kop.verb == V::GuestCmd || op.kop.verb == V::GuestDoorbell || op.kop.verb == V::GuestWait;
    default: return false;
    }
}
}  // namespace

void CommandLog::before(const TraceOp& op)
{
    if (op.kind == TraceOp::Kind::ExpectCmd) {
        after_expect_ = true;
        return;
    }
    if (after_expect_ || !continues_window(op)) {
        window_.clear();
        dropped_ = 0;
    }
    after_expect_ = false;
}

std::string CommandLog::check(const CmdExpect& e) const
{
    if (dropped_)
        return fmt::format("more than {} commands executed in the window of this expect; put it closer to the "
                           "operation",
                           kMaxWindow);
    return check_commands(e, window_);
}

}  // namespace smmusim
