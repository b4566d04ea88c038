// SPDX-License-Identifier: GPL-2.0-only
// The organisation every translation cache shares: `entries` entries in
// `ways`-way sets (entries / ways sets; ways == entries is fully
// associative), least-recently-used replacement within a set, and the
// statistics each cache reports (lookups, hits, misses, fills, evictions,
// invalidated entries). What an entry is, how its set is chosen and which
// entries an invalidation removes belong to the cache that uses it
// (tlb.h, config_cache.h, walk_cache.h).
//
// Entries of several sizes in one structure (TLB pages and blocks, walk-cache
// descriptors of several levels): each entry is placed in the set its own
// size's index gives (`index(addr >> size_shift, ...)`), and a lookup probes
// once per size present in the cache, smallest first (SizeClasses keeps the
// count of entries of each size). A TLB holding only 4 KiB pages probes once.
//
// Invalidation by key: every entry carries a key per chain (`Chains` of
// them: the tag words an invalidation names, e.g. a VMID on chain 0 and a
// (VMID, ASID) word on chain 1, or a StreamID; 0 when the cache gives none)
// and the entries of one key are linked together on each chain, so an
// invalidation that names a key visits only that key's entries
// (erase_if_key) instead of every line of the cache: its host cost follows
// what it could remove, not the size of the cache. erase_if still visits
// every line (invalidations naming no key). Which lines exist, which set an
// entry goes to and which way is evicted do not depend on the keys.
//
// Replacement is LRU only (not a parameter): a hit or a fill makes the entry
// the most recently used of its set; a fill takes a free way if there is
// one, else evicts the least recently used way. Deterministic: no random
// choice anywhere.
//
// Own code rather than a library: the organisation is a modelled parameter
// whose every step (set, way, victim) the simulation must control and count,
// which a general-purpose cache library (an LRU map) does not model; Debian
// packages LRU maps (Go, Haskell, Perl, Python), none of sets and ways.
// Not here: timing (the lookup cost is the translation unit's, with the
// smmu.*.lookup_cycles parameters), SystemC.
#pragma once

#include <cstddef>
#include <array>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "../../platform/params.h"
#include "../../platform/stats.h"

namespace smmusim::smmuv3 {

// A cache's size and associativity, as its parameters give them.
struct CacheGeometry {
    uint64_t entries = 0;
    uint64_t ways = 0;
};

// ConfigError naming the parameters (`prefix` "smmu.tlb" names
// smmu.tlb.entries / smmu.tlb.ways) unless entries >= 1, 1 <= ways <=
// entries and ways divides entries.
inline void check_geometry(const std::string& prefix, const CacheGeometry& g)
{
    if (g.entries == 0 || g.ways == 0)
        throw ConfigError(fmt::format("{0}.entries = {1}, {0}.ways = {2}: a cache needs at least one entry and one way",
                                      prefix, g.entries, g.ways));
    if (g.ways > g.entries || g.entries % g.ways != 0)
        throw ConfigError(fmt::format("{0}.ways = {2} does not divide {0}.entries = {1} into whole sets", prefix,
                                      g.entries, g.ways));
}

// The statistics of one cache, registered as the StatGroup `group`.
struct CacheStats {
    explicit CacheStats(const std::string& group)
        : stats(group),
          lookups(stats.counter("lookups", "lookups (a lookup probing several sizes counts once)")),
          hits(stats.counter("hits", "lookups that found an entry")),
          misses(stats.counter("misses", "lookups that found none")),
          fills(stats.counter("fills", "entries inserted (replacing the same entry counts too)")),
          evictions(stats.counter("evictions", "valid entries replaced by a fill of another entry (LRU victim)")),
          invalidations(stats.counter("invalidations", "invalidation commands that reached the cache")),
          invalidated(stats.counter("invalidated", "entries removed by invalidation commands"))
    {
    }
    StatGroup stats;
    Counter& lookups;
    Counter& hits;
    Counter& misses;
    Counter& fills;
    Counter& evictions;
    Counter& invalidations;
    Counter& invalidated;

    // Counts one lookup and its outcome; returns `hit`.
    template <class P> P* counted(P* hit)
    {
        lookups++;
        (hit ? hits : misses)++;
        return hit;
    }
};

// How many entries of each size (log2 bytes) a cache holds, so a lookup
// probes only the sizes present.
class SizeClasses {
public:
    void add(unsigned shift) { if (count_[shift]++ == 0) present_ |= 1ull << shift; }
    void remove(unsigned shift) { if (--count_[shift] == 0) present_ &= ~(1ull << shift); }
    // Bit n set: some entry has size 2^n.
    uint64_t present() const { return present_; }

private:
    uint32_t count_[64] = {};
    uint64_t present_ = 0;
};

// The set a key falls in: a fixed 64-bit mix of the key's words, modulo the
// number of sets (any number of sets, not only powers of two; a power of two
// by a mask, the same remainder without the host's division).
inline uint64_t set_index(uint64_t a, uint64_t b, uint64_t sets)
{
    uint64_t x = a * 0x9e3779b97f4a7c15ull ^ (b + 0x632be59bd9b4e019ull);
    x ^= x >> 31;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 29;
    return (sets & (sets - 1)) == 0 ? x & (sets - 1) : x % sets;
}

template <class E, unsigned Chains = 1> class SetAssoc {
public:
    static_assert(Chains >= 1);
    // An entry's key on each chain.
    using Keys = std::array<uint64_t, Chains>;

    SetAssoc(const std::string& prefix, const CacheGeometry& g, CacheStats& stats) : stats_(stats)
    {
        check_geometry(prefix, g);
        ways_ = static_cast<uint32_t>(g.ways);
        sets_ = g.entries / g.ways;
        lines_.resize(g.entries);
    }

    uint64_t sets() const { return sets_; }
    uint32_t ways() const { return ways_; }
    size_t size() const { return size_; }

    // The entry of set `set` that `match` accepts (the first way's), made
    // the most recently used; nullptr if none. Counts nothing: the cache
    // counts one lookup however many sets it probes.
    template <class M> E* find(uint64_t set, M match)
    {
        for (Line& l : set_lines(set))
            if (l.valid && match(l.e)) {
                l.stamp = ++clock_;
                return &l.e;
            }
        return nullptr;
    }

    // Puts `e` in set `set`: over the entry `same` says is `e` again, else
    // in a free way, else over the least recently used way (counted as an
    // eviction). Returns the entry it replaced (the same one or the victim),
    // if any, so the cache can keep its own book (SizeClasses).
    // `key`: the entry's key for erase_if_key (0: none); on chain 0, the
    // other chains' keys 0.
    template <class S> std::optional<E> insert(uint64_t set, const E& e, S same, uint64_t key = 0)
    {
        Keys keys{};
        keys[0] = key;
        return insert_keys(set, e, same, keys);
    }
    // The same with the entry's key on every chain.
    template <class S> std::optional<E> insert_keys(uint64_t set, const E& e, S same, const Keys& keys)
    {
        stats_.fills++;
        Line* victim = nullptr;
        for (Line& l : set_lines(set)) {
            if (l.valid && same(l.e))
                return replace(l, e, keys);
            if (!victim || (victim->valid && (!l.valid || l.stamp < victim->stamp)))
                victim = &l;
        }
        if (victim->valid) {
            stats_.evictions++;
            return replace(*victim, e, keys);
        }
        victim->valid = true;
        victim->stamp = ++clock_;
        victim->e = e;
        link_all(line_index(*victim), keys);
        size_++;
        return std::nullopt;
    }

    // Removes every entry `pred` accepts, calling removed(entry) for each
    // before it goes; counted as invalidated entries. Returns how many.
    template <class P, class R> size_t erase_if(P pred, R removed)
    {
        if (size_ == 0)  // nothing to scan: an invalidation of an empty cache costs no host time
            return 0;
        size_t n = 0;
        for (Line& l : lines_)
            n += l.valid && erase_line(l, pred, removed);
        size_ -= n;
        stats_.invalidated += n;
        return n;
    }

    // The same among the entries inserted with `key` on chain 0 only.
    template <class P, class R> size_t erase_if_key(uint64_t key, P pred, R removed)
    {
        return erase_if_key_on(0, key, pred, removed);
    }
    // The same among the entries whose key on `chain` is `key` only.
    // When the key holds most of the cache, its lines are visited in line
    // order (a scan of the array) instead of along the links: the same
    // entries, fewer cache misses on the host.
    template <class P, class R> size_t erase_if_key_on(unsigned chain, uint64_t key, P pred, R removed)
    {
        if (size_ == 0)  // no key holds an entry: no lookup of the key's list
            return 0;
        const auto head = heads_[chain].find(key);
        if (head == heads_[chain].end())
            return 0;
        size_t n = 0;
        if (2 * size_t{head->second.count} >= size_) {
            for (Line& l : lines_)
                n += l.valid && l.link[chain].key == key && erase_line(l, pred, removed);
        } else {
            for (uint32_t i = head->second.first, next; i != kNoLine; i = next) {
                next = lines_[i].link[chain].next;  // before the line may be unlinked
                n += erase_line(lines_[i], pred, removed);
            }
        }
        size_ -= n;
        stats_.invalidated += n;
        return n;
    }

    // Every valid entry, set by set, way by way.
    template <class F> void for_each(F fn) const
    {
        for (const Line& l : lines_)
            if (l.valid)
                fn(l.e);
    }

private:
    static constexpr uint32_t kNoLine = UINT32_MAX;
    struct Link {
        uint64_t key = 0;
        uint32_t prev = kNoLine, next = kNoLine;  // that list's neighbours
    };
    struct Line {
        bool valid = false;
        uint64_t stamp = 0;  // larger = used more recently
        E e{};
        Link link[Chains];  // valid lines: linked in heads_[chain][key]'s list on each chain
    };
    struct Span {
        Line* b;
        Line* e;
        Line* begin() const { return b; }
        Line* end() const { return e; }
    };
    Span set_lines(uint64_t set) { return Span{&lines_[set * ways_], &lines_[set * ways_] + ways_}; }
    std::optional<E> replace(Line& l, const E& e, const Keys& keys)
    {
        std::optional<E> old = l.e;
        l.e = e;
        l.stamp = ++clock_;
        for (unsigned c = 0; c < Chains; c++)
            if (l.link[c].key != keys[c]) {
                unlink(c, line_index(l));
                link(c, line_index(l), keys[c]);
            }
        return old;
    }
    void link_all(uint32_t i, const Keys& keys)
    {
        for (unsigned c = 0; c < Chains; c++)
            link(c, i, keys[c]);
    }
    template <class P, class R> bool erase_line(Line& l, P& pred, R& removed)
    {
        if (!pred(l.e))
            return false;
        removed(l.e);
        l.valid = false;
        for (unsigned c = 0; c < Chains; c++)
            unlink(c, line_index(l));
        return true;
    }
    uint32_t line_index(const Line& l) const { return static_cast<uint32_t>(&l - lines_.data()); }
    void link(unsigned c, uint32_t i, uint64_t key)
    {
        Link& l = lines_[i].link[c];
        l.key = key;
        l.prev = kNoLine;
        auto [head, fresh] = heads_[c].try_emplace(key, KeyList{i, 0});
        head->second.count++;
        l.next = fresh ? kNoLine : head->second.first;
        if (!fresh) {
            lines_[head->second.first].link[c].prev = i;
            head->second.first = i;
        }
    }
    void unlink(unsigned c, uint32_t i)
    {
        Link& l = lines_[i].link[c];
        const auto head = heads_[c].find(l.key);
        if (--head->second.count == 0) {
            heads_[c].erase(head);
            return;
        }
        if (l.next != kNoLine)
            lines_[l.next].link[c].prev = l.prev;
        if (l.prev != kNoLine)
            lines_[l.prev].link[c].next = l.next;
        else
            head->second.first = l.next;
    }

    CacheStats& stats_;
    uint32_t ways_ = 1;
    uint64_t sets_ = 1;
    std::vector<Line> lines_;
    struct KeyList {
        uint32_t first;  // the key's first line
        uint32_t count;  // its lines
    };
    std::unordered_map<uint64_t, KeyList> heads_[Chains];  // per chain
    uint64_t clock_ = 0;
    size_t size_ = 0;
};

// log2(size); std::logic_error naming `what` unless size is a power of two
// and base is aligned to it (the caller's error: walks yield such ranges).
inline unsigned range_shift(const char* what, uint64_t base, uint64_t size)
{
    if (size == 0 || (size & (size - 1)) != 0 || (base & (size - 1)) != 0)
        throw std::logic_error(std::string(what) + ": range is not a power of two aligned to itself");
    return static_cast<unsigned>(__builtin_ctzll(size));
}

// A SetAssoc of entries that each cover a power-of-two input range
// (Range::base(e), Range::size(e)), placed by their own size: the set is
// set_index(base >> log2(size), key), `key` being a tag word every lookup of
// the entry presents (the VMID; not the ASID, which global entries ignore)
// and the entry's key on chain 0; the other chains' keys are the cache's
// own. A lookup probes each size present, smallest first.
template <class E, class Range, unsigned Chains = 1> class RangedSetAssoc {
public:
    using Keys = typename SetAssoc<E, Chains>::Keys;

    RangedSetAssoc(const std::string& prefix, const CacheGeometry& g, CacheStats& stats)
        : what_(prefix), cache_(prefix, g, stats)
    {
    }

    uint64_t sets() const { return cache_.sets(); }
    size_t size() const { return cache_.size(); }
    template <class F> void for_each(F fn) const { cache_.for_each(fn); }

    // The smallest entry covering `addr` that `match` accepts; nullptr if none.
    template <class M> E* find(uint64_t addr, uint64_t key, M match)
    {
        for (uint64_t sizes = sizes_.present(); sizes; sizes &= sizes - 1) {
            const unsigned shift = static_cast<unsigned>(__builtin_ctzll(sizes));
            const uint64_t base = addr >> shift << shift;
            E* hit = cache_.find(set_index(addr >> shift, key, cache_.sets()), [&](const E& e) {
                return Range::base(e) == base && Range::size(e) == 1ull << shift && match(e);
            });
            if (hit)
                return hit;
        }
        return nullptr;
    }

    // Fills `e` over the entry of the same range that `same_tag` accepts,
    // else as SetAssoc::insert does; keys[0] places it (`key` above).
    // std::logic_error for a bad range.
    template <class S> void insert(const E& e, const Keys& keys, S same_tag)
    {
        const unsigned shift = range_shift(what_.c_str(), Range::base(e), Range::size(e));
        const auto old = cache_.insert_keys(
            set_index(Range::base(e) >> shift, keys[0], cache_.sets()), e,
            [&](const E& o) {
                return Range::base(o) == Range::base(e) && Range::size(o) == Range::size(e) && same_tag(o);
            },
            keys);
        if (old)
            sizes_.remove(static_cast<unsigned>(__builtin_ctzll(Range::size(*old))));
        sizes_.add(shift);
    }

    template <class P> size_t erase_if(P pred) { return cache_.erase_if(pred, size_removed()); }
    // Among the entries whose key on `chain` is `key` only (SetAssoc::erase_if_key_on).
    template <class P> size_t erase_if_key(unsigned chain, uint64_t key, P pred)
    {
        return cache_.erase_if_key_on(chain, key, pred, size_removed());
    }

private:
    auto size_removed()
    {
        return [this](const E& e) { sizes_.remove(static_cast<unsigned>(__builtin_ctzll(Range::size(e)))); };
    }

    std::string what_;
    SetAssoc<E, Chains> cache_;
    SizeClasses sizes_;
};

}  // namespace smmusim::smmuv3
