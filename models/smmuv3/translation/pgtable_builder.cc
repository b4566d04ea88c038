// SPDX-License-Identifier: GPL-2.0-only
// The VMSAv8-64 table builder (pgtable_builder.h): map, unmap with block
// splitting, and raw descriptor writes for the tests' corner cases.
#include "pgtable_builder.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "descriptors.h"

namespace smmusim::smmuv3 {

namespace {

[[noreturn]] void fail(const std::string& what) { throw std::invalid_argument("pgtable builder: " + what); }

std::string hex(uint64_t v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
    return buf;
}

uint64_t granule_bytes(Granule g) { return 1ull << granule_shift(g); }

// The attribute bits of a block or page descriptor: upper [63:50], lower [11:2].
constexpr uint64_t kAttrMask = genmask(63, 50) | genmask(11, 2);

}  // namespace

PgtableBuilder::PgtableBuilder(const StageConfig& cfg, Stage stage, TableWriter& mem)
    : cfg_(cfg), stage_(stage), mem_(mem)
{
    const unsigned n = initial_tables(cfg, stage);
    if (n == 0)
        fail("granule, ia_bits " + std::to_string(cfg.ia_bits) + " and start level " +
             std::to_string(cfg.start_level) + " do not make a walkable stage");
    // Each initial table takes a whole granule, so TTB is aligned however
    // few entries the start level uses.
    ttb_ = mem_.alloc_table(n * granule_bytes(cfg.granule));
    cfg_.enabled = true;
    cfg_.ttb = ttb_;
    cfg_.concat = n;
}

unsigned PgtableBuilder::index(uint64_t ia, unsigned level) const
{
    const unsigned bits = level == cfg_.start_level
                              ? cfg_.ia_bits - desc::level_shift(cfg_.granule, level)
                              : desc::bits_per_level(cfg_.granule);
    return unsigned((ia >> desc::level_shift(cfg_.granule, level)) & ((1ull << bits) - 1));
}

uint64_t PgtableBuilder::descriptor_at(uint64_t pa) const
{
    const auto it = written_.find(pa);
    return it == written_.end() ? 0 : it->second;
}

void PgtableBuilder::write(uint64_t pa, uint64_t d)
{
    written_[pa] = d;
    mem_.write64(pa, cfg_.big_endian ? __builtin_bswap64(d) : d);
}

// The table holding `ia`'s level-`level` descriptor; 0 when a level above
// has none and !create. A block on the way is an overlap.
uint64_t PgtableBuilder::table_for(uint64_t ia, unsigned level, bool create)
{
    uint64_t table = ttb_;
    for (unsigned l = cfg_.start_level; l < level; ++l) {
        const uint64_t pa = table + 8ull * index(ia, l);
        const uint64_t d = descriptor_at(pa);
        if (desc::kValid.get(d) && desc::kTableOrPage.get(d)) {
            table = desc::table_address(d, cfg_.granule);
            continue;
        }
        if (desc::kValid.get(d))
            fail("IA " + hex(ia) + " lies in a block mapped at level " + std::to_string(l));
        if (!create)
            return 0;
        table = mem_.alloc_table(granule_bytes(cfg_.granule));
        write(pa, desc::kValid.put(1) | desc::kTableOrPage.put(1) | desc::encode_address(table, cfg_.granule));
    }
    return table;
}

uint64_t PgtableBuilder::descriptor_pa(uint64_t ia, unsigned level)
{
    if (level < cfg_.start_level || level > 3)
        fail("level " + std::to_string(level) + " is not walked by this stage");
    return table_for(ia, level, true) + 8ull * index(ia, level);
}

void PgtableBuilder::raw(uint64_t ia, unsigned level, uint64_t descriptor)
{
    write(descriptor_pa(ia, level), descriptor);
}

void PgtableBuilder::set_table_limits(uint64_t ia, unsigned level, const TableLimits& lim)
{
    const uint64_t pa = descriptor_pa(ia, level);
    uint64_t d = descriptor_at(pa);
    if (level == 3 || !desc::kValid.get(d) || !desc::kTableOrPage.get(d))
        fail("no table descriptor at level " + std::to_string(level) + " for IA " + hex(ia));
    d = desc::kApTableRdonly.set(d, lim.no_write);
    d = desc::kApTableNoUnpriv.set(d, lim.no_unpriv);
    d = desc::kUxnTable.set(d, lim.uxn);
    d = desc::kPxnTable.set(d, lim.pxn);
    write(pa, d);
}

uint64_t PgtableBuilder::leaf_attrs(const MapAttrs& a) const
{
    uint64_t d = desc::kAf.put(a.af) | desc::kSh.put(a.sh);
    if (stage_ == Stage::S2)
        return d | desc::kMemAttr.put(a.attr) | desc::kS2ApRead.put(a.read) | desc::kS2ApWrite.put(a.write) |
               desc::kS2Xn.put(!a.exec);
    d |= desc::kAttrIndx.put(a.attr) | desc::kApRdonly.put(!a.write) | desc::kApUnpriv.put(a.unpriv) |
         desc::kNg.put(!a.global);
    return d | desc::kUxn.put(a.set_xn ? a.uxn : !a.exec) | desc::kPxn.put(a.set_xn ? a.pxn : !a.exec);
}

void PgtableBuilder::check_range(uint64_t ia, uint64_t size, const char* what) const
{
    const uint64_t g = granule_bytes(cfg_.granule);
    const uint64_t limit = 1ull << cfg_.ia_bits;
    if (size == 0 || size % g || ia % g)
        fail(std::string(what) + " " + hex(ia) + " size " + hex(size) + ": not a multiple of the granule " + hex(g));
    if (ia >= limit || size > limit - ia)
        fail(std::string(what) + " " + hex(ia) + " size " + hex(size) + ": beyond the " +
             std::to_string(cfg_.ia_bits) + "-bit input range");
}

// The largest leaf the next step of a mapping can use: a block where the
// granule allows one and both addresses and the size left fit it.
unsigned PgtableBuilder::leaf_level(uint64_t ia, uint64_t oa, uint64_t left, bool pages_only) const
{
    for (unsigned l = cfg_.start_level; l < 3 && !pages_only; ++l) {
        const uint64_t sz = desc::level_size(cfg_.granule, l);
        if (desc::block_allowed(cfg_.granule, l) && ia % sz == 0 && oa % sz == 0 && left >= sz)
            return l;
    }
    return 3;
}

// Whether a valid leaf covers any of [ia, end) below `table` (level `level`).
bool PgtableBuilder::live_in(uint64_t table, unsigned level, uint64_t ia, uint64_t end) const
{
    const uint64_t sz = desc::level_size(cfg_.granule, level);
    for (uint64_t cur = ia, next; cur < end; cur = next) {
        next = (cur & ~(sz - 1)) + sz;
        const uint64_t d = descriptor_at(table + 8ull * index(cur, level));
        if (!desc::kValid.get(d))
            continue;
        if (level == 3 || !desc::kTableOrPage.get(d))
            return true;
        if (live_in(desc::table_address(d, cfg_.granule), level + 1, cur, std::min(end, next)))
            return true;
    }
    return false;
}

void PgtableBuilder::map(uint64_t ia, uint64_t oa, uint64_t size, const MapAttrs& attrs)
{
    check_range(ia, size, "map IA");
    const unsigned oa_bits = cfg_.granule == Granule::k64K ? std::min(cfg_.oa_bits, 52u) : std::min(cfg_.oa_bits, 48u);
    if (oa % granule_bytes(cfg_.granule) || oa >= (1ull << oa_bits) || size > (1ull << oa_bits) - oa)
        fail("map OA " + hex(oa) + " size " + hex(size) + ": misaligned or beyond the " + std::to_string(oa_bits) +
             "-bit output range");
    if (live_in(ttb_, cfg_.start_level, ia, ia + size))
        fail("map IA " + hex(ia) + " size " + hex(size) + ": overlaps a live mapping");
    uint64_t leaves = 0;
    for (uint64_t done = 0; done < size && leaves <= max_leaves_; ++leaves)
        done += desc::level_size(cfg_.granule, leaf_level(ia + done, oa + done, size - done, attrs.pages_only));
    if (leaves > max_leaves_)
        fail("map IA " + hex(ia) + " size " + hex(size) + ": more than " + std::to_string(max_leaves_) +
             " leaf descriptors, the most one map writes");
    for (uint64_t done = 0; done < size;) {
        const unsigned level = leaf_level(ia + done, oa + done, size - done, attrs.pages_only);
        map_one(ia + done, oa + done, level, attrs);
        done += desc::level_size(cfg_.granule, level);
    }
}

// One leaf. An empty table left there by unmap is replaced (and leaked).
void PgtableBuilder::map_one(uint64_t ia, uint64_t oa, unsigned level, const MapAttrs& attrs)
{
    const uint64_t pa = table_for(ia, level, true) + 8ull * index(ia, level);
    write(pa, desc::kValid.put(1) | desc::kTableOrPage.put(level == 3) | desc::encode_address(oa, cfg_.granule) |
                  leaf_attrs(attrs));
}

void PgtableBuilder::unmap(uint64_t ia, uint64_t size)
{
    check_range(ia, size, "unmap IA");
    unmap_in(ttb_, cfg_.start_level, ia, ia + size);
}

uint64_t PgtableBuilder::first_unmapped(uint64_t ia, uint64_t size) const
{
    check_range(ia, size, "IA");
    const uint64_t end = ia + size;
    for (uint64_t cur = ia; cur < end;) {
        const uint64_t span = leaf_span(cur);
        if (!span)
            return cur;
        cur = (cur & ~(span - 1)) + span;
    }
    return end;
}

// The size of the leaf that maps `ia` (a page or a block), found from the
// root down; 0 when none does.
uint64_t PgtableBuilder::leaf_span(uint64_t ia) const
{
    uint64_t table = ttb_;
    for (unsigned level = cfg_.start_level; level <= 3; ++level) {
        const uint64_t d = descriptor_at(table + 8ull * index(ia, level));
        if (!desc::kValid.get(d))
            break;
        if (level == 3 || !desc::kTableOrPage.get(d))
            return desc::level_size(cfg_.granule, level);
        table = desc::table_address(d, cfg_.granule);
    }
    return 0;
}

// Clears the leaves of [ia, end) below `table`; a block only partly in the
// range is split first, as io-pgtable does.
void PgtableBuilder::unmap_in(uint64_t table, unsigned level, uint64_t ia, uint64_t end)
{
    const uint64_t sz = desc::level_size(cfg_.granule, level);
    for (uint64_t cur = ia, next; cur < end; cur = next) {
        const uint64_t lo = cur & ~(sz - 1);
        next = lo + sz;
        const uint64_t pa = table + 8ull * index(cur, level);
        if (!desc::kValid.get(descriptor_at(pa)))
            continue;
        if (cur == lo && end >= next) {
            write(pa, 0);
            continue;
        }
        if (!desc::kTableOrPage.get(descriptor_at(pa)))
            split_block(pa, level);
        unmap_in(desc::table_address(descriptor_at(pa), cfg_.granule), level + 1, cur, std::min(end, next));
    }
}

// A block becomes a table of the next level's blocks (or pages) with the
// same attributes and addresses.
void PgtableBuilder::split_block(uint64_t pa, unsigned level)
{
    const uint64_t d = descriptor_at(pa);
    const uint64_t base = desc::leaf_address(d, cfg_.granule, level);
    const uint64_t child_size = desc::level_size(cfg_.granule, level + 1);
    const uint64_t table = mem_.alloc_table(granule_bytes(cfg_.granule));
    const uint64_t n = 1ull << desc::bits_per_level(cfg_.granule);
    for (uint64_t i = 0; i < n; ++i)
        write(table + 8 * i, desc::kValid.put(1) | desc::kTableOrPage.put(level + 1 == 3) |
                                 desc::encode_address(base + i * child_size, cfg_.granule) | (d & kAttrMask));
    write(pa, desc::kValid.put(1) | desc::kTableOrPage.put(1) | desc::encode_address(table, cfg_.granule));
}

}  // namespace smmusim::smmuv3
