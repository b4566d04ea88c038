// SPDX-License-Identifier: GPL-2.0-only
// A register file as one table: offset, name, width, reset value and the
// mask of bits software may write. Generic code handles access sizes,
// halves of 64-bit registers, read-only bits and reserved space; registers
// with behaviour get a post-write hook.
//
// Access rules (those of the SMMUv3 and the CMDQV): 32-bit registers take
// naturally aligned 32-bit accesses; 64-bit registers take a naturally
// aligned 64-bit access or a 32-bit access to either half. Any other size or
// alignment is refused (Status::BadAccess, the caller answers with a bus
// error). Offsets no register claims are reserved: RAZ/WI.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "stats.h"

namespace smmusim {

struct RegSpec {
    uint32_t offset;
    uint8_t width;   // 4 or 8 bytes
    std::string name;
    uint64_t reset;
    uint64_t wmask;  // bits software may write; the rest keep their value
};

class RegisterBank {
public:
    // Called after a write has been stored: the register's previous and new
    // value. The hook may overwrite the register (e.g. to ignore a write).
    using WriteHook = std::function<void(uint64_t old_value, uint64_t new_value)>;

    RegisterBank(std::string name, uint32_t size_bytes);

    void add(RegSpec spec, WriteHook hook = {});
    // Room for `n` registers in all, for a bank that adds many.
    void reserve(size_t n);
    void on_write(uint32_t offset, WriteHook hook);
    // The hook of a register software may change only in some state: while
    // `locked()` holds, a write is undone (the register keeps its previous
    // value) and counted in `ignored`.
    WriteHook ignored_while(uint32_t offset, std::function<bool()> locked, Counter& ignored);
    void reset();

    // Observers see every change of a stored value, whether software wrote
    // it or the model set it (waveforms, checkers): the register's offset and
    // its new value, once a write (and its hook) has completed. They may be
    // told a value equal to the previous one; they must not access the bank.
    using ChangeObserver = std::function<void(uint32_t offset, uint64_t value)>;
    void add_change_observer(ChangeObserver o) { observers_.push_back(std::move(o)); }
    bool observed() const { return !observers_.empty(); }

    enum class Status { Ok, Reserved, BadAccess };
    Status read(uint32_t offset, unsigned size, uint64_t& data) const;
    Status write(uint32_t offset, unsigned size, uint64_t data);

    // Model-side access to whole registers (no masks, no hooks); inline:
    // the command pipelines read their queue's registers several times per
    // command. std::logic_error for an offset no register claims.
    uint64_t get(uint32_t offset) const
    {
        const int i = index_of(offset);
        if (i < 0)
            no_register(offset);
        return regs_[i].value;
    }
    void set(uint32_t offset, uint64_t value);

    const RegSpec* find(uint32_t offset) const;  // register starting or containing offset
    const std::vector<RegSpec>& specs() const { return specs_; }
    uint32_t size() const { return size_; }

private:
    struct Reg {
        RegSpec spec;
        uint64_t value;
        WriteHook hook;
    };
    int index_of(uint32_t offset) const { return offset < size_ ? word_index_[offset / 4] : -1; }
    [[noreturn]] void no_register(uint32_t offset) const;
    // Where an access of `size` bytes at `offset` lands: Ok with the
    // register's index, or why it reaches none (size, alignment, reserved
    // space, a 64-bit access straddling or to a 32-bit register).
    Status locate(uint32_t offset, unsigned size, int& index) const;
    void changed(const Reg& r, uint64_t old) const;

    std::string name_;
    uint32_t size_;
    std::vector<RegSpec> specs_;
    std::vector<Reg> regs_;
    std::vector<int16_t> word_index_;  // per 32-bit word: register index or -1
    std::vector<ChangeObserver> observers_;
    int writing_ = -1;  // the register whose write hook is running
};

}  // namespace smmusim
