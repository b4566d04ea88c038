// SPDX-License-Identifier: GPL-2.0-only
#include "cmd_expect.h"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "cmd_names.h"
#include "cmd_syntax.h"
#include "smmuv3/cmd_engine.h"
#include "trace.h"

namespace smmusim {

namespace {

// "BASE+SIZE" or "all" of covers=. A SIZE is at most 2^64 - 1, so the
// whole address space, which an ATC_INV of Size 52 or more invalidates (IHI
// 0070 4.5.1 CMD_ATC_INV), has a word of its own: base 0, size 0 (2^64).
void parse_covers(const Lexer& lx, const Token& v, CmdExpect& e)
{
    e.has_covers = true;
    if (v.text == "all") {
        e.base = e.size = 0;
        return;
    }
    const auto plus = v.text.find('+');
    if (plus == std::string::npos || plus == 0)
        lx.fail(v, fmt::format("expected covers=BASE+SIZE or covers=all, got '{}'", v.text));
    const Token base = v.part(0, plus);
    e.base = lx.number(base, "a base address");
    const Token size = v.tail(plus + 1);
    e.size = lx.number(size, "a size in bytes");
    if (e.size == 0 || e.base + e.size - 1 < e.base)
        lx.fail(size, fmt::format("covers={} is empty or passes 2^64{}", v.text,
                                  e.size == 0 && e.base == 0 ? " (the whole address space is covers=all)" : ""));
    // Every command's range starts and ends on a 4 KiB boundary (its
    // address is bits [63:12], command_range()): another range can never be
    // their union.
    constexpr uint64_t kPage = 4096;
    if (e.base % kPage || e.size % kPage)
        lx.fail(e.base % kPage ? base : size,
                fmt::format("covers={} can never match: every command's range starts and ends on a 4 KiB boundary, "
                            "and {} {:#x} is not a multiple of 0x1000",
                            v.text, e.base % kPage ? "the base" : "the size", e.base % kPage ? e.base : e.size));
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

// The end just past an inclusive last byte: 2^64 past the top byte.
std::string end_after(uint64_t last)
{
    return last == ~0ull ? std::string("2^64") : fmt::format("{:#x}", last + 1);
}

// Ranges as [first, last] inclusive, printed as [first, last + 1).
std::string hex_ranges(const std::vector<std::pair<uint64_t, uint64_t>>& r)
{
    std::string s;
    for (const auto& [a, b] : r)
        s += fmt::format("{}[{:#x}, {})", s.empty() ? "" : " ", a, end_after(b));
    return s.empty() ? "nothing" : s;
}

std::string describe(const ExecutedCmd& x)
{
    return fmt::format("{} on {} ({:#018x} {:#018x})", smmuv3::opcode_name(x.cmd.op), x.queue, x.cmd.dw0, x.cmd.dw1);
}

}  // namespace

namespace {

// queue=smmu.cmdq or queue=cmdqv.vcmdqN (N decimal, leading zeros allowed
// as in `vintf01`), named as the executed record names it (no leading
// zeros): a whole-name comparison later, so a typo is an error here, not
// an expectation that can never match (count=0 would pass it). N is checked
// against the architecture's most VCMDQs here and against the
// configuration's before the run (TracePlayer::resolve).
std::string expected_queue(const Lexer& lx, const Token& v)
{
    constexpr std::string_view kSmmu = "smmu.cmdq";
    constexpr uint64_t kMostVcmdqs = 128;  // CMDQV_PARAM.NUM_VCMDQ_LOG2 is at most 7
    if (v.text == kSmmu)
        return std::string(kSmmu);
    const std::string_view digits =
        v.text.rfind(kVcmdqQueuePrefix, 0) == 0 ? v.text.substr(kVcmdqQueuePrefix.size()) : std::string_view();
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos)
        lx.fail(v, fmt::format("expected queue=smmu.cmdq or queue=cmdqv.vcmdqN, got '{}'", v.text));
    uint64_t n = 0;
    for (const char c : digits) {
        n = n * 10 + uint64_t(c - '0');
        if (n >= kMostVcmdqs)
            lx.fail(v.tail(kVcmdqQueuePrefix.size()),
                    fmt::format("the VCMDQ index is {} or more: a CMDQV has at most {} VCMDQs", kMostVcmdqs, kMostVcmdqs));
    }
    return fmt::format("{}{}", kVcmdqQueuePrefix, n);
}

// One KEY=VALUE of an expectation (t is the whole word).
void parse_expect_field(const Lexer& lx, const Token& t, const KeyValue& kv, CmdExpect& e)
{
    const Token& v = kv.value;
    if (kv.key == "count") {
        e.has_count = true;
        e.count = lx.number(v, "a command count");
    } else if (kv.key == "covers") {
        if (!has_address(e.opcode))
            lx.fail(t, fmt::format("{} has no address range to cover", e.opname));
        parse_covers(lx, v, e);
    } else if (kv.key == "granule") {
        e.granule = lx.number(v, "a granule in bytes");
        if (e.granule < 4096 || (e.granule & (e.granule - 1)))
            lx.fail(v, "granule must be a power of two of at least 4096");
    } else if (kv.key == "queue") {
        e.queue = expected_queue(lx, v);
        e.queue_text = v.text;
    } else {
        // CFGI_ALL is CFGI_STE_RANGE with Range = 31 (IHI 0070 4.3.3): its
        // name selects (an implied field); it has no field of its own, as
        // for `cmd`.
        const bool named_alias = !e.fields.empty() && e.fields.front().implied();
        const smmuv3::FieldSpec* f = named_alias ? nullptr : command_field(e.opcode, kv.key);
        if (!f)
            lx.fail(t, fmt::format("{} has no field '{}'", e.opname, kv.key));
        const uint64_t val = field_value(lx, e.opcode, *f, v);
        check_field_fits(lx, *f, v, val);
        e.fields.push_back({f, val, std::string(t.text)});
    }
}

}  // namespace

std::optional<unsigned> expected_vcmdq(const CmdExpect& e)
{
    // expected_queue() wrote it: the prefix, then a decimal index below 128.
    if (e.queue.rfind(kVcmdqQueuePrefix, 0) != 0)
        return std::nullopt;
    unsigned n = 0;
    for (const char c : std::string_view(e.queue).substr(kVcmdqQueuePrefix.size()))
        n = n * 10 + unsigned(c - '0');
    return n;
}

void parse_cmd_expect(const Lexer& lx, const std::vector<Token>& toks, size_t k, CmdExpect& e)
{
    e = CmdExpect{};
    const Token& verb = toks[k - 1];
    if (k >= toks.size() || toks[k].text != "executed")
        lx.fail(k < toks.size() ? toks[k] : verb, "expected 'expect executed OPNAME ...' or 'expect executed none'");
    if (++k >= toks.size())
        lx.fail(toks[k - 1], "expected a command name or 'none' after 'expect executed'");
    const Token& name = toks[k++];
    if (name.text == "none") {
        e.none = true;
        if (k < toks.size())
            lx.fail(toks[k], fmt::format("unexpected '{}' after 'none'", toks[k].text));
        return;
    }
    const smmuv3::CommandName c = command_named(lx, name);
    e.opcode = c.op;
    e.opname = name.text;
    if (c.implied)  // CFGI_ALL: Range = 31 selects (IHI 0070 4.3.3)
        e.fields.push_back({c.implied, c.implied_value, std::string()});
    std::vector<std::string_view> seen;
    const Token* granule = nullptr;
    const Token* covers = nullptr;
    for (; k < toks.size(); k++) {
        const Token& t = toks[k];
        KeyValue kv;
        if (!split_field(t, kv))
            lx.fail(t, fmt::format("expected FIELD=VALUE, count=N, covers=BASE+SIZE|all, granule=N or queue=NAME, "
                                   "got '{}'",
                                   t.text));
        if (std::find(seen.begin(), seen.end(), kv.key) != seen.end())
            lx.fail(t, fmt::format("'{}' is given twice", kv.key));
        seen.push_back(kv.key);
        parse_expect_field(lx, t, kv, e);
        if (kv.key == "granule")
            granule = &t;
        else if (kv.key == "covers")
            covers = &t;
    }
    // count=0 selects nothing, and nothing covers no range.
    if (e.has_covers && e.has_count && e.count == 0)
        lx.fail(*covers, "covers= with count=0 can never match: no command is selected to cover it (count=0 alone "
                         "checks that none executed)");
    // granule= only says what covers= counts: alone it would check nothing.
    if (granule && !e.has_covers)
        lx.fail(*granule, "granule= without covers= checks nothing: it is the granule covers= counts a TLBI "
                          "without a range (TG = 0) in");
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
            last = first + (len - 1) < first ? ~0ull : first + (len - 1);
            return true;
        }
    }
    if (shift >= 64) {
        first = 0;
        last = ~0ull;
        return true;
    }
    first &= ~((1ull << shift) - 1);
    last = first + ((1ull << shift) - 1);  // aligned: never past the top byte
    return true;
}

std::string check_commands(const CmdExpect& e, const std::vector<ExecutedCmd>& cmds)
{
    if (e.none) {
        if (cmds.empty())
            return "";
        return fmt::format("expected no command, but {} executed, the first {}", cmds.size(), describe(cmds[0]));
    }
    // The opcode and the implied fields select: CFGI_ALL the CFGI_STE_RANGE
    // commands with Range = 31 (IHI 0070 4.3.3); CFGI_STE_RANGE every
    // command of its opcode.
    auto has = [](const CmdExpect::FieldEq& f, const smmuv3::Command& c) {
        return smmuv3::get_field(*f.spec, c.dw0, c.dw1) == f.value;
    };
    auto selected = [&](const ExecutedCmd& x) {
        if (x.cmd.op != e.opcode || (!e.queue.empty() && x.queue != e.queue))
            return false;
        for (const auto& f : e.fields)
            if (f.implied() && !has(f, x.cmd))
                return false;
        return true;
    };
    std::vector<const ExecutedCmd*> sel;
    for (const auto& x : cmds)
        if (selected(x))
            sel.push_back(&x);
    const std::string what = e.queue.empty() ? e.opname : e.opname + " on " + e.queue_text;
    if (e.has_count ? sel.size() != e.count : sel.empty())
        return fmt::format("{} executed {} times, expected {} (of {} commands in the window)", what, sel.size(),
                           e.has_count ? fmt::format("{}", e.count) : std::string("at least once"), cmds.size());
    for (const ExecutedCmd* x : sel)
        for (const auto& f : e.fields)
            if (!f.implied() && !has(f, x->cmd))
                return fmt::format("{} has {}={:#x}, expected {}", describe(*x), f.spec->name,
                                   smmuv3::get_field(*f.spec, x->cmd.dw0, x->cmd.dw1), f.text);
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
    for (const auto& [a, b] : r)  // inclusive ends: a range ending at 2^64 has last = ~0
        if (!u.empty() && (u.back().second == ~0ull || a <= u.back().second + 1))
            u.back().second = std::max(u.back().second, b);
        else
            u.emplace_back(a, b);
    const uint64_t last = e.base + (e.size - 1);  // parse_covers: no wrap but covers=all's (0 + 2^64)
    if (u.size() == 1 && u[0].first == e.base && u[0].second == last)
        return "";
    return fmt::format("{} covers {}, expected exactly [{:#x}, {})", what, hex_ranges(u), e.base, end_after(last));
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
    // A region of interest's edge leaves the window as it was: a trace
    // with `roi` lines checks what the one without them checks.
    if (op.kind == TraceOp::Kind::RoiBegin || op.kind == TraceOp::Kind::RoiEnd)
        return;
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
