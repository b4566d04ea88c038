// SPDX-License-Identifier: GPL-2.0-only
// Builds VMSAv8-64 translation tables (stage 1 or stage 2, 4K/16K/64K,
// blocks and pages, permissions, AF) into memory through a small writer:
// the tests' hand-built tables, the translation unit's tests and a VMM's
// guest stage-1 tables in guest RAM. Our own simple builder, in the
// descriptor formats of descriptors.h; not io-pgtable (which the real
// kernel runs unmodified in the shim).
//
// map(ia, oa, size, attrs) uses the largest block each step's alignment and
// the granule allow (or pages only, attrs.pages_only); unmap(ia, size)
// clears the leaves that cover the range, splitting a block into the next
// level's table when the range covers part of it. Tables emptied by unmap
// stay (no freeing). The builder remembers every descriptor it wrote (it
// never reads memory back), so one builder owns its tables: do not write
// them by another path, except through raw() for corner-case tests.
//
// Errors (misaligned or out-of-range addresses, a size that is not a
// multiple of the granule, mapping over a live mapping, a map that would
// write more than max_leaves descriptors) throw std::invalid_argument
// naming what is wrong; nothing is written then. The limit keeps a map
// from input (a trace's guest mapping of terabytes in pages) from running
// for hours; it counts in bounded time. What the writer throws (its
// memory ran out) passes through, after whatever was already written.
#pragma once

#include <cstdint>
#include <unordered_map>

#include "types.h"
#include "walk.h"

namespace smmusim::smmuv3 {

// Where the builder writes: 8-byte descriptors at PAs, and zeroed tables.
class TableWriter {
public:
    virtual ~TableWriter() = default;
    // 8 bytes at `pa`, `value` stored little-endian (the builder has
    // already byte-swapped a big-endian configuration's descriptors).
    virtual void write64(uint64_t pa, uint64_t value) = 0;
    // A zeroed table of `bytes`, aligned to `bytes`: its PA.
    virtual uint64_t alloc_table(uint64_t bytes) = 0;
};

// A mapping's attributes. Stage 1: read is always granted (AP has no
// write-only form); write → AP[2] = 0; unpriv → AP[1]; exec → UXN/PXN clear
// (priv_exec/unpriv_exec to split them). Stage 2: read/write → S2AP, exec →
// XN clear.
struct MapAttrs {
    bool read = true, write = true;
    bool exec = false;        // both privileges (stage 1) / XN (stage 2)
    bool unpriv = true;       // stage 1: AP[1], accessible at PnU = 0
    bool af = true;           // access flag
    bool global = true;       // stage 1: nG = 0
    uint8_t attr = 1;         // stage 1: AttrIndx; stage 2: MemAttr (0xf: Normal WB, 0x1: Device)
    uint8_t sh = 3;           // shareability (inner)
    bool pages_only = false;  // no block descriptors
    // Explicit per-privilege execute-never (stage 1; override `exec` when set).
    bool set_xn = false, pxn = false, uxn = false;
};

class PgtableBuilder {
public:
    // Geometry from `cfg` (granule, ia_bits, oa_bits, start_level,
    // big_endian): the initial table(s), concatenated when
    // initial_tables(cfg, stage) > 1, are allocated now.
    PgtableBuilder(const StageConfig& cfg, Stage stage, TableWriter& mem);

    // The initial table's address: TTB0 / S2TTB.
    uint64_t ttb() const { return ttb_; }
    // A StageConfig for a walk of these tables (cfg with ttb and concat set).
    const StageConfig& config() const { return cfg_; }

    void map(uint64_t ia, uint64_t oa, uint64_t size, const MapAttrs& attrs = {});
    void unmap(uint64_t ia, uint64_t size);
    // The first IA of [ia, ia + size) that no valid leaf maps (ia + size:
    // all of it is mapped); the range is checked as unmap() checks it.
    uint64_t first_unmapped(uint64_t ia, uint64_t size) const;
    // Leaf descriptors one map() may write (default 2^20: 4 GiB of 4K pages).
    void set_max_leaves(uint64_t n) { max_leaves_ = n; }

    // Corner cases: the PA of the descriptor that translates `ia` at
    // `level` (tables down to it are created as needed), and a raw write
    // of a descriptor there.
    uint64_t descriptor_pa(uint64_t ia, unsigned level);
    void raw(uint64_t ia, unsigned level, uint64_t descriptor);
    // The descriptor last written at `pa` (0 if none).
    uint64_t descriptor_at(uint64_t pa) const;
    // Sets the hierarchical limits of the table descriptor at `level` that
    // leads to `ia` (stage 1: APTable, UXNTable, PXNTable).
    void set_table_limits(uint64_t ia, unsigned level, const TableLimits& limits);

    // The descriptor bits (without address and type) of a leaf for `attrs`.
    uint64_t leaf_attrs(const MapAttrs& attrs) const;

private:
    uint64_t table_for(uint64_t ia, unsigned level, bool create);
    void write(uint64_t pa, uint64_t d);
    unsigned leaf_level(uint64_t ia, uint64_t oa, uint64_t left, bool pages_only) const;
    bool live_in(uint64_t table, unsigned level, uint64_t ia, uint64_t end) const;
    void map_one(uint64_t ia, uint64_t oa, unsigned level, const MapAttrs& attrs);
    void unmap_in(uint64_t table, unsigned level, uint64_t ia, uint64_t end);
    uint64_t leaf_span(uint64_t ia) const;
    void split_block(uint64_t pa, unsigned level);
    unsigned index(uint64_t ia, unsigned level) const;
    void check_range(uint64_t ia, uint64_t size, const char* what) const;

    StageConfig cfg_;
    Stage stage_;
    TableWriter& mem_;
    uint64_t ttb_ = 0;
    uint64_t max_leaves_ = 1ull << 20;
    std::unordered_map<uint64_t, uint64_t> written_;  // PA → descriptor
};

}  // namespace smmusim::smmuv3
