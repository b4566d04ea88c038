// SPDX-License-Identifier: GPL-2.0-only
#include "memory.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include "kernel_time.h"
#include "quiet.h"

namespace smmusim {

Memory::Memory(sc_core::sc_module_name name, const ClockDomain& clk, const MemoryParams& p)
    : sc_module(name), socket("socket"), clk_(clk), params_(p), stats_(this->name()),
      reads_(stats_.counter("reads", "read transactions")),
      writes_(stats_.counter("writes", "write transactions")),
      bytes_(stats_.counter("bytes", "bytes transferred")),
      aborts_(stats_.counter("aborts", "accesses to unpopulated PA (bus error)"))
{
    socket.register_b_transport(this, &Memory::b_transport);
    socket.register_transport_dbg(this, &Memory::transport_dbg);
    socket.register_get_direct_mem_ptr(this, &Memory::get_direct_mem_ptr);
}

Memory::~Memory()
{
    for (auto& r : regions_) {
        munmap(r.host, r.size);
        close(r.fd);
    }
}

void Memory::add_region(uint64_t base, uint64_t size)
{
    if (size == 0 || base + size < base || base + size > pa_limit())
        throw std::invalid_argument(
            fmt::format("memory region [{:#x}, +{:#x}) leaves the {}-bit PA space", base, size, params_.pa_bits));
    for (const auto& r : regions_)
        if (base < r.base + r.size && r.base < base + size)
            throw std::invalid_argument(fmt::format("memory region {:#x} overlaps region {:#x}", base, r.base));
    // A sparse memory file (pages are allocated when first touched), so
    // that DRAM can have more than one host view: map_alias() gives the
    // kernel shim's simulated user address space its own mappings of the
    // same frames.
    const int fd = memfd_create("smmusim-dram", MFD_CLOEXEC);
    if (fd < 0 || ftruncate(fd, static_cast<off_t>(size)) != 0) {
        if (fd >= 0)
            close(fd);
        throw std::runtime_error(fmt::format("cannot create {:#x} bytes of host memory for DRAM", size));
    }
    void* host = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE, fd, 0);
    if (host == MAP_FAILED) {
        close(fd);
        throw std::runtime_error(fmt::format("cannot reserve {:#x} bytes of host memory for DRAM", size));
    }
    regions_.push_back(Region{base, size, static_cast<uint8_t*>(host), fd});
    std::sort(regions_.begin(), regions_.end(), [](const Region& a, const Region& b) { return a.base < b.base; });
}

// Inline in host_ptr() and the accessors below (a call or two per access
// otherwise: the backdoor writes a command at a time).
[[gnu::always_inline]] inline const Memory::Region* Memory::find(uint64_t pa, size_t len) const
{
    // Few regions: a linear scan beats anything clever. `pa - r.base`
    // wraps past any region's size when pa is below it.
    for (const auto& r : regions_) {
        const uint64_t off = pa - r.base;
        if (off < r.size)
            return (len <= r.size - off) ? &r : nullptr;
    }
    return nullptr;
}

namespace {

// memcpy() with the common access sizes (a register or a descriptor's 8
// bytes, a command's 16) as constants the compiler copies inline, instead
// of the library call.
[[gnu::always_inline]] inline void copy(void* dst, const void* src, size_t len)
{
    switch (len) {
    case 8: memcpy(dst, src, 8); return;
    case 16: memcpy(dst, src, 16); return;
    default: memcpy(dst, src, len); return;
    }
}

// The host address of `pa` in region `r` (find()'s answer), or nullptr.
[[gnu::always_inline]] inline uint8_t* host_at(const Memory::Region* r, uint64_t pa)
{
    return r ? r->host + (pa - r->base) : nullptr;
}

}  // namespace

uint8_t* Memory::host_ptr(uint64_t pa, size_t len) const { return host_at(find(pa, len), pa); }

bool Memory::map_alias(uint64_t pa, size_t len, void* at) const
{
    const Region* r = find(pa, len);
    if (!r || (pa | len | reinterpret_cast<uintptr_t>(at)) & 4095)
        return false;
    void* p = mmap(at, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED | MAP_NORESERVE, r->fd,
                   static_cast<off_t>(pa - r->base));
    return p == at;
}

uint64_t Memory::pa_of(const void* host) const
{
    auto p = static_cast<const uint8_t*>(host);
    for (const auto& r : regions_)
        if (p >= r.host && p < r.host + r.size)
            return r.base + static_cast<uint64_t>(p - r.host);
    return ~0ull;
}

bool Memory::read(uint64_t pa, void* dst, size_t len) const
{
    const uint8_t* p = host_at(find(pa, len), pa);
    if (!p)
        return false;
    copy(dst, p, len);
    return true;
}

bool Memory::write(uint64_t pa, const void* src, size_t len)
{
    uint8_t* p = host_at(find(pa, len), pa);
    if (!p)
        return false;
    copy(p, src, len);
    return true;
}

// The access lands `delay` after now, at its exact time, on the serialised
// data port. When nothing else can run before it completes (a quiet window,
// quiet.h), it is made now and its completion time is returned in `delay`
// for the initiator to wait (bus_access.h): nobody could have touched the
// memory or its port in between, so the data and the port's schedule are
// what they would have been. One that only arrives inside the window is
// made now too and waits once, until it completes; otherwise it waits for
// its arrival first.
void Memory::b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay)
{
    const size_t len = gp.get_data_length();
    uint8_t* p = host_at(find(gp.get_address(), len), gp.get_address());
    if (!p || gp.get_byte_enable_ptr()) {
        if (delay != sc_core::SC_ZERO_TIME)
            wait(delay);
        delay = sc_core::SC_ZERO_TIME;
        aborts_++;
        gp.set_response_status(p ? tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE : tlm::TLM_ADDRESS_ERROR_RESPONSE);
        wait(clk_.cycles(params_.latency_cycles));
        return;
    }
    const sc_core::sc_time now = time_stamp();
    const sc_core::sc_time arrival = now + delay;
    const uint64_t beats = (len + params_.bytes_per_cycle - 1) / params_.bytes_per_cycle;
    const sc_core::sc_time end = std::max(arrival, busy_until_) + clk_.cycles(params_.latency_cycles + beats);
    const sc_core::sc_time horizon = quiet_until();
    const bool quiet = end < horizon;
    // Arriving inside the window (strictly before the horizon), the access
    // finds at its arrival what it finds now: it is made now and waits once
    // until it completes, which is when the access waited at its arrival
    // would wake, instead of waiting for its arrival first.
    const bool arrives_quietly = ends_before(now, delay, horizon);
    if (!arrives_quietly && delay != sc_core::SC_ZERO_TIME)
        wait(delay);
    const sc_core::sc_time start = std::max(arrival, busy_until_);
    busy_until_ = start + clk_.cycles(beats);

    if (gp.is_read()) {
        copy(gp.get_data_ptr(), p, len);
        reads_++;
    } else if (gp.is_write()) {
        copy(p, gp.get_data_ptr(), len);
        writes_++;
    }
    bytes_ += len;
    gp.set_dmi_allowed(true);
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
    if (quiet) {
        delay = end - now;
        return;
    }
    delay = sc_core::SC_ZERO_TIME;
    if (arrives_quietly) {
        wait(end - now);
        return;
    }
    wait((start - arrival) + clk_.cycles(params_.latency_cycles + beats));  // the port as it is now
}

unsigned Memory::transport_dbg(tlm::tlm_generic_payload& gp)
{
    const size_t len = gp.get_data_length();
    uint8_t* p = host_ptr(gp.get_address(), len);
    if (!p)
        return 0;
    if (gp.is_read())
        memcpy(gp.get_data_ptr(), p, len);
    else if (gp.is_write())
        memcpy(p, gp.get_data_ptr(), len);
    return static_cast<unsigned>(len);
}

bool Memory::get_direct_mem_ptr(tlm::tlm_generic_payload& gp, tlm::tlm_dmi& dmi)
{
    const Region* r = find(gp.get_address(), 1);
    if (!r)
        return false;
    dmi.set_dmi_ptr(r->host);
    dmi.set_start_address(r->base);
    dmi.set_end_address(r->base + r->size - 1);
    dmi.allow_read_write();
    dmi.set_read_latency(clk_.cycles(params_.latency_cycles));
    dmi.set_write_latency(clk_.cycles(params_.latency_cycles));
    return true;
}

}  // namespace smmusim
