// SPDX-License-Identifier: GPL-2.0-only
#include "dma_requester.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include "local_time.h"


namespace smmusim {

bool DmaTransfer::ok() const
{
    return std::all_of(accesses.begin(), accesses.end(), [](const DmaAccess& a) { return a.ok; });
}

bool DmaTransfer::failed() const
{
    return std::none_of(accesses.begin(), accesses.end(), [](const DmaAccess& a) { return a.ok; });
}

const DmaAccess* DmaTransfer::first_failure() const
{
    for (const DmaAccess& a : accesses)
        if (!a.ok)
            return &a;
    return nullptr;
}

unsigned DmaTransfer::recorded_events() const
{
    return static_cast<unsigned>(
        std::count_if(accesses.begin(), accesses.end(), [](const DmaAccess& a) { return !a.ok && a.recorded; }));
}

DmaRequester::DmaRequester(sc_core::sc_module_name name, const ClockDomain& clk)
    : sc_module(name), socket("socket"), clk_(clk), stats_(this->name()),
      accesses_(stats_.counter("accesses", "DMA transactions issued (each within one 4 KiB page)")),
      read_bytes_(stats_.counter("read_bytes", "bytes of DMA reads issued")),
      write_bytes_(stats_.counter("write_bytes", "bytes of DMA writes issued")),
      faults_(stats_.counter("faults", "DMA transactions the SMMU terminated (or a bus error ended)")),
      bypassed_(stats_.counter("bypassed", "DMA transactions performed without translation")),
      latency_(stats_.histogram("latency_cycles", "one DMA transaction, request to response", "cycles"))
{
}

uint8_t DmaRequester::pattern(uint64_t iova)
{
    // A byte of a 64-bit mix of the address (splitmix64's finaliser): every
    // byte of a page differs from its neighbours and from other pages'.
    uint64_t z = iova + 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return static_cast<uint8_t>(z ^ (z >> 31));
}

DmaTransfer DmaRequester::dma(const DmaStream& stream, uint64_t iova, uint64_t size, bool write, DmaPath* path)
{
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    DmaTransfer r = dma(stream, iova, size, write, path, delay);
    if (delay != sc_core::SC_ZERO_TIME)
        sc_core::wait(delay);
    return r;
}

// The accesses one after the other at the requester's local time: each is
// issued when the one before completed, with what the requester owes as
// its annotated delay (a path's accesses block: the requester catches up
// first).
DmaTransfer DmaRequester::dma(const DmaStream& stream, uint64_t iova, uint64_t size, bool write, DmaPath* path,
                              sc_core::sc_time& delay)
{
    DmaTransfer r;
    dma(stream, iova, size, write, path, delay, r);
    return r;
}

void DmaRequester::dma(const DmaStream& stream, uint64_t iova, uint64_t size, bool write, DmaPath* path,
                       sc_core::sc_time& delay, DmaTransfer& r)
{
    if (size == 0 || iova + (size - 1) < iova)
        throw std::invalid_argument(fmt::format("{}: DMA of {:#x} bytes at {:#x}: empty, or past 2^64", name(),
                                                size, iova));
    r.accesses.clear();
    if (write) {
        r.data.clear();
    } else {
        r.data.resize(size);  // storage kept: no allocation once it held a DMA this large
        std::memset(r.data.data(), 0, size);
    }
    uint8_t page[kPageBytes];  // a write's pattern, a page at a time (no allocation per DMA)
    r.accesses.reserve((iova % kPageBytes + (size - 1)) / kPageBytes + 1);
    LocalTime lt;
    if (path) {
        lt.take_back(delay);  // a path's accesses block: what the caller owes is waited now
        lt.catch_up();
    } else {
        // What the caller owes goes with the first access as its annotated
        // delay, and the SMMU (or memory) takes it inside the window or
        // waits it first: the requester asks nothing of the window itself.
        lt.carry(delay);
    }
    const uint64_t t0 = clk_.to_cycles(lt.now());
    for (uint64_t done = 0; done < size;) {
        const uint64_t at = iova + done;
        const uint32_t len = static_cast<uint32_t>(std::min(size - done, kPageBytes - at % kPageBytes));
        uint8_t* buf = write ? page : r.data.data() + done;
        if (write)
            for (uint32_t i = 0; i < len; i++)
                buf[i] = pattern(at + i);
        r.accesses.push_back(access(stream, at, len, write, buf, path, lt));
        if (!write && !r.accesses.back().ok)
            std::fill(buf, buf + len, 0);
        done += len;
    }
    r.cycles = clk_.to_cycles(lt.now()) - t0;
    delay = lt.hand_over();
}

DmaAccess DmaRequester::transact(const DmaStream& stream, uint64_t addr, uint32_t size, bool write, uint8_t* data,
                                 StreamIdExtension::At at, StreamIdExtension::AtsCompletion* cpl)
{
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    const DmaAccess a = issue(stream, addr, size, write, data, at, cpl, delay);
    if (delay != sc_core::SC_ZERO_TIME)
        sc_core::wait(delay);
    return a;
}

// One transaction through the socket, issued `delay` after now, with the
// StreamID sideband the payload keeps (the payload's destructor frees it);
// `delay` returns what is still owed.
DmaAccess DmaRequester::issue(const DmaStream& stream, uint64_t addr, uint32_t size, bool write, uint8_t* data,
                              StreamIdExtension::At at, StreamIdExtension::AtsCompletion* cpl,
                              sc_core::sc_time& delay)
{
    tlm::tlm_generic_payload* gp = pool_.get();
    auto* ext = gp->get_extension<StreamIdExtension>();
    if (!ext) {
        ext = new StreamIdExtension;
        gp->set_extension(ext);
    }
    ext->sid = stream.sid;
    ext->ssv = stream.ssv;
    ext->ssid = stream.ssv ? stream.ssid : 0;
    ext->priv = stream.priv;
    ext->instr = stream.instr;
    ext->at = at;
    ext->reset_response();
    gp->set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    gp->set_address(addr);
    gp->set_data_ptr(data);
    gp->set_data_length(size);
    gp->set_streaming_width(size);
    gp->set_byte_enable_ptr(nullptr);
    gp->set_dmi_allowed(false);
    gp->set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);

    socket->b_transport(*gp, delay);

    DmaAccess a;
    a.iova = addr;
    a.size = size;
    a.status = gp->get_response_status();
    // No SMMU on the path (the outcome still Pending): the address went
    // out as it was, which the result says as a bypass.
    const bool unanswered = ext->outcome == StreamIdExtension::Outcome::Pending;
    a.ok = gp->is_response_ok() && (ext->ok() || unanswered);
    a.bypassed = a.ok && (unanswered || ext->outcome == StreamIdExtension::Outcome::Bypassed);
    a.pa = a.ok ? (unanswered ? addr : ext->pa) : 0;
    a.fault = a.ok ? 0 : ext->fault;
    a.recorded = !a.ok && ext->recorded;
    if (cpl)
        *cpl = ext->ats;
    pool_.put(gp);
    return a;
}

// One transaction of a DMA by `path` (or directly, at the local time `lt`),
// counted.
DmaAccess DmaRequester::access(const DmaStream& stream, uint64_t iova, uint32_t size, bool write, uint8_t* data,
                               DmaPath* path, LocalTime& lt)
{
    const uint64_t t0 = clk_.to_cycles(lt.now());
    DmaAccess a;
    if (path) {
        a = path->access(*this, stream, iova, size, write, data);
        lt.catch_up();  // owes nothing: only forgets the kernel's time, which the path's waits moved
    } else {
        sc_core::sc_time d = lt.hand_over();
        a = issue(stream, iova, size, write, data, StreamIdExtension::At::Untranslated, nullptr, d);
        lt.carry(d);  // returned only when inside the window (bus_access.h); handed on to the next access
    }
    accesses_++;
    (write ? write_bytes_ : read_bytes_) += size;
    if (!a.ok)
        faults_++;
    if (a.bypassed)
        bypassed_++;
    latency_.add(clk_.to_cycles(lt.now()) - t0);
    return a;
}

}  // namespace smmusim
