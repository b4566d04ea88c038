// SPDX-License-Identifier: GPL-2.0-only
// The spool of a checked trace's operations: a byte that says which record
// follows. A `cmd` with nothing but its location, queue and command: those,
// fixed-size. Anything else: a varint per value that differs from a blank
// TraceOp, after a mask of which ones do; then a kernel-level operation's
// values and strings that differ from a blank one's, after a mask of which
// ones do, or an expectation's values, every one, and its strings (a length
// and the bytes). Written and read through a block buffer.
#include "trace_spool.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <type_traits>
#include <vector>

#include <unistd.h>

#include <fmt/format.h>

namespace smmusim {

namespace {

// Every value of a TraceOp but its names (queue, reg), kernel operation and
// expectation, in one order for writing and reading: f(a's, b's). A value
// added to TraceOpValues must be added here.
template <class A, class B, class F>
constexpr void each_value_pair(A& a, B& b, F&& f)
{
    f(a.kind, b.kind), f(a.loc.line, b.loc.line), f(a.loc.col, b.loc.col), f(a.when, b.when);
    f(a.when_cycles, b.when_cycles), f(a.block, b.block), f(a.addr, b.addr), f(a.size, b.size);
    f(a.value, b.value), f(a.has_expect, b.has_expect), f(a.expect, b.expect), f(a.vcmdq, b.vcmdq);
    f(a.vintf, b.vintf), f(a.lidx, b.lidx), f(a.index, b.index), f(a.global_q, b.global_q), f(a.vmid, b.vmid);
    f(a.hyp_own, b.hyp_own), f(a.vsid, b.vsid), f(a.psid, b.psid), f(a.opcode, b.opcode), f(a.dw0, b.dw0);
    f(a.dw1, b.dw1), f(a.log2size, b.log2size), f(a.has_base, b.has_base), f(a.base, b.base);
    f(a.timeout, b.timeout), f(a.cycles, b.cycles), f(a.place_col, b.place_col), f(a.when_col, b.when_col);
    f(a.cycles_col, b.cycles_col), f(a.log2size_col, b.log2size_col);
}
static_assert(sizeof(TraceOpValues) == 192, "TraceOpValues changed: spool its new values (each_value_pair)");

constexpr TraceOpValues kBlank{};

// The record that follows: a `cmd`'s fixed one, values, or a kernel-level
// `map`'s or `unmap`'s fixed one.
enum Record : uint8_t { kValues = 0, kCmd = 1, kMap = 2 };
// A `cmd` record after its byte: opcode, queue name id, line, column, dw0, dw1.
constexpr size_t kCmdRecord = 1 + 4 + 4 + 4 + 8 + 8;
// A `map`/`unmap` record after its byte: flags (kMapFlag*), line, column,
// iova, pa, size, the domain name's length; then the name's bytes.
constexpr size_t kMapRecord = 1 + 4 + 4 + 8 + 8 + 8 + 1;
constexpr uint8_t kMapFlagUnmap = 1, kMapFlagReadonly = 2;

template <class T>
constexpr uint64_t as_u64(T v)
{
    if constexpr (std::is_enum_v<T>)
        return static_cast<uint64_t>(static_cast<std::underlying_type_t<T>>(v));
    else
        return static_cast<uint64_t>(v);
}

// A bit per value, in the order `each(a, b, f)` gives them, set where a's
// and b's differ; `bits`: how many values there were.
template <class A, class B, class Each>
constexpr uint64_t differing(const A& a, const B& b, Each&& each, unsigned& bits)
{
    uint64_t mask = 0;
    bits = 0;
    each(a, b, [&](const auto& x, const auto& y) {
        if (as_u64(x) != as_u64(y))
            mask |= uint64_t(1) << bits;
        bits++;
    });
    return mask;
}

template <class T>
T from_u64(uint64_t v)
{
    if constexpr (std::is_enum_v<T>)
        return static_cast<T>(static_cast<std::underlying_type_t<T>>(v));
    else if constexpr (std::is_same_v<T, bool>)
        return v != 0;
    else
        return static_cast<T>(v);
}

// A kernel-level operation's values but its strings and stream IDs
// (kernel_ops.h), in one order for writing and reading: f(a's, b's). A
// value added to KernelOp must be added here (the static_assert below is
// the reminder).
template <class A, class B, class F>
void each_kernel_value_pair(A& a, B& b, F&& f)
{
    f(a.verb, b.verb), f(a.sid, b.sid), f(a.vsid, b.vsid), f(a.pci, b.pci), f(a.ats, b.ats), f(a.rid, b.rid);
    f(a.iova, b.iova), f(a.pa, b.pa), f(a.size, b.size), f(a.gpa, b.gpa), f(a.ram, b.ram);
    f(a.readonly, b.readonly), f(a.scattered, b.scattered), f(a.trapped, b.trapped), f(a.queue_gpa, b.queue_gpa);
    f(a.queue_gpa_given, b.queue_gpa_given);
    f(a.log2size, b.log2size), f(a.index, b.index), f(a.depth, b.depth), f(a.timeout_ns, b.timeout_ns);
    f(a.expect_errno, b.expect_errno), f(a.expect_error, b.expect_error), f(a.expect_empty, b.expect_empty);
    f(a.expect_lost, b.expect_lost), f(a.read_timeout_ns, b.read_timeout_ns), f(a.expect_map[0], b.expect_map[0]);
    f(a.expect_map[1], b.expect_map[1]), f(a.dw0, b.dw0), f(a.dw1, b.dw1), f(a.veventq_type, b.veventq_type);
    f(a.expect_event, b.expect_event), f(a.expect_vsid, b.expect_vsid), f(a.expect_iova, b.expect_iova);
    f(a.expect_has_iova, b.expect_has_iova);
    auto& s = a.stage1;
    auto& t = b.stage1;
    f(s.ssids, t.ssids), f(s.asid, t.asid), f(s.granule_shift, t.granule_shift), f(s.ias, t.ias);
    f(s.tables, t.tables), f(s.s1dss, t.s1dss), f(s.eats, t.eats), f(s.raw_vste, t.raw_vste);
    f(s.tables_given, t.tables_given);
    f(s.vste[0], t.vste[0]), f(s.vste[1], t.vste[1]);
    f(a.ssid, b.ssid), f(a.ssv, b.ssv), f(a.write, b.write), f(a.expect_fault, b.expect_fault);
    f(a.fault_type, b.fault_type), f(a.fault_ats, b.fault_ats), f(a.check_pa, b.check_pa);
}
template <class K, class F>
void each_kernel_string(K& k, F&& f)
{
    f(k.name), f(k.target), f(k.param), f(k.value), f(k.expect_log);
}
static_assert(sizeof(KernelOp) == 464, "KernelOp changed: spool its new values (each_kernel_value_pair, each_kernel_string)");

// A blank kernel-level operation: a kernel record keeps only what differs
// from it, a mask bit per value, string and the stream IDs, in that order.
const KernelOp& blank_kernel_op()
{
    static const KernelOp blank{};
    return blank;
}
constexpr unsigned kKernelValues = 52, kKernelStrings = 5;
static_assert(kKernelValues + kKernelStrings + 1 <= 64, "a kernel record's mask is 64 bits");

// The bits of differing(op, kBlank, each_value_pair) and of
// differing(kop, blank, each_kernel_value_pair) a `map`/`unmap` record may
// have (those it holds): found by setting those values.
uint64_t map_record_value_bits()
{
    TraceOpValues v{};
    v.kind = TraceOp::Kind::Kernel;
    v.loc.line = v.loc.col = 1;
    unsigned bits = 0;
    return differing(v, kBlank, [](auto& a, auto& b, auto&& f) { each_value_pair(a, b, f); }, bits);
}
uint64_t map_record_kernel_bits()
{
    KernelOpValues k{};
    k.verb = KernelOp::Verb::Map;
    k.iova = k.pa = k.size = 1;
    k.readonly = true;
    unsigned bits = 0;
    return differing(k, blank_kernel_op(), [](auto& a, auto& b, auto&& f) { each_kernel_value_pair(a, b, f); },
                     bits);
}

// An `expect executed` line's values but its strings and fields.
template <class E, class F>
void each_expect_value(E& e, F&& f)
{
    f(e.none), f(e.opcode), f(e.has_count), f(e.count), f(e.has_covers), f(e.base), f(e.size), f(e.granule);
}
static_assert(sizeof(CmdExpect) == 176, "CmdExpect changed: spool its new values (each_expect_value, put/get_expect)");

// The values a `cmd` record keeps (its kind, location, queue and command),
// a bit each by their place in each_value_pair.
constexpr uint64_t cmd_record_values()
{
    TraceOpValues probe{};
    probe.kind = TraceOpValues::Kind::Cmd;
    probe.loc.line = probe.loc.col = 1;
    probe.vcmdq = true;
    probe.vintf = probe.lidx = 1;
    probe.opcode = 1;
    probe.dw0 = probe.dw1 = 1;
    unsigned bits = 0;
    return differing(probe, kBlank, [](auto& a, auto& b, auto&& f) { each_value_pair(a, b, f); }, bits);
}
constexpr uint64_t kCmdRecordValues = cmd_record_values();
static_assert(__builtin_popcountll(kCmdRecordValues) == 9, "a `cmd` record keeps nine values");

// Whether `op` sets no value but those a `cmd` record keeps: each other
// value compared with a blank TraceOp's in place.
bool only_cmd_record_values(const TraceOpValues& op)
{
    uint64_t differ = 0;
    unsigned bit = 0;
    each_value_pair(op, kBlank, [&](const auto& a, const auto& b) {
        if (!((kCmdRecordValues >> bit) & 1))
            differ |= as_u64(a) ^ as_u64(b);
        bit++;
    });
    return differ == 0;
}

void put_varint(uint8_t*& p, uint64_t v)
{
    for (; v >= 0x80; v >>= 7)
        *p++ = static_cast<uint8_t>(v | 0x80);
    *p++ = static_cast<uint8_t>(v);
}

// An anonymous temporary file in $TMPDIR (else /tmp), as mktemp(1) picks
// its folder: std::tmpfile() would ignore TMPDIR. Removed from the folder
// at once, so the system frees it when it is closed. nullptr if none can be
// made (the run reads the trace again).
std::FILE* open_spool_file()
{
    const char* dir = std::getenv("TMPDIR");
    std::string path = std::string(dir && *dir ? dir : "/tmp") + "/smmusim-spool-XXXXXX";
    const int fd = mkstemp(path.data());
    if (fd < 0)
        return nullptr;
    unlink(path.c_str());
    std::FILE* f = fdopen(fd, "w+b");
    if (!f)
        close(fd);
    return f;
}

}  // namespace

TraceSpool::TraceSpool() : f_(open_spool_file()), buf_(new uint8_t[kBlock]) {}

TraceSpool::~TraceSpool()
{
    if (f_)
        std::fclose(f_);
}

void TraceSpool::flush()
{
    if (ok_ && wlen_ && std::fwrite(buf_.get(), 1, wlen_, f_) != wlen_)
        ok_ = false;
    wlen_ = 0;
}

void TraceSpool::write(const void* p, size_t n)
{
    if (n > kBlock) {
        flush();
        if (ok_ && std::fwrite(p, 1, n, f_) != n)
            ok_ = false;
        return;
    }
    std::memcpy(room(n), p, n);
}

// Straight into the block: a varint is at most 10 bytes.
void TraceSpool::put_u64(uint64_t v)
{
    if (wlen_ + 10 > kBlock)
        flush();
    uint8_t* const start = buf_.get() + wlen_;
    uint8_t* p = start;
    put_varint(p, v);
    wlen_ += static_cast<size_t>(p - start);
}

void TraceSpool::put_string(const std::string& s)
{
    put_u64(s.size());
    write(s.data(), s.size());
}

void TraceSpool::refill(size_t n)
{
    std::memmove(buf_.get(), buf_.get() + rpos_, rlen_ - rpos_);
    rlen_ -= rpos_;
    rpos_ = 0;
    rlen_ += std::fread(buf_.get() + rlen_, 1, kBlock - rlen_, f_);
    if (rlen_ < n)
        throw TraceError("the run's copy of the checked trace cannot be read (its temporary file)");
}

void TraceSpool::read(void* p, size_t n)
{
    auto* d = static_cast<uint8_t*>(p);
    while (n) {
        const size_t k = std::min(n, kBlock);
        std::memcpy(d, need(k), k);
        d += k;
        n -= k;
    }
}

std::string TraceSpool::get_string()
{
    std::string s(varint(), '\0');
    read(s.data(), s.size());
    return s;
}

// The mask of what differs from a blank operation, then those values,
// strings (a length and the bytes) and stream IDs. The values are found
// and encoded in one pass, into a buffer written after the mask.
void TraceSpool::put_kernel(const KernelOp& k)
{
    const KernelOp& blank = blank_kernel_op();
    uint8_t values[kKernelValues * 10];
    uint8_t* p = values;
    uint64_t mask = 0;
    unsigned bit = 0;
    each_kernel_value_pair(k, blank, [&](const auto& v, const auto& b) {
        const uint64_t u = as_u64(v);
        if (bit < kKernelValues && u != as_u64(b)) {
            mask |= uint64_t(1) << bit;
            put_varint(p, u);
        }
        bit++;
    });
    if (bit != kKernelValues) {  // each_kernel_value_pair and kKernelValues disagree
        ok_ = false;
        return;
    }
    each_kernel_string(k, [&](const std::string& v) {
        if (!v.empty())
            mask |= uint64_t(1) << bit;
        bit++;
    });
    if (!k.sids.empty())
        mask |= uint64_t(1) << bit;
    put_u64(mask);
    write(values, static_cast<size_t>(p - values));
    bit = kKernelValues;
    each_kernel_string(k, [&](const std::string& v) {
        if ((mask >> bit++) & 1)
            put_string(v);
    });
    if ((mask >> bit) & 1) {
        put_u64(k.sids.size());
        for (uint32_t sid : k.sids)
            put_u64(sid);
    }
}

// Every value is set: from the spool, or the blank operation's.
void TraceSpool::get_kernel(KernelOp& k)
{
    const uint64_t mask = varint();
    if (mask >> (kKernelValues + kKernelStrings + 1))
        throw TraceError("the run's copy of the checked trace is corrupt (its temporary file)");
    unsigned bit = 0;
    each_kernel_value_pair(k, blank_kernel_op(), [&](auto& v, const auto& b) {
        using T = std::remove_reference_t<decltype(v)>;
        v = (mask >> bit++) & 1 ? from_u64<T>(varint()) : b;
    });
    each_kernel_string(k, [&](std::string& v) {
        if ((mask >> bit++) & 1)
            v = get_string();
        else
            v.clear();
    });
    k.sids.clear();
    if ((mask >> bit) & 1) {
        k.sids.resize(varint());
        for (uint32_t& sid : k.sids)
            sid = static_cast<uint32_t>(varint());
    }
}

// Each field by its index in the command's fields (command_fields()); a
// field from elsewhere cannot be kept (the run reads the trace again).
void TraceSpool::put_expect(const CmdExpect& e)
{
    each_expect_value(e, [&](const auto& v) { put_u64(as_u64(v)); });
    put_string(e.opname);
    put_string(e.queue);
    put_string(e.queue_text);
    const std::vector<smmuv3::FieldSpec>& specs = smmuv3::command_fields(e.opcode);
    put_u64(e.fields.size());
    for (const CmdExpect::FieldEq& f : e.fields) {
        if (specs.empty() || f.spec < specs.data() || f.spec >= specs.data() + specs.size()) {
            ok_ = false;
            return;
        }
        put_u64(static_cast<uint64_t>(f.spec - specs.data()));
        put_u64(f.value);
        put_string(f.text);
    }
}

void TraceSpool::get_expect(CmdExpect& e)
{
    each_expect_value(e, [&](auto& v) { v = from_u64<std::remove_reference_t<decltype(v)>>(varint()); });
    e.opname = get_string();
    e.queue = get_string();
    e.queue_text = get_string();
    const std::vector<smmuv3::FieldSpec>& specs = smmuv3::command_fields(e.opcode);
    e.fields.resize(varint());
    for (CmdExpect::FieldEq& f : e.fields) {
        const uint64_t i = varint();
        if (i >= specs.size())
            throw TraceError("the run's copy of the checked trace is corrupt (its temporary file)");
        f.spec = &specs[i];
        f.value = varint();
        f.text = get_string();
    }
}

uint32_t TraceSpool::name_id(const std::string& s, const TraceOp& op)
{
    // Looked up first: emplace() would make (and free) a node, with a copy
    // of the name, for every operation.
    if (const auto it = ids_.find(s); it != ids_.end())
        return it->second;
    const auto id = static_cast<uint32_t>(names_.size());
    ids_.emplace(s, id);
    names_.push_back(Name{s, op.vcmdq, op.vintf, op.lidx});
    return id;
}

// A `cmd` as its fixed record, if it sets nothing else (and its queue's
// name says which queue it is, as it did when first kept); else false.
bool TraceSpool::put_cmd(const TraceOp& op)
{
    if (op.kind != TraceOp::Kind::Cmd)
        return false;
    if (!only_cmd_record_values(op) || !op.reg.empty() || op.queue.empty())
        return false;
    // Most `cmd`s name the queue the one before named.
    if (names_[last_queue_].text != op.queue)
        last_queue_ = name_id(op.queue, op);
    const uint32_t id = last_queue_;
    const Name& n = names_[id];
    if (n.vcmdq != op.vcmdq || n.vintf != op.vintf || n.lidx != op.lidx)
        return false;
    uint8_t* p = room(1 + kCmdRecord);
    *p++ = kCmd;
    *p++ = op.opcode;
    std::memcpy(p, &id, 4);
    std::memcpy(p + 4, &op.loc.line, 4);
    std::memcpy(p + 8, &op.loc.col, 4);
    std::memcpy(p + 12, &op.dw0, 8);
    std::memcpy(p + 20, &op.dw1, 8);
    return true;
}

void TraceSpool::put_values(const TraceOp& op)
{
    // mask, then up to 34 varints of at most 10 bytes
    uint8_t buf[10 + 34 * 10];
    uint8_t* p = buf + 10;
    uint64_t mask = 0;
    unsigned bit = 0;
    each_value_pair(op, kBlank, [&](const auto& v, const auto& blank) {
        const uint64_t u = as_u64(v);
        if (u != as_u64(blank)) {
            mask |= uint64_t(1) << bit;
            put_varint(p, u);
        }
        bit++;
    });
    for (const std::string* s : {&op.queue, &op.reg}) {
        if (!s->empty()) {
            mask |= uint64_t(1) << bit;
            put_varint(p, name_id(*s, op));
        }
        bit++;
    }
    *room(1) = kValues;
    put_u64(mask);
    write(buf + 10, static_cast<size_t>(p - (buf + 10)));
}

// A kernel-level `map` or `unmap` as its fixed record, if it sets nothing
// else (no time, no other value or string, a domain name of at most 255
// bytes); else false.
bool TraceSpool::put_map(const TraceOp& op)
{
    const KernelOp& k = op.kop;
    if (op.kind != TraceOp::Kind::Kernel || (k.verb != KernelOp::Verb::Map && k.verb != KernelOp::Verb::Unmap))
        return false;
    if (!op.queue.empty() || !op.reg.empty() || k.name.empty() || k.name.size() > 255 || !k.target.empty() ||
        !k.param.empty() || !k.value.empty() || !k.expect_log.empty() || !k.sids.empty())
        return false;
    static const uint64_t value_bits = map_record_value_bits(), kernel_bits = map_record_kernel_bits();
    unsigned bits = 0;
    if (differing(op, kBlank, [](auto& a, auto& b, auto&& f) { each_value_pair(a, b, f); }, bits) & ~value_bits)
        return false;
    if (differing(static_cast<const KernelOpValues&>(k), blank_kernel_op(),
                  [](auto& a, auto& b, auto&& f) { each_kernel_value_pair(a, b, f); }, bits) &
        ~kernel_bits)
        return false;
    uint8_t* p = room(1 + kMapRecord + k.name.size());
    *p++ = kMap;
    *p++ = static_cast<uint8_t>((k.verb == KernelOp::Verb::Unmap ? kMapFlagUnmap : 0) |
                                (k.readonly ? kMapFlagReadonly : 0));
    std::memcpy(p, &op.loc.line, 4);
    std::memcpy(p + 4, &op.loc.col, 4);
    std::memcpy(p + 8, &k.iova, 8);
    std::memcpy(p + 16, &k.pa, 8);
    std::memcpy(p + 24, &k.size, 8);
    p[32] = static_cast<uint8_t>(k.name.size());
    std::memcpy(p + 33, k.name.data(), k.name.size());
    return true;
}

void TraceSpool::put(const TraceOp& op)
{
    if (!ok())
        return;
    if (put_cmd(op) || put_map(op))
        return;
    put_values(op);
    if (op.kind == TraceOp::Kind::Kernel)
        put_kernel(op.kop);
    else if (op.kind == TraceOp::Kind::ExpectCmd)
        put_expect(op.cexp);
}

bool TraceSpool::rewind()
{
    if (ok())
        flush();
    if (ok() && (std::fflush(f_) != 0 || std::fseek(f_, 0, SEEK_SET) != 0))
        ok_ = false;
    rpos_ = rlen_ = 0;
    last_cmd_op_ = nullptr;
    last_map_op_ = nullptr;
    return ok();
}

namespace {
// A varint of 2 to 8 bytes from the 8 at `p`, a word at a time: the first
// byte with its top bit clear ends it; its 7-bit groups are packed by
// halving the number of groups three times (pairs of bytes, of 16-bit
// lanes, of 32-bit lanes), the value the byte loop makes, into `v`, and
// `pos` advanced past it; false (`pos` as it was) when it is longer: the
// byte loop reads it.
bool word_varint(const uint8_t* p, size_t& pos, uint64_t& v)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t w;
    std::memcpy(&w, p, 8);
    const uint64_t ends = ~w & 0x8080808080808080ull;
    if (!ends)
        return false;
    const unsigned bits = static_cast<unsigned>(__builtin_ctzll(ends)) + 1;  // 8 a byte, the last one's included
    uint64_t x = (bits == 64 ? w : w & ((uint64_t(1) << bits) - 1)) & 0x7f7f7f7f7f7f7f7full;
    x = (x & 0x007f007f007f007full) | ((x & 0x7f007f007f007f00ull) >> 1);
    x = (x & 0x00003fff00003fffull) | ((x & 0x3fff00003fff0000ull) >> 2);
    x = (x & 0x000000000fffffffull) | ((x & 0x0fffffff00000000ull) >> 4);
    pos += bits / 8;
    v = x;
    return true;
#else
    (void)p;
    (void)pos;
    (void)v;
    return false;
#endif
}
}  // namespace

uint64_t TraceSpool::varint()
{
    // From the block in place while a whole varint (10 bytes at most) is
    // there; else a byte at a time, refilling.
    if (rlen_ - rpos_ >= 10) {
        const uint8_t* const p = buf_.get() + rpos_;
        if (!(p[0] & 0x80)) {  // a value below 128: one byte
            rpos_++;
            return p[0];
        }
        uint64_t v = 0;
        if (word_varint(p, rpos_, v))
            return v;
        for (unsigned i = 0; i < 10; i++) {
            v |= static_cast<uint64_t>(p[i] & 0x7f) << (7 * i);
            if (!(p[i] & 0x80)) {
                rpos_ += i + 1;
                return v;
            }
        }
        throw TraceError("the run's copy of the checked trace is corrupt (its temporary file)");
    }
    uint64_t v = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        const uint8_t c = *need(1);
        v |= static_cast<uint64_t>(c & 0x7f) << shift;
        if (!(c & 0x80))
            return v;
    }
    throw TraceError("the run's copy of the checked trace is corrupt (its temporary file)");
}

bool TraceSpool::get_cmd(TraceOp& op)
{
    const uint8_t* p = need(kCmdRecord);
    uint32_t id;
    std::memcpy(&id, p + 1, 4);
    if (id == 0 || id >= names_.size())
        throw TraceError("the run's copy of the checked trace is corrupt (its temporary file)");
    // After a `cmd` into the same operation, only the values it set differ
    // from a blank one's, and this record sets them all again.
    const bool after_cmd = &op == last_cmd_op_;
    if (!after_cmd)
        static_cast<TraceOpValues&>(op) = kBlank;
    op.kind = TraceOp::Kind::Cmd;
    op.opcode = p[0];
    std::memcpy(&op.loc.line, p + 5, 4);
    std::memcpy(&op.loc.col, p + 9, 4);
    std::memcpy(&op.dw0, p + 13, 8);
    std::memcpy(&op.dw1, p + 21, 8);
    const Name& n = names_[id];
    op.vcmdq = n.vcmdq;
    op.vintf = n.vintf;
    op.lidx = n.lidx;
    if (!after_cmd || id != last_cmd_queue_) {
        if (op.queue != n.text)
            op.queue = n.text;
        op.reg.clear();
    }
    last_cmd_op_ = &op;
    last_map_op_ = nullptr;
    last_cmd_queue_ = id;
    return true;
}

// After a `map`/`unmap` record into the same operation, only the values it
// set differ from a blank one's, and this record sets them all again.
void TraceSpool::get_map(TraceOp& op)
{
    const uint8_t* p = need(kMapRecord);
    const uint8_t flags = p[0];
    if (flags & ~(kMapFlagUnmap | kMapFlagReadonly))
        throw TraceError("the run's copy of the checked trace is corrupt (its temporary file)");
    KernelOp& k = op.kop;
    last_cmd_op_ = nullptr;
    if (&op != last_map_op_) {
        static_cast<TraceOpValues&>(op) = kBlank;
        op.queue.clear();
        op.reg.clear();
        k.reset();
        op.kind = TraceOp::Kind::Kernel;
    }
    std::memcpy(&op.loc.line, p + 1, 4);
    std::memcpy(&op.loc.col, p + 5, 4);
    std::memcpy(&k.iova, p + 9, 8);
    std::memcpy(&k.pa, p + 17, 8);
    std::memcpy(&k.size, p + 25, 8);
    k.verb = flags & kMapFlagUnmap ? KernelOp::Verb::Unmap : KernelOp::Verb::Map;
    k.readonly = (flags & kMapFlagReadonly) != 0;
    const size_t n = p[33];
    const char* name = reinterpret_cast<const char*>(need(n));
    if (n == 0)
        throw TraceError("the run's copy of the checked trace is corrupt (its temporary file)");
    if (!same_word(k.name, std::string_view(name, n)))
        k.name.assign(name, n);
    last_map_op_ = &op;
}

void TraceSpool::get_values(TraceOp& op)
{
    last_cmd_op_ = nullptr;
    last_map_op_ = nullptr;
    const uint64_t mask = varint();
    // Every kept value is set (from the spool or the blank one); the kernel
    // operation and expectation a kept operation never has stay as they are.
    unsigned bit = 0;
    each_value_pair(op, kBlank, [&](auto& v, const auto& blank) {
        using T = std::remove_reference_t<decltype(v)>;
        v = (mask >> bit) & 1 ? from_u64<T>(varint()) : blank;
        bit++;
    });
    for (std::string* s : {&op.queue, &op.reg}) {
        uint64_t id = 0;
        if ((mask >> bit) & 1)
            id = varint();
        if (id >= names_.size())
            throw TraceError("the run's copy of the checked trace is corrupt (its temporary file)");
        *s = names_[id].text;
        bit++;
    }
    if (op.kind == TraceOp::Kind::Kernel)
        get_kernel(op.kop);
    else if (op.kind == TraceOp::Kind::ExpectCmd)
        get_expect(op.cexp);
}

bool TraceSpool::get(TraceOp& op, const std::string* file)
{
    if (rpos_ == rlen_) {
        rpos_ = 0;
        rlen_ = std::fread(buf_.get(), 1, kBlock, f_);
        if (rlen_ == 0) {
            if (std::ferror(f_))
                throw TraceError("the run's copy of the checked trace cannot be read (its temporary file)");
            return false;
        }
    }
    const uint8_t record = buf_[rpos_++];
    if (record == kCmd)
        get_cmd(op);
    else if (record == kValues)
        get_values(op);
    else if (record == kMap)
        get_map(op);
    else
        throw TraceError("the run's copy of the checked trace is corrupt (its temporary file)");
    op.loc.file = file;
    return true;
}

}  // namespace smmusim
