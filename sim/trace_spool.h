// SPDX-License-Identifier: GPL-2.0-only
// The operations of a checked trace, kept for its run, so that a trace is
// parsed once: the check pass (TracePlayer::validate) appends every
// operation, as it checked and resolved it, to an anonymous temporary file
// (in $TMPDIR, else /tmp), and the run reads them back in order instead of reading and parsing the
// trace again. Memory stays flat whatever the trace's length: one block
// buffer, and a table of the few names register-level operations use
// (queues, registers); the file (about 30 bytes a `cmd`, about 20 another
// register-level operation, about 80 a kernel-level one; removed by the
// system when closed) holds the rest, written and read a block at a time.
// A kernel-level operation (kernel_ops.h) keeps the values and strings
// that differ from a blank KernelOp's; an `expect executed` line
// (cmd_expect.h) is kept whole, its strings written out.
//
// A trace whose spool could not be written (no temporary file, a full
// disk) is read again by its run. A `cmd` that sets nothing but its
// location, queue and command (no time) is a fixed record, and so is a
// kernel-level `map` or `unmap` that sets nothing but its location, domain,
// iova, pa, size and read-only flag; any other operation writes each value
// as a varint, only where it differs from a blank TraceOp.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "trace.h"

namespace smmusim {

class TraceSpool {
public:
    TraceSpool();
    ~TraceSpool();
    TraceSpool(const TraceSpool&) = delete;
    TraceSpool& operator=(const TraceSpool&) = delete;

    // False once something failed (or the file could not be made): the run
    // must read the trace again.
    bool ok() const { return f_ != nullptr && ok_; }
    // Appends `op`; a write error makes ok() false.
    void put(const TraceOp& op);
    // After the last put(): the run reads from the first operation; false
    // (and ok() false) if the file cannot be read back.
    bool rewind();
    // The next operation, its location naming `file`; false at the end.
    // `op` is the one get() filled before, as it left it, or a blank
    // TraceOp (a register-level operation leaves its kernel operation and
    // expectation as they were).
    // Throws TraceError if the file cannot be read.
    bool get(TraceOp& op, const std::string* file);

private:
    static constexpr size_t kBlock = 64 * 1024;
    // A name and, for a queue's, the queue it names (what parse_queue
    // derives from it).
    struct Name {
        std::string text;
        bool vcmdq = false;
        unsigned vintf = 0, lidx = 0;
    };
    uint32_t name_id(const std::string& s, const TraceOp& op);
    bool put_cmd(const TraceOp& op);
    bool put_map(const TraceOp& op);
    void put_values(const TraceOp& op);
    bool get_cmd(TraceOp& op);
    void get_map(TraceOp& op);
    void get_values(TraceOp& op);
    // Writing: room for n (at most kBlock) bytes at the end of the buffer.
    uint8_t* room(size_t n)
    {
        if (wlen_ + n > kBlock)
            flush();
        uint8_t* p = buf_.get() + wlen_;
        wlen_ += n;
        return p;
    }
    void write(const void* p, size_t n);
    void flush();
    void put_u64(uint64_t v);
    void put_string(const std::string& s);
    // Reading: n (at most kBlock) bytes at rpos_, or TraceError.
    const uint8_t* need(size_t n)
    {
        if (rlen_ - rpos_ < n)
            refill(n);
        const uint8_t* p = buf_.get() + rpos_;
        rpos_ += n;
        return p;
    }
    // The bytes not taken yet to the buffer's start, and more after them:
    // at least n, or TraceError.
    void refill(size_t n);
    void read(void* p, size_t n);
    uint64_t varint();
    std::string get_string();
    void put_kernel(const KernelOp& k);
    void get_kernel(KernelOp& k);
    void put_expect(const CmdExpect& e);
    void get_expect(CmdExpect& e);

    std::FILE* f_ = nullptr;
    bool ok_ = true;
    std::unique_ptr<uint8_t[]> buf_;
    size_t wlen_ = 0;              // writing: bytes in buf_
    size_t rpos_ = 0, rlen_ = 0;   // reading: buf_[rpos_, rlen_) not taken yet
    std::vector<Name> names_{Name{}};  // id 0: no name
    std::unordered_map<std::string, uint32_t> ids_{{"", 0}};
    uint32_t last_queue_ = 0;  // the name id of the last `cmd`'s queue
    // Reading: the operation the last get() filled from a `cmd` record, and
    // its queue's name id: the next `cmd` into it sets only what a `cmd`
    // record holds (nullptr: the last record was another).
    const TraceOp* last_cmd_op_ = nullptr;
    uint32_t last_cmd_queue_ = 0;
    // Reading: the operation the last get() filled from a `map`/`unmap`
    // record (nullptr: the last record was another).
    const TraceOp* last_map_op_ = nullptr;
};

}  // namespace smmusim
