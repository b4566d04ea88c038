// SPDX-License-Identifier: GPL-2.0-only
// The kernel-level grammar (kernel_ops.h): one function per operation, over
// two helpers, KernelLine (the line's words, left to right) and Args (its
// KEY=VALUE arguments, in any order).
#include <algorithm>
#include <map>
#include <new>
#include <unordered_set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cmd_syntax.h"
#include "kernel_ops.h"
#include "kernel_ops_provider.h"
#include "log_regex_bounds.h"
#include "smmuv3/evtq.h"

namespace smmusim {

namespace {

using V = KernelOp::Verb;
using Names = KernelOpParser::Names;

// KEY=VALUE arguments, in any order, each at most once; the other words
// are kept apart, in `words`.
class Args {
public:
    Args(const Lexer& lx, TokenSpan toks) : lx_(lx)
    {
        for (const Token& t : toks) {
            KeyValue kv;
            if (!split_field(t, kv)) {
                words.push_back(t);
                continue;
            }
            if (given(kv.key))
                lx.fail(t, fmt::format("'{}' is given twice", kv.key));
            add(Arg{kv.key, kv.value});
        }
    }
    // Refuses any key but these and any word, the first on the line first
    // (a key is found in line order, words are kept in it).
    void allow(std::initializer_list<std::string_view> keys) const
    {
        const Arg* bad = nullptr;
        for (size_t i = 0; i < count() && !bad; i++) {
            const Arg& a = at(i);
            bool ok = false;
            for (const std::string_view k : keys)
                if (same_word(a.key, k)) {
                    ok = true;
                    break;
                }
            if (!ok)
                bad = &a;
        }
        const unsigned key_col = bad ? bad->value.col - static_cast<unsigned>(bad->key.size()) - 1 : 0;
        if (!words.empty() && (!bad || words.front().col < key_col))
            lx_.fail(words.front(), fmt::format("unexpected '{}'", words.front().text));
        if (bad) {
            std::string list;
            for (const std::string_view k : keys)
                list.append(list.empty() ? "" : ", ").append(k);
            lx_.fail_at(key_col, fmt::format("unknown argument '{}' (expected {})", bad->key, list));
        }
    }
    const Token* find(std::string_view key) const
    {
        for (size_t i = 0; i < count(); i++)
            if (same_word(at(i).key, key))
                return &at(i).value;
        return nullptr;
    }
    // The value of `key`; else "'VERB' needs KEY=" at `verb`.
    const Token& required(const char* key, const Token& verb) const
    {
        const Token* t = find(key);
        if (!t)
            lx_.fail(verb, fmt::format("'{}' needs {}=", verb.text, key));
        return *t;
    }
    uint64_t number(const char* key, const Token& verb, const char* what) const
    {
        return lx_.number(required(key, verb), what);
    }
    uint64_t number_or(const char* key, uint64_t dflt, const char* what) const
    {
        const Token* t = find(key);
        return t ? lx_.number(*t, what) : dflt;
    }
    // expect=ERRNO (0 without it).
    int expect_errno() const
    {
        const Token* t = find("expect");
        if (!t)
            return 0;
        const int e = errno_by_name(std::string(t->text));
        if (e < 0)
            lx_.fail(*t, fmt::format("expected an errno name (EINVAL, EBUSY, ...) or 0, got '{}'", t->text));
        return e;
    }

    std::vector<Token> words;

private:
    // A line's few KEY=VALUE fields, in the line's order (views into the
    // line): searched in place, no per-line tree of them. The first
    // kInline in the object itself (a line rarely has more), the others
    // after them in `more_`.
    struct Arg {
        std::string_view key;
        Token value;
    };
    static constexpr size_t kInline = 8;
    // Storage for an Arg, not initialised until add() puts one there (a
    // line fills one to three of them).
    union Slot {
        Slot() {}
        Arg arg;
    };
    size_t count() const { return n_; }
    const Arg& at(size_t i) const { return i < kInline ? first_[i].arg : more_[i - kInline]; }
    void add(const Arg& a)
    {
        if (n_ < kInline) {
            new (&first_[n_].arg) Arg(a);
        } else {
            if (more_.empty())  // past the inline ones: every key in a set from now on
                for (size_t i = 0; i < kInline; i++)
                    keys_.insert(first_[i].arg.key);
            more_.push_back(a);
            keys_.insert(a.key);
        }
        n_++;
    }
    // Whether `key` is among the fields so far: a scan of the few inline
    // ones, a look-up in `keys_` past them (a line of 20,000 fields was
    // checked in quadratic time).
    bool given(std::string_view key) const { return n_ <= kInline ? find(key) != nullptr : keys_.count(key) != 0; }
    const Lexer& lx_;
    Slot first_[kInline];
    size_t n_ = 0;
    std::vector<Arg> more_;
    std::unordered_set<std::string_view> keys_;  // every key, once there are more than kInline
};

// The words of one kernel-level line (without its expect-log) after the
// verb, with the kernel grammar's errors for missing and extra words.
class KernelLine : public Words {
public:
    KernelLine(const Lexer& lx, const std::vector<Token>& toks, size_t k) : Words(lx, toks, k + 1), verb_(toks[k]) {}

    const Token& verb() const { return verb_; }
    // At least n more words; else "expected WHAT after 'PREVIOUS'" after the
    // last word.
    void need(size_t n, const char* what) const
    {
        if (!has(n))
            lx.fail_at(last().col + static_cast<unsigned>(last().text.size()),
                       fmt::format("expected {} after '{}'", what, prev().text));
    }
    void no_more() const
    {
        if (!done())
            lx.fail(peek(), fmt::format("unexpected '{}'", peek().text));
    }
    Args args() { return Args(lx, rest()); }

private:
    const Token& verb_;
};

// " (... 'word')" when `w` is one of `words` but for its case (the
// grammar's words are lowercase), else "".
std::string case_hint(std::string_view w, std::initializer_list<std::string_view> words)
{
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    for (const std::string_view k : words)
        if (k.size() == w.size() && k != w &&
            std::equal(k.begin(), k.end(), w.begin(), [&](char a, char b) { return a == lower(b); }))
            return fmt::format(" (the trace's words are lowercase: '{}')", k);
    return "";
}

// A name the line defines (endpoint, domain, VM): new and well formed.
std::string define(const Lexer& lx, KernelOpParser::NameSet& set, const Token& t, const char* kind)
{
    if (t.text.empty() || t.text.find_first_of("=.#") != std::string::npos)
        lx.fail(t, fmt::format("'{}' is not a valid {} name", t.text, kind));
    if (!set.insert(std::string(t.text)).second)
        lx.fail(t, fmt::format("{} '{}' is already defined", kind, t.text));
    return std::string(t.text);
}

// A name the line uses: defined before.
std::string use(const Lexer& lx, const KernelOpParser::NameSet& set, const Token& t, const char* kind)
{
    if (set.find(t.text) == set.end())
        lx.fail(t, fmt::format("no {} named '{}' (define it first)", kind, t.text));
    return std::string(t.text);
}

// A region [base, base + size) of the 64-bit address space: size not 0, end
// not past 2^64.
void check_region(const Lexer& lx, const Token& size_tok, uint64_t base, uint64_t size, const char* what)
{
    if (size == 0)
        lx.fail(size_tok, fmt::format("{}: the size must not be 0", what));
    if (base + (size - 1) < base)
        lx.fail(size_tok, fmt::format("{}: {:#x} + size {:#x} passes the end of the 64-bit address space", what, base,
                                      size));
}

// "timeout=NS" of a wait: at most kMaxWaitNs of simulated time.
uint64_t wait_ns(const Lexer& lx, const Token& t)
{
    const Token v = t.tail(8);
    const uint64_t ns = lx.number(v, "a timeout in ns");
    if (ns > KernelOpParser::kMaxWaitNs)
        lx.fail(v, fmt::format("a timeout of {} ns is more than the longest wait, {} ns (1 s)", ns,
                               KernelOpParser::kMaxWaitNs));
    return ns;
}

// A module parameter the program's kernel does not have is refused at its
// column, before the run (not found by the kernel's parse_args() at run time).
// So is a value the parameter's type does not take (a bool's "maybe"), at
// the value's column.
void check_module_param(const Lexer& lx, const Token& t, const std::string& name, const Token& value)
{
    const KernelOpsProvider* k = kernel_ops_provider();
    const std::vector<std::string> known = k ? k->module_params() : std::vector<std::string>{};
    if (name == "watchdog_thresh" || known.empty())
        return;
    if (std::find(known.begin(), known.end(), name) == known.end())
        lx.fail(t, fmt::format("unknown kernel parameter '{}' (this kernel's module parameters: {}; and "
                               "watchdog_thresh)", name, fmt::join(known, ", ")));
    if (const std::string why = k->check_module_param(name, std::string(value.text)); !why.empty())
        lx.fail(value, why);
}

// kernel boot | kernel param NAME=VALUE
void parse_kernel(KernelLine& l, bool& booted, KernelOp& op)
{
    l.need(1, "'boot' or 'param'");
    const Token& what = l.next();
    if (what.text == "boot") {
        if (booted)
            l.lx.fail(what, "the kernel is already booted");
        booted = true;
        op.verb = V::Boot;
        l.no_more();
        return;
    }
    if (what.text != "param")
        l.lx.fail(what, fmt::format("expected 'boot' or 'param', got '{}'", what.text));
    l.need(1, "NAME=VALUE");
    const Token& t = l.next();
    KeyValue kv;
    if (!split_field(t, kv))
        l.lx.fail(t, fmt::format("expected NAME=VALUE (e.g. arm_smmu_v3.bypass_vcmdq=1), got '{}'", t.text));
    op.verb = V::Param;
    // Linux's parse_args() takes '-' and '_' in a parameter's name as the
    // same character (parameqn()): arm-smmu-v3.bypass_vcmdq is
    // arm_smmu_v3.bypass_vcmdq.
    op.param = kv.key;
    std::replace(op.param.begin(), op.param.end(), '-', '_');
    op.value = kv.value.text;
    check_module_param(l.lx, t, op.param, kv.value);
    // The kernel's boot parameter: whole seconds, 0..60 (kernel/watchdog.c),
    // passed on in decimal.
    if (op.param == "watchdog_thresh") {
        // The kernel reads it with get_option(), base 0: a leading 0 is
        // octal there (010 is 8), decimal in a trace (10). Refused where
        // the two readings differ (00 and 07 are the same number in both).
        const std::string_view v = kv.value.text;
        const size_t digits = v.find_first_not_of("0123456789");
        const std::string_view after_zeros = v.substr(std::min(v.find_first_not_of('0'), v.size()));
        const bool readings_differ = after_zeros.size() > 1 || (after_zeros.size() == 1 && after_zeros[0] > '7');
        if (v.size() > 1 && v[0] == '0' && v[1] >= '0' && v[1] <= '9' && digits == std::string_view::npos &&
            readings_differ)
            l.lx.fail(kv.value, fmt::format("watchdog_thresh={}: a leading 0 is octal to the kernel (get_option(): "
                                            "010 is 8) and decimal in a trace (010 is 10); write it without the 0",
                                            v));
        const uint64_t secs = l.lx.number(kv.value, "seconds");
        if (secs > 60)
            l.lx.fail(kv.value, "watchdog_thresh is at most 60 (seconds)");
        op.value = std::to_string(secs);
    }
    l.no_more();
}

// One stream ID, one endpoint: arm-smmu-v3 refuses a second master on a
// stream ID it has (arm_smmu_insert_master(): "Aliasing StreamID ...
// unsupported", EINVAL), and two PCI functions cannot share a requester ID.
// Refused at its column before the run, naming the first endpoint and its
// line.
void claim_stream_id(const Lexer& lx, const Token& t, uint32_t sid, Names& n, const KernelOp& op)
{
    const auto it = n.stream_ids.find(sid);
    if (it == n.stream_ids.end()) {
        n.stream_ids[sid] = {op.name, lx.line(), op.pci};
        return;
    }
    const Names::StreamUse& first = it->second;
    if (op.pci && first.pci)
        lx.fail(t, fmt::format("requester ID {:#x} is already endpoint '{}' (line {})", sid, first.endpoint,
                               first.line));
    lx.fail(t, fmt::format("stream ID {:#x} is already endpoint '{}' (line {}{}): arm-smmu-v3 takes one master per "
                           "stream ID (a second is refused at probe: \"Aliasing StreamID\", EINVAL)",
                           sid, first.endpoint, first.line, first.pci ? ", a PCI function: its requester ID" : ""));
}

// endpoint NAME pci rid=R [ats]: a function on the PCI root bus (bus 0),
// its StreamID = its RID (the host bridge's iommu-map is one to one).
void parse_pci_endpoint(KernelLine& l, Names& n, KernelOp& op)
{
    Args args = l.args();
    for (auto w = args.words.begin(); w != args.words.end();)
        if (w->text == "ats") {
            if (op.ats)
                l.lx.fail(*w, "'ats' is given twice");
            op.ats = true;
            w = args.words.erase(w);
        } else {
            ++w;
        }
    args.allow({"rid"});
    const Token& rid = args.required("rid", l.verb());
    op.rid = l.lx.number(rid, "a requester ID");
    if (op.rid > KernelOpParser::kMaxPciRid)
        l.lx.fail(rid, fmt::format("requester ID {:#x} is not on the root bus (at most {:#x}: bus 0, "
                                   "device << 3 | function)", op.rid, KernelOpParser::kMaxPciRid));
    op.pci = true;
    if (op.ats)
        n.ats_endpoints.insert(op.name);
    claim_stream_id(l.lx, rid, static_cast<uint32_t>(op.rid), n, op);
    op.sid = op.rid;
    op.sids = {static_cast<uint32_t>(op.rid)};
}

// endpoint NAME sid=S[,S...]: one "iommus" specifier per stream ID;
// endpoint NAME pci rid=R [ats]: a PCI function (parse_pci_endpoint).
void parse_endpoint(KernelLine& l, const Token& name, Names& n, KernelOp& op)
{
    if (!l.done() && !case_hint(l.peek().text, {"pci"}).empty())
        l.lx.fail(l.peek(), fmt::format("unexpected '{}'{}", l.peek().text, case_hint(l.peek().text, {"pci"})));
    if (l.take("pci")) {
        op.verb = V::Endpoint;
        op.name = define(l.lx, n.endpoints, name, "endpoint");
        parse_pci_endpoint(l, n, op);
        return;
    }
    const Args args = l.args();
    args.allow({"sid"});
    op.verb = V::Endpoint;
    op.name = define(l.lx, n.endpoints, name, "endpoint");
    const Token& list = args.required("sid", l.verb());
    for (size_t pos = 0;;) {
        const size_t comma = list.text.find(',', pos);
        const Token one = list.part(pos, comma == std::string::npos ? std::string::npos : comma - pos);
        const uint32_t sid = l.lx.index(one, "a stream ID");
        for (uint32_t s : op.sids)
            if (s == sid)
                l.lx.fail(one, fmt::format("stream ID {:#x} is listed twice", sid));
        claim_stream_id(l.lx, one, sid, n, op);
        op.sids.push_back(sid);
        if (comma == std::string::npos)
            break;
        pos = comma + 1;
    }
    op.sid = op.sids.front();
}

void parse_domain(KernelLine& l, const Token& name, Names& n, KernelOp& op)
{
    const Args args = l.args();
    args.allow({"endpoint"});
    op.verb = V::Domain;
    op.target = use(l.lx, n.endpoints, args.required("endpoint", l.verb()), "endpoint");
    op.name = define(l.lx, n.domains, name, "domain");
}

// map DOMAIN iova= pa= size= [ro] | unmap DOMAIN iova= size=
void parse_map(KernelLine& l, const Token& name, Names& n, KernelOp& op)
{
    op.name = use(l.lx, n.domains, name, "domain");
    Args args = l.args();
    const bool map = l.verb().text == "map";
    if (map && !args.words.empty() && args.words.back().text == "ro") {
        op.readonly = true;
        args.words.pop_back();
    }
    if (map)
        args.allow({"iova", "pa", "size"});
    else
        args.allow({"iova", "size"});
    op.verb = map ? V::Map : V::Unmap;
    op.iova = args.number("iova", l.verb(), "an IOVA");
    op.size = args.number("size", l.verb(), "a size in bytes");
    // An iova no domain maps is the word at fault, whatever the size (the
    // end past 2^52 or past 2^64).
    if (map && op.iova >= KernelOpParser::kMaxInputAddress)
        l.lx.fail(args.required("iova", l.verb()),
                  fmt::format("map {}: iova {:#x} is past 2^52 ({:#x}), the largest input address any SMMU stage "
                              "translates (IDR5.VAX: 52 bits): no domain can map it",
                              op.name, op.iova, KernelOpParser::kMaxInputAddress));
    check_region(l.lx, args.required("size", l.verb()), op.iova, op.size, "iova");
    if (map) {
        op.pa = args.number("pa", l.verb(), "a physical address");
        check_region(l.lx, args.required("size", l.verb()), op.pa, op.size, "pa");
    }
}

// vm NAME endpoint= vsid= [ram=] [gpa=] [layout=] [expect=] | vm NAME destroy
void parse_vm(KernelLine& l, const Token& name, Names& n, KernelOp& op)
{
    if (l.take("destroy")) {
        l.no_more();
        op.verb = V::VmDestroy;
        op.name = use(l.lx, n.vms, name, "VM");
        n.vms.erase(op.name);
        n.trapped_vms.erase(op.name);
        return;
    }
    const Args args = l.args();
    args.allow({"endpoint", "vsid", "ram", "gpa", "layout", "viommu", "expect"});
    op.verb = V::Vm;
    op.expect_errno = args.expect_errno();
    op.target = use(l.lx, n.endpoints, args.required("endpoint", l.verb()), "endpoint");
    op.vsid = l.lx.index(args.required("vsid", l.verb()), "a virtual stream ID");
    op.ram = args.number_or("ram", op.ram, "a size in bytes");
    op.gpa = args.number_or("gpa", op.gpa, "a guest physical address");
    const Token* ram = args.find("ram");
    const Token* gpa = args.find("gpa");
    check_region(l.lx, ram ? *ram : gpa ? *gpa : l.verb(), op.gpa, op.ram, "guest RAM at gpa");
    for (const char* key : {"ram", "gpa"})
        if (const Token* t = args.find(key); t && l.lx.number(*t, "a number") % KernelOpParser::kPageBytes)
            l.lx.fail(*t, fmt::format("{} must be a multiple of the page size ({:#x})", key, KernelOpParser::kPageBytes));
    if (const Token* layout = args.find("layout")) {
        if (layout->text != "contiguous" && layout->text != "scattered")
            l.lx.fail(*layout, fmt::format("expected 'contiguous' or 'scattered', got '{}'", layout->text));
        op.scattered = layout->text == "scattered";
    }
    if (const Token* viommu = args.find("viommu")) {
        if (viommu->text != "tegra241-cmdqv" && viommu->text != "arm-smmuv3")
            l.lx.fail(*viommu, fmt::format("expected 'tegra241-cmdqv' or 'arm-smmuv3', got '{}'", viommu->text));
        op.trapped = viommu->text == "arm-smmuv3";
    }
    op.name = define(l.lx, n.vms, name, "VM");
    if (op.trapped)
        n.trapped_vms.insert(op.name);
}

// hwqueue VM index= gpa= size= [expect=] | hwqueue VM index= destroy [expect=]
void parse_hwqueue(KernelLine& l, KernelOp& op)
{
    Args args = l.args();
    if (!args.words.empty() && args.words.front().text == "destroy") {
        args.words.erase(args.words.begin());
        args.allow({"index", "expect"});
        op.verb = V::HwQueueDestroy;
    } else {
        args.allow({"index", "gpa", "size", "expect"});
        op.verb = V::HwQueue;
        op.gpa = args.number("gpa", l.verb(), "a guest physical address");
        op.size = args.number("size", l.verb(), "a size in bytes");
    }
    op.index = l.lx.index(args.required("index", l.verb()), "an LVCMDQ index");
    op.expect_errno = args.expect_errno();
}

// lvcmdq=MAP of a vEVENTQ read: up to 128 bits, one number (bits 0-63) or HI:LO.
void parse_lvcmdq_map(const Lexer& lx, const Token& e, KernelOp& op)
{
    const Token map = e.tail(7);
    const auto colon = map.text.find(':');
    if (colon == std::string::npos) {
        op.expect_map[0] = lx.number(map, "an LVCMDQ error map");
        return;
    }
    op.expect_map[1] = lx.number(map.part(0, colon), "an LVCMDQ error map");
    op.expect_map[0] = lx.number(map.tail(colon + 1), "an LVCMDQ error map");
}

// type=tegra241-cmdqv | arm-smmuv3: IOMMU_VEVENTQ_TYPE_*.
uint32_t veventq_type(const Lexer& lx, const Token& t)
{
    if (t.text == "tegra241-cmdqv")
        return 2;
    if (t.text == "arm-smmuv3")
        return 1;
    lx.fail(t, fmt::format("expected 'tegra241-cmdqv' or 'arm-smmuv3', got '{}'", t.text));
}

// expect event=TYPE vsid=V [iova=A]: an ARM_SMMUV3 vEVENT.
void parse_vevent_expect(KernelLine& l, const Token& e, KernelOp& op)
{
    const Token name = e.tail(6);
    op.expect_event = smmuv3::evt::by_name(name.text);
    if (op.expect_event < 0)
        l.lx.fail(name, fmt::format("expected an event name (F_TRANSLATION, C_BAD_CD, ...), got '{}'", name.text));
    const Args args = l.args();
    args.allow({"vsid", "iova"});
    op.expect_vsid = l.lx.index(args.required("vsid", e), "a virtual stream ID");
    if (const Token* iova = args.find("iova")) {
        op.expect_iova = l.lx.number(*iova, "an IOVA");
        op.expect_has_iova = true;
    }
}

// veventq VM read [type=T] [timeout=NS] expect (lvcmdq=MAP | event=E vsid=V [iova=A] | empty | lost)
void parse_veventq_read(KernelLine& l, KernelOp& op)
{
    const Token* type = l.next_starts_with("type=") ? &l.next() : nullptr;
    if (type)
        op.veventq_type = veventq_type(l.lx, type->tail(5));
    if (l.next_starts_with("timeout="))
        op.read_timeout_ns = wait_ns(l.lx, l.next());
    l.need(2, "'expect lvcmdq=MAP', 'expect event=TYPE', 'expect empty' or 'expect lost'");
    const Token& expect = l.next();
    if (expect.text != "expect")
        l.lx.fail(expect, fmt::format("expected 'expect', got '{}'", expect.text));
    op.verb = V::VeventqRead;
    const Token& e = l.next();
    const bool smmu_event = e.text.rfind("event=", 0) == 0, lvcmdq = e.text.rfind("lvcmdq=", 0) == 0;
    if (smmu_event || lvcmdq) {  // the expectation names the vEVENTQ's type
        const uint32_t implied = smmu_event ? 1 : 2;
        if (type && op.veventq_type != implied)
            l.lx.fail(e, fmt::format("'{}' is not an event of the vEVENTQ's type ({})", e.text, type->tail(5).text));
        op.veventq_type = implied;
    }
    if (e.text == "empty")
        op.expect_empty = true;
    else if (e.text == "lost")
        op.expect_lost = true;
    else if (lvcmdq)
        parse_lvcmdq_map(l.lx, e, op);
    else if (smmu_event) {
        parse_vevent_expect(l, e, op);
        return;
    } else
        l.lx.fail(e, fmt::format("expected 'lvcmdq=MAP', 'event=TYPE', 'empty' or 'lost', got '{}'", e.text));
    l.no_more();
}

// veventq VM [depth=N] [type=T] | veventq VM read ...
void parse_veventq(KernelLine& l, KernelOp& op)
{
    if (l.take("read")) {
        parse_veventq_read(l, op);
        return;
    }
    const Args args = l.args();
    args.allow({"depth", "type"});
    op.verb = V::Veventq;
    // iommu_veventq_alloc.veventq_depth is a __u32.
    if (const Token* depth = args.find("depth"))
        op.depth = l.lx.index(*depth, "a queue depth (32 bits)");
    if (const Token* type = args.find("type"))
        op.veventq_type = veventq_type(l.lx, *type);
}

// guest VM wait L [timeout=NS] [expect error]
void parse_guest_wait(KernelLine& l, KernelOp& op)
{
    op.verb = V::GuestWait;
    bool timeout = false;
    while (!l.done()) {
        const Token& t = l.next();
        if (t.text == "expect") {
            // At the word after `expect` if it is not `error`.
            if (l.done())
                l.lx.fail_at(t.col + static_cast<unsigned>(t.text.size()), "expected 'error' after 'expect'");
            if (!l.take("error"))
                l.lx.fail(l.peek(), fmt::format("expected 'error' after 'expect', got '{}'", l.peek().text));
            if (op.expect_error)
                l.lx.fail(t, "'expect error' is given twice");
            op.expect_error = true;
        } else if (t.text.rfind("timeout=", 0) == 0) {
            if (timeout)
                l.lx.fail(t, "'timeout' is given twice");
            timeout = true;
            op.timeout_ns = wait_ns(l.lx, t);
        } else
            l.lx.fail(t, fmt::format("expected 'timeout=NS' or 'expect error', got '{}'", t.text));
    }
}

// granule=4k|16k|64k: its shift.
unsigned granule_shift_of(const Lexer& lx, const Token& t)
{
    static const std::pair<const char*, unsigned> kGranules[] = {{"4k", 12}, {"16k", 14}, {"64k", 16}};
    for (const auto& [word, shift] : kGranules)
        if (t.text == word)
            return shift;
    lx.fail(t, fmt::format("expected '4k', '16k' or '64k', got '{}'", t.text));
}

// s1dss=terminate|bypass|ssid0: STE.S1DSS.
uint64_t s1dss_of(const Lexer& lx, const Token& t)
{
    static const char* const kNames[] = {"terminate", "bypass", "ssid0"};
    for (uint64_t i = 0; i < 3; i++)
        if (t.text == kNames[i])
            return i;
    lx.fail(t, fmt::format("expected 'terminate', 'bypass' or 'ssid0', got '{}'", t.text));
}

// vste=DW0:DW1: the vSTE's two dwords, as the guest wrote them.
void parse_vste(const Lexer& lx, const Token& t, KernelOp::Stage1& s1)
{
    const auto colon = t.text.find(':');
    if (colon == std::string::npos)
        lx.fail(t, fmt::format("expected DW0:DW1 (the vSTE's two dwords), got '{}'", t.text));
    s1.vste[0] = lx.number(t.part(0, colon), "an STE dword");
    s1.vste[1] = lx.number(t.tail(colon + 1), "an STE dword");
    s1.raw_vste = true;
}

// guest VM stage1 [ssids=N] [asid=N] [granule=G] [ias=N] [tables=A] [s1dss=S] [eats=N] [vste=D0:D1] [expect=E]
void parse_guest_stage1(KernelLine& l, KernelOp& op)
{
    const Args args = l.args();
    args.allow({"ssids", "asid", "granule", "ias", "tables", "s1dss", "eats", "vste", "expect"});
    op.verb = V::GuestStage1;
    op.expect_errno = args.expect_errno();
    KernelOp::Stage1& s1 = op.stage1;
    if (const Token* t = args.find("ssids")) {
        const uint64_t n = l.lx.number(*t, "a number of SSIDs");
        if (n == 0 || n > 1024 || (n & (n - 1)))  // a linear CD table: 2^S1CDMax CDs, at most 64 KiB (as Linux)
            l.lx.fail(*t, "ssids is a power of two from 1 to 1024 (a linear CD table)");
        s1.ssids = static_cast<unsigned>(n);
    }
    if (const Token* t = args.find("asid")) {
        const uint64_t asid = l.lx.number(*t, "an ASID");
        if (asid + s1.ssids - 1 > 0xffff)
            l.lx.fail(*t, fmt::format("ASIDs {:#x}..{:#x} do not fit 16 bits", asid, asid + s1.ssids - 1));
        s1.asid = static_cast<uint16_t>(asid);
    }
    if (const Token* t = args.find("granule"))
        s1.granule_shift = granule_shift_of(l.lx, *t);
    if (const Token* t = args.find("ias")) {
        const uint64_t ias = l.lx.number(*t, "a VA size in bits");
        if (ias < 25 || ias > 48)  // T0SZ 16..39, the 48-bit VA forms the walk takes
            l.lx.fail(*t, "ias is from 25 to 48 bits");
        s1.ias = static_cast<unsigned>(ias);
    }
    // Not given is not 0: tables=0 is guest PA 0 (inside guest RAM or not,
    // as the VM's layout says), never the default place.
    s1.tables_given = args.find("tables") != nullptr;
    s1.tables = args.number_or("tables", 0, "a guest physical address");
    if (s1.tables % KernelOpParser::kPageBytes)
        l.lx.fail(*args.find("tables"), "tables must be a multiple of the page size (0x1000)");
    if (const Token* t = args.find("s1dss"))
        s1.s1dss = s1dss_of(l.lx, *t);
    if (const Token* t = args.find("eats")) {
        s1.eats = l.lx.number(*t, "an EATS value");
        if (s1.eats > 3)
            l.lx.fail(*t, "EATS is a 2-bit field (0 to 3)");
    }
    if (const Token* t = args.find("vste"))
        parse_vste(l.lx, *t, s1);
}

// guest VM map [ssid=N] iova= gpa= size= [ro] | guest VM unmap [ssid=N] iova= size=
void parse_guest_map(KernelLine& l, const Token& action, KernelOp& op)
{
    Args args = l.args();
    const bool map = action.text == "map";
    if (map && !args.words.empty() && args.words.back().text == "ro") {
        op.readonly = true;
        args.words.pop_back();
    }
    if (map)
        args.allow({"ssid", "iova", "gpa", "size"});
    else
        args.allow({"ssid", "iova", "size"});
    op.verb = map ? V::GuestMap : V::GuestUnmap;
    if (const Token* t = args.find("ssid"))
        op.ssid = l.lx.index(*t, "a SubstreamID");
    op.iova = args.number("iova", action, "an IOVA");
    op.size = args.number("size", action, "a size in bytes");
    check_region(l.lx, args.required("size", action), op.iova, op.size, "iova");
    if (map) {
        op.gpa = args.number("gpa", action, "a guest physical address");
        check_region(l.lx, args.required("size", action), op.gpa, op.size, "gpa");
    }
}

// guest VM cmd [L] OPNAME FIELD=VALUE...: after the index, the command.
void parse_guest_cmd(KernelLine& l, KernelOp& op)
{
    l.need(1, "a command name");
    const Token& opname = l.next();
    const CommandWords c = parse_command(l.lx, opname, l.rest());
    op.dw0 = c.dw0;
    op.dw1 = c.dw1;
    op.verb = V::GuestCmd;
}

// guest VM enable [0] [gpa=A] [log2size=N] of a trapped VM: its emulated
// CMDQ at A (aligned to its size), 2^N commands (1..19, IDR1.CMDQS).
void parse_trapped_enable(KernelLine& l, KernelOp& op)
{
    const Args args = l.args();
    args.allow({"gpa", "log2size"});
    op.verb = V::GuestEnable;
    if (const Token* t = args.find("log2size")) {
        const uint64_t n = l.lx.number(*t, "a log2 of the queue's entries");
        if (n < 1 || n > 19)
            l.lx.fail(*t, "log2size is from 1 to 19 (the emulated SMMU's IDR1.CMDQS)");
        op.log2size = static_cast<unsigned>(n);
    }
    // Not given is not 0: gpa=0 is guest PA 0 (outside a guest RAM that
    // does not start there: EFAULT, as any other such address).
    op.queue_gpa_given = args.find("gpa") != nullptr;
    op.queue_gpa = args.number_or("gpa", 0, "a guest physical address");
    if (op.queue_gpa % (uint64_t{16} << op.log2size))
        l.lx.fail(*args.find("gpa"), fmt::format("the queue's base must be aligned to its size ({:#x} bytes)",
                                                 uint64_t{16} << op.log2size));
}

// An action `guest VM` does not take, at its column.
[[noreturn]] void unknown_guest_action(const Lexer& lx, const Token& action)
{
    lx.fail(action, fmt::format("expected cmd, enable, doorbell, wait, skip, stage1, map or unmap, got '{}'{}",
                                action.text,
                                case_hint(action.text, {"cmd", "enable", "doorbell", "wait", "skip", "stage1", "map",
                                                        "unmap"})));
}

// guest TVM (cmd | enable | doorbell | skip | wait) [0] ...: a trapped VM's
// one emulated command queue, so its index is absent or 0.
void parse_trapped_guest(KernelLine& l, KernelOp& op)
{
    const Token& action = l.next();
    if (!l.done() && !l.peek().text.empty() && l.peek().text[0] >= '0' && l.peek().text[0] <= '9') {
        const Token& index = l.next();
        if (l.lx.index(index, "a command queue index") != 0)
            l.lx.fail(index, fmt::format("VM '{}' has a trapped vIOMMU (arm-smmuv3): one emulated command queue, "
                                         "index 0 (or none)", op.name));
    }
    if (action.text == "cmd") {
        parse_guest_cmd(l, op);
    } else if (action.text == "enable") {
        parse_trapped_enable(l, op);
    } else if (action.text == "doorbell" || action.text == "skip") {
        l.no_more();
        op.verb = action.text == "skip" ? V::GuestSkip : V::GuestDoorbell;
    } else if (action.text == "wait") {
        parse_guest_wait(l, op);
    } else {
        unknown_guest_action(l.lx, action);
    }
}

// guest VM (cmd | enable | doorbell | skip | wait) L ... | guest VM (stage1 | map | unmap) ...
void parse_guest(KernelLine& l, KernelOp& op)
{
    l.need(1, "an action");
    static constexpr std::string_view kActions[] = {"cmd",  "enable", "doorbell", "wait",
                                                    "skip", "stage1", "map",      "unmap"};
    if (std::find(std::begin(kActions), std::end(kActions), l.peek().text) == std::end(kActions))
        unknown_guest_action(l.lx, l.peek());  // at the word, before any word missing after it
    if (l.take("stage1")) {
        parse_guest_stage1(l, op);
        return;
    }
    if (l.peek().text == "map" || l.peek().text == "unmap") {
        parse_guest_map(l, l.next(), op);
        return;
    }
    if (op.trapped) {
        parse_trapped_guest(l, op);
        return;
    }
    l.need(2, "an action and an LVCMDQ index");
    const Token& action = l.next();
    op.index = l.lx.index(l.next(), "an LVCMDQ index");
    if (action.text == "cmd") {
        parse_guest_cmd(l, op);
        return;
    }
    static const std::pair<const char*, V> kQueueOps[] = {
        {"enable", V::GuestEnable}, {"doorbell", V::GuestDoorbell}, {"skip", V::GuestSkip}};
    for (const auto& [word, verb] : kQueueOps)
        if (action.text == word) {
            l.no_more();
            op.verb = verb;
            return;
        }
    if (action.text == "wait") {
        parse_guest_wait(l, op);
        return;
    }
    unknown_guest_action(l.lx, action);
}

// expect=ok | expect=fault | expect=fault:TYPE of a dma.
void parse_dma_expect(const Lexer& lx, const Token& e, KernelOp& op)
{
    if (e.text == "ok")
        return;
    if (e.text.rfind("fault", 0) != 0 || (e.text.size() > 5 && e.text[5] != ':'))
        lx.fail(e, fmt::format("expected 'ok', 'fault' or 'fault:TYPE', got '{}'", e.text));
    op.expect_fault = true;
    if (e.text.size() <= 5)
        return;
    const Token type = e.tail(6);
    if (type.text == "ATS") {  // not an event: the ATS endpoint's completion refused it
        op.fault_ats = true;
        return;
    }
    const int t = smmuv3::evt::by_name(type.text);
    if (t < 0)
        lx.fail(type, fmt::format("expected an event name (F_TRANSLATION, C_BAD_STE, ...) or ATS, got '{}'",
                                  type.text));
    op.fault_type = static_cast<uint8_t>(t);
}

// dma (EP | sid=S) [ssid=N] iova=A size=N read|write [expect=ok|fault[:TYPE]] [pa=A]
void parse_dma(KernelLine& l, const Token& name, Names& n, KernelOp& op)
{
    KeyValue kv;
    if (split_field(name, kv) && kv.key == "sid")
        op.sid = l.lx.index(kv.value, "a stream ID");  // a stream no endpoint has: op.name stays empty
    else
        op.name = use(l.lx, n.endpoints, name, "endpoint");
    Args args = l.args();
    if (args.words.empty())
        l.lx.fail_at(l.last().col + static_cast<unsigned>(l.last().text.size()), "'dma' needs 'read' or 'write'");
    const Token& dir = args.words.front();
    if (dir.text != "read" && dir.text != "write")
        l.lx.fail(dir, fmt::format("expected 'read' or 'write', got '{}'", dir.text));
    op.write = dir.text == "write";
    args.words.erase(args.words.begin());
    args.allow({"expect", "iova", "pa", "size", "ssid"});
    op.verb = V::Dma;
    op.iova = args.number("iova", l.verb(), "an IOVA");
    op.size = args.number("size", l.verb(), "a size in bytes");
    const Token& size = args.required("size", l.verb());
    check_region(l.lx, size, op.iova, op.size, "iova");
    if (op.size > KernelOpParser::kMaxDmaBytes)
        l.lx.fail(size, fmt::format("a DMA is at most {:#x} bytes (16 MiB), got {:#x}", KernelOpParser::kMaxDmaBytes,
                                    op.size));
    if (const Token* ssid = args.find("ssid")) {
        op.ssv = true;
        op.ssid = l.lx.index(*ssid, "a SubstreamID");
        if (op.ssid > KernelOpParser::kMaxSsid)
            l.lx.fail(*ssid, fmt::format("a SubstreamID is at most {:#x} (20 bits), got {:#x}",
                                         KernelOpParser::kMaxSsid, op.ssid));
    }
    if (const Token* e = args.find("expect")) {
        parse_dma_expect(l.lx, *e, op);
        // A bare stream ID is no device: nothing of it has an ATC to refuse.
        if (op.fault_ats && op.name.empty())
            l.lx.fail(e->tail(6), "fault:ATS needs an endpoint with ATS (dma EP ...); sid=S has no ATC");
        // Only an endpoint's ATS can refuse a transaction.
        if (op.fault_ats && n.ats_endpoints.count(op.name) == 0)
            l.lx.fail(e->tail(6), fmt::format("fault:ATS needs an endpoint with ATS; '{}' has none (endpoint {} pci "
                                              "rid=R ats)",
                                              op.name, op.name));
    }
    if (const Token* pa = args.find("pa")) {
        if (op.expect_fault)
            l.lx.fail(*pa, "pa= checks where a DMA went: it cannot go with expect=fault");
        op.pa = l.lx.number(*pa, "a physical address");
        op.check_pa = true;
    }
}

// The operations on a name: each reads the line after its name.
struct NamedOp {
    std::string_view verb;  // a view: compared without strlen
    void (*parse)(KernelLine&, const Token& name, Names&, KernelOp&);
};
const NamedOp kDefiningOps[] = {
    {"endpoint", parse_endpoint}, {"domain", parse_domain}, {"map", parse_map}, {"unmap", parse_map},
    {"vm", parse_vm}, {"dma", parse_dma}};
// The operations on a VM, defined before.
struct VmOp {
    std::string_view verb;
    void (*parse)(KernelLine&, KernelOp&);
};
const VmOp kVmOps[] = {{"hwqueue", parse_hwqueue}, {"veventq", parse_veventq}, {"guest", parse_guest}};

}  // namespace

bool KernelOpParser::is_verb(std::string_view word)
{
    if (same_word(word, "kernel"))
        return true;
    for (const auto& o : kDefiningOps)
        if (same_word(word, o.verb))
            return true;
    for (const auto& o : kVmOps)
        if (same_word(word, o.verb))
            return true;
    return false;
}

void KernelOpParser::parse(const Lexer& lx, const std::vector<Token>& toks, size_t k, KernelOp& op)
{
    // "expect-log REGEX...": the rest of the line, taken off before the
    // operation's own words are read.
    size_t j = k + 1;
    while (j < toks.size() && toks[j].text != "expect-log")
        j++;
    if (j == toks.size()) {
        parse_op(lx, toks, k, op);
        return;
    }
    parse_op(lx, std::vector<Token>(toks.begin(), toks.begin() + static_cast<long>(j)), k, op);
    if (j + 1 == toks.size())
        lx.fail_at(toks[j].col + static_cast<unsigned>(toks[j].text.size()),
                   "expected a regular expression after 'expect-log'");
    std::string re;
    for (size_t i = j + 1; i < toks.size(); i++)
        re.append(re.empty() ? "" : " ").append(toks[i].text);
    size_t at = 0;
    bool past_limits = false;
    if (std::string e = log_regex_error(re, &at, &past_limits); !e.empty()) {
        size_t i = j + 1;  // the word holding byte `at` (words joined by one space)
        for (; i + 1 < toks.size() && at >= toks[i].text.size() + 1; i++)
            at -= toks[i].text.size() + 1;
        lx.fail_at(toks[i].col + static_cast<unsigned>(std::min(at, toks[i].text.size())),
                   fmt::format("'{}' {} ({})", re,
                               past_limits ? "is past smmusim's limits for expect-log" : "is not a valid regular expression",
                               e));
    }
    op.expect_log = re;
}

void KernelOpParser::parse_op(const Lexer& lx, const std::vector<Token>& toks, size_t k, KernelOp& op)
{
    op.reset();
    KernelLine l(lx, toks, k);
    const Token& verb = l.verb();
    if (same_word(verb.text, "kernel")) {
        parse_kernel(l, booted_, op);
        return;
    }
    if (!booted_)
        lx.fail(verb, "the kernel is not booted yet ('kernel boot' first)");
    l.need(1, "a name");
    const Token& name = l.next();
    for (const auto& o : kDefiningOps)
        if (same_word(verb.text, o.verb)) {
            o.parse(l, name, names_, op);
            return;
        }
    op.name = use(lx, names_.vms, name, "VM");
    op.trapped = names_.trapped_vms.count(op.name) != 0;
    for (const auto& o : kVmOps)
        if (same_word(verb.text, o.verb)) {
            o.parse(l, op);
            return;
        }
}

}  // namespace smmusim
