// SPDX-License-Identifier: GPL-2.0-only
// The spool of a checked trace's operations: a varint per value that
// differs from a blank TraceOp, after a mask of which ones do.
#include "trace_spool.h"

#include <cstdlib>
#include <type_traits>

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

bool TraceSpool::keeps(const TraceOp& op)
{
    return op.kind != TraceOp::Kind::Kernel && op.kind != TraceOp::Kind::ExpectCmd;
}

uint32_t TraceSpool::name_id(const std::string& s)
{
    const auto [it, fresh] = ids_.emplace(s, static_cast<uint32_t>(names_.size()));
    if (fresh)
        names_.push_back(s);
    return it->second;
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
    uint8_t head[10];
    uint8_t* h = head;
    put_varint(h, mask);
    if (std::fwrite(head, 1, static_cast<size_t>(h - head), f_) != static_cast<size_t>(h - head) ||
        std::fwrite(buf + 10, 1, static_cast<size_t>(p - (buf + 10)), f_) != static_cast<size_t>(p - (buf + 10)))
        ok_ = false;
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
    op.loc.file = file;
    return true;
}

}  // namespace smmusim
