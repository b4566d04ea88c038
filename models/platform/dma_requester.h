// SPDX-License-Identifier: GPL-2.0-only
// A DMA requester: a platform device that reads and writes memory through an
// SMMU's upstream socket on behalf of an endpoint, as a DMA engine would.
// `dma()` is called from an SC_THREAD (the trace player's CPU, a test's
// thread) and returns when the last access completed in simulated time.
//
// A request is split into transactions that never cross a 4 KiB page (the
// smallest translation granule, so each one has one translation), issued
// one after the other, each carrying the StreamID sideband (stream_id.h)
// that the SMMU answers in. The result lists every access: performed (at
// which PA, translated or bypassed) or not (the event type, whether an
// event was recorded). Writes carry a deterministic pattern, pattern(iova),
// a function of the byte's input address, so a test can write through one
// mapping and read the same bytes back through another.
//
// How a transaction reaches the socket is the caller's choice (DmaPath):
// by default directly, untranslated (PCIe AT = 0b00); an ATS endpoint
// (models/endpoint/ats_endpoint.h) passes itself to serve each one from
// its ATC, sending Translation Requests and translated accesses by
// transact(), which carries the AT field and returns the Translation
// Completion.
//
// Not here: concurrency (one access at a time, as one simple DMA engine
// with no outstanding requests), stalls, and any timing of its own: time
// passes in the path (an ATC lookup), the SMMU and memory.
#pragma once

#include <cstdint>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "bus_access.h"
#include "clock.h"
#include "stats.h"
#include "stream_id.h"

namespace smmusim {

class LocalTime;

// Who a DMA is from: the StreamID sideband of each of its accesses.
struct DmaStream {
    uint32_t sid = 0;
    bool ssv = false;    // a SubstreamID is present
    uint32_t ssid = 0;
    bool priv = false;   // PnU
    bool instr = false;  // InD
};

// Why an ATS endpoint did not send a transaction (ats_endpoint.h): its
// Translation Request's completion refused it (PCIe ATS).
enum class AtsRefusal : uint8_t {
    None,                // sent
    NoPermission,        // Success, but R (a read) or W (a write) clear
    UnsupportedRequest,  // status UR
    CompleterAbort,      // status CA
    Malformed,           // Success with a size or address the ATC cannot hold
};

// One transaction of a DMA and the SMMU's answer.
struct DmaAccess {
    uint64_t iova = 0;   // input address of its first byte
    uint32_t size = 0;   // bytes, within one 4 KiB page
    bool ok = false;     // performed
    bool bypassed = false;  // ok without translation (STE bypass, SMMUEN = 0)
    uint64_t pa = 0;     // ok: output address of the first byte
    uint8_t fault = 0;   // !ok: the event type (smmuv3::evt); 0: no event type (an abort, a bus error)
    bool recorded = false;  // !ok: an event record was posted to the event queue
    tlm::tlm_response_status status = tlm::TLM_INCOMPLETE_RESPONSE;  // not sent: INCOMPLETE
    AtsRefusal ats_refused = AtsRefusal::None;  // !ok: not sent, refused by ATS
};

struct DmaTransfer {
    std::vector<DmaAccess> accesses;  // in address order
    std::vector<uint8_t> data;        // a read's bytes (0 where an access failed)
    uint64_t cycles = 0;              // from the first request to the last response

    bool ok() const;      // every access was performed
    bool failed() const;  // every access failed
    const DmaAccess* first_failure() const;
    unsigned recorded_events() const;  // accesses whose fault was recorded
};

class DmaRequester;

// Who carries each transaction of a DMA (one within one 4 KiB page) to the
// SMMU: an endpoint with an ATC implements it.
class DmaPath {
public:
    virtual ~DmaPath() = default;
    virtual DmaAccess access(DmaRequester& req, const DmaStream& s, uint64_t iova, uint32_t size, bool write,
                             uint8_t* data) = 0;
};

class DmaRequester : public sc_core::sc_module {
public:
    static constexpr uint64_t kPageBytes = 4096;

    tlm_utils::simple_initiator_socket<DmaRequester> socket;

    // `clk`: the clock its latency statistic counts in.
    DmaRequester(sc_core::sc_module_name name, const ClockDomain& clk);

    // `size` bytes at `iova` (size > 0, not past 2^64), from an SC_THREAD;
    // each transaction through `path` (null: untranslated, by transact()).
    DmaTransfer dma(const DmaStream& stream, uint64_t iova, uint64_t size, bool write, DmaPath* path = nullptr);
    // The same issued `delay` after the current time by a caller running
    // ahead of the clock (local_time.h), in TLM-2.0's loosely-timed style:
    // returns with `delay` set to what the caller still owes (the last
    // access completed that long after the current time; 0 when it was
    // all waited). Inside a quiet window a stream of DMAs costs the caller
    // no wait until it catches up; every access completes at the time it
    // would have. The requester asks nothing of the window itself: what
    // the caller owes goes with the first access as its annotated delay,
    // which the SMMU (or the memory) takes inside the window or waits
    // first, and what an access returns (only from inside the window)
    // goes with the next (LocalTime::carry). Through a `path` the
    // caller's time is waited first and each access waits its own.
    DmaTransfer dma(const DmaStream& stream, uint64_t iova, uint64_t size, bool write, DmaPath* path,
                    sc_core::sc_time& delay);
    // The same into `into`, its vectors' storage reused (everything in it
    // is replaced): a caller streaming DMAs keeps one DmaTransfer and the
    // requester allocates nothing per DMA.
    void dma(const DmaStream& stream, uint64_t iova, uint64_t size, bool write, DmaPath* path,
             sc_core::sc_time& delay, DmaTransfer& into);

    // One transaction (within one 4 KiB page) through the socket with the
    // PCIe AT field `at`, counted in no statistic (dma() counts what a path
    // returns). The result's iova is `addr`. A Translation Request moves no
    // data (`data` may be null) and copies the SMMU's Translation
    // Completion to *cpl (UR if no SMMU answered it).
    DmaAccess transact(const DmaStream& stream, uint64_t addr, uint32_t size, bool write, uint8_t* data,
                       StreamIdExtension::At at = StreamIdExtension::At::Untranslated,
                       StreamIdExtension::AtsCompletion* cpl = nullptr);

    // The byte a write puts at input address `iova`.
    static uint8_t pattern(uint64_t iova);

    StatGroup& stats() { return stats_; }

private:
    DmaAccess access(const DmaStream& stream, uint64_t iova, uint32_t size, bool write, uint8_t* data,
                     DmaPath* path, LocalTime& lt);
    DmaAccess issue(const DmaStream& stream, uint64_t addr, uint32_t size, bool write, uint8_t* data,
                    StreamIdExtension::At at, StreamIdExtension::AtsCompletion* cpl, sc_core::sc_time& delay);

    const ClockDomain& clk_;
    PayloadPool pool_;
    StatGroup stats_;
    Counter& accesses_;
    Counter& read_bytes_;
    Counter& write_bytes_;
    Counter& faults_;
    Counter& bypassed_;
    Histogram& latency_;
};

}  // namespace smmusim
