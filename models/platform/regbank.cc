// SPDX-License-Identifier: GPL-2.0-only
#include "regbank.h"

#include <stdexcept>

#include <fmt/format.h>

namespace smmusim {

RegisterBank::RegisterBank(std::string name, uint32_t size_bytes)
    : name_(std::move(name)), size_(size_bytes), word_index_(size_bytes / 4, -1)
{
}

void RegisterBank::add(RegSpec spec, WriteHook hook)
{
    if ((spec.width != 4 && spec.width != 8) || spec.offset % spec.width || spec.offset + spec.width > size_)
        throw std::logic_error(fmt::format("{}: bad register {} at {:#x}", name_, spec.name, spec.offset));
    for (uint32_t w = spec.offset / 4; w < (spec.offset + spec.width) / 4; w++) {
        if (word_index_[w] >= 0)
            throw std::logic_error(fmt::format("{}: {} overlaps {}", name_, spec.name, regs_[word_index_[w]].spec.name));
        word_index_[w] = static_cast<int16_t>(regs_.size());
    }
    specs_.push_back(spec);
    const uint64_t reset = spec.reset;
    regs_.push_back(Reg{std::move(spec), reset, std::move(hook)});
}

void RegisterBank::reserve(size_t n)
{
    regs_.reserve(n);
    specs_.reserve(n);
}

void RegisterBank::on_write(uint32_t offset, WriteHook hook)
{
    int i = index_of(offset);
    if (i < 0 || regs_[i].spec.offset != offset)
        throw std::logic_error(fmt::format("{}: no register at {:#x}", name_, offset));
    regs_[i].hook = std::move(hook);
}

RegisterBank::WriteHook RegisterBank::ignored_while(uint32_t offset, std::function<bool()> locked, Counter& ignored)
{
    return [this, offset, locked = std::move(locked), &ignored](uint64_t old_value, uint64_t) {
        if (locked()) {
            set(offset, old_value);
            ignored++;
        }
    };
}

void RegisterBank::reset()
{
    for (auto& r : regs_) {
        const uint64_t old = r.value;
        r.value = r.spec.reset;
        changed(r, old);
    }
}

void RegisterBank::changed(const Reg& r, uint64_t old) const
{
    if (r.value == old)
        return;
    for (const ChangeObserver& o : observers_)
        o(r.spec.offset, r.value);
}

void RegisterBank::no_register(uint32_t offset) const
{
    throw std::logic_error(fmt::format("{}: no register at {:#x}", name_, offset));
}

const RegSpec* RegisterBank::find(uint32_t offset) const
{
    int i = index_of(offset);
    return i < 0 ? nullptr : &regs_[i].spec;
}

RegisterBank::Status RegisterBank::locate(uint32_t offset, unsigned size, int& index) const
{
    if ((size != 4 && size != 8) || offset % size || offset >= size_)
        return Status::BadAccess;
    index = index_of(offset);
    if (index < 0) {
        // A 64-bit access to reserved space must not straddle a register.
        if (size == 8 && index_of(offset + 4) >= 0)
            return Status::BadAccess;
        return Status::Reserved;
    }
    if (size == 8 && regs_[index].spec.width != 8)
        return Status::BadAccess;
    return Status::Ok;
}

RegisterBank::Status RegisterBank::read(uint32_t offset, unsigned size, uint64_t& data) const
{
    data = 0;
    int i = -1;
    if (const Status st = locate(offset, size, i); st != Status::Ok)
        return st;
    const Reg& r = regs_[i];
    if (size == 8) {
        data = r.value;
        return Status::Ok;
    }
    data = r.spec.width == 8 && offset != r.spec.offset ? r.value >> 32 : r.value & 0xffffffffu;
    return Status::Ok;
}

RegisterBank::Status RegisterBank::write(uint32_t offset, unsigned size, uint64_t data)
{
    int i = -1;
    if (const Status st = locate(offset, size, i); st != Status::Ok)
        return st;
    Reg& r = regs_[i];
    uint64_t lanes;  // the bits this access covers
    if (size == 8) {
        lanes = ~0ull;
    } else if (r.spec.width == 8 && offset != r.spec.offset) {
        lanes = 0xffffffff00000000ull;
        data <<= 32;
    } else {
        lanes = 0xffffffffull;
        data &= 0xffffffffull;
    }
    const uint64_t m = lanes & r.spec.wmask;
    const uint64_t old = r.value;
    r.value = (old & ~m) | (data & m);
    if (r.hook) {
        // The hook may set() this register back; observers hear the outcome.
        const int outer = writing_;
        writing_ = i;
        r.hook(old, r.value);
        writing_ = outer;
    }
    changed(r, old);
    return Status::Ok;
}

void RegisterBank::set(uint32_t offset, uint64_t value)
{
    int i = index_of(offset);
    if (i < 0)
        no_register(offset);
    Reg& r = regs_[i];
    const uint64_t old = r.value;
    r.value = value;
    if (i != writing_)
        changed(r, old);
}

}  // namespace smmusim
