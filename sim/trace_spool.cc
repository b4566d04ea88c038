// SPDX-License-Identifier: GPL-2.0-only
// The spool of a checked trace's operations: a varint per value that
// differs from a blank TraceOp, after a mask of which ones do; then a
// kernel-level operation's or an expectation's values, every one, and their
// strings (a length and the bytes).
#include "trace_spool.h"

#include <cstdlib>
#include <type_traits>
#include <vector>

#include <unistd.h>

#include <fmt/format.h>

namespace smmusim {

namespace {

// Every value of a TraceOp but its names (queue, reg), kernel operation and
// expectation, in one order for writing and reading. A value added to
// TraceOp that a register-level operation uses must be added here.
template <class Op, class F>
void each_value(Op& op, F&& f)
{
    f(op.kind), f(op.loc.line), f(op.loc.col), f(op.when), f(op.when_cycles), f(op.block), f(op.addr), f(op.size);
    f(op.value), f(op.has_expect), f(op.expect), f(op.vcmdq), f(op.vintf), f(op.lidx), f(op.index), f(op.global_q);
    f(op.vmid), f(op.hyp_own), f(op.vsid), f(op.psid), f(op.opcode), f(op.dw0), f(op.dw1), f(op.log2size);
    f(op.has_base), f(op.base), f(op.timeout), f(op.cycles), f(op.place_col), f(op.when_col), f(op.cycles_col);
    f(op.log2size_col);
}

template <class T>
uint64_t as_u64(T v)
{
    if constexpr (std::is_enum_v<T>)
        return static_cast<uint64_t>(static_cast<std::underlying_type_t<T>>(v));
    else
        return static_cast<uint64_t>(v);
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
// (kernel_ops.h), every one written. A value added to KernelOp must be
// added here (the static_assert below is the reminder).
template <class K, class F>
void each_kernel_value(K& k, F&& f)
{
    f(k.verb), f(k.sid), f(k.vsid), f(k.pci), f(k.ats), f(k.rid), f(k.iova), f(k.pa), f(k.size), f(k.gpa), f(k.ram);
    f(k.readonly), f(k.scattered), f(k.trapped), f(k.queue_gpa), f(k.log2size), f(k.index), f(k.depth);
    f(k.timeout_ns), f(k.expect_errno), f(k.expect_error), f(k.expect_empty), f(k.expect_lost), f(k.read_timeout_ns);
    f(k.expect_map[0]), f(k.expect_map[1]), f(k.dw0), f(k.dw1), f(k.veventq_type), f(k.expect_event);
    f(k.expect_vsid), f(k.expect_iova), f(k.expect_has_iova);
    auto& s = k.stage1;
    f(s.ssids), f(s.asid), f(s.granule_shift), f(s.ias), f(s.tables), f(s.s1dss), f(s.eats), f(s.raw_vste);
    f(s.vste[0]), f(s.vste[1]);
    f(k.ssid), f(k.ssv), f(k.write), f(k.expect_fault), f(k.fault_type), f(k.fault_ats), f(k.check_pa);
}
template <class K, class F>
void each_kernel_string(K& k, F&& f)
{
    f(k.name), f(k.target), f(k.param), f(k.value), f(k.expect_log);
}
static_assert(sizeof(KernelOp) == 464, "KernelOp changed: spool its new values (each_kernel_value, each_kernel_string)");

// An `expect executed` line's values but its strings and fields.
template <class E, class F>
void each_expect_value(E& e, F&& f)
{
    f(e.none), f(e.opcode), f(e.has_count), f(e.count), f(e.has_covers), f(e.base), f(e.size), f(e.granule);
}
static_assert(sizeof(CmdExpect) == 144, "CmdExpect changed: spool its new values (each_expect_value, put/get_expect)");

const TraceOp kBlank{};

// kBlank's values, in each_value() order.
const std::vector<uint64_t>& blank_values()
{
    static const std::vector<uint64_t> values = [] {
        std::vector<uint64_t> v;
        each_value(kBlank, [&](const auto& x) { v.push_back(as_u64(x)); });
        return v;
    }();
    return values;
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

TraceSpool::TraceSpool() : f_(open_spool_file()) {}

TraceSpool::~TraceSpool()
{
    if (f_)
        std::fclose(f_);
}

void TraceSpool::write(const uint8_t* p, size_t n)
{
    if (ok_ && std::fwrite(p, 1, n, f_) != n)
        ok_ = false;
}

void TraceSpool::put_u64(uint64_t v)
{
    uint8_t buf[10];
    uint8_t* p = buf;
    put_varint(p, v);
    write(buf, static_cast<size_t>(p - buf));
}

void TraceSpool::put_string(const std::string& s)
{
    put_u64(s.size());
    write(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

std::string TraceSpool::get_string()
{
    std::string s(varint(), '\0');
    if (std::fread(s.data(), 1, s.size(), f_) != s.size())
        throw TraceError("the run's copy of the checked trace cannot be read (its temporary file)");
    return s;
}

void TraceSpool::put_kernel(const KernelOp& k)
{
    each_kernel_value(k, [&](const auto& v) { put_u64(as_u64(v)); });
    each_kernel_string(k, [&](const std::string& v) { put_string(v); });
    put_u64(k.sids.size());
    for (uint32_t sid : k.sids)
        put_u64(sid);
}

void TraceSpool::get_kernel(KernelOp& k)
{
    each_kernel_value(k, [&](auto& v) { v = from_u64<std::remove_reference_t<decltype(v)>>(varint()); });
    each_kernel_string(k, [&](std::string& v) { v = get_string(); });
    k.sids.resize(varint());
    for (uint32_t& sid : k.sids)
        sid = static_cast<uint32_t>(varint());
}

// Each field by its index in the command's fields (command_fields()); a
// field from elsewhere cannot be kept (the run reads the trace again).
void TraceSpool::put_expect(const CmdExpect& e)
{
    each_expect_value(e, [&](const auto& v) { put_u64(as_u64(v)); });
    put_string(e.opname);
    put_string(e.queue);
    const std::vector<smmuv3::FieldSpec>& specs = smmuv3::command_fields(e.opcode);
    put_u64(e.fields.size());
    for (const CmdExpect::FieldEq& f : e.fields) {
        if (specs.empty() || f.spec < specs.data() || f.spec >= specs.data() + specs.size()) {
            ok_ = false;
            return;
        }
        put_u64(static_cast<uint64_t>(f.spec - specs.data()));
        put_u64(f.raw);
        put_string(f.text);
    }
}

void TraceSpool::get_expect(CmdExpect& e)
{
    each_expect_value(e, [&](auto& v) { v = from_u64<std::remove_reference_t<decltype(v)>>(varint()); });
    e.opname = get_string();
    e.queue = get_string();
    const std::vector<smmuv3::FieldSpec>& specs = smmuv3::command_fields(e.opcode);
    e.fields.resize(varint());
    for (CmdExpect::FieldEq& f : e.fields) {
        const uint64_t i = varint();
        if (i >= specs.size())
            throw TraceError("the run's copy of the checked trace is corrupt (its temporary file)");
        f.spec = &specs[i];
        f.raw = varint();
        f.text = get_string();
    }
}

uint32_t TraceSpool::name_id(const std::string& s)
{
    // Looked up first: emplace() would make (and free) a node, with a copy
    // of the name, for every operation.
    if (const auto it = ids_.find(s); it != ids_.end())
        return it->second;
    const auto id = static_cast<uint32_t>(names_.size());
    ids_.emplace(s, id);
    names_.push_back(s);
    return id;
}

void TraceSpool::put(const TraceOp& op)
{
    if (!ok())
        return;
    // mask, then up to 34 varints of at most 10 bytes
    uint8_t buf[10 + 34 * 10];
    uint8_t* p = buf + 10;
    uint64_t mask = 0;
    unsigned bit = 0;
    const std::vector<uint64_t>& blank = blank_values();
    each_value(op, [&](const auto& v) {
        const uint64_t u = as_u64(v);
        if (u != blank[bit]) {
            mask |= uint64_t(1) << bit;
            put_varint(p, u);
        }
        bit++;
    });
    for (const std::string* s : {&op.queue, &op.reg}) {
        if (!s->empty()) {
            mask |= uint64_t(1) << bit;
            put_varint(p, name_id(*s));
        }
        bit++;
    }
    put_u64(mask);
    write(buf + 10, static_cast<size_t>(p - (buf + 10)));
    if (op.kind == TraceOp::Kind::Kernel)
        put_kernel(op.kop);
    else if (op.kind == TraceOp::Kind::ExpectCmd)
        put_expect(op.cexp);
}

bool TraceSpool::rewind()
{
    if (ok() && (std::fflush(f_) != 0 || std::fseek(f_, 0, SEEK_SET) != 0))
        ok_ = false;
    return ok();
}

uint64_t TraceSpool::varint()
{
    uint64_t v = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        const int c = getc_unlocked(f_);
        if (c == EOF)
            throw TraceError("the run's copy of the checked trace cannot be read (its temporary file)");
        v |= static_cast<uint64_t>(c & 0x7f) << shift;
        if (!(c & 0x80))
            return v;
    }
    throw TraceError("the run's copy of the checked trace is corrupt (its temporary file)");
}

bool TraceSpool::get(TraceOp& op, const std::string* file)
{
    const int c = getc_unlocked(f_);
    if (c == EOF) {
        if (std::ferror(f_))
            throw TraceError("the run's copy of the checked trace cannot be read (its temporary file)");
        return false;
    }
    std::ungetc(c, f_);
    const uint64_t mask = varint();
    // Every kept value is set (from the spool or the blank one); the kernel
    // operation and expectation a kept operation never has stay as they are.
    const std::vector<uint64_t>& blank = blank_values();
    unsigned bit = 0;
    each_value(op, [&](auto& v) {
        using T = std::remove_reference_t<decltype(v)>;
        v = from_u64<T>((mask >> bit) & 1 ? varint() : blank[bit]);
        bit++;
    });
    for (std::string* s : {&op.queue, &op.reg}) {
        uint64_t id = 0;
        if ((mask >> bit) & 1)
            id = varint();
        if (id >= names_.size())
            throw TraceError("the run's copy of the checked trace is corrupt (its temporary file)");
        *s = names_[id];
        bit++;
    }
    if (op.kind == TraceOp::Kind::Kernel)
        get_kernel(op.kop);
    else if (op.kind == TraceOp::Kind::ExpectCmd)
        get_expect(op.cexp);
    op.loc.file = file;
    return true;
}

}  // namespace smmusim
